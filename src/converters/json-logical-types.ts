import { DataError, LogicalNames, Schema } from '../api';
// From the defining modules: the '../api' index's re-exports compile to a getter call per use.
import { BigDecimal } from '../api/big-decimal';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../api/logical-types';
import { decodeBase64, JsonDecimal, JsonValue, jsonNodeType } from './json-reader';

/**
 * The logical types of Kafka's JsonConverter (its LOGICAL_CONVERTERS table), found by schema name:
 *
 * - Decimal: written per decimal.format, BASE64 as a JSON string holding the base64 of the unscaled
 *   value's two's-complement bytes (Decimal.fromLogical, which checks the scale), NUMERIC as a JSON
 *   number with the digits of BigDecimal.toString (Jackson's DecimalNode, WRITE_BIGDECIMAL_AS_PLAIN
 *   off: `1.50`, `1E+3`). Read from either form whatever decimal.format says; a number keeps the
 *   scale it was written with, as Kafka's decimalValue() does (no rescaling to the schema's scale).
 * - Date: INT32 days since the epoch; Time: INT32 milliseconds since midnight; both read only from an
 *   integer in the int32 range (Jackson's isInt()).
 * - Timestamp: INT64 milliseconds since the epoch, read from any integer.
 */

export interface JsonLogicalOptions {
  readonly decimalFormat: 'BASE64' | 'NUMERIC';
}

/** Conversion of one logical type; the value and node are never null here. */
export interface LogicalTypeCodec {
  toJson(schema: Schema, value: unknown, options: JsonLogicalOptions): string;
  toConnect(schema: Schema, node: Exclude<JsonValue, null>): unknown;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** The range of a JS Date (ECMAScript time values), in milliseconds. */
export const MAX_DATE_MS = 8.64e15;

const decimal: LogicalTypeCodec = {
  toJson(schema, value, options) {
    if (!(value instanceof BigDecimal)) throw new DataError(`Invalid type for Decimal, expected BigDecimal but was ${className(value)}`);
    if (options.decimalFormat === 'NUMERIC') return value.toString();
    const small = value.scale === schemaScale(schema) ? smallIntegerToBase64(value.unscaled) : null;
    return `"${small ?? Decimal.fromLogical(schema, value).toString('base64')}"`;
  },
  toConnect(schema, node) {
    if (node instanceof JsonDecimal) return BigDecimal.parse(node.text);
    if (typeof node === 'number' || typeof node === 'bigint') return new BigDecimal(BigInt(node), 0);
    if (typeof node === 'string') {
      const small = smallDecimalFromBase64(schema, node);
      if (small !== null) return small;
      const bytes = decodeBase64(node);
      try {
        if (bytes === null) throw new DataError('the string is not base64');
        return Decimal.toLogical(schema, bytes);
      } catch (err) {
        throw new DataError('Invalid bytes for Decimal field', { cause: err });
      }
    }
    throw new DataError(`Invalid type for Decimal, underlying representation should be numeric or bytes but was ${jsonNodeType(node)}`);
  },
};

/** Date and Time: an int32 in JSON, a JS Date in Connect. */
function int32Based(label: string, logical: { fromLogical(s: Schema, d: Date): number; toLogical(s: Schema, n: number): Date }): LogicalTypeCodec {
  return {
    toJson(schema, value) {
      return String(logical.fromLogical(schema, validDate(label, value)));
    },
    toConnect(schema, node) {
      if (typeof node !== 'number' || node < INT32_MIN || node > INT32_MAX) {
        throw new DataError(`Invalid type for ${label}, underlying representation should be integer but was ${jsonNodeType(node)}`);
      }
      const date = logical.toLogical(schema, node);
      if (Number.isNaN(date.getTime())) throw new DataError(`${label} ${node} is outside the range of a JavaScript Date`);
      return date;
    },
  };
}

const timestamp: LogicalTypeCodec = {
  toJson(schema, value) {
    // ConnectTimestamp.fromLogical's bigint has the same digits: a Date's time is an integer below 2^53.
    return String(validDate('Timestamp', value).getTime());
  },
  toConnect(schema, node) {
    // A number node is a safe integer (json-reader.ts): inside int64, so only the Date range applies.
    if (typeof node === 'number' && node >= -MAX_DATE_MS && node <= MAX_DATE_MS) return ConnectTimestamp.toLogical(schema, node);
    if (typeof node !== 'number' && typeof node !== 'bigint') {
      throw new DataError(`Invalid type for Timestamp, underlying representation should be integral but was ${jsonNodeType(node)}`);
    }
    if (node < INT64_MIN || node > INT64_MAX) throw new DataError(`Invalid Timestamp ${node}: outside the int64 range`);
    // Java's Date takes any long; a JS Date only ±8.64e15 ms, so larger timestamps cannot be represented.
    if (node < -MAX_DATE_MS || node > MAX_DATE_MS) throw new DataError(`Timestamp ${node} ms is outside the range of a JavaScript Date (±8.64e15 ms)`);
    return ConnectTimestamp.toLogical(schema, node);
  },
};

/**
 * What decimal.toConnect gives for a base64 text of at most six bytes, computed with numbers; null
 * for anything else (longer, not base64, a schema without a valid scale), which the exact path reads.
 */
export function smallDecimalFromBase64(schema: Schema, text: string): BigDecimal | null {
  const small = text.length <= 8 ? base64ToSmallInteger(text) : null;
  if (small === null) return null;
  const scale = schemaScale(schema);
  return scale === null ? null : new BigDecimal(BigInt(small), scale);
}

/** Decimal.scale(schema), remembered per schema; null when the schema has no valid scale (Decimal.scale throws then). */
const SCALES = new WeakMap<Schema, number | null>();
function schemaScale(schema: Schema): number | null {
  let scale = SCALES.get(schema);
  if (scale === undefined) {
    try {
      scale = Decimal.scale(schema);
    } catch {
      scale = null;
    }
    SCALES.set(schema, scale);
  }
  return scale;
}

const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64_DIGITS.length; i++) BASE64_VALUES[BASE64_DIGITS.charCodeAt(i)] = i;
/** Six bytes of two's complement hold [-2^47, 2^47); larger values take the bigint path. */
const SMALL_LIMIT = 2 ** 47;

/**
 * The base64 of Java's BigInteger.toByteArray for an integer in [-2^47, 2^47) (one to six bytes, as
 * bigintToTwosComplement writes them), computed with numbers; null for anything larger.
 */
function smallIntegerToBase64(unscaled: bigint): string | null {
  if (unscaled < -SMALL_LIMIT_BIG || unscaled >= SMALL_LIMIT_BIG) return null;
  const n = Number(unscaled);
  let width = 1;
  while (n >= 2 ** (8 * width - 1) || n < -(2 ** (8 * width - 1))) width++;
  let rest = n < 0 ? 2 ** (8 * width) + n : n;
  const bytes = [0, 0, 0, 0, 0, 0];
  for (let i = width - 1; i >= 0; i--) {
    bytes[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  let out = '';
  for (let i = 0; i < width; i += 3) {
    const left = width - i;
    const triple = (bytes[i] << 16) | ((left > 1 ? bytes[i + 1] : 0) << 8) | (left > 2 ? bytes[i + 2] : 0);
    out += BASE64_DIGITS[triple >> 18] + BASE64_DIGITS[(triple >> 12) & 63];
    out += left > 1 ? BASE64_DIGITS[(triple >> 6) & 63] : '=';
    out += left > 2 ? BASE64_DIGITS[triple & 63] : '=';
  }
  return out;
}
const SMALL_LIMIT_BIG = BigInt(SMALL_LIMIT);

/**
 * The two's-complement integer in a base64 text of at most 8 characters (1 to 6 bytes), read as
 * decodeBase64 and twosComplementToBigint read it (padding required, bits past the last byte
 * ignored); null when the text is empty or not base64, for the exact path to judge.
 */
function base64ToSmallInteger(text: string): number | null {
  const length = text.length;
  if (length === 0 || length % 4 !== 0) return null;
  const padding = text.charCodeAt(length - 1) !== 0x3d ? 0 : text.charCodeAt(length - 2) === 0x3d ? 2 : 1;
  let value = 0;
  let bits = 0;
  for (let i = 0; i < length - padding; i++) {
    const c = text.charCodeAt(i);
    const digit = c < 128 ? BASE64_VALUES[c] : -1;
    if (digit < 0) return null;
    value = value * 64 + digit;
    bits += 6;
  }
  const bytes = Math.floor(bits / 8);
  value = Math.floor(value / 2 ** (bits - 8 * bytes));
  const range = 2 ** (8 * bytes);
  return value >= range / 2 ? value - range : value;
}

function validDate(label: string, value: unknown): Date {
  if (!(value instanceof Date)) throw new DataError(`Invalid type for ${label}, expected Date but was ${className(value)}`);
  if (Number.isNaN(value.getTime())) throw new DataError(`Invalid value for ${label}: an invalid Date`);
  return value;
}

function className(value: unknown): string {
  if (value === null || typeof value !== 'object') return typeof value;
  return (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object';
}

/** Logical types by schema name. */
export const JSON_LOGICAL_TYPES: ReadonlyMap<string, LogicalTypeCodec> = new Map([
  [LogicalNames.DECIMAL, decimal],
  [LogicalNames.DATE, int32Based('Date', ConnectDate)],
  [LogicalNames.TIME, int32Based('Time', ConnectTime)],
  [LogicalNames.TIMESTAMP, timestamp],
]);
