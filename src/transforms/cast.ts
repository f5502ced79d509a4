import {
  ConfigDef,
  ConfigError,
  ConfigType,
  ConfigValue,
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
  Validator,
} from '../api';
import { RecordPart } from './util/record-part';
import { javaClassName, requireMap, requireStruct } from './util/requirements';
import { SchemaCache } from './util/schema-cache';
import { copySchemaBasics } from './util/schema-util';
import { castToString, javaNumberOf, JavaNumber, parseJavaNumber, toJavaDouble, toJavaFloat, toJavaInt, toJavaLong } from './util/java-number-cast';
import { REPLACE_NULL_WITH_DEFAULT, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue } from './util/replace-null-with-default';

const SPEC = 'spec';
const PURPOSE = 'cast types';

const INPUT_TYPES: readonly SchemaType[] = [SchemaType.INT8, SchemaType.INT16, SchemaType.INT32, SchemaType.INT64, SchemaType.FLOAT32, SchemaType.FLOAT64, SchemaType.BOOLEAN, SchemaType.STRING, SchemaType.BYTES];
const OUTPUT_TYPES: readonly SchemaType[] = INPUT_TYPES.slice(0, -1);

/** A parsed spec: the target type per field, or one type for the whole value. */
interface CastSpec {
  readonly whole: SchemaType | null;
  readonly fields: ReadonlyMap<string, SchemaType>;
}

function parseTargetType(text: string): SchemaType {
  const name = text.trim().toUpperCase();
  if (!Object.prototype.hasOwnProperty.call(SchemaType, name)) throw new Error(`Invalid type found in casting spec: ${text.trim()}`);
  const type = SchemaType[name as keyof typeof SchemaType];
  if (!OUTPUT_TYPES.includes(type)) throw new Error(`Cast transformation does not support casting to ${type}; supported types are [${OUTPUT_TYPES.join(', ')}]`);
  return type;
}

/** Kafka's parseFieldTypes; throws an Error whose message is Kafka's reason. */
function parseSpec(mappings: readonly string[]): CastSpec {
  if (mappings.length === 0) throw new Error('Must specify at least one field to cast.');
  let whole: SchemaType | null = null;
  const fields = new Map<string, SchemaType>();
  for (const mapping of mappings) {
    // Java's String.split drops trailing empty parts: `foo:` is one part.
    const parts = mapping.split(':');
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length > 2) throw new Error(`Invalid rename mapping: ${mapping}`);
    if (parts.length === 1) whole = parseTargetType(parts[0]);
    else fields.set(parts[0].trim(), parseTargetType(parts[1]));
  }
  if (whole !== null && mappings.length > 1) throw new Error('Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec');
  return { whole, fields };
}

const specValidator: Validator = {
  ensureValid(name: string, value: ConfigValue): void {
    try {
      parseSpec(value as string[]);
    } catch (e) {
      throw ConfigError.invalidValue(name, (value as string[]).join(','), (e as Error).message);
    }
  },
  describe: () => 'list of colon-delimited pairs, e.g. foo:bar,abc:xyz',
};

const CONFIG_DEF = new ConfigDef()
  .define({
    name: SPEC,
    type: ConfigType.LIST,
    defaultValue: NO_DEFAULT,
    validator: specValidator,
    importance: Importance.HIGH,
    doc: 'field1:type,field2:type to cast fields of structs or maps, or a single type to cast the whole value. Types: int8, int16, int32, int64, float32, float64, boolean, string; binary (bytes) values can only be cast to string (base64).',
  })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY);

/**
 * Kafka's Cast: casts the whole key/value, or top-level fields of a struct or map, to another primitive
 * type, with Java's conversions (narrowing wraps, as `(byte) 300` is 44; strings parse as
 * Integer.parseInt and friends; anything becomes a string as Java prints it, bytes as base64, dates
 * in ISO 8601).
 */
export class Cast implements Transformation {
  private spec: CastSpec = { whole: null, fields: new Map() };
  private replaceNullWithDefault = true;
  private readonly schemaCache = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'Cast');
    this.spec = parseSpec(config.getList(SPEC));
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.part.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.part.schema(record);
    const { whole, fields } = this.spec;
    if (schema === null) {
      if (whole !== null) return this.part.with(record, null, castValue(null, value, whole));
      const map = requireMap(value, PURPOSE);
      const updated = new Map(map);
      for (const [field, type] of fields) updated.set(field, castValue(null, map.get(field), type));
      return this.part.with(record, null, updated);
    }
    const updatedSchema = this.schemaCache.getOrDerive(schema, (s) => this.deriveSchema(s));
    if (whole !== null) return this.part.with(record, updatedSchema, castValue(schema, value, whole));
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields) {
      const original = fieldValue(struct, field.name, this.replaceNullWithDefault);
      const type = fields.get(field.name);
      updated.put(field.name, type === undefined ? original : castValue(field.schema, original, type));
    }
    return this.part.with(record, updatedSchema, updated);
  }

  private deriveSchema(schema: Schema): Schema {
    const { whole, fields } = this.spec;
    let builder: SchemaBuilder;
    if (whole !== null) {
      builder = copySchemaBasics(schema, SchemaBuilder.type(whole));
    } else {
      builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields) {
        const type = fields.get(field.name);
        if (type === undefined) {
          builder.field(field.name, field.schema);
          continue;
        }
        const fieldBuilder = SchemaBuilder.type(type);
        if (field.schema.optional) fieldBuilder.optional();
        if (field.schema.defaultValue !== null) fieldBuilder.defaultValue(castValue(field.schema, field.schema.defaultValue, type));
        builder.field(field.name, fieldBuilder.build());
      }
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue !== null) builder.defaultValue(castValue(schema, schema.defaultValue, builder.type));
    return builder.build();
  }
}

/** The Connect type Kafka infers for a schemaless value (ConnectSchema.schemaType), or null. */
function inferType(value: unknown): SchemaType | null {
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? SchemaType.INT64 : SchemaType.FLOAT64;
    case 'bigint':
      return SchemaType.INT64;
    case 'boolean':
      return SchemaType.BOOLEAN;
    case 'string':
      return SchemaType.STRING;
  }
  if (value instanceof Uint8Array) return SchemaType.BYTES;
  if (value instanceof Struct) return SchemaType.STRUCT;
  if (value instanceof Map) return SchemaType.MAP;
  if (Array.isArray(value)) return SchemaType.ARRAY;
  return null;
}

/** Kafka's encodeLogicalType: dates become their INT32 / INT64 form before a numeric cast. */
function encodeLogical(schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case LogicalNames.DATE:
      return ConnectDate.fromLogical(schema, value as Date);
    case LogicalNames.TIME:
      return ConnectTime.fromLogical(schema, value as Date);
    case LogicalNames.TIMESTAMP:
      return ConnectTimestamp.fromLogical(schema, value as Date);
  }
  return value;
}

/** Kafka's castValueToType. */
function castValue(schema: Schema | null, value: unknown, target: SchemaType): unknown {
  if (value === null || value === undefined) return null;
  const type = schema === null ? inferType(value) : schema.type;
  if (type === null) throw new DataError(`Cast transformation was passed a value of type class ${javaClassName(value)} which is not supported by Connect's data API`);
  if (!INPUT_TYPES.includes(type)) throw new DataError(`Cast transformation does not support casting from ${type}; supported types are [${INPUT_TYPES.join(', ')}]`);
  if (target === SchemaType.STRING) return castToString(value, type);
  const input = schema !== null && schema.name !== null ? encodeLogical(schema, value) : value;
  if (typeof input === 'boolean') return fromBoolean(input, target);
  if (typeof input === 'string') return fromString(input, target);
  const number = javaNumberOf(input, input === value ? type : SchemaType.INT64);
  if (number === null) throw new DataError(`Unexpected type in Cast transformation: class ${javaClassName(input)}`);
  return fromNumber(number, target);
}

function fromBoolean(flag: boolean, target: SchemaType): unknown {
  if (target === SchemaType.BOOLEAN) return flag;
  if (target === SchemaType.INT64) return flag ? 1n : 0n;
  return flag ? 1 : 0;
}

function fromNumber(number: JavaNumber, target: SchemaType): unknown {
  switch (target) {
    case SchemaType.INT8:
      return Number(BigInt.asIntN(8, toJavaInt(number)));
    case SchemaType.INT16:
      return Number(BigInt.asIntN(16, toJavaInt(number)));
    case SchemaType.INT32:
      return Number(toJavaInt(number));
    case SchemaType.INT64:
      return toJavaLong(number);
    case SchemaType.FLOAT32:
      return toJavaFloat(number);
    case SchemaType.FLOAT64:
      return toJavaDouble(number);
    default:
      return toJavaLong(number) !== 0n;
  }
}

/** Integer.parseInt and friends, Boolean.parseBoolean; a bad or out-of-range number fails with Kafka's message. */
function fromString(text: string, target: SchemaType): unknown {
  if (target === SchemaType.BOOLEAN) return text.toLowerCase() === 'true';
  const parsed = parseJavaNumber(text, target);
  if (parsed === null) throw new DataError(`Value (${text}) was out of range for requested data type`);
  return parsed;
}
