import { ConfigDef, ConfigError, ConfigType, ConnectRecord, ConnectTimestamp, Importance, Schema, SchemaBuilder, Struct, Transformation } from '../api';
import { RecordPart } from './util/record-part';
import { requireMap, requireStruct } from './util/requirements';
import { SchemaCache } from './util/schema-cache';
import { copySchemaBasics } from './util/schema-util';
import { requireSinkRecord } from './util/sink-record';
import { REPLACE_NULL_WITH_DEFAULT, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue } from './util/replace-null-with-default';

const TOPIC_FIELD = 'topic.field';
const PARTITION_FIELD = 'partition.field';
const OFFSET_FIELD = 'offset.field';
const TIMESTAMP_FIELD = 'timestamp.field';
const STATIC_FIELD = 'static.field';
const STATIC_VALUE = 'static.value';

const OPTIONALITY = 'End with ! for a required field, or ? for an optional one (the default).';

function nameKey(name: string, doc: string): Parameters<ConfigDef['define']>[0] {
  return { name, type: ConfigType.STRING, defaultValue: null, importance: Importance.MEDIUM, doc: `${doc} ${OPTIONALITY}` };
}

const CONFIG_DEF = new ConfigDef()
  .define(nameKey(TOPIC_FIELD, 'Field for the record topic.'))
  .define(nameKey(PARTITION_FIELD, 'Field for the Kafka partition (left unset when the record has none).'))
  .define(nameKey(OFFSET_FIELD, 'Field for the Kafka offset; sink connectors only (a source record fails).'))
  .define(nameKey(TIMESTAMP_FIELD, 'Field for the record timestamp (left unset when the record has none).'))
  .define(nameKey(STATIC_FIELD, 'Field for the static value.'))
  .define({ name: STATIC_VALUE, type: ConfigType.STRING, defaultValue: null, importance: Importance.MEDIUM, doc: 'The static value, used when static.field is set.' })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY);

const PURPOSE = 'field insertion';
const OPTIONAL_TIMESTAMP_SCHEMA = ConnectTimestamp.builder().optional().build();

/** A field to insert: `name`, `name?` (optional) or `name!` (required). */
interface InsertionSpec {
  readonly name: string;
  readonly optional: boolean;
}

function parseSpec(spec: string | null): InsertionSpec | null {
  if (spec === null) return null;
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

/**
 * Kafka's InsertField: adds fields from the record's metadata (topic, partition, Kafka offset,
 * timestamp) or a static string to a Struct (the schema gains the fields, in that order, after the
 * existing ones) or a Map. A null key or value is passed through; the partition and timestamp are
 * left out when the record has none; the offset requires a sink record.
 */
export class InsertField implements Transformation {
  private topicField: InsertionSpec | null = null;
  private partitionField: InsertionSpec | null = null;
  private offsetField: InsertionSpec | null = null;
  private timestampField: InsertionSpec | null = null;
  private staticField: InsertionSpec | null = null;
  private staticValue: string | null = null;
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'InsertField');
    this.topicField = parseSpec(config.getString(TOPIC_FIELD));
    this.partitionField = parseSpec(config.getString(PARTITION_FIELD));
    this.offsetField = parseSpec(config.getString(OFFSET_FIELD));
    this.timestampField = parseSpec(config.getString(TIMESTAMP_FIELD));
    this.staticField = parseSpec(config.getString(STATIC_FIELD));
    this.staticValue = config.getString(STATIC_VALUE);
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
    if (!this.topicField && !this.partitionField && !this.offsetField && !this.timestampField && !this.staticField) {
      throw new ConfigError(`No field insertion configured: set at least one of ${TOPIC_FIELD}, ${PARTITION_FIELD}, ${OFFSET_FIELD}, ${TIMESTAMP_FIELD}, ${STATIC_FIELD}`);
    }
    if (this.staticField && this.staticValue === null) {
      throw ConfigError.invalidValue(STATIC_VALUE, null, `No value specified for static field: ${this.staticField.name}`);
    }
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.part.value(record);
    if (value === null || value === undefined) return record;
    return this.part.schema(record) === null ? this.applySchemaless(record, value) : this.applyWithSchema(record, value);
  }

  private applySchemaless<R extends ConnectRecord>(record: R, value: unknown): R {
    const updated = new Map(requireMap(value, PURPOSE));
    if (this.topicField) updated.set(this.topicField.name, record.topic);
    if (this.partitionField && record.kafkaPartition !== null) updated.set(this.partitionField.name, record.kafkaPartition);
    if (this.offsetField) updated.set(this.offsetField.name, requireSinkRecord(record, PURPOSE).kafkaOffset);
    // A Java Long without a schema.
    if (this.timestampField && record.timestamp !== null) updated.set(this.timestampField.name, BigInt(record.timestamp));
    if (this.staticField) updated.set(this.staticField.name, this.staticValue);
    return this.part.with(record, null, updated);
  }

  private applyWithSchema<R extends ConnectRecord>(record: R, value: unknown): R {
    const struct = requireStruct(value, PURPOSE);
    const schema = this.schemas.getOrDerive(struct.schema, (s) => this.updatedSchema(s));
    const updated = new Struct(schema);
    for (const field of struct.schema.fields) {
      updated.put(field.name, fieldValue(struct, field.name, this.replaceNullWithDefault));
    }
    if (this.topicField) updated.put(this.topicField.name, record.topic);
    if (this.partitionField && record.kafkaPartition !== null) updated.put(this.partitionField.name, record.kafkaPartition);
    if (this.offsetField) updated.put(this.offsetField.name, requireSinkRecord(record, PURPOSE).kafkaOffset);
    if (this.timestampField && record.timestamp !== null) updated.put(this.timestampField.name, new Date(record.timestamp));
    if (this.staticField) updated.put(this.staticField.name, this.staticValue);
    return this.part.with(record, schema, updated);
  }

  private updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields) builder.field(field.name, field.schema);
    const add = (spec: InsertionSpec | null, optional: Schema, required: Schema): void => {
      if (spec) builder.field(spec.name, spec.optional ? optional : required);
    };
    add(this.topicField, Schema.OPTIONAL_STRING_SCHEMA, Schema.STRING_SCHEMA);
    add(this.partitionField, Schema.OPTIONAL_INT32_SCHEMA, Schema.INT32_SCHEMA);
    add(this.offsetField, Schema.OPTIONAL_INT64_SCHEMA, Schema.INT64_SCHEMA);
    add(this.timestampField, OPTIONAL_TIMESTAMP_SCHEMA, ConnectTimestamp.SCHEMA);
    add(this.staticField, Schema.OPTIONAL_STRING_SCHEMA, Schema.STRING_SCHEMA);
    return builder.build();
  }
}
