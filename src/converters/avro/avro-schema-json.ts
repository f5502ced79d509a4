import { DataError } from '../../api';

/**
 * Avro schemas as plain JSON values (what the Schema Registry stores), and the two things done with
 * them: writing one as the exact text Apache Avro's Java Schema.toString() produces, and resolving
 * named-type references while walking one.
 */
export type AvroSchemaJson = string | AvroSchemaJson[] | AvroObject;
export interface AvroObject {
  type: AvroSchemaJson;
  [key: string]: unknown;
}
export interface AvroField {
  name: string;
  type: AvroSchemaJson;
  [key: string]: unknown;
}

/** Number text written as is (Java's Float/Double/Long text for defaults). */
export class RawJson {
  constructor(readonly text: string) {}
}

export const PRIMITIVES: ReadonlySet<string> = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);
const NAMED = new Set(['record', 'error', 'enum', 'fixed']);
/** Attributes the writer handles itself; anything else on a node is a property, written after them. */
const RESERVED: Record<string, ReadonlySet<string>> = {
  record: new Set(['type', 'name', 'namespace', 'doc', 'fields', 'aliases']),
  enum: new Set(['type', 'name', 'namespace', 'doc', 'symbols', 'default', 'aliases']),
  fixed: new Set(['type', 'name', 'namespace', 'doc', 'size', 'aliases']),
  array: new Set(['type', 'items']),
  map: new Set(['type', 'values']),
  field: new Set(['name', 'type', 'doc', 'default', 'order', 'aliases']),
};
RESERVED.error = RESERVED.record;

export function isNamedType(type: string): boolean {
  return NAMED.has(type);
}

/** Java's Schema.toString(): named types once, then by name; namespaces only where they change. */
export function writeAvroSchema(schema: AvroSchemaJson): string {
  return new SchemaWriter().schema(schema, null);
}

class SchemaWriter {
  private readonly defined = new Map<string, AvroObject>();

  schema(node: AvroSchemaJson, space: string | null): string {
    if (typeof node === 'string') return JSON.stringify(node);
    if (Array.isArray(node)) return `[${node.map((n) => this.schema(n, space)).join(',')}]`;
    const type = node.type;
    if (typeof type !== 'string') return this.schema(type, space);
    if (NAMED.has(type)) return this.named(node, type, space);
    const parts = [`"type":${JSON.stringify(type)}`];
    if (type === 'array') parts.push(`"items":${this.schema(node.items as AvroSchemaJson, space)}`);
    if (type === 'map') parts.push(`"values":${this.schema(node.values as AvroSchemaJson, space)}`);
    const props = this.props(node, RESERVED[type]);
    if (parts.length === 1 && props.length === 0) return JSON.stringify(type);
    return `{${[...parts, ...props].join(',')}}`;
  }

  private named(node: AvroObject, type: string, space: string | null): string {
    const { name, namespace } = splitFullName(String(node.name), (node.namespace as string | null | undefined) ?? null);
    const full = namespace ? `${namespace}.${name}` : name;
    const earlier = this.defined.get(full);
    if (earlier) {
      if (earlier !== node && jsonText(earlier) !== jsonText(node)) throw new DataError(`Can't redefine: ${full}`);
      return JSON.stringify(namespace === space ? name : full);
    }
    this.defined.set(full, node);
    const parts = [`"type":${JSON.stringify(type)}`, `"name":${JSON.stringify(name)}`];
    if (namespace !== space) parts.push(`"namespace":${JSON.stringify(namespace ?? '')}`);
    if (typeof node.doc === 'string') parts.push(`"doc":${JSON.stringify(node.doc)}`);
    if (type === 'record' || type === 'error') {
      const fields = (node.fields as AvroField[]).map((f) => this.field(f, namespace));
      parts.push(`"fields":[${fields.join(',')}]`);
    } else if (type === 'enum') {
      parts.push(`"symbols":${JSON.stringify(node.symbols)}`);
      if (typeof node.default === 'string') parts.push(`"default":${JSON.stringify(node.default)}`);
    } else {
      parts.push(`"size":${Number(node.size)}`);
    }
    parts.push(...this.props(node, RESERVED[type]));
    if (Array.isArray(node.aliases)) parts.push(`"aliases":${JSON.stringify(node.aliases)}`);
    return `{${parts.join(',')}}`;
  }

  private field(field: AvroField, space: string | null): string {
    const parts = [`"name":${JSON.stringify(field.name)}`, `"type":${this.schema(field.type, space)}`];
    if (typeof field.doc === 'string') parts.push(`"doc":${JSON.stringify(field.doc)}`);
    if ('default' in field) parts.push(`"default":${jsonText(field.default)}`);
    if (field.order !== undefined && field.order !== 'ascending') parts.push(`"order":${JSON.stringify(field.order)}`);
    if (Array.isArray(field.aliases)) parts.push(`"aliases":${JSON.stringify(field.aliases)}`);
    parts.push(...this.props(field, RESERVED.field));
    return `{${parts.join(',')}}`;
  }

  private props(node: Record<string, unknown>, reserved: ReadonlySet<string> = new Set(['type'])): string[] {
    const out: string[] = [];
    for (const key of Object.keys(node)) if (!reserved.has(key) && node[key] !== undefined) out.push(`${JSON.stringify(key)}:${jsonText(node[key])}`);
    return out;
  }
}

/** JSON text of a value that may hold RawJson numbers and bigints. */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof RawJson) return value.text;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
}

/** Splits `a.b.C` into namespace `a.b` and name `C`; a name without dots keeps the given namespace. */
export function splitFullName(name: string, namespace: string | null): { name: string; namespace: string | null } {
  const dot = name.lastIndexOf('.');
  if (dot >= 0) return { namespace: name.slice(0, dot) || null, name: name.slice(dot + 1) };
  return { name, namespace: namespace === '' ? null : namespace };
}

/**
 * The named types of a parsed schema, by full name, following Avro's namespace inheritance, so a
 * walk can replace a name reference by its definition.
 */
export class AvroNames {
  private readonly byName = new Map<string, AvroObject>();
  private readonly fullNames = new WeakMap<object, string>();
  private readonly spaces = new WeakMap<object, string | null>();

  constructor(root: AvroSchemaJson) {
    this.collect(root, null);
  }

  /** The full name of a named type node, or null. */
  fullName(node: AvroObject): string | null {
    return this.fullNames.get(node) ?? null;
  }

  /** The namespace a node's children inherit. */
  spaceOf(node: AvroObject, outer: string | null): string | null {
    return this.spaces.has(node) ? (this.spaces.get(node) as string | null) : outer;
  }

  /** The definition behind a name reference, or the node itself. */
  resolve(node: AvroSchemaJson, space: string | null): AvroSchemaJson {
    if (typeof node !== 'string' || PRIMITIVES.has(node)) return node;
    const found = this.byName.get(node.includes('.') || !space ? node : `${space}.${node}`) ?? this.byName.get(node);
    if (!found) throw new DataError(`Undefined name: ${node}`);
    return found;
  }

  private collect(node: AvroSchemaJson, space: string | null): void {
    if (typeof node === 'string') return;
    if (Array.isArray(node)) return node.forEach((n) => this.collect(n, space));
    if (typeof node.type !== 'string') return this.collect(node.type, space);
    if (NAMED.has(node.type)) {
      const ns = (node.namespace as string | null | undefined) ?? space;
      const split = splitFullName(String(node.name), ns);
      const full = split.namespace ? `${split.namespace}.${split.name}` : split.name;
      this.byName.set(full, node);
      this.fullNames.set(node, full);
      this.spaces.set(node, split.namespace);
      for (const field of (node.fields as AvroField[] | undefined) ?? []) this.collect(field.type, split.namespace);
      return;
    }
    if (node.type === 'array') this.collect(node.items as AvroSchemaJson, space);
    if (node.type === 'map') this.collect(node.values as AvroSchemaJson, space);
  }
}

/** The type name of a (resolved) schema node: a primitive, record, enum, fixed, array, map or union. */
export function typeOf(node: AvroSchemaJson): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return 'union';
  return typeof node.type === 'string' ? node.type : typeOf(node.type);
}
