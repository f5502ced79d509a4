import { DataError, Schema, SchemaType } from '../../api';
import { JsonDecimal, JsonObject, JsonValue, jsonNodeType } from '../json-reader';
import { CONNECT, ONE_OF_NAME } from './json-schema-node';

export interface JsonSchemaToConnectOptions {
  /** use.optional.for.nonrequired: properties not in "required" become optional fields. */
  readonly optionalForNonRequired: boolean;
  /** A referenced schema document by its reference name (the text of a $ref before any '#'); undefined if unknown. */
  readonly external: (name: string) => JsonValue | undefined;
  /** The Connect value of a "default" for a schema. */
  readonly readDefault: (schema: Schema, node: JsonValue) => unknown;
}

const CONNECT_NUMBER_TYPES: Readonly<Record<string, SchemaType>> = {
  int8: SchemaType.INT8,
  int16: SchemaType.INT16,
  int32: SchemaType.INT32,
  int64: SchemaType.INT64,
  float32: SchemaType.FLOAT32,
  float64: SchemaType.FLOAT64,
  bytes: SchemaType.BYTES,
};
const ENUM_PARAMETER = 'io.confluent.connect.json.Enum';
const NULL_MARKER = '<NULL>';
/** Keywords that make a schema without "type" an object / array / string / number schema, as Everit infers. */
const OBJECT_KEYWORDS = ['properties', 'additionalProperties', 'required', 'patternProperties', 'minProperties', 'maxProperties'];
const ARRAY_KEYWORDS = ['items', 'minItems', 'maxItems', 'uniqueItems', 'contains'];
const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format'];
const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];

interface Place {
  /** The document a node belongs to, for its local "#/..." refs. */
  readonly doc: JsonValue;
  /** Its reference name ('' for the root), for messages and cycle checks. */
  readonly docName: string;
}

/**
 * The Connect schema for a JSON Schema, as Confluent's JsonSchemaData.toConnectSchema reads it:
 * connect.type picks INT8..FLOAT64 and BYTES (integer alone is INT64, number FLOAT64), title names
 * the schema, connect.index orders struct fields, `oneOf`/`anyOf` of null and S is S optional, other
 * oneOf/anyOf become a struct named io.confluent.connect.json.OneOf with one optional field per
 * member, allOf merges the members' properties, enum and const become strings with
 * io.confluent.connect.json.Enum parameters, objects with connect.type "map" (or arrays of
 * key/value objects) become maps. $refs are followed within the document ("#/definitions/X",
 * "#/$defs/X") and into referenced schemas (by reference name). `version` is used when the schema
 * carries no connect.version. Throws a DataError naming the construct that has no Connect
 * equivalent: a recursive $ref, an empty schema, a lone null, tuple-typed items.
 */
export function jsonSchemaToConnect(root: JsonValue, version: number | null, options: JsonSchemaToConnectOptions): Schema {
  return new Reader(options).read(root, { doc: root, docName: '' }, version, false, [], '#');
}

class Reader {
  constructor(private readonly options: JsonSchemaToConnectOptions) {}

  read(node: JsonValue, place: Place, version: number | null, forceOptional: boolean, refs: readonly string[], path: string): Schema {
    if (node === true || (node instanceof Map && node.size === 0)) throw unsupported(path, 'an empty schema (any JSON value) has no Connect type');
    if (!(node instanceof Map)) throw unsupported(path, `expected a schema object, found ${describe(node)}`);
    const ref = node.get('$ref');
    if (typeof ref === 'string') return this.readRef(ref, place, version, forceOptional, refs, path);

    const annotations = (schema: SchemaType, extra: Partial<Options> = {}): Schema =>
      this.finish(node, schema, extra, version, forceOptional, path);

    for (const keyword of ['oneOf', 'anyOf'] as const) {
      const members = node.get(keyword);
      if (Array.isArray(members)) return this.readUnion(members, place, version, forceOptional, refs, `${path}/${keyword}`);
    }
    const allOf = node.get('allOf');
    if (Array.isArray(allOf)) return this.readAllOf(node, allOf, place, version, forceOptional, refs, path);

    const enumValues = node.has('const') ? [node.get('const')!] : node.get('enum');
    if (Array.isArray(enumValues)) {
      const parameters: Record<string, string> = { [ENUM_PARAMETER]: '' };
      for (const v of enumValues) {
        const symbol = v === null ? NULL_MARKER : typeof v === 'string' ? v : v instanceof JsonDecimal ? v.text : String(v);
        parameters[`${ENUM_PARAMETER}.${symbol}`] = symbol;
      }
      return annotations(SchemaType.STRING, { parameters });
    }

    let type = node.get('type');
    if (Array.isArray(type)) {
      const types = type.filter((t) => t !== 'null');
      const nullable = types.length < type.length;
      if (types.length !== 1) {
        // Everit reads several types as anyOf of one schema per type.
        const members: JsonValue[] = type.map((t) => new Map([...node].filter(([k]) => k !== 'type').concat([['type', t]])));
        return this.readUnion(members, place, version, forceOptional, refs, `${path}/type`);
      }
      type = types[0];
      forceOptional ||= nullable;
    }
    if (type === undefined) type = inferType(node);
    const connectType = node.get(CONNECT.TYPE);
    switch (type) {
      case 'boolean':
        return annotations(SchemaType.BOOLEAN);
      case 'integer':
      case 'number': {
        const mapped = typeof connectType === 'string' ? CONNECT_NUMBER_TYPES[connectType] : undefined;
        if (typeof connectType === 'string' && mapped === undefined) throw unsupported(path, `unknown connect.type "${connectType}" for a ${type}`);
        return annotations(mapped ?? (type === 'integer' ? SchemaType.INT64 : SchemaType.FLOAT64));
      }
      case 'string':
        return annotations(connectType === 'bytes' ? SchemaType.BYTES : SchemaType.STRING);
      case 'array': {
        const items = node.get('items');
        if (items === undefined) throw new DataError(`JSON Schema at ${path}: the array schema does not specify the items type`);
        if (Array.isArray(items)) throw unsupported(path, 'tuple "items" (one schema per position) have no Connect type');
        if (connectType === 'map' && items instanceof Map && items.get('properties') instanceof Map) {
          const properties = items.get('properties') as JsonObject;
          const key = properties.get('key');
          const value = properties.get('value');
          if (key === undefined || value === undefined) throw unsupported(`${path}/items`, 'a map entry schema needs "key" and "value" properties');
          return annotations(SchemaType.MAP, {
            keySchema: this.read(key, place, null, false, refs, `${path}/items/properties/key`),
            valueSchema: this.read(value, place, null, false, refs, `${path}/items/properties/value`),
          });
        }
        return annotations(SchemaType.ARRAY, { valueSchema: this.read(items, place, null, false, refs, `${path}/items`) });
      }
      case 'object': {
        if (connectType === 'map') {
          const values = node.get('additionalProperties');
          if (!(values instanceof Map)) throw unsupported(path, 'a map needs an "additionalProperties" schema');
          return annotations(SchemaType.MAP, { keySchema: Schema.STRING_SCHEMA, valueSchema: this.read(values, place, null, false, refs, `${path}/additionalProperties`) });
        }
        const properties = node.get('properties');
        const required = node.get('required');
        return annotations(SchemaType.STRUCT, {
          fields: this.readFields(properties instanceof Map ? [...properties] : [], new Set(Array.isArray(required) ? required : []), place, refs, `${path}/properties`),
        });
      }
      case 'null':
        throw unsupported(path, 'a schema of type null alone has no Connect type');
      default:
        throw unsupported(path, type === undefined ? 'an empty schema (any JSON value) has no Connect type' : `unknown type ${JSON.stringify(type)}`);
    }
  }

  private readFields(properties: [string, JsonValue][], required: ReadonlySet<JsonValue>, place: Place, refs: readonly string[], path: string): Schema['fields'] {
    const indexed = properties.map(([name, schema], position) => {
      const index = schema instanceof Map ? schema.get(CONNECT.INDEX) : undefined;
      return { name, schema, order: index === undefined || index === null ? Number.MAX_SAFE_INTEGER : Number(index), position };
    });
    indexed.sort((a, b) => a.order - b.order || a.position - b.position);
    return indexed.map(({ name, schema }, index) => ({
      name,
      index,
      schema: this.read(schema, place, null, this.options.optionalForNonRequired && !required.has(name), refs, `${path}/${name}`),
    }));
  }

  private readUnion(members: JsonValue[], place: Place, version: number | null, forceOptional: boolean, refs: readonly string[], path: string): Schema {
    const isNull = (m: JsonValue) => m instanceof Map && m.get('type') === 'null' && m.size === 1;
    const others = members.filter((m) => !isNull(m));
    if (members.length === 1) return this.read(members[0], place, version, forceOptional, refs, `${path}/0`);
    if (members.length === 2 && others.length === 1) return this.read(others[0], place, version, true, refs, `${path}/${members.indexOf(others[0])}`);
    const fields = others.map((m, index) => ({
      name: `${ONE_OF_NAME}.field.${index}`,
      index,
      schema: this.read(m, place, null, true, refs, `${path}/${members.indexOf(m)}`),
    }));
    return new Schema(SchemaType.STRUCT, { name: ONE_OF_NAME, fields, optional: forceOptional || others.length < members.length });
  }

  private readAllOf(node: JsonObject, members: JsonValue[], place: Place, version: number | null, forceOptional: boolean, refs: readonly string[], path: string): Schema {
    const properties = new Map<string, JsonValue>();
    const required = new Set<JsonValue>();
    const visit = (m: JsonValue, at: Place, seen: readonly string[]): void => {
      if (!(m instanceof Map)) return;
      const ref = m.get('$ref');
      if (typeof ref === 'string') {
        const target = this.resolve(ref, at, seen, path);
        visit(target.node, target.place, [...seen, target.key]);
      }
      const ps = m.get('properties');
      if (ps instanceof Map) for (const [k, v] of ps) properties.set(k, v);
      const rs = m.get('required');
      if (Array.isArray(rs)) rs.forEach((r) => required.add(r));
      const all = m.get('allOf');
      if (Array.isArray(all)) all.forEach((x) => visit(x, at, seen));
    };
    visit(node, place, refs);
    if (properties.size > 0) {
      return this.finish(node, SchemaType.STRUCT, { fields: this.readFields([...properties], required, place, refs, `${path}/allOf`) }, version, forceOptional, path);
    }
    // Without properties, the member that says what the value is: a union, an enum, a number, a string.
    const rank = (m: JsonValue): number => {
      if (!(m instanceof Map)) return 9;
      if (m.has('oneOf') || m.has('anyOf')) return 0;
      if (m.has('enum') || m.has('const')) return 1;
      if (m.get('type') === 'number' || m.get('type') === 'integer') return 2;
      if (m.has('type') || m.has('$ref')) return 3;
      return 9;
    };
    const best = [...members].sort((a, b) => rank(a) - rank(b))[0];
    if (best === undefined || rank(best) === 9) throw unsupported(`${path}/allOf`, 'no member of this allOf has a Connect type');
    return this.read(best, place, version, forceOptional, refs, `${path}/allOf/${members.indexOf(best)}`);
  }

  /** A $ref: what it points at (connect.index next to it only orders the field). */
  private readRef(ref: string, place: Place, version: number | null, forceOptional: boolean, refs: readonly string[], path: string): Schema {
    const target = this.resolve(ref, place, refs, path);
    return this.read(target.node, target.place, version, forceOptional, [...refs, target.key], `${path} -> ${ref}`);
  }

  private resolve(ref: string, place: Place, refs: readonly string[], path: string): { node: JsonValue; place: Place; key: string } {
    const hash = ref.indexOf('#');
    const docName = hash < 0 ? ref : ref.slice(0, hash);
    const pointer = hash < 0 ? '' : ref.slice(hash + 1);
    let target = place;
    if (docName !== '') {
      const doc = this.options.external(docName);
      if (doc === undefined) throw new DataError(`JSON Schema at ${path}: $ref "${ref}" names no referenced schema (none is registered under the name "${docName}")`);
      target = { doc, docName };
    }
    const key = `${target.docName}#${pointer}`;
    if (refs.includes(key)) throw unsupported(path, `$ref "${ref}" is recursive; a recursive schema has no Connect equivalent`);
    let node: JsonValue | undefined = target.doc;
    for (const raw of pointer.split('/').slice(1)) {
      const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      node = node instanceof Map ? node.get(part) : Array.isArray(node) ? node[Number(part)] : undefined;
    }
    if (node === undefined) throw new DataError(`JSON Schema at ${path}: $ref "${ref}" points at nothing`);
    return { node, place: target, key };
  }

  /** Title, version, description, parameters, default and optionality, as Confluent reads them. */
  private finish(node: JsonObject, type: SchemaType, own: Partial<Options>, version: number | null, forceOptional: boolean, path: string): Schema {
    const title = node.get('title');
    const connectVersion = node.get(CONNECT.VERSION);
    const description = node.get('description');
    const params = node.get(CONNECT.PARAMETERS);
    let parameters = own.parameters ?? null;
    if (params instanceof Map) {
      const merged: Record<string, string> = { ...(parameters ?? {}) };
      for (const [k, v] of params) merged[k] = typeof v === 'string' ? v : String(v);
      parameters = merged;
    }
    const options: Options = {
      ...own,
      name: typeof title === 'string' ? title : null,
      version: connectVersion !== undefined && connectVersion !== null ? Number(connectVersion) : version,
      doc: typeof description === 'string' ? description : null,
      parameters,
      optional: forceOptional,
    };
    const schema = new Schema(type, options);
    if (!node.has('default')) return schema;
    let value: unknown;
    try {
      value = this.options.readDefault(schema, node.get('default')!);
    } catch (err) {
      throw new DataError(`JSON Schema at ${path}: invalid default value: ${(err as Error).message}`, { cause: err });
    }
    return new Schema(type, { ...options, defaultValue: value });
  }
}

type Options = NonNullable<ConstructorParameters<typeof Schema>[1]>;

function inferType(node: JsonObject): string | undefined {
  const has = (keys: string[]) => keys.some((k) => node.has(k));
  if (has(OBJECT_KEYWORDS)) return 'object';
  if (has(ARRAY_KEYWORDS)) return 'array';
  if (has(STRING_KEYWORDS)) return 'string';
  if (has(NUMBER_KEYWORDS)) return 'number';
  return undefined;
}

function describe(node: JsonValue): string {
  return typeof node === 'string' || typeof node === 'boolean' ? JSON.stringify(node) : `a JSON ${jsonNodeType(node).toLowerCase()}`;
}

function unsupported(path: string, what: string): DataError {
  return new DataError(`JSON Schema at ${path}: ${what}`);
}
