import { DataError, LogicalNames, Schema, SchemaType, Struct } from '../../api';
import * as C from './avro-constants';
import { AvroField, AvroNames, AvroObject, AvroSchemaJson, typeOf } from './avro-schema-json';
import { toAvroLogical } from './connect-to-avro-schema';

/** Turns one Connect value into the value avsc encodes (unions wrapped as `{branch: value}`). */
export type ValueWriter = (value: unknown) => unknown;

/**
 * Compiles, once per (Connect schema, Avro writer schema), the function that turns Connect values
 * into avsc values, as Confluent's AvroData.fromConnectData: logical types to their base values,
 * INT64 to bigint, maps with non-string keys to MapEntry arrays, structs to records, optional values
 * to the non-null union branch chosen at compile time.
 */
export function compileValueWriter(schema: Schema, avro: AvroSchemaJson): ValueWriter {
  const names = new AvroNames(avro);
  return compile(schema, avro, null, names);
}

function compile(schema: Schema, input: AvroSchemaJson, space: string | null, names: AvroNames): ValueWriter {
  const node = names.resolve(input, space);
  if (Array.isArray(node)) return compileUnion(schema, node.map((m) => names.resolve(m, space)), space, names);
  const inner = compileBase(schema, node, space, names);
  return (v) => (v === null || v === undefined ? nullFor(schema) : inner(v));
}

function nullFor(schema: Schema): null {
  if (!schema.optional) throw new DataError('Found null value for non-optional schema');
  return null;
}

function compileUnion(schema: Schema, members: AvroSchemaJson[], space: string | null, names: AvroNames): ValueWriter {
  const hasNull = members.some((m) => typeOf(m) === 'null');
  const branchOf = (s: Schema): { key: string; write: ValueWriter } => {
    const member = pickBranch(s, members, names);
    if (member === undefined) throw new DataError(`No branch of the Avro union ${JSON.stringify(members.map((m) => branchName(m, names)))} fits the Connect schema ${s.type}`);
    return { key: branchName(member, names), write: compileBase(s, member as AvroObject | string, space, names) };
  };
  const nullable = (): null => {
    if (!hasNull && !schema.optional) throw new DataError('Found null value for non-optional schema');
    return null;
  };
  if (schema.name === C.AVRO_TYPE_UNION && schema.type === SchemaType.STRUCT) {
    const byField = schema.fields.map((f) => ({ name: f.name, ...branchOf(f.schema) }));
    return (v) => {
      if (v === null || v === undefined) return nullable();
      const struct = v as Struct;
      for (const f of byField) {
        const member = struct.get(f.name);
        if (member !== null && member !== undefined) return { [f.key]: f.write(member) };
      }
      return nullable();
    };
  }
  const { key, write } = branchOf(schema);
  return (v) => (v === null || v === undefined ? nullable() : { [key]: write(v) });
}

/** The union member a Connect schema is written as: by full name, else by type. */
function pickBranch(schema: Schema, members: AvroSchemaJson[], names: AvroNames): AvroSchemaJson | undefined {
  const nonNull = members.filter((m) => typeOf(m) !== 'null');
  if (nonNull.length === 1) return nonNull[0];
  const byName = nonNull.find((m) => typeof m === 'object' && names.fullName(m as AvroObject) === schema.name);
  if (byName) return byName;
  const fits = AVRO_TYPES_FOR[schema.type];
  return nonNull.find((m) => fits.includes(typeOf(m)) && !(schema.type === SchemaType.STRUCT && names.fullName(m as AvroObject) === `${C.NAMESPACE}.${C.MAP_ENTRY_TYPE_NAME}`));
}

const AVRO_TYPES_FOR: Record<SchemaType, string[]> = {
  [SchemaType.INT8]: ['int'],
  [SchemaType.INT16]: ['int'],
  [SchemaType.INT32]: ['int'],
  [SchemaType.INT64]: ['long'],
  [SchemaType.FLOAT32]: ['float'],
  [SchemaType.FLOAT64]: ['double'],
  [SchemaType.BOOLEAN]: ['boolean'],
  [SchemaType.STRING]: ['string', 'enum'],
  [SchemaType.BYTES]: ['bytes', 'fixed'],
  [SchemaType.ARRAY]: ['array'],
  [SchemaType.MAP]: ['map', 'array'],
  [SchemaType.STRUCT]: ['record'],
};

/** avsc's name for a union branch: the full name of a named type, else the type. */
export function branchName(member: AvroSchemaJson, names: AvroNames): string {
  const type = typeOf(member);
  return typeof member === 'object' && !Array.isArray(member) && (type === 'record' || type === 'enum' || type === 'fixed' || type === 'error')
    ? (names.fullName(member) ?? type)
    : type;
}

function compileBase(schema: Schema, node: AvroObject | string, space: string | null, names: AvroNames): ValueWriter {
  const logical = schema.name !== null && LOGICAL.has(schema.name);
  const base = compileType(schema, node, space, names);
  return logical ? (v) => base(toAvroLogical(schema, v)) : base;
}

const LOGICAL: ReadonlySet<string> = new Set(Object.values(LogicalNames));

function compileType(schema: Schema, node: AvroObject | string, space: string | null, names: AvroNames): ValueWriter {
  const type = typeOf(node);
  const invalid = (v: unknown): never => {
    throw new DataError(`Invalid type for ${schema.type}: ${describe(v)}`);
  };
  switch (schema.type) {
    case SchemaType.INT8:
    case SchemaType.INT16:
    case SchemaType.INT32:
    case SchemaType.FLOAT32:
    case SchemaType.FLOAT64:
      return (v) => (typeof v === 'number' ? v : invalid(v));
    case SchemaType.INT64:
      return (v) => (typeof v === 'bigint' ? v : typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : invalid(v));
    case SchemaType.BOOLEAN:
      return (v) => (typeof v === 'boolean' ? v : invalid(v));
    case SchemaType.STRING:
      return (v) => (typeof v === 'string' ? v : invalid(v));
    case SchemaType.BYTES:
      return (v) => (Buffer.isBuffer(v) ? v : v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : invalid(v));
    case SchemaType.ARRAY: {
      if (type !== 'array') break;
      const item = compile(schema.valueSchema!, (node as AvroObject).items as AvroSchemaJson, space, names);
      return (v) => (Array.isArray(v) ? v.map(item) : invalid(v));
    }
    case SchemaType.MAP:
      return compileMap(schema, node as AvroObject, type, space, names, invalid);
    case SchemaType.STRUCT: {
      if (type !== 'record') break;
      const innerSpace = names.spaceOf(node as AvroObject, space);
      const fields = schema.fields.map((f) => {
        const avroField = ((node as AvroObject).fields as AvroField[]).find((a) => a.name === f.name);
        if (!avroField) throw new DataError(`The Avro record ${names.fullName(node as AvroObject)} has no field ${f.name}`);
        return { name: f.name, write: compile(f.schema, avroField.type, innerSpace, names) };
      });
      return (v) => {
        if (!(v instanceof Struct)) return invalid(v);
        if (v.schema !== schema && !v.schema.equals(schema)) throw new DataError('Mismatching struct schema');
        const out: Record<string, unknown> = {};
        for (const f of fields) out[f.name] = f.write(v.get(f.name));
        return out;
      };
    }
  }
  throw new DataError(`Cannot write Connect ${schema.type} as Avro ${type}`);
}

function compileMap(schema: Schema, node: AvroObject, type: string, space: string | null, names: AvroNames, invalid: (v: unknown) => never): ValueWriter {
  if (type === 'map') {
    const value = compile(schema.valueSchema!, node.values as AvroSchemaJson, space, names);
    return (v) => {
      if (!(v instanceof Map)) return invalid(v);
      const out: Record<string, unknown> = {};
      for (const [k, e] of v) out[k as string] = value(e);
      return out;
    };
  }
  if (type !== 'array') throw new DataError(`Cannot write Connect MAP as Avro ${type}`);
  const entry = names.resolve(node.items as AvroSchemaJson, space) as AvroObject;
  const entrySpace = names.spaceOf(entry, space);
  const fields = entry.fields as AvroField[];
  const key = compile(schema.keySchema!, fields.find((f) => f.name === C.KEY_FIELD)!.type, entrySpace, names);
  const value = compile(schema.valueSchema!, fields.find((f) => f.name === C.VALUE_FIELD)!.type, entrySpace, names);
  return (v) => {
    if (!(v instanceof Map)) return invalid(v);
    const out: Array<{ key: unknown; value: unknown }> = [];
    for (const [k, e] of v) out.push({ key: key(k), value: value(e) });
    return out;
  };
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'object';
}
