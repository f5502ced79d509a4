import { BigDecimal } from './big-decimal';
import { javaDoubleToString, javaFloatToString } from './java-number-format';
import { Schema, SchemaType } from './schema';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** java.util.Date#toString on a JVM running in UTC: `Thu Jan 01 00:00:00 UTC 1970`. */
export function javaDateToString(d: Date): string {
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/**
 * A Connect value as Apache Kafka prints it (Java's toString), which is what FileStreamSink writes:
 * structs `Struct{id=1,name=foo}` (unset fields left out), maps `{a=1, b=2}`, arrays `[1, 2]`,
 * FLOAT64 10 as `10.0`, decimals as BigDecimal#toString, dates as java.util.Date in UTC. The schema,
 * when known, decides how a JS number prints (FLOAT32/FLOAT64 always with a decimal point).
 * Kafka prints bytes as an object identity (`[B@1b6d3586`); we print them as base64.
 */
export function connectValueToString(value: unknown, schema: Schema | null = null): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'number':
      if (schema?.type === SchemaType.FLOAT32) return javaFloatToString(value);
      if (schema?.type === SchemaType.FLOAT64 || !Number.isInteger(value)) return javaDoubleToString(value);
      return String(value);
  }
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return javaDateToString(value);
  if (value instanceof BigDecimal) return value.toString();
  if (Array.isArray(value)) return `[${value.map((v) => connectValueToString(v, schema?.valueSchema ?? null)).join(', ')}]`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${connectValueToString(k, schema?.keySchema ?? null)}=${connectValueToString(v, schema?.valueSchema ?? null)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}
