/** Names and properties Confluent's AvroData writes into and reads from Avro schemas. */
export const NAMESPACE = 'io.confluent.connect.avro';
export const DEFAULT_SCHEMA_NAME = 'ConnectDefault';
export const DEFAULT_SCHEMA_FULL_NAME = `${NAMESPACE}.${DEFAULT_SCHEMA_NAME}`;
export const MAP_ENTRY_TYPE_NAME = 'MapEntry';
export const KEY_FIELD = 'key';
export const VALUE_FIELD = 'value';

export const CONNECT_NAME_PROP = 'connect.name';
export const CONNECT_DOC_PROP = 'connect.doc';
export const CONNECT_VERSION_PROP = 'connect.version';
export const CONNECT_DEFAULT_VALUE_PROP = 'connect.default';
export const CONNECT_PARAMETERS_PROP = 'connect.parameters';
export const CONNECT_TYPE_PROP = 'connect.type';
export const CONNECT_INTERNAL_TYPE_NAME = 'connect.internal.type';
export const CONNECT_TYPE_INT8 = 'int8';
export const CONNECT_TYPE_INT16 = 'int16';

export const AVRO_RECORD_DOC_PROP = `${NAMESPACE}.record.doc`;
export const AVRO_ENUM_DOC_PREFIX_PROP = `${NAMESPACE}.enum.doc.`;
export const AVRO_ENUM_DEFAULT_PREFIX_PROP = `${NAMESPACE}.enum.default.`;
export const AVRO_FIELD_DOC_PREFIX_PROP = `${NAMESPACE}.field.doc.`;
/** Marks a Connect default that came from an Avro field default (so it is not also written as connect.default). */
export const AVRO_FIELD_DEFAULT_FLAG_PROP = `${NAMESPACE}.field.default`;
export const AVRO_TYPE_UNION = `${NAMESPACE}.Union`;
export const AVRO_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const AVRO_TYPE_ANYTHING = `${NAMESPACE}.Anything`;

/** Schema parameters starting with this are copied to and from Avro properties. */
export const AVRO_PROP = 'avro';
export const AVRO_LOGICAL_TYPE_PROP = 'logicalType';
export const AVRO_LOGICAL_TIMESTAMP_MILLIS = 'timestamp-millis';
export const AVRO_LOGICAL_TIME_MILLIS = 'time-millis';
export const AVRO_LOGICAL_DATE = 'date';
export const AVRO_LOGICAL_DECIMAL = 'decimal';
export const CONNECT_AVRO_FIXED_SIZE_PROP = 'connect.fixed.size';
export const CONNECT_AVRO_DECIMAL_PRECISION_PROP = 'connect.decimal.precision';
export const CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT = 64;

/** How the Avro <-> Connect translation is tuned (Confluent's AvroDataConfig). */
export interface AvroDataOptions {
  /** connect.meta.data: write and read the connect.* properties. */
  connectMetaData: boolean;
  /** enhanced.avro.schema.support: keep Avro enums as enums and union member full names. */
  enhancedSchemaSupport: boolean;
  /** schemas.cache.config: translated schemas kept, per direction. */
  schemasCacheSize: number;
}

export const DEFAULT_AVRO_DATA_OPTIONS: AvroDataOptions = { connectMetaData: true, enhancedSchemaSupport: false, schemasCacheSize: 1000 };
