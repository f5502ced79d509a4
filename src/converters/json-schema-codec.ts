import { DataError, Field, Schema, SchemaOptions, SchemaType } from '../api';
import { JsonValue } from './json-reader';
import { quoteJsonString } from './json-writer';

/**
 * Connect schemas in the JSON form Kafka's JsonConverter puts in the envelope's "schema" field, e.g.
 * `{"type":"array","items":{"type":"int32","optional":false},"optional":false}`.
 *
 * Key order is Kafka's (JsonConverter.asJsonSchema): type; then items, or keys and values, or fields;
 * then optional, name, version, doc, parameters and default when set. A struct field is its schema
 * with a trailing "field" key holding the field name.
 */

/** Kafka's type names (JsonSchema.*_TYPE_NAME): note float for FLOAT32 and double for FLOAT64. */
export const JSON_TYPE_NAMES: Readonly<Record<SchemaType, string>> = {
  [SchemaType.INT8]: 'int8',
  [SchemaType.INT16]: 'int16',
  [SchemaType.INT32]: 'int32',
  [SchemaType.INT64]: 'int64',
  [SchemaType.FLOAT32]: 'float',
  [SchemaType.FLOAT64]: 'double',
  [SchemaType.BOOLEAN]: 'boolean',
  [SchemaType.STRING]: 'string',
  [SchemaType.BYTES]: 'bytes',
  [SchemaType.ARRAY]: 'array',
  [SchemaType.MAP]: 'map',
  [SchemaType.STRUCT]: 'struct',
};

const TYPES_BY_NAME: ReadonlyMap<string, SchemaType> = new Map(
  Object.entries(JSON_TYPE_NAMES).map(([type, name]) => [name, type as SchemaType]),
);

/** Writes a schema's default value as JSON; supplied by the data codec. */
export type DefaultWriter = (schema: Schema, value: unknown) => string;
/** Reads a default value for a schema (built without its default) from JSON. */
export type DefaultReader = (schema: Schema, node: JsonValue) => unknown;

/** The JSON text of a schema; null for a null schema. */
export function schemaToJson(schema: Schema | null, writeDefault: DefaultWriter): string {
  if (schema === null) return 'null';
  let out = `{"type":"${JSON_TYPE_NAMES[schema.type]}"`;
  if (schema.type === SchemaType.ARRAY) {
    out += `,"items":${schemaToJson(schema.valueSchema, writeDefault)}`;
  } else if (schema.type === SchemaType.MAP) {
    out += `,"keys":${schemaToJson(schema.keySchema, writeDefault)},"values":${schemaToJson(schema.valueSchema, writeDefault)}`;
  } else if (schema.type === SchemaType.STRUCT) {
    out += `,"fields":[${schema.fields.map((f) => fieldToJson(f, writeDefault)).join(',')}]`;
  }
  out += `,"optional":${schema.optional}`;
  if (schema.name !== null) out += `,"name":${quoteJsonString(schema.name)}`;
  if (schema.version !== null) out += `,"version":${schema.version}`;
  if (schema.doc !== null) out += `,"doc":${quoteJsonString(schema.doc)}`;
  if (schema.parameters !== null) {
    const params = Object.entries(schema.parameters).map(([k, v]) => `${quoteJsonString(k)}:${quoteJsonString(v)}`);
    out += `,"parameters":{${params.join(',')}}`;
  }
  if (schema.defaultValue !== null) out += `,"default":${writeDefault(schema, schema.defaultValue)}`;
  return `${out}}`;
}

function fieldToJson(field: Field, writeDefault: DefaultWriter): string {
  const schema = schemaToJson(field.schema, writeDefault);
  return `${schema.slice(0, -1)},"field":${quoteJsonString(field.name)}}`;
}

/**
 * The schema a JSON schema describes; null for JSON null. Throws DataError (with Kafka's wording)
 * when the JSON is not a schema.
 */
export function schemaFromJson(node: JsonValue, readDefault: DefaultReader): Schema | null {
  if (node === null) return null;
  const typeName = node instanceof Map ? node.get('type') : undefined;
  if (!(node instanceof Map) || typeof typeName !== 'string') throw new DataError("Schema must contain 'type' field");
  const type = TYPES_BY_NAME.get(typeName);
  if (type === undefined) throw new DataError(`Unknown schema type: ${typeName}`);
  const options: SchemaOptions = { ...childOptions(type, node, readDefault), ...metadata(node) };
  const schema = new Schema(type, options);
  if (!node.has('default')) return schema;
  const defaultValue = readDefault(schema, node.get('default') ?? null);
  return defaultValue === null ? schema : new Schema(type, { ...options, defaultValue });
}

function childOptions(type: SchemaType, node: Map<string, JsonValue>, readDefault: DefaultReader): SchemaOptions {
  const child = (key: string): Schema | null => schemaFromJson(node.get(key) ?? null, readDefault);
  switch (type) {
    case SchemaType.ARRAY:
      if ((node.get('items') ?? null) === null) throw new DataError('Array schema did not specify the element type');
      return { valueSchema: child('items') };
    case SchemaType.MAP:
      if (!node.has('keys')) throw new DataError('Map schema did not specify the key type');
      if (!node.has('values')) throw new DataError('Map schema did not specify the value type');
      return { keySchema: child('keys'), valueSchema: child('values') };
    case SchemaType.STRUCT:
      return { fields: structFields(node.get('fields'), readDefault) };
    default:
      return {};
  }
}

function structFields(fields: JsonValue | undefined, readDefault: DefaultReader): Field[] {
  if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.');
  const names = new Set<string>();
  return fields.map((field, index) => {
    const name = field instanceof Map ? field.get('field') : undefined;
    if (typeof name !== 'string') throw new DataError("Struct schema's field name not specified properly");
    // Kafka's SchemaBuilder.field refuses a second field of the same name.
    if (names.has(name)) throw new DataError(`Cannot create field because of field name duplication ${name}`);
    names.add(name);
    const schema = schemaFromJson(field, readDefault);
    if (schema === null) throw new DataError(`Struct schema's field ${name} has no schema`);
    return { name, index, schema };
  });
}

/** optional, name, version, doc and parameters; values of the wrong JSON type are ignored, as Kafka does. */
function metadata(node: Map<string, JsonValue>): SchemaOptions {
  const options: { -readonly [K in keyof SchemaOptions]: SchemaOptions[K] } = { optional: node.get('optional') === true };
  const name = node.get('name');
  if (typeof name === 'string') options.name = name;
  const version = node.get('version');
  if (typeof version === 'number') options.version = version;
  const doc = node.get('doc');
  if (typeof doc === 'string') options.doc = doc;
  const params = node.get('parameters');
  if (params instanceof Map) {
    const parameters: Record<string, string> = {};
    for (const [key, value] of params) {
      if (typeof value !== 'string') throw new DataError('Schema parameters must have string values.');
      parameters[key] = value;
    }
    options.parameters = parameters;
  }
  return options;
}
