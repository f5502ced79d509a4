import { DataError, Schema, SchemaType, Struct } from '../../api';
import { JsonDataCodec } from '../json-data-codec';
import { JsonCursor, JsonValue, jsonNodeType, parseJson } from '../json-reader';
import { quoteJsonString } from '../json-writer';
import { ONE_OF_NAME } from './json-schema-node';

/**
 * Connect values to JSON text and back as Confluent's JsonSchemaData does, with JsonConverter's
 * codec (json-data-codec.ts) for everything the two agree on: numbers (INT64 exact, floats as Java
 * writes them), strings, bytes as base64, Decimal per decimal.format, Date/Time/Timestamp as integers,
 * structs and string-keyed maps as objects. The two differ on maps whose keys are not required
 * strings (Confluent writes an array of {"key":k,"value":v} objects, JsonConverter [k,v] pairs), on
 * oneOf unions (a struct written as its one set member's value), and on missing struct properties
 * (left unset, where JsonConverter fails); schemas with any of those go through this module's own
 * walk, with the codec for the leaves.
 */
export class JsonSchemaValues {
  private readonly plain = new WeakMap<Schema, boolean>();

  constructor(private readonly codec: JsonDataCodec) {}

  /** The payload text of a value. */
  write(schema: Schema, value: unknown): string {
    return this.isPlain(schema) ? this.codec.writerFor(schema)(value) : this.toJson(schema, value);
  }

  /** The Connect value of a payload text (already checked to be UTF-8). */
  read(schema: Schema, text: string): unknown {
    if (this.isPlain(schema)) {
      // JsonConverter's compiled reader; anything it refuses gets the full walk, which also explains it.
      try {
        const cursor = new JsonCursor(text, 0);
        cursor.skipWhitespace();
        const value = this.codec.readerFor(schema)(cursor);
        cursor.skipWhitespace();
        if (cursor.pos === text.length) return value;
      } catch {
        // fall through
      }
    }
    const node = parseJson(text).value;
    if (node === undefined) throw new DataError('The payload is empty, not JSON');
    return this.toConnect(schema, node);
  }

  /** Parsed JSON to Connect, as Confluent's JsonSchemaData.toConnectData. */
  toConnect(schema: Schema, node: JsonValue | undefined): unknown {
    if (node === null || node === undefined) {
      if (schema.defaultValue !== null) return schema.defaultValue;
      if (node === undefined || schema.optional) return null;
      throw new DataError(`Invalid null value for required ${schema.type} field`);
    }
    switch (schema.type) {
      case SchemaType.STRUCT:
        return schema.name === ONE_OF_NAME ? this.unionToConnect(schema, node) : this.structToConnect(schema, node);
      case SchemaType.ARRAY:
        if (!Array.isArray(node)) throw new DataError(`Expected an array, found ${jsonNodeType(node)}`);
        return node.map((e) => this.toConnect(schema.valueSchema!, e));
      case SchemaType.MAP:
        return this.mapToConnect(schema, node);
      default:
        return this.codec.toConnect(schema, node);
    }
  }

  private structToConnect(schema: Schema, node: JsonValue): Struct {
    if (!(node instanceof Map)) throw new DataError(`Structs should be encoded as JSON objects, but found ${jsonNodeType(node)}`);
    const struct = new Struct(schema);
    for (const field of schema.fields) {
      let value: unknown;
      try {
        value = this.toConnect(field.schema, node.get(field.name));
      } catch (err) {
        throw err instanceof DataError ? new DataError(`Field ${field.name}: ${err.message}`, { cause: err }) : err;
      }
      if (value !== null) struct.put(field.name, value);
    }
    return struct;
  }

  /** The member a value is: the first whose type it has, else the struct member it shares most properties with. */
  private unionToConnect(schema: Schema, node: JsonValue): Struct {
    let best: { name: string; schema: Schema } | null = null;
    let bestCount = 0;
    for (const field of schema.fields) {
      if (isInstance(field.schema, node)) return new Struct(schema).put(field.name, this.toConnect(field.schema, node));
      if (field.schema.type === SchemaType.STRUCT && node instanceof Map) {
        const count = field.schema.fields.filter((f) => node.has(f.name)).length;
        if (count > bestCount) [best, bestCount] = [field, count];
      }
    }
    if (best === null) throw new DataError(`Did not find a matching oneOf member for a JSON ${jsonNodeType(node)}`);
    return new Struct(schema).put(best.name, this.toConnect(best.schema, node));
  }

  private mapToConnect(schema: Schema, node: JsonValue): Map<unknown, unknown> {
    const result = new Map<unknown, unknown>();
    if (objectMode(schema)) {
      if (!(node instanceof Map)) throw new DataError(`Maps with string keys should be encoded as JSON objects, but found ${jsonNodeType(node)}`);
      for (const [k, v] of node) result.set(k, this.toConnect(schema.valueSchema!, v));
      return result;
    }
    if (!Array.isArray(node)) throw new DataError(`Maps with non-string keys should be encoded as a JSON array of objects, but found ${jsonNodeType(node)}`);
    for (const entry of node) {
      if (!(entry instanceof Map) || entry.size !== 2) throw new DataError('Found an invalid map entry: expected an object with "key" and "value"');
      result.set(this.toConnect(schema.keySchema!, entry.get('key')), this.toConnect(schema.valueSchema!, entry.get('value')));
    }
    return result;
  }

  /** Connect to JSON text, as Confluent's JsonSchemaData.fromConnectData. */
  private toJson(schema: Schema, value: unknown): string {
    if (value === null || value === undefined) return this.codec.toJson(schema, value);
    switch (schema.type) {
      case SchemaType.STRUCT: {
        if (!(value instanceof Struct)) throw new DataError(`Invalid type for STRUCT: ${typeof value}`);
        if (schema.name === ONE_OF_NAME) {
          for (const field of schema.fields) {
            const member = value.get(field.name);
            if (member !== null && member !== undefined) return this.toJson(field.schema, member);
          }
          return this.codec.toJson(schema, null);
        }
        return `{${schema.fields.map((f) => `${quoteJsonString(f.name)}:${this.toJson(f.schema, value.get(f.name))}`).join(',')}}`;
      }
      case SchemaType.ARRAY:
        if (!Array.isArray(value)) throw new DataError(`Invalid type for ARRAY: ${typeof value}`);
        return `[${value.map((e) => this.toJson(schema.valueSchema!, e)).join(',')}]`;
      case SchemaType.MAP: {
        const entries = value instanceof Map ? [...value] : typeof value === 'object' ? Object.entries(value) : null;
        if (entries === null) throw new DataError(`Invalid type for MAP: ${typeof value}`);
        if (objectMode(schema)) return `{${entries.map(([k, v]) => `${quoteJsonString(String(k))}:${this.toJson(schema.valueSchema!, v)}`).join(',')}}`;
        return `[${entries.map(([k, v]) => `{"key":${this.toJson(schema.keySchema!, k)},"value":${this.toJson(schema.valueSchema!, v)}}`).join(',')}]`;
      }
      default:
        return this.codec.toJson(schema, value);
    }
  }

  /** Whether JsonConverter's codec writes and reads this schema's values exactly as Confluent does. */
  private isPlain(schema: Schema): boolean {
    let plain = this.plain.get(schema);
    if (plain === undefined) {
      plain = computePlain(schema);
      this.plain.set(schema, plain);
    }
    return plain;
  }
}

function computePlain(schema: Schema): boolean {
  switch (schema.type) {
    case SchemaType.STRUCT:
      return schema.name !== ONE_OF_NAME && schema.fields.every((f) => computePlain(f.schema));
    case SchemaType.ARRAY:
      return computePlain(schema.valueSchema!);
    case SchemaType.MAP:
      return objectMode(schema) && computePlain(schema.valueSchema!);
    default:
      return true;
  }
}

function objectMode(schema: Schema): boolean {
  return schema.keySchema!.type === SchemaType.STRING && !schema.keySchema!.optional;
}

/** Confluent's isInstanceOfSchemaTypeForSimpleSchema. */
function isInstance(schema: Schema, node: JsonValue): boolean {
  switch (schema.type) {
    case SchemaType.INT8:
    case SchemaType.INT16:
    case SchemaType.INT32:
    case SchemaType.INT64:
      return typeof node === 'bigint' || (typeof node === 'number' && Number.isInteger(node));
    case SchemaType.FLOAT32:
    case SchemaType.FLOAT64:
      return typeof node === 'number' || typeof node === 'bigint' || jsonNodeType(node) === 'NUMBER';
    case SchemaType.BOOLEAN:
      return typeof node === 'boolean';
    case SchemaType.STRING:
    case SchemaType.BYTES:
      return typeof node === 'string';
    case SchemaType.ARRAY:
      return Array.isArray(node);
    case SchemaType.MAP:
      return objectMode(schema) ? node instanceof Map : Array.isArray(node);
    default:
      return false;
  }
}
