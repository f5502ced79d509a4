import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Schema, SchemaBuilder } from '../../src/api';
import { ColumnConverter, ColumnDefinition, ColumnMapping, JdbcType, NumericMapping } from './dialect';
import { dayInZone, parseDateText, parseTimeText, parseTimestampText, timeOfDayUtc } from './zoned-time';

/**
 * Confluent's generic column mapping (GenericDatabaseDialect.addFieldToSchema and
 * createColumnConverter): the Connect schema of a column by its JDBC type and `numeric.mapping`,
 * and the converter from what a Node driver returns to the Connect value. Dialects call
 * genericColumnMapping() from columnMapping() and override the few types their database differs on,
 * building on the exported schema and converter pieces.
 */

/** Connect's parameter carrying a Decimal's declared precision, as Confluent sets it. */
export const DECIMAL_PRECISION_PARAMETER = 'connect.decimal.precision';
/** Confluent: NUMERIC precisions up to this fit a primitive integer. */
const MAX_INTEGER_TYPE_PRECISION = 18;
/** Oracle-style scales below this are not treated as integers by best_fit. */
const NUMERIC_TYPE_SCALE_LOW = -84;
const NUMERIC_TYPE_SCALE_HIGH = 127;
/** The scale drivers report for a NUMERIC declared without one; Confluent reads it at scale 127. */
export const NUMERIC_TYPE_SCALE_UNSET = -127;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The Connect schema and converter for `column`, or null when Confluent skips its type. */
export function genericColumnMapping(column: ColumnDefinition, numericMapping: NumericMapping, timeZone: string): ColumnMapping | null {
  const schema = genericFieldSchema(column, numericMapping);
  if (schema === null) return null;
  const convert = genericColumnConverter(column, numericMapping, timeZone);
  if (convert === null) return null;
  return { column, fieldName: column.name, schema, convert };
}

/** How a NUMERIC column is read under `numeric.mapping`: as an integer of some width, a double, or a Decimal. */
export type NumericShape = { kind: 'int'; schema: Schema } | { kind: 'double' } | { kind: 'decimal'; scale: number };

/** Confluent's precision/scale rules for NUMERIC (DECIMAL always takes the Decimal branch). */
export function numericShape(column: ColumnDefinition, numericMapping: NumericMapping): NumericShape {
  const { precision, scale } = column;
  const integerScale = scale < 1 && scale >= NUMERIC_TYPE_SCALE_LOW;
  if (column.jdbcType === JdbcType.NUMERIC) {
    if (numericMapping === 'precision_only') {
      if (scale === 0 && precision <= MAX_INTEGER_TYPE_PRECISION) return { kind: 'int', schema: integerSchema(precision) };
    } else if (numericMapping === 'best_fit') {
      if (precision <= MAX_INTEGER_TYPE_PRECISION) {
        if (integerScale) return { kind: 'int', schema: integerSchema(precision) };
        if (scale > 0) return { kind: 'double' };
      }
    } else if (numericMapping === 'best_fit_eager_double') {
      if (integerScale) {
        if (precision <= MAX_INTEGER_TYPE_PRECISION) return { kind: 'int', schema: integerSchema(precision) };
      } else if (scale > 0) {
        return { kind: 'double' };
      }
    }
  }
  return { kind: 'decimal', scale: decimalScale(column) };
}

/** Confluent's decimalScale(): the unset scale (-127) reads as 127. */
export function decimalScale(column: ColumnDefinition): number {
  return column.scale === NUMERIC_TYPE_SCALE_UNSET ? NUMERIC_TYPE_SCALE_HIGH : column.scale;
}

function integerSchema(precision: number): Schema {
  if (precision > 9) return Schema.INT64_SCHEMA;
  if (precision > 4) return Schema.INT32_SCHEMA;
  if (precision > 2) return Schema.INT16_SCHEMA;
  return Schema.INT8_SCHEMA;
}

const OPTIONAL_OF = new Map<Schema, Schema>([
  [Schema.INT8_SCHEMA, Schema.OPTIONAL_INT8_SCHEMA],
  [Schema.INT16_SCHEMA, Schema.OPTIONAL_INT16_SCHEMA],
  [Schema.INT32_SCHEMA, Schema.OPTIONAL_INT32_SCHEMA],
  [Schema.INT64_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA],
  [Schema.FLOAT32_SCHEMA, Schema.OPTIONAL_FLOAT32_SCHEMA],
  [Schema.FLOAT64_SCHEMA, Schema.OPTIONAL_FLOAT64_SCHEMA],
  [Schema.BOOLEAN_SCHEMA, Schema.OPTIONAL_BOOLEAN_SCHEMA],
  [Schema.STRING_SCHEMA, Schema.OPTIONAL_STRING_SCHEMA],
  [Schema.BYTES_SCHEMA, Schema.OPTIONAL_BYTES_SCHEMA],
]);

/** A primitive schema, optional when the column is nullable (Confluent: unless known NOT NULL). */
export function primitive(schema: Schema, optional: boolean): Schema {
  return optional ? (OPTIONAL_OF.get(schema) ?? schema) : schema;
}

/** Confluent's Decimal field schema: scale parameter plus `connect.decimal.precision`. */
export function decimalSchema(scale: number, precision: number, optional: boolean): Schema {
  const b = Decimal.builder(scale).parameter(DECIMAL_PRECISION_PARAMETER, String(precision));
  return (optional ? b.optional() : b).build();
}

function logical(builder: SchemaBuilder, optional: boolean): Schema {
  return (optional ? builder.optional() : builder).build();
}

/** addFieldToSchema: the field schema for `column`, or null when Confluent does not support its type. */
export function genericFieldSchema(column: ColumnDefinition, numericMapping: NumericMapping): Schema | null {
  const optional = column.nullable;
  switch (column.jdbcType) {
    case JdbcType.BOOLEAN:
      return primitive(Schema.BOOLEAN_SCHEMA, optional);
    case JdbcType.BIT:
      return primitive(Schema.INT8_SCHEMA, optional);
    case JdbcType.TINYINT:
      return primitive(column.signed ? Schema.INT8_SCHEMA : Schema.INT16_SCHEMA, optional);
    case JdbcType.SMALLINT:
      return primitive(column.signed ? Schema.INT16_SCHEMA : Schema.INT32_SCHEMA, optional);
    case JdbcType.INTEGER:
      return primitive(column.signed ? Schema.INT32_SCHEMA : Schema.INT64_SCHEMA, optional);
    case JdbcType.BIGINT:
      return primitive(Schema.INT64_SCHEMA, optional);
    case JdbcType.REAL:
      return primitive(Schema.FLOAT32_SCHEMA, optional);
    case JdbcType.FLOAT:
    case JdbcType.DOUBLE:
      return primitive(Schema.FLOAT64_SCHEMA, optional);
    case JdbcType.NUMERIC:
    case JdbcType.DECIMAL: {
      const shape = numericShape(column, numericMapping);
      if (shape.kind === 'int') return primitive(shape.schema, optional);
      if (shape.kind === 'double') return primitive(Schema.FLOAT64_SCHEMA, optional);
      return decimalSchema(shape.scale, column.precision, optional);
    }
    case JdbcType.CHAR:
    case JdbcType.VARCHAR:
    case JdbcType.LONGVARCHAR:
    case JdbcType.NCHAR:
    case JdbcType.NVARCHAR:
    case JdbcType.LONGNVARCHAR:
    case JdbcType.CLOB:
    case JdbcType.NCLOB:
    case JdbcType.DATALINK:
    case JdbcType.SQLXML:
      return primitive(Schema.STRING_SCHEMA, optional);
    case JdbcType.BINARY:
    case JdbcType.VARBINARY:
    case JdbcType.LONGVARBINARY:
    case JdbcType.BLOB:
      return primitive(Schema.BYTES_SCHEMA, optional);
    case JdbcType.DATE:
      return logical(ConnectDate.builder(), optional);
    case JdbcType.TIME:
      return logical(ConnectTime.builder(), optional);
    case JdbcType.TIMESTAMP:
      return logical(ConnectTimestamp.builder(), optional);
    default:
      // NULL, ARRAY, STRUCT, ROWID, OTHER, and the zoned TIME/TIMESTAMP types: Confluent's generic dialect skips them.
      return null;
  }
}

/** createColumnConverter: the converter for `column`'s driver values, or null for an unsupported type. */
export function genericColumnConverter(column: ColumnDefinition, numericMapping: NumericMapping, timeZone: string): ColumnConverter | null {
  const what = `column ${JSON.stringify(column.name)}`;
  switch (column.jdbcType) {
    case JdbcType.BOOLEAN:
      return nullSafe((v) => toBoolean(v, what));
    case JdbcType.BIT:
      return nullSafe((v) => toBitByte(v, what));
    case JdbcType.TINYINT:
      return column.signed ? intConverter(8, what) : intConverter(16, what);
    case JdbcType.SMALLINT:
      return column.signed ? intConverter(16, what) : intConverter(32, what);
    case JdbcType.INTEGER:
      return column.signed ? intConverter(32, what) : int64Converter(what);
    case JdbcType.BIGINT:
      return int64Converter(what);
    case JdbcType.REAL:
      return nullSafe((v) => Math.fround(toDouble(v, what)));
    case JdbcType.FLOAT:
    case JdbcType.DOUBLE:
      return nullSafe((v) => toDouble(v, what));
    case JdbcType.NUMERIC:
    case JdbcType.DECIMAL: {
      const shape = numericShape(column, numericMapping);
      if (shape.kind === 'double') return nullSafe((v) => toDouble(v, what));
      if (shape.kind === 'int') {
        const bits = { INT8: 8, INT16: 16, INT32: 32, INT64: 64 }[shape.schema.type as 'INT8' | 'INT16' | 'INT32' | 'INT64'];
        return bits === 64 ? int64Converter(what) : intConverter(bits as 8 | 16 | 32, what);
      }
      return decimalConverter(shape.scale, what);
    }
    case JdbcType.CHAR:
    case JdbcType.VARCHAR:
    case JdbcType.LONGVARCHAR:
    case JdbcType.NCHAR:
    case JdbcType.NVARCHAR:
    case JdbcType.LONGNVARCHAR:
    case JdbcType.CLOB:
    case JdbcType.NCLOB:
    case JdbcType.DATALINK:
    case JdbcType.SQLXML:
      return nullSafe(toText);
    case JdbcType.BINARY:
    case JdbcType.VARBINARY:
    case JdbcType.LONGVARBINARY:
    case JdbcType.BLOB:
      return nullSafe((v) => toBytes(v, what));
    case JdbcType.DATE:
      return dateConverter(what);
    case JdbcType.TIME:
      return timeConverter(timeZone, what);
    case JdbcType.TIMESTAMP:
      return timestampConverter(timeZone, what);
    default:
      return null;
  }
}

function nullSafe(convert: (value: unknown) => unknown): ColumnConverter {
  return (value) => (value === null || value === undefined ? null : convert(value));
}

function badValue(value: unknown, what: string, expected: string): DataError {
  const shown = Buffer.isBuffer(value) ? `a ${value.length}-byte buffer` : `${typeof value} ${JSON.stringify(typeof value === 'bigint' ? value.toString() : value)}`;
  return new DataError(`Cannot read ${shown} as ${expected} for ${what}`);
}

/** JDBC getBoolean: non-zero numbers and `t`/`true`/`y`/`yes`/`on`/`1` are true. */
export function toBoolean(value: unknown, what: string): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'bigint') return value !== 0n;
  if (typeof value === 'string') {
    const s = value.trim().toLowerCase();
    if (['t', 'true', 'y', 'yes', 'on', '1'].includes(s)) return true;
    if (['f', 'false', 'n', 'no', 'off', '0'].includes(s)) return false;
  }
  if (Buffer.isBuffer(value) && value.length > 0) return value.some((b) => b !== 0);
  throw badValue(value, what, 'a boolean');
}

/** JDBC getByte on a BIT: 0 or 1 (a BIT(n) buffer gives its lowest byte). */
function toBitByte(value: unknown, what: string): number {
  if (Buffer.isBuffer(value)) return value.length === 0 ? 0 : (value[value.length - 1] << 24) >> 24;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^[01]$/.test(value.trim())) return Number(value.trim());
  return checkedInt(toInteger(value, what), 8, what);
}

/** An exact integer from a driver value; fractions are truncated toward zero as JDBC getInt/getLong do. */
export function toInteger(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw badValue(value, what, 'an integer');
    return BigInt(Math.trunc(value));
  }
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'string') {
    const s = value.trim();
    if (/^[+-]?\d+$/.test(s)) return BigInt(s);
    try {
      const d = BigDecimal.parse(s);
      return d.scale <= 0 ? d.unscaled * 10n ** BigInt(-d.scale) : d.unscaled / 10n ** BigInt(d.scale);
    } catch {
      throw badValue(value, what, 'an integer');
    }
  }
  throw badValue(value, what, 'an integer');
}

function checkedInt(n: bigint, bits: 8 | 16 | 32, what: string): number {
  const limit = 1n << BigInt(bits - 1);
  if (n < -limit || n >= limit) throw new DataError(`Value ${n} of ${what} does not fit in INT${bits}`);
  return Number(n);
}

function intConverter(bits: 8 | 16 | 32, what: string): ColumnConverter {
  return nullSafe((v) => {
    if (typeof v === 'number' && Number.isInteger(v)) {
      const limit = 2 ** (bits - 1);
      if (v >= -limit && v < limit) return v;
    }
    return checkedInt(toInteger(v, what), bits, what);
  });
}

function int64Converter(what: string): ColumnConverter {
  return nullSafe((v) => {
    const n = toInteger(v, what);
    if (n < INT64_MIN || n > INT64_MAX) throw new DataError(`Value ${n} of ${what} does not fit in INT64`);
    return n;
  });
}

export function toDouble(value: unknown, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const s = value.trim();
    const n = /^[+-]?(Infinity|inf)$/i.test(s) ? (s.startsWith('-') ? -Infinity : Infinity) : /^nan$/i.test(s) ? NaN : s === '' ? NaN : Number(s);
    if (!Number.isNaN(n) || /^nan$/i.test(s)) return n;
  }
  if (value instanceof BigDecimal) return Number(value.toString());
  throw badValue(value, what, 'a number');
}

/** An exact BigDecimal from a driver value (text is exact; a JS number is read by its shortest form). */
export function toBigDecimal(value: unknown, what: string): BigDecimal {
  if (value instanceof BigDecimal) return value;
  if (typeof value === 'bigint') return new BigDecimal(value, 0);
  try {
    if (typeof value === 'string') return BigDecimal.parse(value);
    if (typeof value === 'number') return BigDecimal.fromNumber(value);
  } catch {
    // fall through to the message naming the column
  }
  throw badValue(value, what, 'a decimal number');
}

/** BigDecimal.setScale(scale, HALF_UP), as JDBC getBigDecimal(column, scale). */
export function rescaleHalfUp(value: BigDecimal, scale: number): BigDecimal {
  if (scale >= value.scale) return value.setScale(scale);
  const factor = 10n ** BigInt(value.scale - scale);
  let q = value.unscaled / factor;
  const r = value.unscaled % factor;
  const absR = r < 0n ? -r : r;
  if (absR * 2n >= factor) q += value.unscaled < 0n ? -1n : 1n;
  return new BigDecimal(q, scale);
}

function decimalConverter(scale: number, what: string): ColumnConverter {
  return nullSafe((v) => rescaleHalfUp(toBigDecimal(v, what), scale));
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

export function toBytes(value: unknown, what: string): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  throw badValue(value, what, 'bytes');
}

function epochMsOf(value: unknown, what: string): number | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new DataError(`Invalid date value for ${what}`);
    return value.getTime();
  }
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'bigint') return Number(value);
  return null;
}

/** DATE: the calendar date, as a UTC-midnight Date (Confluent reads source dates in UTC). */
function dateConverter(what: string): ColumnConverter {
  return nullSafe((v) => {
    if (typeof v === 'string') return new Date(parseDateText(v, what));
    const ms = epochMsOf(v, what);
    if (ms === null) throw badValue(v, what, 'a date');
    return new Date(dayInZone(ms, 'UTC'));
  });
}

/** TIME: zone-less text read in `timeZone`; a Date or epoch ms keeps its UTC time of day. */
function timeConverter(timeZone: string, what: string): ColumnConverter {
  return nullSafe((v) => {
    if (typeof v === 'string') return new Date(parseTimeText(v, timeZone, what));
    const ms = epochMsOf(v, what);
    if (ms === null) throw badValue(v, what, 'a time');
    return new Date(timeOfDayUtc(ms));
  });
}

/** TIMESTAMP: zone-less text read in `timeZone`; a Date or epoch ms is already an instant. */
function timestampConverter(timeZone: string, what: string): ColumnConverter {
  return nullSafe((v) => {
    if (typeof v === 'string') return new Date(parseTimestampText(v, timeZone, what));
    const ms = epochMsOf(v, what);
    if (ms === null) throw badValue(v, what, 'a timestamp');
    return new Date(ms);
  });
}

/** Converter builders for dialects that override a type but read it as the generic mapping does. */
export const GenericConverters = {
  date: dateConverter,
  time: timeConverter,
  timestamp: timestampConverter,
  int: intConverter,
  int64: int64Converter,
  decimal: decimalConverter,
  nullSafe,
};
