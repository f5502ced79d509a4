export { JsonSchemaConverter } from './json-schema-converter';
export type { JsonSchemaConverterOptions } from './json-schema-converter';
export { JSON_SCHEMA_CONVERTER_CONFIG_DEF } from './json-schema-converter-config';
export { connectToJsonSchema } from './connect-to-json-schema';
export { jsonSchemaToConnect } from './json-schema-to-connect';
