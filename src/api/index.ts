/** The public connector API: the only module connectors import. */
export * from './errors';
export * from './config-def';
export * from './schema';
export * from './records';
export * from './logger';
export * from './connector';
export * from './source-task';
export * from './sink-task';
export * from './converter';
