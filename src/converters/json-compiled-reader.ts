import { LogicalNames } from '../api';
import { parseJavaFloat } from '../api/java-number-format';
// From the defining modules: the '../api' index's re-exports compile to a getter call per use.
import { Schema, SchemaType } from '../api/schema';
import { Struct } from '../api/struct';
import type { JsonDataCodec } from './json-data-codec';
import { MAX_DATE_MS, smallDecimalFromBase64 } from './json-logical-types';
import { JsonCursor, JsonDecimal } from './json-reader';
import { quoteJsonString } from './json-writer';

/** Reads one value of a known schema from the cursor's position, straight to Connect data. */
export type JsonTextReader = (cursor: JsonCursor) => unknown;

/**
 * A reader for one schema that goes from JSON text to Connect data without building the generic
 * tree: structs and arrays are walked by the schema, every scalar token is read by the cursor and
 * converted by codec.toConnect, as the generic path does. It is a fast path only: it throws on any
 * bad input and on any value that does not convert; the caller then reads the bytes the generic
 * way, which gives the result or the error.
 */
export function compileReader(codec: JsonDataCodec, schema: Schema): JsonTextReader {
  const convert = codec.converterFor(schema);
  const generic: JsonTextReader = (cursor) => convert(cursor.value());
  // Logical types and other named schemas convert whole nodes; their JSON is a scalar anyway.
  if (schema.name !== null && schema.type !== SchemaType.STRUCT) return generic;
  if (schema.type === SchemaType.STRUCT) return struct(codec, schema, generic);
  if (schema.type === SchemaType.ARRAY && schema.valueSchema !== null) return array(codec.readerFor(schema.valueSchema), generic);
  // A JSON string is a STRING as it is (sameKind in json-data-codec.ts).
  if (schema.type === SchemaType.STRING) return (cursor) => (cursor.text.charCodeAt(cursor.pos) === QUOTE ? cursor.string() : generic(cursor));
  return generic;
}

const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const COMMA = 0x2c;
/** JSON whitespace is at most this; skipWhitespace is called only then, as compact JSON has none. */
const SPACE = 0x20;
/** Thrown where the generic path must decide. */
class NotHandled extends Error {}
const NOT_HANDLED = new NotHandled('not handled by the compiled reader');

function array(item: JsonTextReader, generic: JsonTextReader): JsonTextReader {
  return (cursor) => {
    if (cursor.text.charCodeAt(cursor.pos) !== OPEN_ARRAY) return generic(cursor);
    cursor.enter();
    const items: unknown[] = [];
    cursor.skipWhitespace();
    if (cursor.text.charCodeAt(cursor.pos) === CLOSE_ARRAY) return cursor.leave(items, 1);
    for (;;) {
      if (cursor.text.charCodeAt(cursor.pos) <= SPACE) cursor.skipWhitespace();
      items.push(item(cursor));
      if (cursor.separator(']')) return cursor.leave(items);
    }
  };
}

/**
 * Members in any order; unknown members are read and dropped, missing ones are null, as the generic
 * structToConnect reads a JSON object. A member given twice is put twice, so the last one counts, as
 * there; if the first one does not convert, the generic path decides.
 */
function struct(codec: JsonDataCodec, schema: Schema, generic: JsonTextReader): JsonTextReader {
  const fields = schema.fields;
  const names = fields.map((f) => f.name);
  const indexes = new Map(names.map((name, i) => [name, i]));
  const readers = fields.map((f) => codec.readerFor(f.schema));
  // `"name":` as a compact writer puts it: the expected member's key is matched in one comparison.
  const keys = fields.map((f) => `${quoteJsonString(f.name)}:`);
  const kinds = fields.map((f) => kindOf(f.schema));
  const limits = fields.map((f) => INT_LIMITS[f.schema.type] ?? 0);
  const converters = fields.map((f) => codec.converterFor(f.schema));
  const many = fields.length > 31;
  const all = many ? 0 : 2 ** fields.length - 1;
  return (cursor) => {
    const text = cursor.text;
    if (text.charCodeAt(cursor.pos) !== OPEN_OBJECT) return generic(cursor);
    cursor.enter();
    const result = new Struct(schema);
    // Which fields were given: bits, or a list past 31 fields.
    let seen = 0;
    const seenMany: boolean[] | null = many ? [] : null;
    cursor.skipWhitespace();
    if (text.charCodeAt(cursor.pos) === CLOSE_OBJECT) {
      cursor.leave(null, 1);
    } else {
      let expected = 0;
      for (;;) {
        if (text.charCodeAt(cursor.pos) <= SPACE) cursor.skipWhitespace();
        let index: number | undefined;
        const key = keys[expected];
        if (key !== undefined && text.startsWith(key, cursor.pos)) {
          cursor.pos += key.length;
          index = expected;
        } else {
          if (text.charCodeAt(cursor.pos) !== QUOTE) throw NOT_HANDLED;
          index = indexes.get(cursor.string());
          cursor.skipWhitespace();
          cursor.expect(':');
        }
        if (text.charCodeAt(cursor.pos) <= SPACE) cursor.skipWhitespace();
        if (index === undefined) {
          cursor.value();
        } else {
          let value: unknown;
          const c = text.charCodeAt(cursor.pos);
          // The common scalars inline; each gives what its TO_CONNECT or logical entry gives for the node.
          switch (kinds[index]) {
            case Kind.STRING:
              value = c === QUOTE ? cursor.string() : readers[index](cursor);
              break;
            case Kind.INTEGER: {
              const node = isNumberStart(c) ? cursor.number() : cursor.value();
              const limit = limits[index];
              value = typeof node === 'number' && node >= -limit && node < limit ? node : converters[index](node);
              break;
            }
            case Kind.INT64: {
              const node = isNumberStart(c) ? cursor.number() : cursor.value();
              value = typeof node === 'number' ? BigInt(node) : converters[index](node);
              break;
            }
            case Kind.FLOAT64: {
              const node = isNumberStart(c) ? cursor.number() : cursor.value();
              value = typeof node === 'number' ? node : node instanceof JsonDecimal ? Number(node.text) : converters[index](node);
              break;
            }
            case Kind.BOOLEAN: {
              const node = cursor.value();
              value = typeof node === 'boolean' ? node : converters[index](node);
              break;
            }
            case Kind.FLOAT32: {
              const node = isNumberStart(c) ? cursor.number() : cursor.value();
              value = node instanceof JsonDecimal ? parseJavaFloat(node.text) : converters[index](node);
              break;
            }
            case Kind.TIMESTAMP: {
              const node = isNumberStart(c) ? cursor.number() : cursor.value();
              // ConnectTimestamp.toLogical for a number within a JS Date's range (timestamp.toConnect).
              value = typeof node === 'number' && node >= -MAX_DATE_MS && node <= MAX_DATE_MS ? new Date(node) : converters[index](node);
              break;
            }
            case Kind.DECIMAL: {
              const node = c === QUOTE ? cursor.string() : cursor.value();
              value = (typeof node === 'string' ? smallDecimalFromBase64(fields[index].schema, node) : null) ?? converters[index](node);
              break;
            }
            default:
              value = readers[index](cursor);
          }
          result.put(names[index], value);
          if (seenMany === null) seen |= 1 << index;
          else seenMany[index] = true;
          expected = index + 1;
        }
        const next = text.charCodeAt(cursor.pos);
        if (next === COMMA) {
          cursor.pos++;
        } else if (next === CLOSE_OBJECT) {
          cursor.pos++;
          break;
        } else if (cursor.separator('}')) {
          break;
        }
      }
      cursor.leave(null);
    }
    if (seen !== all || seenMany !== null) {
      for (let i = 0; i < names.length; i++) {
        const given = seenMany === null ? (seen & (1 << i)) !== 0 : seenMany[i] === true;
        if (!given) result.put(names[i], codec.toConnect(fields[i].schema, undefined));
      }
    }
    return result;
  };
}

/** How a struct field is read in the struct's loop; OTHER through its compiled reader. */
const enum Kind {
  OTHER,
  STRING,
  INTEGER,
  INT64,
  FLOAT64,
  FLOAT32,
  BOOLEAN,
  TIMESTAMP,
  DECIMAL,
}

const INT_LIMITS: Partial<Record<SchemaType, number>> = {
  [SchemaType.INT8]: 2 ** 7,
  [SchemaType.INT16]: 2 ** 15,
  [SchemaType.INT32]: 2 ** 31,
};

/** Timestamp and Decimal by name; otherwise unnamed schemas only (another name may be a logical type). */
function kindOf(schema: Schema): Kind {
  if (schema.name === LogicalNames.TIMESTAMP) return Kind.TIMESTAMP;
  if (schema.name === LogicalNames.DECIMAL) return Kind.DECIMAL;
  if (schema.name !== null) return Kind.OTHER;
  switch (schema.type) {
    case SchemaType.STRING:
      return Kind.STRING;
    case SchemaType.INT8:
    case SchemaType.INT16:
    case SchemaType.INT32:
      return Kind.INTEGER;
    case SchemaType.INT64:
      return Kind.INT64;
    case SchemaType.FLOAT64:
      return Kind.FLOAT64;
    case SchemaType.FLOAT32:
      return Kind.FLOAT32;
    case SchemaType.BOOLEAN:
      return Kind.BOOLEAN;
    default:
      return Kind.OTHER;
  }
}

function isNumberStart(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d;
}
