export { AvroConverter } from './avro-converter';
export type { AvroConverterOptions } from './avro-converter';
export { AVRO_CONVERTER_CONFIG_DEF } from './avro-converter-config';
export { avroToConnectSchema } from './avro-to-connect-schema';
export { connectToAvroSchema } from './connect-to-avro-schema';
export { writeAvroSchema } from './avro-schema-json';
export { SchemaRegistryClient, SchemaRegistryError } from '../schema-registry/schema-registry-client';
export { WorkerThreadHttp } from '../schema-registry/sync-http';
export type { HttpRequest, HttpResult, SyncHttpTransport } from '../schema-registry/sync-http';
