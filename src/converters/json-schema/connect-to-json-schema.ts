import { LogicalNames, Schema, SchemaType } from '../../api';
import { CONNECT, JsonSchemaNode, ONE_OF_NAME, RawJson, writeJsonSchema } from './json-schema-node';

/** What the translation needs from the converter's settings. */
export interface ConnectToJsonSchemaOptions {
  /** object.additional.properties: false writes "additionalProperties": false on struct objects. */
  readonly allowAdditionalProperties: boolean;
  readonly decimalFormat: 'BASE64' | 'NUMERIC';
  /** The JSON text of a default value (the payload writer's), written as "default". */
  readonly defaultJson: (schema: Schema, value: unknown) => string;
}

const CONNECT_TYPES: Partial<Record<SchemaType, string>> = {
  [SchemaType.INT8]: 'int8',
  [SchemaType.INT16]: 'int16',
  [SchemaType.INT32]: 'int32',
  [SchemaType.INT64]: 'int64',
  [SchemaType.FLOAT32]: 'float32',
  [SchemaType.FLOAT64]: 'float64',
};
/** Enum parameter prefixes: Confluent's JSON Schema enums, and Connect's generalized enums. */
const ENUM_PARAMETERS = ['io.confluent.connect.json.Enum', 'org.apache.kafka.connect.data.Enum'];
const NULL_MARKER = '<NULL>';

/**
 * The JSON Schema text for a Connect schema, as Confluent's JsonSchemaData.fromConnectSchema builds
 * it: integer/number with "connect.type" for INT8..FLOAT64, string (or number for NUMERIC decimals)
 * with connect.type "bytes" for BYTES, structs as objects titled with the struct name and each
 * property carrying its field position as "connect.index", optional schemas as
 * `{"oneOf":[{"type":"null"}, S]}`, string-keyed maps as objects with "additionalProperties" and other
 * maps as arrays of {key, value} objects (connect.type "map"), the Connect version, doc and
 * parameters as "connect.version", "description" and "connect.parameters". Nothing is marked
 * "required", as Confluent writes none. Keys appear in the order Confluent's registry text has them.
 */
export function connectToJsonSchema(schema: Schema, options: ConnectToJsonSchemaOptions): string {
  return writeJsonSchema(translate(schema, options, null, false));
}

function translate(schema: Schema, options: ConnectToJsonSchemaOptions, index: number | null, ignoreOptional: boolean): JsonSchemaNode {
  const node: JsonSchemaNode = new Map();
  const extra: JsonSchemaNode = new Map();
  let combined = false;
  const connectType = CONNECT_TYPES[schema.type];
  switch (schema.type) {
    case SchemaType.INT8:
    case SchemaType.INT16:
    case SchemaType.INT32:
    case SchemaType.INT64:
      node.set('type', 'integer');
      extra.set(CONNECT.TYPE, connectType!);
      break;
    case SchemaType.FLOAT32:
    case SchemaType.FLOAT64:
      node.set('type', 'number');
      extra.set(CONNECT.TYPE, connectType!);
      break;
    case SchemaType.BOOLEAN:
      node.set('type', 'boolean');
      break;
    case SchemaType.STRING: {
      const symbols = enumSymbols(schema);
      if (symbols) node.set('enum', symbols);
      else node.set('type', 'string');
      break;
    }
    case SchemaType.BYTES:
      node.set('type', schema.name === LogicalNames.DECIMAL && options.decimalFormat === 'NUMERIC' ? 'number' : 'string');
      extra.set(CONNECT.TYPE, 'bytes');
      break;
    case SchemaType.ARRAY:
      node.set('type', 'array');
      node.set('items', translate(schema.valueSchema!, options, null, false));
      break;
    case SchemaType.MAP: {
      const key = schema.keySchema!;
      if (key.type === SchemaType.STRING && !key.optional) {
        node.set('type', 'object');
        node.set('additionalProperties', translate(schema.valueSchema!, options, null, false));
      } else {
        const entry: JsonSchemaNode = new Map<string, unknown>([
          ['type', 'object'],
          ['properties', new Map([['key', translate(key, options, 0, false)], ['value', translate(schema.valueSchema!, options, 1, false)]])],
        ]);
        node.set('type', 'array');
        node.set('items', entry);
      }
      extra.set(CONNECT.TYPE, 'map');
      break;
    }
    case SchemaType.STRUCT:
      if (schema.name === ONE_OF_NAME) {
        combined = true;
        const members: JsonSchemaNode[] = schema.optional ? [NULL_NODE()] : [];
        for (const field of schema.fields) members.push(translate(nonOptional(field.schema), options, field.index, true));
        node.set('oneOf', members);
      } else if (schema.optional) {
        combined = true;
        node.set('oneOf', [NULL_NODE(), translate(nonOptional(schema), options, null, false)]);
      } else {
        node.set('type', 'object');
        node.set('properties', new Map(schema.fields.map((f) => [f.name, translate(f.schema, options, f.index, false)])));
        if (!options.allowAdditionalProperties) node.set('additionalProperties', false);
      }
      break;
  }
  if (combined) {
    if (index !== null) node.set(CONNECT.INDEX, index);
    return node;
  }
  // Everit prints title, description and default ahead of the type's own keys.
  const head: JsonSchemaNode = new Map();
  if (schema.name !== null) head.set('title', schema.name);
  if (schema.doc !== null) head.set('description', schema.doc);
  if (schema.defaultValue !== null) head.set('default', new RawJson(options.defaultJson(schema, schema.defaultValue)));
  if (schema.version !== null) extra.set(CONNECT.VERSION, schema.version);
  const parameters = Object.entries(schema.parameters ?? {}).filter(([k]) => !k.startsWith('io.confluent.connect.json'));
  if (parameters.length > 0) extra.set(CONNECT.PARAMETERS, new Map(parameters));
  const own: JsonSchemaNode = new Map([...head, ...node, ...extra]);
  if (schema.optional && !ignoreOptional) {
    const wrapper: JsonSchemaNode = new Map<string, unknown>([['oneOf', [NULL_NODE(), own]]]);
    if (index !== null) wrapper.set(CONNECT.INDEX, index);
    return wrapper;
  }
  if (index !== null) own.set(CONNECT.INDEX, index);
  return own;
}

const NULL_NODE = (): JsonSchemaNode => new Map([['type', 'null']]);

/** The same schema, required (Confluent's nonOptional). */
function nonOptional(schema: Schema): Schema {
  if (!schema.optional) return schema;
  return new Schema(schema.type, { ...schema, optional: false, fields: schema.fields, keySchema: schema.keySchema, valueSchema: schema.valueSchema });
}

/** An enum's symbols from its parameters (`<prefix>.<symbol>`), null marking a null symbol; null when not an enum. */
function enumSymbols(schema: Schema): (string | null)[] | null {
  const parameters = schema.parameters;
  if (!parameters) return null;
  const prefix = ENUM_PARAMETERS.find((p) => Object.hasOwn(parameters, p));
  if (prefix === undefined) return null;
  return Object.keys(parameters)
    .filter((k) => k.startsWith(prefix + '.'))
    .map((k) => k.slice(prefix.length + 1))
    .map((s) => (s === NULL_MARKER ? null : s));
}
