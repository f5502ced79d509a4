import { DataError } from '../api';
// From the defining modules: the '../api' index's re-exports compile to a getter call per use.
import { Schema, SchemaType } from '../api/schema';
import { Struct } from '../api/struct';
import { parseJavaFloat } from '../api/java-number-format';
import { compileReader, JsonTextReader } from './json-compiled-reader';
import { compileWriter, JsonValueWriter } from './json-compiled-writer';
import { JSON_LOGICAL_TYPES } from './json-logical-types';
import { decodeBase64, JsonDecimal, JsonValue, jsonNodeType } from './json-reader';
import { doubleToken, floatToken, quoteJsonString } from './json-writer';

/**
 * Connect values to JSON text and back, one entry per schema type in each direction, as Kafka's
 * JsonConverter.convertToJson / convertToConnect do; logical types (Decimal, Date, Time, Timestamp)
 * are in json-logical-types.ts.
 *
 * JavaScript representation (see Schema): INT8/16/32 and FLOAT32/64 are numbers; INT64 is read back
 * as a bigint, always, so it is exact and its type does not depend on its size (numbers that are safe
 * integers are accepted when writing); BYTES is a Buffer (Uint8Array accepted); ARRAY an array; MAP a
 * Map (plain objects accepted as string-keyed maps when writing); STRUCT a Struct, written with its
 * fields in schema order.
 *
 * Reading is stricter than Kafka, which silently coerces (a string for an INT32 field becomes 0, 300
 * for an INT8 field wraps to 44): a JSON value that does not fit the schema is a DataError. Floats
 * also accept the strings "NaN", "Infinity" and "-Infinity", which is how they are written.
 */

export interface JsonDataOptions {
  /**
   * When a value is null and its schema has a default, write or read the default instead (Kafka's
   * replace.null.with.default). When false, a null is written and read as null, also for struct
   * fields (Kafka 3.5+ reads struct fields with getWithoutDefault, KAFKA-8713), and is an error for a
   * required schema.
   */
  readonly replaceNullWithDefault: boolean;
  /** How Decimal values are written, for the Decimal logical type. */
  readonly decimalFormat: 'BASE64' | 'NUMERIC';
}

type ToJson = (codec: JsonDataCodec, schema: Schema | null, value: unknown) => string;
type ToConnect = (codec: JsonDataCodec, schema: Schema | null, node: Exclude<JsonValue, null>) => unknown;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NON_FINITE: Readonly<Record<string, number>> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
/** Marks a schema whose writer is not compiled yet: see writerFor. */
const SEEN_ONCE: JsonValueWriter = () => {
  throw new Error('not a writer');
};

export class JsonDataCodec {
  /** Compiled per schema object (schemas are immutable), held only as long as the schema is. */
  private readonly writers = new WeakMap<Schema, JsonValueWriter>();
  private readonly readers = new WeakMap<Schema, JsonTextReader>();

  constructor(readonly options: JsonDataOptions) {}

  /**
   * The same text as toJson(schema, value). A schema object seen before gets a writer compiled once
   * for it; on first sight the generic writer, so that records that each bring a new schema object
   * do not pay a compilation each.
   */
  writerFor(schema: Schema): JsonValueWriter {
    const known = this.writers.get(schema);
    if (known !== undefined && known !== SEEN_ONCE) return known;
    if (known === undefined) {
      this.writers.set(schema, SEEN_ONCE);
      return (value) => this.toJson(schema, value);
    }
    return this.compiledWriterFor(schema);
  }

  /** The writer compiled for the schema, compiled now if it was not (compileWriter uses it for nested schemas). */
  compiledWriterFor(schema: Schema): JsonValueWriter {
    let writer = this.writers.get(schema);
    if (writer === undefined || writer === SEEN_ONCE) {
      writer = compileWriter(this, schema);
      this.writers.set(schema, writer);
    }
    return writer;
  }

  /** A fast reader of JSON text for the schema; see compileReader for when it gives up. */
  readerFor(schema: Schema): JsonTextReader {
    let reader = this.readers.get(schema);
    if (reader === undefined) {
      reader = compileReader(this, schema);
      this.readers.set(schema, reader);
    }
    return reader;
  }

  /** JSON text for a value. A null schema means "any": the type is taken from the value. */
  toJson(schema: Schema | null, value: unknown): string {
    if (value === null || value === undefined) {
      if (schema === null) return 'null';
      if (schema.defaultValue !== null && this.options.replaceNullWithDefault) return this.toJson(schema, schema.defaultValue);
      if (schema.optional) return 'null';
      throw new DataError(`Conversion error: null value for ${schema.type} field that is required and has no default value`);
    }
    const logical = schema?.name != null ? JSON_LOGICAL_TYPES.get(schema.name) : undefined;
    if (logical !== undefined && schema !== null) return logical.toJson(schema, value, this.options);
    return TO_JSON[schema?.type ?? typeOfValue(value)](this, schema, value);
  }

  /** toConnect(schema, node) with the schema's conversion looked up once, for compiled readers. */
  converterFor(schema: Schema): (node: JsonValue | undefined) => unknown {
    const logical = schema.name !== null ? JSON_LOGICAL_TYPES.get(schema.name) : undefined;
    const convert = TO_CONNECT[schema.type];
    if (logical !== undefined) return (node) => (node === null || node === undefined ? this.toConnect(schema, node) : logical.toConnect(schema, node));
    return (node) => (node === null || node === undefined ? this.toConnect(schema, node) : convert(this, schema, node));
  }

  /** The Connect value for parsed JSON; undefined stands for a missing field. */
  toConnect(schema: Schema | null, node: JsonValue | undefined): unknown {
    if (node === null || node === undefined) {
      if (schema === null) return null;
      if (schema.defaultValue !== null && this.options.replaceNullWithDefault) return schema.defaultValue;
      if (schema.optional) return null;
      throw new DataError(`Invalid null value for required ${schema.type} field`);
    }
    const logical = schema?.name != null ? JSON_LOGICAL_TYPES.get(schema.name) : undefined;
    if (logical !== undefined && schema !== null) return logical.toConnect(schema, node);
    return TO_CONNECT[schema?.type ?? typeOfNode(node)](this, schema, node);
  }
}

const TO_JSON: Readonly<Record<SchemaType, ToJson>> = {
  [SchemaType.INT8]: integerToJson(SchemaType.INT8, 2 ** 7),
  [SchemaType.INT16]: integerToJson(SchemaType.INT16, 2 ** 15),
  [SchemaType.INT32]: integerToJson(SchemaType.INT32, 2 ** 31),
  [SchemaType.INT64]: (_, schema, value) => {
    if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value.toString();
    if (Number.isSafeInteger(value)) return String(value);
    throw invalidType(schema, value, typeof value === 'number' ? ' (an integer number must be a safe integer; use a bigint)' : '');
  },
  [SchemaType.FLOAT32]: checked((v): v is number => typeof v === 'number', floatToken),
  [SchemaType.FLOAT64]: checked((v): v is number => typeof v === 'number', doubleToken),
  [SchemaType.BOOLEAN]: checked((v): v is boolean => typeof v === 'boolean', String),
  [SchemaType.STRING]: checked((v): v is string => typeof v === 'string', quoteJsonString),
  [SchemaType.BYTES]: checked(
    (v): v is Uint8Array => v instanceof Uint8Array,
    (v) => `"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}"`,
  ),
  [SchemaType.ARRAY]: (codec, schema, value) => {
    if (!Array.isArray(value)) throw invalidType(schema, value);
    const items = schema?.valueSchema ?? null;
    return `[${value.map((item) => codec.toJson(items, item)).join(',')}]`;
  },
  [SchemaType.MAP]: mapToJson,
  [SchemaType.STRUCT]: structToJson,
};

/** Writes values that pass `is`; anything else is a DataError naming the schema type. */
function checked<T>(is: (value: unknown) => value is T, write: (value: T) => string): ToJson {
  return (_, schema, value) => {
    if (is(value)) return write(value);
    throw invalidType(schema, value);
  };
}

function integerToJson(type: SchemaType, limit: number): ToJson {
  return (_, schema, value) => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= -limit && value < limit) return String(value);
    throw invalidType(schema, value, typeof value === 'number' ? ` (${value} is not an integer in [${-limit}, ${limit - 1}])` : '');
  };
}

/** String keys make a JSON object; other keys an array of [key, value] pairs (Kafka's two map encodings). */
function mapToJson(codec: JsonDataCodec, schema: Schema | null, value: unknown): string {
  const entries = mapEntries(value);
  if (entries === null) throw invalidType(schema, value);
  const keySchema = schema?.keySchema ?? null;
  const valueSchema = schema?.valueSchema ?? null;
  const objectMode = keySchema === null ? entries.every(([k]) => typeof k === 'string') : keySchema.type === SchemaType.STRING;
  if (objectMode) {
    const members = entries.map(([k, v]) => {
      if (typeof k !== 'string') throw invalidType(keySchema, k);
      return `${quoteJsonString(k)}:${codec.toJson(valueSchema, v)}`;
    });
    return `{${members.join(',')}}`;
  }
  return `[${entries.map(([k, v]) => `[${codec.toJson(keySchema, k)},${codec.toJson(valueSchema, v)}]`).join(',')}]`;
}

const TO_CONNECT: Readonly<Record<SchemaType, ToConnect>> = {
  [SchemaType.INT8]: integerToConnect(SchemaType.INT8, 2 ** 7),
  [SchemaType.INT16]: integerToConnect(SchemaType.INT16, 2 ** 15),
  [SchemaType.INT32]: integerToConnect(SchemaType.INT32, 2 ** 31),
  [SchemaType.INT64]: (_, __, node) => {
    if (typeof node === 'number') return BigInt(node); // a safe integer (json-reader.ts), so inside int64
    const value = node;
    if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value;
    throw invalidJson(SchemaType.INT64, node, typeof value === 'bigint' ? ' outside the int64 range' : '');
  },
  [SchemaType.FLOAT32]: (_, __, node) => floatFromJson(SchemaType.FLOAT32, node, parseJavaFloat),
  [SchemaType.FLOAT64]: (_, __, node) => floatFromJson(SchemaType.FLOAT64, node, Number),
  [SchemaType.BOOLEAN]: sameKind(SchemaType.BOOLEAN, (n): n is boolean => typeof n === 'boolean'),
  [SchemaType.STRING]: sameKind(SchemaType.STRING, (n): n is string => typeof n === 'string'),
  [SchemaType.BYTES]: (_, __, node) => {
    if (typeof node !== 'string') throw invalidJson(SchemaType.BYTES, node);
    const bytes = decodeBase64(node);
    if (bytes === null) throw new DataError('Invalid bytes field: the string is not base64');
    return bytes;
  },
  [SchemaType.ARRAY]: (codec, schema, node) => {
    if (!Array.isArray(node)) throw invalidJson(SchemaType.ARRAY, node);
    const items = schema?.valueSchema ?? null;
    return node.map((item) => codec.toConnect(items, item));
  },
  [SchemaType.MAP]: mapToConnect,
  [SchemaType.STRUCT]: structToConnect,
};

/** Reads JSON values that pass `is` as they are; anything else is a DataError naming the type. */
function sameKind<T extends JsonValue>(type: SchemaType, is: (node: JsonValue) => node is T): ToConnect {
  return (_, __, node) => {
    if (is(node)) return node;
    throw invalidJson(type, node);
  };
}

function integerToConnect(type: SchemaType, limit: number): ToConnect {
  return (_, __, node) => {
    if (typeof node === 'number' && node >= -limit && node < limit) return node;
    if (node instanceof JsonDecimal) throw invalidJson(type, node, ` ${node.text}, which is not an integer`);
    throw invalidJson(type, node, typeof node === 'number' || typeof node === 'bigint' ? ` ${node} outside [${-limit}, ${limit - 1}]` : '');
  };
}

function floatFromJson(type: SchemaType, node: JsonValue, parse: (literal: string) => number): number {
  if (node instanceof JsonDecimal) return parse(node.text);
  if (typeof node === 'number' || typeof node === 'bigint') return parse(String(node));
  if (typeof node === 'string' && node in NON_FINITE) return NON_FINITE[node];
  throw invalidJson(type, node);
}

function mapToConnect(codec: JsonDataCodec, schema: Schema | null, node: JsonValue): Map<unknown, unknown> {
  const keySchema = schema?.keySchema ?? null;
  const valueSchema = schema?.valueSchema ?? null;
  const result = new Map<unknown, unknown>();
  if (keySchema === null || keySchema.type === SchemaType.STRING) {
    if (!(node instanceof Map)) throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${jsonNodeType(node)}`);
    for (const [key, value] of node) result.set(key, codec.toConnect(valueSchema, value));
    return result;
  }
  if (!Array.isArray(node)) throw new DataError(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${jsonNodeType(node)}`);
  for (const entry of node) {
    if (!Array.isArray(entry)) throw new DataError(`Found invalid map entry instead of array tuple: ${jsonNodeType(entry)}`);
    if (entry.length !== 2) throw new DataError(`Found invalid map entry, expected length 2 but found: ${entry.length}`);
    result.set(codec.toConnect(keySchema, entry[0]), codec.toConnect(valueSchema, entry[1]));
  }
  return result;
}

/** Field names as JSON keys, quoted once per schema rather than per record. */
const QUOTED_FIELD_NAMES = new WeakMap<Schema, readonly string[]>();

/**
 * Fields in schema order. The value is read without its default: a null field goes through toJson,
 * which writes the default only when replace.null.with.default is on (KAFKA-8713).
 */
function structToJson(codec: JsonDataCodec, schema: Schema | null, value: unknown): string {
  // Kafka: a schemaless Struct, or one whose schema differs from the record's, is "Mismatching schema."
  if (schema === null || !(value instanceof Struct) || !value.schema.equals(schema)) throw new DataError('Mismatching schema.');
  let names = QUOTED_FIELD_NAMES.get(schema);
  if (names === undefined) {
    names = schema.fields.map((f) => quoteJsonString(f.name));
    QUOTED_FIELD_NAMES.set(schema, names);
  }
  const fields = schema.fields;
  let out = '{';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) out += ',';
    out += `${names[i]}:${codec.toJson(fields[i].schema, value.getWithoutDefault(fields[i].name))}`;
  }
  return `${out}}`;
}

/** Each field from the member of the same name; a missing member reads as null. Other members are ignored. */
function structToConnect(codec: JsonDataCodec, schema: Schema | null, node: JsonValue): Struct {
  if (!(node instanceof Map)) throw new DataError(`Structs should be encoded as JSON objects, but found ${jsonNodeType(node)}`);
  const struct = new Struct(schema!); // typeOfNode never infers STRUCT, so a schema is always given
  for (const field of schema!.fields) struct.put(field.name, codec.toConnect(field.schema, node.get(field.name)));
  return struct;
}

/** The schema type a schemaless value is written as (Kafka's ConnectSchema.schemaType). */
function typeOfValue(value: unknown): SchemaType {
  switch (typeof value) {
    case 'string':
      return SchemaType.STRING;
    case 'boolean':
      return SchemaType.BOOLEAN;
    case 'bigint':
      return SchemaType.INT64;
    case 'number':
      // Without a schema, an integral number is written as an integer, anything else as a double.
      return Number.isSafeInteger(value) ? SchemaType.INT64 : SchemaType.FLOAT64;
  }
  if (value instanceof Uint8Array) return SchemaType.BYTES;
  if (value instanceof Struct) return SchemaType.STRUCT;
  if (Array.isArray(value)) return SchemaType.ARRAY;
  if (mapEntries(value) !== null) return SchemaType.MAP;
  throw new DataError(`${describeValue(value)} does not have a corresponding schema type`);
}

/** The schema type a schemaless JSON value is read as: integers are INT64, other numbers FLOAT64 (as Kafka). */
function typeOfNode(node: Exclude<JsonValue, null>): SchemaType {
  if (typeof node === 'boolean') return SchemaType.BOOLEAN;
  if (typeof node === 'string') return SchemaType.STRING;
  if (typeof node === 'number' || typeof node === 'bigint') return SchemaType.INT64;
  if (node instanceof JsonDecimal) return SchemaType.FLOAT64;
  return Array.isArray(node) ? SchemaType.ARRAY : SchemaType.MAP;
}

function mapEntries(value: unknown): [unknown, unknown][] | null {
  if (value instanceof Map) return [...value.entries()];
  if (typeof value !== 'object' || value === null) return null;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? Object.entries(value) : null;
}

function invalidType(schema: Schema | null, value: unknown, detail = ''): DataError {
  return new DataError(`Invalid type for ${schema?.type ?? 'unknown schema'}: ${describeValue(value)}${detail}`);
}

function invalidJson(type: SchemaType, node: JsonValue, detail = ''): DataError {
  return new DataError(`Invalid JSON for ${type} field: found ${jsonNodeType(node)}${detail}`);
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Buffer.isBuffer(value)) return 'Buffer';
  if (Array.isArray(value)) return 'Array';
  if (typeof value !== 'object') return typeof value;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
  return name && name !== 'Object' ? name : 'object';
}
