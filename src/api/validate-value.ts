import { BigDecimal } from './big-decimal';
import { DataError } from './errors';
import { Schema, SchemaType } from './schema';
import { Struct } from './struct';

/** Schema names of Kafka Connect's logical types. */
export const LogicalNames = {
  DECIMAL: 'org.apache.kafka.connect.data.Decimal',
  DATE: 'org.apache.kafka.connect.data.Date',
  TIME: 'org.apache.kafka.connect.data.Time',
  TIMESTAMP: 'org.apache.kafka.connect.data.Timestamp',
} as const;

const INT_RANGES: Partial<Record<SchemaType, [number, number]>> = {
  [SchemaType.INT8]: [-128, 127],
  [SchemaType.INT16]: [-32768, 32767],
  [SchemaType.INT32]: [-2147483648, 2147483647],
};
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Map) return 'a Map';
  if (value instanceof Struct) return 'a Struct';
  if (value instanceof Date) return 'a Date';
  if (value instanceof BigDecimal) return 'a BigDecimal';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value} (${String(value)})`;
}

function fail(schema: Schema, value: unknown, location: string, why = ''): never {
  throw new DataError(`Invalid value for schema type ${schema.type}${schema.name ? ` (${schema.name})` : ''}: ${describe(value)}${why} for ${location}`);
}

/** Kafka's check that an array or map schema names its element, key or value schema. */
function schemaFor(schema: Schema | null | undefined, prefix: string, field: string | null): Schema {
  if (!schema) throw new DataError(`No schema defined for ${at(prefix, field)}`);
  return schema;
}

/**
 * Where a value is, for messages: `value` or `field: "name"`, after any "element of array " /
 * "key of map " prefixes. Built only when a check fails: valid values cost no string.
 */
function at(prefix: string, field: string | null): string {
  return prefix + (field === null ? 'value' : `field: "${field}"`);
}

/**
 * Checks that a value fits a schema, as Kafka's ConnectSchema.validateValue: the JS representation
 * documented on Schema, nested arrays, maps and structs, logical types by schema name. Null is allowed
 * only for optional schemas. Throws DataError naming the type, the value and where it is (`field:
 * "name"`, `value`, `element of array field: "tags"`, `key of map ...`, `value of map ...`), as
 * Kafka's messages do.
 */
export function validateValue(schema: Schema, value: unknown, field: string | null = null): void {
  check(schema, value, '', field);
}

function check(schema: Schema, value: unknown, prefix: string, field: string | null): void {
  if (value === null || value === undefined) {
    if (!schema.optional) throw new DataError(`Invalid value: null used for required ${at(prefix, field)}, schema type: ${schema.type}`);
    return;
  }
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      if (!(value instanceof BigDecimal)) fail(schema, value, at(prefix, field), ', expected a BigDecimal');
      return;
    case LogicalNames.DATE:
    case LogicalNames.TIME:
    case LogicalNames.TIMESTAMP:
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) fail(schema, value, at(prefix, field), ', expected a valid Date');
      return;
  }
  switch (schema.type) {
    case SchemaType.INT8:
    case SchemaType.INT16:
    case SchemaType.INT32: {
      const [min, max] = INT_RANGES[schema.type]!;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) fail(schema, value, at(prefix, field));
      return;
    }
    case SchemaType.INT64:
      if (typeof value === 'bigint') {
        if (value < INT64_MIN || value > INT64_MAX) fail(schema, value, at(prefix, field), ', out of range');
      } else if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        fail(schema, value, at(prefix, field), ', expected a bigint or a safe integer');
      }
      return;
    case SchemaType.FLOAT32:
    case SchemaType.FLOAT64:
      if (typeof value !== 'number') fail(schema, value, at(prefix, field));
      return;
    case SchemaType.BOOLEAN:
      if (typeof value !== 'boolean') fail(schema, value, at(prefix, field));
      return;
    case SchemaType.STRING:
      if (typeof value !== 'string') fail(schema, value, at(prefix, field));
      return;
    case SchemaType.BYTES:
      if (!(value instanceof Uint8Array)) fail(schema, value, at(prefix, field));
      return;
    case SchemaType.ARRAY: {
      if (!Array.isArray(value)) fail(schema, value, at(prefix, field));
      const elementPrefix = `element of array ${prefix}`;
      const elementSchema = schemaFor(schema.valueSchema, elementPrefix, field);
      for (const item of value) check(elementSchema, item, elementPrefix, field);
      return;
    }
    case SchemaType.MAP: {
      if (!(value instanceof Map)) fail(schema, value, at(prefix, field));
      const keyPrefix = `key of map ${prefix}`;
      const valuePrefix = `value of map ${prefix}`;
      const keySchema = schemaFor(schema.keySchema, keyPrefix, field);
      const valueSchema = schemaFor(schema.valueSchema, valuePrefix, field);
      for (const [k, v] of value) {
        check(keySchema, k, keyPrefix, field);
        check(valueSchema, v, valuePrefix, field);
      }
      return;
    }
    case SchemaType.STRUCT:
      if (!(value instanceof Struct)) fail(schema, value, at(prefix, field));
      if (!value.schema.equals(schema)) throw new DataError(`Struct schemas do not match for ${at(prefix, field)}.`);
      value.validate();
      return;
  }
}
