// From the defining modules: the '../api' index's re-exports compile to a getter call per use.
import { Schema, SchemaType } from '../api/schema';
import { Struct } from '../api/struct';
import type { JsonDataCodec } from './json-data-codec';
import { JSON_LOGICAL_TYPES } from './json-logical-types';
import { doubleToken, floatToken, quoteJsonString } from './json-writer';

/** Writes one value of a known schema as JSON text. */
export type JsonValueWriter = (value: unknown) => string;

/**
 * A writer for one schema, built once so that writing a record walks no schema: struct fields become
 * an array of field writers with their `"name":` prefixes ready, each type's check and token writer
 * is chosen up front. Each writer handles only values it can write; nulls and anything that fails its
 * check go to codec.toJson, so defaults and error messages stay those of the generic path, and the
 * text written is the same by construction (same token functions, same order).
 */
export function compileWriter(codec: JsonDataCodec, schema: Schema): JsonValueWriter {
  const write = compileNonNull(codec, schema);
  return (value) => (value === null || value === undefined ? codec.toJson(schema, value) : write(value));
}

function compileNonNull(codec: JsonDataCodec, schema: Schema): JsonValueWriter {
  const slow: JsonValueWriter = (value) => codec.toJson(schema, value);
  if (schema.name !== null) {
    const logical = JSON_LOGICAL_TYPES.get(schema.name);
    if (logical !== undefined) return (value) => logical.toJson(schema, value, codec.options);
  }
  switch (schema.type) {
    case SchemaType.INT8:
      return integer(2 ** 7, slow);
    case SchemaType.INT16:
      return integer(2 ** 15, slow);
    case SchemaType.INT32:
      return integer(2 ** 31, slow);
    case SchemaType.INT64:
      return (value) => {
        if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) return value.toString();
        return Number.isSafeInteger(value) ? String(value) : slow(value);
      };
    case SchemaType.FLOAT32:
      return (value) => (typeof value === 'number' ? floatToken(value) : slow(value));
    case SchemaType.FLOAT64:
      return (value) => (typeof value === 'number' ? doubleToken(value) : slow(value));
    case SchemaType.BOOLEAN:
      return (value) => (value === true ? 'true' : value === false ? 'false' : slow(value));
    case SchemaType.STRING:
      return (value) => (typeof value === 'string' ? quoteJsonString(value) : slow(value));
    case SchemaType.ARRAY:
      return array(codec, schema, slow);
    case SchemaType.STRUCT:
      return struct(codec, schema, slow);
    default:
      // BYTES and MAP: the generic path is already direct.
      return slow;
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function integer(limit: number, slow: JsonValueWriter): JsonValueWriter {
  return (value) => (typeof value === 'number' && Number.isInteger(value) && value >= -limit && value < limit ? String(value) : slow(value));
}

function array(codec: JsonDataCodec, schema: Schema, slow: JsonValueWriter): JsonValueWriter {
  const items = schema.valueSchema;
  if (items === null) return slow;
  const item = codec.compiledWriterFor(items);
  return (value) => {
    if (!Array.isArray(value)) return slow(value);
    let out = '[';
    for (let i = 0; i < value.length; i++) out += i === 0 ? item(value[i]) : `,${item(value[i])}`;
    return `${out}]`;
  };
}

/** Fields in schema order, read without their defaults (see structToJson in json-data-codec.ts). */
function struct(codec: JsonDataCodec, schema: Schema, slow: JsonValueWriter): JsonValueWriter {
  const fields = schema.fields;
  const names = fields.map((f) => f.name);
  const prefixes = fields.map((f, i) => `${i === 0 ? '{' : ','}${quoteJsonString(f.name)}:`);
  const writers = fields.map((f) => codec.compiledWriterFor(f.schema));
  return (value) => {
    // Another schema object that is equal is accepted, as in the generic path (equals is the slow test).
    if (!(value instanceof Struct) || (value.schema !== schema && !value.schema.equals(schema))) return slow(value);
    if (fields.length === 0) return '{}';
    let out = '';
    for (let i = 0; i < writers.length; i++) out += prefixes[i] + writers[i](value.getWithoutDefault(names[i]));
    return `${out}}`;
  };
}
