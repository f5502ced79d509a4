import { BigDecimal } from './big-decimal';
import { DataError } from './errors';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from './logical-types';
import { NULL_SCHEMA_AND_VALUE, Schema, SchemaAndValue, SchemaType } from './schema';
import { SchemaBuilder } from './schema-builder';
import { parseJavaFloat } from './java-number-format';
import { isBlank, javaTrim, ValueTokens } from './value-tokens';

/**
 * Kafka's Values.parseString: reads the text form convert-to-string.ts writes (and any header text)
 * back into a value, inferring its schema. What it recognises:
 * - `true` / `false` (BOOLEAN); `null` (null schema and value); the empty string (STRING);
 * - integers into the smallest of INT8, INT16, INT32 (numbers) and INT64 (bigint), including whole
 *   numbers written with a fraction or exponent (`1.0`, `1e2`) up to 1e19;
 * - other numbers as FLOAT32 when they have a scale (`1.5`, `1e25`) and fit a float, else FLOAT64,
 *   else a Decimal with their own scale (e.g. integers beyond the INT64 range);
 * - `yyyy-MM-dd` as Date, `HH:mm:ss.SSSZ` as Time, `yyyy-MM-ddTHH:mm:ss.SSSZ` as Timestamp (UTC;
 *   colons may be escaped `\:`), also as quoted strings inside arrays and maps;
 * - arrays `[...]` and maps `{k:v,...}` of the above, nested, with quoted strings, and a common
 *   element (key, value) schema: numeric types widen (INT8 < INT16 < INT32 < INT64 < FLOAT32 <
 *   FLOAT64) and values are aligned to it; with none the schema has no element schema;
 * - anything else as a STRING of the whole text.
 *
 * Tokens, delimiters (`: , { } [ ] "`, `\` escapes the next character) and fallbacks follow Kafka's
 * parser, including its quirks: quoted strings keep their backslashes, whitespace-only tokens inside
 * quotes are dropped, an array or map holding null next to values is not an array or map (the
 * whole text becomes a STRING), and a missing comma between map entries is tolerated.
 *
 * Deliberately different from Kafka:
 * - a value must use the whole text: `12,34` or `[1,2]x` are STRINGs (Kafka reads the first INT8
 *   or array and drops the rest);
 * - dates and times must match their pattern exactly with valid fields (Kafka's lenient
 *   SimpleDateFormat rolls `2024-13-45` over); they are read in UTC whatever the local time zone;
 * - logical types (Date, Time, Timestamp, Decimal) only share an element schema with the same
 *   logical type, never widen with plain numbers.
 * Not covered: structs (Kafka cannot parse them either) and Java's non-ASCII digits.
 */
export function parseString(text: string | null): SchemaAndValue {
  if (text === null) return NULL_SCHEMA_AND_VALUE;
  if (text === '') return { schema: Schema.STRING_SCHEMA, value: text };
  if (!HAS_DELIMITER.test(text)) {
    // One token (the common plain-text header): only a literal or a number can be anything but a STRING.
    const token = javaTrim(text);
    if (token === 'null') return NULL_SCHEMA_AND_VALUE;
    if (token === 'true') return TRUE;
    if (token === 'false') return FALSE;
    if (!NUMBER_START.test(token)) return { schema: Schema.STRING_SCHEMA, value: text };
  }
  const tokens = new ValueTokens(text);
  const parsed = parse(tokens, false);
  while (tokens.hasNext()) if (!isBlank(tokens.next())) return { schema: Schema.STRING_SCHEMA, value: text };
  return parsed ?? NULL_SCHEMA_AND_VALUE;
}

const TRUE: SchemaAndValue = Object.freeze({ schema: Schema.BOOLEAN_SCHEMA, value: true });
const FALSE: SchemaAndValue = Object.freeze({ schema: Schema.BOOLEAN_SCHEMA, value: false });
const NUMERIC_RANK: Partial<Record<SchemaType, number>> = {
  [SchemaType.INT8]: 0,
  [SchemaType.INT16]: 1,
  [SchemaType.INT32]: 2,
  [SchemaType.INT64]: 3,
  [SchemaType.FLOAT32]: 4,
  [SchemaType.FLOAT64]: 5,
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT32_LIMIT = 2 ** 31;
const HAS_DELIMITER = /[:,{}[\]"]/;
const NUMBER_START = /^[0-9+-]/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

/** null means "no value" (Kafka returns a null SchemaAndValue for the literal null or no input). */
function parse(t: ValueTokens, embedded: boolean): SchemaAndValue | null {
  if (!t.hasNext()) return null;
  if (embedded && t.canConsume('"')) return parseQuoted(t);
  if (literal(t, embedded, 'null')) return null;
  if (literal(t, embedded, 'true')) return TRUE;
  if (literal(t, embedded, 'false')) return FALSE;
  const start = t.mark();
  try {
    if (t.canConsume('[')) return parseArray(t);
    if (t.canConsume('{')) return parseMap(t);
  } catch (err) {
    if (!(err instanceof DataError)) throw err;
    t.rewindTo(start); // not an array or map after all: read it as a plain token
  }
  const token = t.next();
  if (isBlank(token)) return { schema: Schema.STRING_SCHEMA, value: token };
  return parseToken(t, embedded, javaTrim(token));
}

/** A literal counts at the top level only when nothing follows it (`true}` is a string). */
function literal(t: ValueTokens, embedded: boolean, word: string): boolean {
  const start = t.mark();
  if (t.canConsume(word) && (embedded || !t.hasNext())) return true;
  t.rewindTo(start);
  return false;
}

function parseToken(t: ValueTokens, embedded: boolean, token: string): SchemaAndValue {
  const first = token.charCodeAt(0);
  const digit = first >= 0x30 && first <= 0x39;
  if (digit) {
    // Times and timestamps span five tokens, as their unescaped colons are delimiters.
    const position = t.mark();
    const rest = t.nextN(4);
    const spanning = rest === null ? null : parseTemporal(token + rest);
    if (spanning) return spanning;
    t.rewindTo(position);
    const temporal = parseTemporal(token);
    if (temporal) return temporal;
  }
  if (digit || token[0] === '+' || token[0] === '-') {
    const number = parseNumber(token);
    if (number) return number;
  }
  if (embedded) throw new DataError('Failed to parse embedded value');
  return { schema: Schema.STRING_SCHEMA, value: t.text };
}

function parseQuoted(t: ValueTokens): SchemaAndValue {
  let content = '';
  while (t.hasNext()) {
    if (t.canConsume('"')) break;
    content += t.next();
  }
  return parseTemporal(content) ?? { schema: Schema.STRING_SCHEMA, value: content };
}

function parseArray(t: ValueTokens): SchemaAndValue {
  const values: unknown[] = [];
  const elements = new SchemaMerger();
  while (t.hasNext()) {
    if (t.canConsume(']')) {
      const common = elements.common;
      if (common === null) return { schema: new Schema(SchemaType.ARRAY), value: values };
      return { schema: SchemaBuilder.array(common).build(), value: values.map((v) => align(common, v)) };
    }
    if (t.canConsume(',')) throw new DataError(`Unable to parse an empty array element: ${t.text}`);
    const element = parse(t, true);
    elements.merge(element);
    values.push(element ? element.value : null);
    const position = t.mark();
    if (t.canConsume(']')) t.rewindTo(position);
    else if (!t.canConsume(',')) throw new DataError("Array elements missing ',' delimiter");
  }
  throw new DataError(`Array is missing terminating ']': ${t.text}`);
}

function parseMap(t: ValueTokens): SchemaAndValue {
  const entries = new Map<unknown, unknown>();
  const keys = new SchemaMerger();
  const values = new SchemaMerger();
  while (t.hasNext()) {
    if (t.canConsume('}')) return mapResult(entries, keys.common, values.common);
    if (t.canConsume(',')) throw new DataError(`Unable to parse a map entry with no key or value: ${t.text}`);
    const key = parse(t, true);
    if (key === null || key.value === null) throw new DataError(`Map entry may not have a null key: ${t.text}`);
    if (!t.canConsume(':')) throw new DataError(`Map entry is missing ':' at ${t.position} in ${t.text}`);
    const value = parse(t, true);
    entries.set(key.value, value ? value.value : null);
    t.canConsume(',');
    keys.merge(key);
    values.merge(value);
  }
  throw new DataError(`Map is missing terminating '}': ${t.text}`);
}

function mapResult(entries: Map<unknown, unknown>, keySchema: Schema | null, valueSchema: Schema | null): SchemaAndValue {
  if (keySchema === null) return { schema: new Schema(SchemaType.MAP), value: entries };
  const aligned = new Map<unknown, unknown>();
  for (const [k, v] of entries) aligned.set(align(keySchema, k), valueSchema === null ? v : align(valueSchema, v));
  return { schema: new Schema(SchemaType.MAP, { keySchema, valueSchema }), value: aligned };
}

/** Kafka's convertTo for the types a parsed element can widen to. */
function align(schema: Schema, value: unknown): unknown {
  if (value === null) {
    if (schema.optional) return null;
    throw new DataError('Unable to convert a null value to a schema that requires a value');
  }
  switch (schema.type) {
    case SchemaType.INT8:
    case SchemaType.INT16:
    case SchemaType.INT32:
      return typeof value === 'bigint' ? Number(value) : value;
    case SchemaType.INT64:
      return typeof value === 'number' ? BigInt(value) : value;
    case SchemaType.FLOAT32:
      return Math.fround(Number(value));
    case SchemaType.FLOAT64:
      return Number(value);
    default:
      return value;
  }
}

/** The schema every element so far fits (Kafka's SchemaMerger); null when none or when they clash. */
class SchemaMerger {
  common: Schema | null = null;
  private compatible = true;

  merge(latest: SchemaAndValue | null): void {
    if (latest === null || latest.schema === null || !this.compatible) return;
    this.common = this.common === null ? latest.schema : mergeSchemas(this.common, latest.schema);
    this.compatible = this.common !== null;
  }
}

function mergeSchemas(previous: Schema, next: Schema): Schema | null {
  if (previous.name !== next.name) return null;
  if (previous.type === next.type) return previous.optional === next.optional ? (previous.optional ? previous : next) : previous.equals(next) ? previous : null;
  if (previous.name !== null) return null;
  const a = NUMERIC_RANK[previous.type];
  const b = NUMERIC_RANK[next.type];
  if (a === undefined || b === undefined) return null;
  return b > a ? next : previous;
}

function parseNumber(token: string): SchemaAndValue | null {
  let decimal: BigDecimal;
  try {
    decimal = BigDecimal.parse(token);
  } catch {
    return null;
  }
  const { unscaled, scale } = decimal;
  if (scale <= -INT32_LIMIT || scale >= INT32_LIMIT) return null; // Java's BigDecimal refuses such exponents
  const integral = exactInteger(unscaled, scale);
  if (integral !== null) {
    if (integral >= -128n && integral <= 127n) return { schema: Schema.INT8_SCHEMA, value: Number(integral) };
    if (integral >= -32768n && integral <= 32767n) return { schema: Schema.INT16_SCHEMA, value: Number(integral) };
    if (integral >= -2147483648n && integral <= 2147483647n) return { schema: Schema.INT32_SCHEMA, value: Number(integral) };
    return { schema: Schema.INT64_SCHEMA, value: integral };
  }
  const literal = `${unscaled}e${-scale}`;
  if (scale !== 0) {
    const f = parseJavaFloat(literal);
    if (Number.isFinite(f)) return { schema: Schema.FLOAT32_SCHEMA, value: f };
    const d = Number(literal);
    if (Number.isFinite(d)) return { schema: Schema.FLOAT64_SCHEMA, value: d };
  }
  return { schema: Decimal.schema(scale), value: decimal };
}

/** The value as an INT64 when it is whole, at most 1e19 in magnitude and in range; else null. */
function exactInteger(unscaled: bigint, scale: number): bigint | null {
  if (unscaled === 0n) return 0n;
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString();
  const adjusted = digits.length - 1 - scale; // the power of ten of the leading digit
  if (adjusted < 0 || adjusted > 19) return null; // below 1, or above 1e19
  const trailingZeros = digits.length - digits.replace(/0+$/, '').length;
  if (scale - trailingZeros > 0) return null; // has a fraction
  const value = scale >= 0 ? unscaled / 10n ** BigInt(scale) : unscaled * 10n ** BigInt(-scale);
  return value >= INT64_MIN && value <= INT64_MAX ? value : null;
}

function parseTemporal(raw: string): SchemaAndValue | null {
  const token = raw.replace(/\\:/g, ':');
  let m: RegExpExecArray | null;
  if (token.length === 13 && (m = TIME.exec(token))) {
    const ms = utc(1970, 1, 1, m[1], m[2], m[3], m[4]);
    return ms === null ? null : { schema: ConnectTime.SCHEMA, value: new Date(ms) };
  }
  if (token.length === 24 && (m = TIMESTAMP.exec(token))) {
    const ms = utc(m[1], m[2], m[3], m[4], m[5], m[6], m[7]);
    return ms === null ? null : { schema: ConnectTimestamp.SCHEMA, value: new Date(ms) };
  }
  if (token.length === 10 && (m = DATE.exec(token))) {
    const ms = utc(m[1], m[2], m[3], 0, 0, 0, 0);
    return ms === null ? null : { schema: ConnectDate.SCHEMA, value: new Date(ms) };
  }
  return null;
}

/** Epoch milliseconds of a UTC date and time, or null when a field is out of range (e.g. 13th month). */
function utc(...fields: Array<string | number>): number | null {
  const [y, mo, d, h, mi, s, ms] = fields.map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  const valid = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && date.getUTCHours() === h && date.getUTCMinutes() === mi && date.getUTCSeconds() === s;
  return valid ? date.getTime() : null;
}
