import { ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, LogicalNames, Schema, SchemaType, Struct } from '../../api';
import * as C from './avro-constants';
import { AvroField, AvroNames, AvroObject, AvroSchemaJson, typeOf } from './avro-schema-json';
import { branchName, describe } from './connect-to-avro-value';

/** Turns one value decoded by avsc (unions wrapped as `{branch: value}`) into a Connect value. */
export type ValueReader = (value: unknown) => unknown;

/**
 * Compiles, once per writer schema, the function that turns avsc values into Connect values for the
 * Connect schema avroToConnectSchema made of that writer schema (Confluent's AvroData.toConnectData):
 * records to Structs, maps to Maps (MapEntry arrays too), logical types to BigDecimal and Date, and
 * general unions to io.confluent.connect.avro.Union structs with the one member that is set.
 */
export function compileValueReader(schema: Schema, avro: AvroSchemaJson): ValueReader {
  return compile(schema, avro, null, new AvroNames(avro));
}

function compile(schema: Schema, input: AvroSchemaJson, space: string | null, names: AvroNames): ValueReader {
  const node = names.resolve(input, space);
  if (!Array.isArray(node)) {
    const base = compileBase(schema, node, space, names);
    return (v) => (v === null || v === undefined ? null : base(v));
  }
  const members = node.map((m) => names.resolve(m, space)).filter((m) => typeOf(m) !== 'null');
  if (node.length === 2 && members.length === 1) {
    const key = branchName(members[0], names);
    const read = compileBase(schema, members[0] as AvroObject | string, space, names);
    return (v) => (v === null || v === undefined ? null : read((v as Record<string, unknown>)[key]));
  }
  // A general union: the Connect schema has one optional field per non-null member, in order.
  const byBranch = new Map(
    members.map((m, i) => {
      const field = schema.fields[i];
      return [branchName(m, names), { field: field.name, read: compileBase(field.schema, m as AvroObject | string, space, names) }];
    }),
  );
  return (v) => {
    if (v === null || v === undefined) return null;
    const key = Object.keys(v as object)[0];
    const branch = byBranch.get(key);
    if (!branch) throw new DataError(`Did not find matching union field for data: ${key}`);
    return new Struct(schema).put(branch.field, branch.read((v as Record<string, unknown>)[key]));
  };
}

function compileBase(schema: Schema, node: AvroObject | string, space: string | null, names: AvroNames): ValueReader {
  const base = compileType(schema, node, space, names);
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      return (v) => Decimal.toLogical(schema, base(v) as Buffer);
    case LogicalNames.DATE:
      return (v) => ConnectDate.toLogical(schema, base(v) as number);
    case LogicalNames.TIME:
      return (v) => ConnectTime.toLogical(schema, base(v) as number);
    case LogicalNames.TIMESTAMP:
      return (v) => ConnectTimestamp.toLogical(schema, base(v) as bigint);
    default:
      return base;
  }
}

const identity: ValueReader = (v) => v;

function compileType(schema: Schema, node: AvroObject | string, space: string | null, names: AvroNames): ValueReader {
  const type = typeOf(node);
  switch (type) {
    case 'int':
    case 'long':
    case 'float':
    case 'double':
    case 'boolean':
    case 'string':
    case 'enum':
    case 'bytes':
    case 'fixed':
      return identity;
    case 'array': {
      const items = names.resolve((node as AvroObject).items as AvroSchemaJson, space);
      if (schema.type === SchemaType.MAP) {
        const entry = items as AvroObject;
        const entrySpace = names.spaceOf(entry, space);
        const fields = entry.fields as AvroField[];
        const key = compile(schema.keySchema!, fields.find((f) => f.name === C.KEY_FIELD)!.type, entrySpace, names);
        const value = compile(schema.valueSchema!, fields.find((f) => f.name === C.VALUE_FIELD)!.type, entrySpace, names);
        return (v) => new Map((v as Array<Record<string, unknown>>).map((e) => [key(e.key), value(e.value)]));
      }
      const item = compile(schema.valueSchema!, items, space, names);
      return (v) => (v as unknown[]).map(item);
    }
    case 'map': {
      const value = compile(schema.valueSchema!, (node as AvroObject).values as AvroSchemaJson, space, names);
      return (v) => {
        const out = new Map<string, unknown>();
        for (const [k, e] of Object.entries(v as object)) out.set(k, value(e));
        return out;
      };
    }
    case 'record':
    case 'error': {
      const innerSpace = names.spaceOf(node as AvroObject, space);
      const fields = ((node as AvroObject).fields as AvroField[]).map((f) => ({ name: f.name, read: compile(schema.field(f.name)!.schema, f.type, innerSpace, names) }));
      return (v) => {
        const struct = new Struct(schema);
        const record = v as Record<string, unknown>;
        for (const f of fields) struct.put(f.name, f.read(record[f.name]));
        return struct;
      };
    }
  }
  throw new DataError(`Cannot read Avro ${type} as Connect ${schema.type} (${describe(node)})`);
}
