/**
 * The text FileStreamSink writes for a record value, without the line terminator.
 *
 * Interim form: Kafka prints `String.valueOf(value)` (Java's toString of Connect data); until that
 * full text form lands this keeps the cases that matter for line files exact (strings as they are,
 * null as `null`, bytes as their UTF-8 text, primitives as String() does) and renders containers
 * as JSON. Kept in one function so it can be swapped wholesale.
 */
export function recordValueText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  // Objects with their own text form (e.g. Date, future Struct) print themselves, as in Java.
  if (!Array.isArray(value) && !(value instanceof Map) && value.toString !== Object.prototype.toString) return String(value);
  return JSON.stringify(value, jsonReplacer);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  // Buffer.toJSON() runs before the replacer sees it: turn its {type, data} form back into text.
  if (value !== null && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
    return Buffer.from((value as { data: number[] }).data).toString('utf8');
  }
  return value;
}
