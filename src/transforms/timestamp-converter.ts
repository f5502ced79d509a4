import {
  ConfigDef,
  ConfigError,
  ConfigType,
  ConnectDate,
  ConnectRecord,
  ConnectTime,
  ConnectTimestamp,
  DataError,
  Importance,
  LogicalNames,
  NO_DEFAULT,
  Schema,
  SchemaBuilder,
  SchemaType,
  Struct,
  Transformation,
  Validators,
} from '../api';
import { JavaDateFormat, javaDateFormat } from './util/java-date-format';
import { RecordPart } from './util/record-part';
import { javaClassName, requireMap, requireStructOrNull } from './util/requirements';
import { SchemaCache } from './util/schema-cache';
import { copySchemaBasics } from './util/schema-util';
import { schemaToString } from './util/record-text';
import { REPLACE_NULL_WITH_DEFAULT, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue } from './util/replace-null-with-default';

const FIELD = 'field';
const TARGET_TYPE = 'target.type';
const FORMAT = 'format';
const UNIX_PRECISION = 'unix.precision';
const PURPOSE = 'converting timestamp formats';

type TimestampType = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp';
type Precision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

const CONFIG_DEF = new ConfigDef()
  .define({ name: FIELD, type: ConfigType.STRING, defaultValue: '', importance: Importance.HIGH, doc: 'The field holding the timestamp, or empty when the whole key or value is the timestamp.' })
  .define({
    name: TARGET_TYPE,
    type: ConfigType.STRING,
    defaultValue: NO_DEFAULT,
    validator: Validators.in('string', 'unix', 'Date', 'Time', 'Timestamp'),
    importance: Importance.HIGH,
    doc: 'What to convert the timestamp to: string, unix, Date, Time or Timestamp.',
  })
  .define({
    name: FORMAT,
    type: ConfigType.STRING,
    defaultValue: '',
    importance: Importance.MEDIUM,
    doc: 'Java SimpleDateFormat pattern (UTC) that writes the timestamp when target.type=string and reads timestamps that arrive as strings.',
  })
  .define({
    name: UNIX_PRECISION,
    type: ConfigType.STRING,
    defaultValue: 'milliseconds',
    validator: Validators.in('nanoseconds', 'microseconds', 'milliseconds', 'seconds'),
    importance: Importance.LOW,
    doc: 'Unit of unix timestamps, written when target.type=unix and read from INT64 input: seconds, milliseconds, microseconds or nanoseconds. Sub-millisecond digits are lost.',
  })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY);

const MS_PER_DAY = 86_400_000;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const OPTIONAL_DATE_SCHEMA = ConnectDate.builder().optional().build();
const OPTIONAL_TIME_SCHEMA = ConnectTime.builder().optional().build();
const OPTIONAL_TIMESTAMP_SCHEMA = ConnectTimestamp.builder().optional().build();

/** The schema of each target type, [required, optional]. */
const TYPE_SCHEMAS: Record<TimestampType, readonly [Schema, Schema]> = {
  string: [Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA],
  unix: [Schema.INT64_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA],
  Date: [ConnectDate.SCHEMA, OPTIONAL_DATE_SCHEMA],
  Time: [ConnectTime.SCHEMA, OPTIONAL_TIME_SCHEMA],
  Timestamp: [ConnectTimestamp.SCHEMA, OPTIONAL_TIMESTAMP_SCHEMA],
};

const clampLong = (n: bigint) => (n > LONG_MAX ? LONG_MAX : n < LONG_MIN ? LONG_MIN : n);
const MILLIS_PER_UNIT: Record<Precision, bigint> = { seconds: 1000n, milliseconds: 1n, microseconds: 1000n, nanoseconds: 1_000_000n };

/**
 * Kafka's TimestampConverter: converts a timestamp, the whole key/value or one field of it, between
 * unix epoch numbers, formatted strings and Connect's Date / Time / Timestamp types, in UTC.
 */
export class TimestampConverter implements Transformation {
  private field = '';
  private targetType: TimestampType = 'Timestamp';
  private format: JavaDateFormat | null = null;
  private precision: Precision = 'milliseconds';
  private replaceNullWithDefault = true;
  private readonly schemaCache = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'TimestampConverter');
    this.field = config.getString(FIELD) ?? '';
    this.targetType = config.getString(TARGET_TYPE) as TimestampType;
    this.precision = config.getString(UNIX_PRECISION) as Precision;
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
    const pattern = config.getString(FORMAT) ?? '';
    if (this.targetType === 'string' && pattern.trim() === '') {
      throw ConfigError.invalidValue(FORMAT, pattern, 'TimestampConverter requires format option to be specified when using string timestamps');
    }
    this.format = null;
    if (pattern.trim() !== '') {
      try {
        this.format = javaDateFormat(pattern);
      } catch (e) {
        throw ConfigError.invalidValue(FORMAT, pattern, `TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern} (${(e as Error).message})`);
      }
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = this.part.schema(record);
    const value = this.part.value(record);
    if (schema === null) return this.applySchemaless(record, value);
    if (this.field === '') {
      const updatedSchema = TYPE_SCHEMAS[this.targetType][schema.optional ? 1 : 0];
      return this.part.with(record, updatedSchema, this.convert(value, timestampTypeOf(schema)));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.schemaCache.getOrDerive(schema, (s) => this.deriveSchema(s));
    return this.part.with(record, updatedSchema, struct === null ? null : this.convertStruct(struct, updatedSchema));
  }

  private applySchemaless<R extends ConnectRecord>(record: R, value: unknown): R {
    if (value === null || value === undefined) return record;
    if (this.field === '') return this.part.with(record, null, this.convert(value, null));
    const map = requireMap(value, PURPOSE);
    const updated = new Map(map);
    updated.set(this.field, this.convert(map.get(this.field), null));
    return this.part.with(record, null, updated);
  }

  private deriveSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields) {
      builder.field(field.name, field.name === this.field ? TYPE_SCHEMAS[this.targetType][field.schema.optional ? 1 : 0] : field.schema);
    }
    if (schema.optional) builder.optional();
    const derived = builder.build();
    if (!(schema.defaultValue instanceof Struct)) return derived;
    // The converted default is a struct of the derived shape; the schema that carries it is otherwise the same.
    const defaultValue = this.convertStruct(schema.defaultValue, derived);
    return new Schema(SchemaType.STRUCT, { ...derived, defaultValue });
  }

  private convertStruct(struct: Struct, updatedSchema: Schema): Struct {
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields) {
      const original = fieldValue(struct, field.name, this.replaceNullWithDefault);
      updated.put(field.name, field.name === this.field ? this.convert(original, timestampTypeOf(field.schema)) : original);
    }
    return updated;
  }

  /** Kafka's convertTimestamp: `type` is the input's type, or null to infer it from the value. */
  private convert(value: unknown, type: TimestampType | null): unknown {
    if (value === null || value === undefined) return null;
    return this.fromMillis(this.toMillis(value, type ?? inferType(value)));
  }

  private toMillis(value: unknown, type: TimestampType): number {
    switch (type) {
      case 'string': {
        if (typeof value !== 'string') throw new DataError(`Expected string timestamp to be a String, but found class ${javaClassName(value)}`);
        const millis = this.format === null ? null : this.format.parse(value);
        if (millis === null) throw new DataError(`Could not parse timestamp: value (${value}) does not match pattern (${this.format?.pattern ?? ''})`);
        return millis;
      }
      case 'unix': {
        if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) {
          throw new DataError(`Expected Unix timestamp to be a Long, but found class ${javaClassName(value)}`);
        }
        const raw = BigInt(value);
        const millis = this.precision === 'seconds' ? clampLong(raw * 1000n) : raw / MILLIS_PER_UNIT[this.precision];
        return checkedMillis(millis);
      }
      default:
        if (!(value instanceof Date)) throw new DataError(`Expected ${type} to be a java.util.Date, but found class ${javaClassName(value)}`);
        if (Number.isNaN(value.getTime())) throw new DataError(`Expected ${type} to be a valid date, but found an invalid Date`);
        return value.getTime();
    }
  }

  private fromMillis(millis: number): unknown {
    switch (this.targetType) {
      case 'string':
        return (this.format as JavaDateFormat).format(millis);
      case 'unix': {
        const ms = BigInt(millis);
        return this.precision === 'seconds' ? ms / 1000n : clampLong(ms * MILLIS_PER_UNIT[this.precision]);
      }
      case 'Date':
        return new Date(Math.floor(millis / MS_PER_DAY) * MS_PER_DAY);
      case 'Time':
        return new Date(((millis % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
      case 'Timestamp':
        return new Date(millis);
    }
  }
}

/** A JS Date holds ±8.64e15 ms; Java's Date holds any long. */
function checkedMillis(millis: bigint): number {
  if (millis > 8_640_000_000_000_000n || millis < -8_640_000_000_000_000n) throw new DataError(`Timestamp of ${millis} ms since the epoch is out of the supported range (±8.64e15 ms)`);
  return Number(millis);
}

/** Kafka's timestampTypeFromSchema. */
function timestampTypeOf(schema: Schema): TimestampType {
  switch (schema.name) {
    case LogicalNames.TIMESTAMP:
      return 'Timestamp';
    case LogicalNames.DATE:
      return 'Date';
    case LogicalNames.TIME:
      return 'Time';
  }
  if (schema.type === SchemaType.STRING) return 'string';
  if (schema.type === SchemaType.INT64) return 'unix';
  throw new DataError(`Schema ${schemaToString(schema)} does not correspond to a known timestamp type format`);
}

/** Kafka's inferTimestampType: Date/Time/Timestamp all arrive as dates, read as Timestamp. */
function inferType(value: unknown): TimestampType {
  if (value instanceof Date) return 'Timestamp';
  if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return 'unix';
  if (typeof value === 'string') return 'string';
  throw new DataError(`TimestampConverter does not support class ${javaClassName(value)} objects as timestamps`);
}
