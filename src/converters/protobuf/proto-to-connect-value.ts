import * as protobuf from 'protobufjs';
import { BigDecimal, LogicalNames, Schema, SchemaType, Struct, twosComplementToBigint } from '../../api';
import { FieldInfo, fieldInfo, isEntryMessage, realOneofs } from './proto-fields';
import { PROTOBUF_TYPE_UNION_PREFIX } from './proto-names';

type Message = Record<string, unknown>;

/**
 * A decoded protobufjs message -> the Connect value of `schema` (from protoToConnectSchema of the
 * same type), as Confluent's ProtobufData.toConnectData: scalar, enum and repeated fields always
 * (their proto3 defaults when unset), message fields only when set, a oneof as a struct holding its
 * set member.
 */
export function protoToConnectValue(schema: Schema, message: Message, type: protobuf.Type): unknown {
  if (schema.type !== SchemaType.STRUCT) return scalar(schema, message.value, fieldInfo(type.fields.value));
  return struct(schema, message, type);
}

function struct(schema: Schema, message: Message, type: protobuf.Type): Struct {
  const out = new Struct(schema);
  const oneofs = realOneofs(type);
  for (const field of schema.fields) {
    if (field.schema.type === SchemaType.STRUCT && field.schema.name?.startsWith(PROTOBUF_TYPE_UNION_PREFIX)) {
      const oneof = oneofs.find((o) => field.schema.fields.some((f) => o.fieldsArray.some((m) => m.name === f.name)));
      const member = oneof?.fieldsArray.find((m) => Object.hasOwn(message, m.name));
      if (member) {
        const union = new Struct(field.schema);
        union.put(member.name, value(field.schema.field(member.name)!.schema, message[member.name], fieldInfo(member)));
        out.put(field.name, union);
      }
      continue;
    }
    const protoField = type.fields[field.name];
    const info = fieldInfo(protoField);
    const set = Object.hasOwn(message, field.name);
    if (!set && (info.resolvedType instanceof protobuf.Type && !info.repeated && !info.map)) continue;
    if (!set && info.optionalKeyword) continue;
    out.put(field.name, value(field.schema, message[field.name], info));
  }
  return out;
}

function value(schema: Schema, v: unknown, field: FieldInfo): unknown {
  if (v === null || v === undefined) return null;
  if (schema.type === SchemaType.ARRAY) return (v as unknown[]).map((e) => single(schema.valueSchema!, e, field));
  if (schema.type === SchemaType.MAP) {
    const out = new Map<unknown, unknown>();
    if (field.map) {
      for (const [k, e] of Object.entries(v as Record<string, unknown>)) out.set(mapKey(k, field.map.key), single(schema.valueSchema!, e, field.map.value));
    } else if (isEntryMessage(field)) {
      const [keyField, valueField] = field.resolvedType.fieldsArray.map(fieldInfo);
      for (const entry of v as Message[]) out.set(single(schema.keySchema!, entry.key, keyField), single(schema.valueSchema!, entry.value, valueField));
    }
    return out;
  }
  return single(schema, v, field);
}

function single(schema: Schema, v: unknown, field: FieldInfo): unknown {
  if (v === null || v === undefined) return null;
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    if (schema.type === SchemaType.INT32) return v;
    return resolved.valuesById[v as number] ?? String(v);
  }
  if (resolved instanceof protobuf.Type) {
    const m = v as Message;
    switch (schema.name) {
      case LogicalNames.DECIMAL: {
        const bytes = m.value as Uint8Array | undefined;
        const decimal = new BigDecimal(bytes && bytes.length > 0 ? twosComplementToBigint(bytes) : 0n, Number(m.scale ?? 0));
        const scale = Number(schema.parameters?.scale ?? decimal.scale);
        return decimal.scale === scale ? decimal : decimal.setScale(scale);
      }
      case LogicalNames.DATE:
        return new Date(Date.UTC(Number(m.year), Number(m.month) - 1, Number(m.day)));
      case LogicalNames.TIME:
        return new Date(((Number(m.hours) * 60 + Number(m.minutes)) * 60 + Number(m.seconds)) * 1000 + Math.floor(Number(m.nanos) / 1_000_000));
      case LogicalNames.TIMESTAMP:
        return new Date(Number(m.seconds) * 1000 + Math.floor(Number(m.nanos) / 1_000_000));
    }
    if (schema.type === SchemaType.STRUCT) return struct(schema, m, resolved);
    if (schema.type === SchemaType.MAP) return value(schema, v, field);
    return scalar(schema, m.value, fieldInfo(resolved.fields.value));
  }
  return scalar(schema, v, field);
}

function scalar(schema: Schema, v: unknown, field: FieldInfo): unknown {
  if (v === null || v === undefined) return null;
  switch (schema.type) {
    case SchemaType.INT64:
      if (field.type === 'uint32' || field.type === 'fixed32') return BigInt(Number(v) >>> 0);
      return BigInt.asIntN(64, BigInt(String(v)));
    case SchemaType.BYTES:
      return Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array);
    default:
      return v;
  }
}

/** protobufjs keys map objects by text; 64-bit keys by an 8-character hash of their bits. */
function mapKey(key: string, field: FieldInfo): unknown {
  switch (field.type) {
    case 'string':
      return key;
    case 'bool':
      return key === 'true';
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint64':
    case 'fixed64': {
      const bits = protobuf.util.LongBits.fromHash(key);
      return BigInt.asIntN(64, (BigInt(bits.hi >>> 0) << 32n) | BigInt(bits.lo >>> 0));
    }
    case 'uint32':
    case 'fixed32':
      return BigInt(Number(key) >>> 0);
    default:
      return Number(key);
  }
}
