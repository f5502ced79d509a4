import { ConnectError, Schema, SchemaType } from '../../../src/api';
import { SinkField } from '../dialect';
import { DEFAULT_KAFKA_PK_NAMES, PK_FIELDS_CONFIG, PK_MODE_CONFIG, PrimaryKeyMode } from './jdbc-sink-config';

/**
 * Which columns a record's schemas give a table, and which of them form the primary key
 * (Confluent's FieldsMetadata). `allFields` is in Confluent's column order: the kafka coordinates,
 * then the value's fields in schema order, then any other key fields by name.
 */
export interface FieldsMetadata {
  readonly keyFieldNames: readonly string[];
  readonly nonKeyFieldNames: readonly string[];
  readonly allFields: ReadonlyMap<string, SinkField>;
}

const PRIMITIVES = new Set([
  SchemaType.INT8,
  SchemaType.INT16,
  SchemaType.INT32,
  SchemaType.INT64,
  SchemaType.FLOAT32,
  SchemaType.FLOAT64,
  SchemaType.BOOLEAN,
  SchemaType.STRING,
  SchemaType.BYTES,
]);

const upper = (mode: PrimaryKeyMode): string => mode.toUpperCase();
const list = (names: readonly string[]): string => `[${names.join(', ')}]`;

/**
 * Confluent's FieldsMetadata.extract: the key and non-key fields for `tableName` from the record's
 * key and value schemas (valueSchema null for a tombstone). Throws ConnectError with Confluent's
 * message and the config key to change.
 */
export function extractFieldsMetadata(
  tableName: string,
  pkMode: PrimaryKeyMode,
  pkFields: readonly string[],
  whitelist: ReadonlySet<string>,
  keySchema: Schema | null,
  valueSchema: Schema | null,
): FieldsMetadata {
  if (valueSchema !== null && valueSchema.type !== SchemaType.STRUCT) {
    throw new ConnectError(`Value schema must be of type Struct, but is of type ${valueSchema.type} (table '${tableName}')`);
  }
  const all = new Map<string, SinkField>();
  const keyNames: string[] = [];
  const addKey = (name: string, schema: Schema): void => {
    if (!keyNames.includes(name)) keyNames.push(name);
    all.set(name, { name, schema, primaryKey: true });
  };
  switch (pkMode) {
    case 'none':
      break;
    case 'kafka': {
      if (pkFields.length !== 0 && pkFields.length !== 3) {
        throw new ConnectError(
          `PK mode for table '${tableName}' is KAFKA so there should either be no field names defined for defaults ${list(DEFAULT_KAFKA_PK_NAMES)} to be applicable, ` +
            `or exactly 3, defined fields are: ${list(pkFields)} (${PK_FIELDS_CONFIG})`,
        );
      }
      const [topic, partition, offset] = pkFields.length === 3 ? pkFields : DEFAULT_KAFKA_PK_NAMES;
      addKey(topic, Schema.STRING_SCHEMA);
      addKey(partition, Schema.INT32_SCHEMA);
      addKey(offset, Schema.INT64_SCHEMA);
      break;
    }
    case 'record_key':
      if (keySchema === null) {
        throw new ConnectError(`PK mode for table '${tableName}' is ${upper(pkMode)}, but record key schema is missing (${PK_MODE_CONFIG}=record_key needs keys with a schema)`);
      }
      if (PRIMITIVES.has(keySchema.type)) {
        if (pkFields.length !== 1) {
          throw new ConnectError(
            `Need exactly one PK column defined since the key schema for records is a primitive type, defined columns are: ${list(pkFields)} (set ${PK_FIELDS_CONFIG} to the column name for the key)`,
          );
        }
        addKey(pkFields[0], keySchema);
      } else if (keySchema.type === SchemaType.STRUCT) {
        structKeys(tableName, pkMode, pkFields, keySchema, 'key', addKey);
      } else {
        throw new ConnectError(`Key schema must be primitive type or Struct, but is of type: ${keySchema.type} (${PK_MODE_CONFIG}=record_key, table '${tableName}')`);
      }
      break;
    case 'record_value':
      if (valueSchema === null) {
        throw new ConnectError(`PK mode for table '${tableName}' is ${upper(pkMode)}, but record value schema is missing (${PK_MODE_CONFIG}=record_value needs values with a schema)`);
      }
      structKeys(tableName, pkMode, pkFields, valueSchema, 'value', addKey);
      break;
  }
  const nonKeyNames: string[] = [];
  for (const field of valueSchema?.fields ?? []) {
    if (keyNames.includes(field.name)) continue;
    if (whitelist.size > 0 && !whitelist.has(field.name)) continue;
    nonKeyNames.push(field.name);
    all.set(field.name, { name: field.name, schema: field.schema, primaryKey: false });
  }
  if (all.size === 0) throw new ConnectError(`No fields found using key and value schemas for table: ${tableName}`);
  const ordered = new Map<string, SinkField>();
  for (const name of DEFAULT_KAFKA_PK_NAMES) if (all.has(name)) ordered.set(name, all.get(name)!);
  for (const field of valueSchema?.fields ?? []) if (all.has(field.name)) ordered.set(field.name, all.get(field.name)!);
  for (const name of [...all.keys()].sort()) if (!ordered.has(name)) ordered.set(name, all.get(name)!);
  return { keyFieldNames: keyNames, nonKeyFieldNames: nonKeyNames, allFields: ordered };
}

function structKeys(
  tableName: string,
  pkMode: PrimaryKeyMode,
  pkFields: readonly string[],
  schema: Schema,
  what: 'key' | 'value',
  addKey: (name: string, schema: Schema) => void,
): void {
  if (pkFields.length === 0) {
    for (const field of schema.fields) addKey(field.name, field.schema);
    return;
  }
  for (const name of pkFields) {
    const field = schema.field(name);
    if (field === undefined) {
      throw new ConnectError(
        `PK mode for table '${tableName}' is ${upper(pkMode)} with configured PK fields ${list(pkFields)}, but record ${what} schema does not contain field: ${name} (${PK_FIELDS_CONFIG})`,
      );
    }
  }
  for (const name of pkFields) addKey(name, schema.field(name)!.schema);
}
