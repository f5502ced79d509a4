import { BigDecimal, DataError, Schema, Struct } from '../../api';

/**
 * The Java class name Kafka's messages would show for a value (Kafka's nullSafeClassName), so error
 * texts read as Apache Kafka's: `Only Struct objects supported for [field insertion], found: java.lang.String`.
 */
export function javaClassName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'bigint') return 'java.lang.Long';
  if (typeof value === 'number') return Number.isInteger(value) ? 'java.lang.Integer' : 'java.lang.Double';
  if (value instanceof Struct) return 'org.apache.kafka.connect.data.Struct';
  if (value instanceof Map) return 'java.util.HashMap';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  if (value instanceof Uint8Array) return '[B';
  if (value instanceof Date) return 'java.util.Date';
  if (value instanceof BigDecimal) return 'java.math.BigDecimal';
  return 'java.lang.Object';
}

/** Kafka's Requirements.requireSchema. */
export function requireSchema(schema: Schema | null, purpose: string): Schema {
  if (schema === null) throw new DataError(`Schema required for [${purpose}]`);
  return schema;
}

/** Kafka's Requirements.requireMap: a schemaless value must be a map. */
export function requireMap(value: unknown, purpose: string): Map<unknown, unknown> {
  if (!(value instanceof Map)) throw new DataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${javaClassName(value)}`);
  return value;
}

/** Kafka's Requirements.requireMapOrNull. */
export function requireMapOrNull(value: unknown, purpose: string): Map<unknown, unknown> | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

/** Kafka's Requirements.requireStruct: a value with a schema must be a Struct. */
export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct)) throw new DataError(`Only Struct objects supported for [${purpose}], found: ${javaClassName(value)}`);
  return value;
}

/** Kafka's Requirements.requireStructOrNull. */
export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose);
}
