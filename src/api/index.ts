/** The public connector API: the only module connectors import. */
export * from './errors';
export * from './config-def';
export * from './schema';
export * from './records';
export * from './logger';
export * from './connector';
export * from './source-task';
export * from './sink-task';
export * from './errant-record-reporter';
export * from './converter';
export * from './header-converter';
export * from './big-decimal';
export * from './schema-builder';
export * from './struct';
export * from './validate-value';
export * from './logical-types';
export * from './value-text';
export { javaDoubleToString, javaFloatToString } from './java-number-format';
