import { BigDecimal, DataError, Schema, SchemaType, Struct } from '../api';
import { javaDoubleToString, javaFloatToString } from '../api/java-number-format';

const MS_PER_DAY = 86_400_000;

/**
 * A Connect value in the text form of Kafka's Values.convertToString, which SimpleHeaderConverter
 * writes and parse-string.ts reads back:
 * - strings as they are at the top level; inside arrays, maps and structs quoted, with `\` and `"`
 *   escaped by a backslash;
 * - numbers as Java prints them (FLOAT64 10 is `10.0`), booleans `true`/`false`, null `null`,
 *   decimals as BigDecimal#toString, bytes as base64 (quoted when nested);
 * - arrays `[1,2,3]`, maps `{"a":1,"b":2}`, structs `{"field":value,...}` (every field, unset ones
 *   as null), all without spaces;
 * - dates by their value, as Kafka's Values.dateFormatFor: before 1970-01-02 as a time
 *   `HH:mm:ss.SSSZ`, at a UTC midnight as a date `yyyy-MM-dd`, otherwise as a timestamp
 *   `yyyy-MM-ddTHH:mm:ss.SSSZ` (UTC, as on a JVM running in UTC).
 * The schema, when given, decides how JS numbers print; it is followed into arrays, maps and structs.
 */
export function convertToString(schema: Schema | null, value: unknown): string {
  return append(schema, value, false);
}

function append(schema: Schema | null, value: unknown, embedded: boolean): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return embedded ? `"${escape(value)}"` : value;
    case 'number':
      return numberText(schema?.type ?? null, value);
    case 'bigint':
    case 'boolean':
      return String(value);
  }
  if (value instanceof Uint8Array) {
    const base64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return embedded ? `"${base64}"` : base64;
  }
  if (value instanceof BigDecimal) return value.toString();
  if (value instanceof Date) return dateText(value);
  if (Array.isArray(value)) {
    const items = schema?.valueSchema ?? null;
    return `[${value.map((v) => append(items, v, true)).join(',')}]`;
  }
  if (value instanceof Map) {
    const keys = schema?.keySchema ?? null;
    const values = schema?.valueSchema ?? null;
    const entries: string[] = [];
    for (const [k, v] of value) entries.push(`${append(keys, k, true)}:${append(values, v, true)}`);
    return `{${entries.join(',')}}`;
  }
  if (value instanceof Struct) {
    const fields = value.schema.fields.map((f) => `${append(null, f.name, true)}:${append(f.schema, value.get(f.name), true)}`);
    return `{${fields.join(',')}}`;
  }
  throw new DataError(`Failed to serialize unexpected value type ${describe(value)}: ${String(value)}`);
}

function numberText(type: SchemaType | null, value: number): string {
  if (type === SchemaType.FLOAT32) return javaFloatToString(value);
  if (type === SchemaType.FLOAT64 || !Number.isSafeInteger(value)) return javaDoubleToString(value);
  return String(value);
}

/** Kafka's Values.escape: a backslash before each `\` and `"`. */
function escape(text: string): string {
  return text.replace(/[\\"]/g, '\\$&');
}

function dateText(d: Date): string {
  const iso = d.toISOString(); // yyyy-MM-ddTHH:mm:ss.SSSZ in UTC
  const ms = d.getTime();
  if (ms < MS_PER_DAY) return iso.slice(11);
  if (ms % MS_PER_DAY === 0) return iso.slice(0, 10);
  return iso;
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object';
}
