import { ConfigDef, ConfigType, ConnectRecord, DataError, Importance, NO_DEFAULT, newRecord, Schema, SchemaBuilder, Struct, Transformation } from '../api';
import { nonEmptyList } from './util/kafka-validators';
import { requireMap, requireStruct } from './util/requirements';
import { SchemaCache } from './util/schema-cache';
import { REPLACE_NULL_WITH_DEFAULT, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue } from './util/replace-null-with-default';

const FIELDS = 'fields';

const CONFIG_DEF = new ConfigDef()
  .define({
    name: FIELDS,
    type: ConfigType.LIST,
    defaultValue: NO_DEFAULT,
    validator: nonEmptyList,
    importance: Importance.HIGH,
    doc: 'Fields of the record value that form the new record key.',
  })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY);

const PURPOSE = 'copying fields from value to key';

/**
 * Kafka's ValueToKey: replaces the key with a Struct (schema: the listed value fields, in the listed
 * order, unnamed) or Map of the listed fields of the value. The value must be a Struct or Map; a
 * tombstone fails, as in Kafka. A listed field missing from a schemaless value becomes null.
 */
export class ValueToKey implements Transformation {
  private fields: readonly string[] = [];
  private replaceNullWithDefault = true;
  private readonly keySchemas = new SchemaCache();

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'ValueToKey');
    this.fields = config.getList(FIELDS);
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends ConnectRecord>(record: R): R {
    if (record.valueSchema === null) {
      const value = requireMap(record.value, PURPOSE);
      const key = new Map<string, unknown>();
      for (const field of this.fields) key.set(field, value.get(field) ?? null);
      return newRecord(record, { keySchema: null, key });
    }
    const value = requireStruct(record.value, PURPOSE);
    const keySchema = this.keySchemas.getOrDerive(value.schema, (s) => this.keySchemaFor(s));
    const key = new Struct(keySchema);
    for (const field of this.fields) key.put(field, fieldValue(value, field, this.replaceNullWithDefault));
    return newRecord(record, { keySchema, key, valueSchema: value.schema });
  }

  private keySchemaFor(valueSchema: Schema): Schema {
    const builder = SchemaBuilder.struct();
    for (const name of this.fields) {
      const field = valueSchema.field(name);
      if (!field) throw new DataError(`Field does not exist: ${name}`);
      builder.field(name, field.schema);
    }
    return builder.build();
  }
}
