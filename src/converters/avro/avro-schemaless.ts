import { DataError } from '../../api';
import { AVRO_TYPE_ANYTHING } from './avro-constants';
import { describe } from './connect-to-avro-value';

/**
 * Values without a Connect schema travel as Confluent's io.confluent.connect.avro.Anything record:
 * one optional field per kind of value, arrays of Anything, maps as arrays of MapEntry(key, value).
 * This is the text Confluent's AvroData.ANYTHING_SCHEMA prints as.
 */
export const ANYTHING_SCHEMA_TEXT =
  '{"type":"record","name":"Anything","namespace":"io.confluent.connect.avro","fields":[' +
  ['boolean', 'bytes', 'double', 'float', 'int', 'long', 'string'].map((t) => `{"name":"${t}","type":["null","${t}"],"default":null}`).join(',') +
  ',{"name":"array","type":["null",{"type":"array","items":"Anything"}],"default":null}' +
  ',{"name":"map","type":["null",{"type":"array","items":{"type":"record","name":"MapEntry","fields":[{"name":"key","type":"Anything"},{"name":"value","type":"Anything"}]}}],"default":null}]}';

export function isAnythingSchema(schema: unknown): boolean {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return false;
  const { name, namespace } = schema as { name?: unknown; namespace?: unknown };
  return name === AVRO_TYPE_ANYTHING || (name === 'Anything' && namespace === 'io.confluent.connect.avro');
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * A schemaless Connect value as an Anything record: booleans, strings, Buffers, bigints (long),
 * numbers (int when a 32-bit integer, else double), arrays and Maps, nested. Null is the empty record.
 */
export function toAnything(value: unknown): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  switch (typeof value) {
    case 'boolean':
      return { boolean: { boolean: value } };
    case 'string':
      return { string: { string: value } };
    case 'bigint':
      return { long: { long: value } };
    case 'number':
      return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX ? { int: { int: value } } : { double: { double: value } };
  }
  if (value instanceof Uint8Array) return { bytes: { bytes: Buffer.isBuffer(value) ? value : Buffer.from(value) } };
  if (Array.isArray(value)) return { array: { array: value.map(toAnything) } };
  if (value instanceof Map) return { map: { array: [...value].map(([k, v]) => ({ key: toAnything(k), value: toAnything(v) })) } };
  throw new DataError(`Unknown type for schemaless data: ${describe(value)}`);
}

const KINDS = ['boolean', 'bytes', 'double', 'float', 'int', 'long', 'string'] as const;

/** The value an Anything record (as avsc decodes it) holds. */
export function fromAnything(record: unknown): unknown {
  const r = record as Record<string, Record<string, unknown> | null>;
  for (const kind of KINDS) if (r[kind] !== null && r[kind] !== undefined) return r[kind]![kind];
  if (r.array) return (r.array.array as unknown[]).map(fromAnything);
  if (r.map) return new Map((r.map.array as Array<{ key: unknown; value: unknown }>).map((e) => [fromAnything(e.key), fromAnything(e.value)]));
  return null;
}
