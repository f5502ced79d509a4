import { BigDecimal, javaDoubleToString, javaFloatToString, SchemaType } from '../../api';
// Exact decimal-to-float rounding lives next to Float.toString in src/api; it is not re-exported there.
import { parseJavaFloat } from '../../api/java-number-format';
import { javaDateFormat } from './java-date-format';

/** A numeric value as the Java class Kafka would hold: a whole number, a float/double, or a BigDecimal. */
export type JavaNumber = { readonly kind: 'int'; readonly value: bigint } | { readonly kind: 'float'; readonly value: number } | { readonly kind: 'decimal'; readonly value: BigDecimal };

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** The Java number a Connect value of this type is, or null when it is not a number. */
export function javaNumberOf(value: unknown, type: SchemaType): JavaNumber | null {
  if (typeof value === 'bigint') return { kind: 'int', value };
  if (typeof value === 'number') {
    const floating = type === SchemaType.FLOAT32 || type === SchemaType.FLOAT64 || !Number.isInteger(value);
    return floating ? { kind: 'float', value } : { kind: 'int', value: BigInt(value) };
  }
  if (value instanceof BigDecimal) return { kind: 'decimal', value };
  return null;
}

function truncate(d: BigDecimal): bigint {
  return d.scale >= 0 ? d.unscaled / 10n ** BigInt(d.scale) : d.unscaled * 10n ** BigInt(-d.scale);
}

/** Number.intValue(): whole numbers and decimals keep the low 32 bits, floats saturate (NaN is 0). */
export function toJavaInt(n: JavaNumber): bigint {
  switch (n.kind) {
    case 'int':
      return BigInt.asIntN(32, n.value);
    case 'decimal':
      return BigInt.asIntN(32, truncate(n.value));
    case 'float':
      if (Number.isNaN(n.value)) return 0n;
      return BigInt(Math.trunc(Math.min(Math.max(n.value, INT_MIN), INT_MAX)));
  }
}

/** Number.longValue(), the same rules at 64 bits. */
export function toJavaLong(n: JavaNumber): bigint {
  switch (n.kind) {
    case 'int':
      return BigInt.asIntN(64, n.value);
    case 'decimal':
      return BigInt.asIntN(64, truncate(n.value));
    case 'float':
      if (Number.isNaN(n.value)) return 0n;
      if (n.value >= 2 ** 63) return LONG_MAX;
      if (n.value <= -(2 ** 63)) return LONG_MIN;
      return BigInt(Math.trunc(n.value));
  }
}

/** Number.floatValue(): the nearest float, rounded once from the exact value. */
export function toJavaFloat(n: JavaNumber): number {
  return n.kind === 'float' ? Math.fround(n.value) : parseJavaFloat(n.value.toString());
}

/** Number.doubleValue(). */
export function toJavaDouble(n: JavaNumber): number {
  return n.kind === 'float' ? n.value : Number(n.value.toString());
}

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;
const INT_RANGES: Partial<Record<SchemaType, readonly [bigint, bigint]>> = {
  [SchemaType.INT8]: [-128n, 127n],
  [SchemaType.INT16]: [-32768n, 32767n],
  [SchemaType.INT32]: [BigInt(INT_MIN), BigInt(INT_MAX)],
  [SchemaType.INT64]: [LONG_MIN, LONG_MAX],
};

/**
 * Byte.parseByte, Short.parseShort, Integer.parseInt, Long.parseLong (INT64 as bigint), Float.parseFloat
 * and Double.parseDouble; null where Java throws NumberFormatException. Hexadecimal floating-point
 * literals (`0x1p3`) are not read.
 */
export function parseJavaNumber(text: string, type: SchemaType): number | bigint | null {
  const range = INT_RANGES[type];
  if (range !== undefined) {
    if (!INTEGER_TEXT.test(text)) return null;
    const n = BigInt(text);
    if (n < range[0] || n > range[1]) return null;
    return type === SchemaType.INT64 ? n : Number(n);
  }
  // Java trims every character up to U+0020 and accepts a trailing type suffix.
  const trimmed = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  if (!DECIMAL_TEXT.test(trimmed)) return null;
  const literal = trimmed.replace(/[fFdD]$/, '');
  if (type === SchemaType.FLOAT32) return /\d/.test(literal) ? parseJavaFloat(literal.replace(/^\+/, '')) : Math.fround(Number(literal));
  return Number(literal);
}

const MS_PER_DAY = 86_400_000;
const ISO_TIME = javaDateFormat("HH:mm:ss.SSS'Z'");
const ISO_DATE = javaDateFormat('yyyy-MM-dd');
const ISO_TIMESTAMP = javaDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

/** Kafka's Values.dateFormatFor on a JVM in UTC: a time before the second day, a date at midnight, else a timestamp. */
export function javaIsoDateText(date: Date): string {
  const ms = date.getTime();
  const format = ms < MS_PER_DAY ? ISO_TIME : ms % MS_PER_DAY === 0 ? ISO_DATE : ISO_TIMESTAMP;
  return format.format(ms);
}

/** Kafka's Cast castToString: Java's toString, bytes as base64, dates in ISO 8601. */
export function castToString(value: unknown, type: SchemaType): string {
  if (value instanceof Date) return javaIsoDateText(value);
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (typeof value === 'number') {
    if (type === SchemaType.FLOAT32) return javaFloatToString(value);
    if (type === SchemaType.FLOAT64 || !Number.isSafeInteger(value)) return javaDoubleToString(value);
    return String(value);
  }
  return String(value);
}
