import * as protobuf from 'protobufjs';
import { BigDecimal, LogicalNames, Schema, SchemaType, Struct, twosComplementToBigint } from '../../api';
import { FieldInfo, fieldInfo, isEntryMessage, realOneofs } from './proto-fields';
import { PROTOBUF_TYPE_UNION_PREFIX } from './proto-names';

// Bound once: the api barrel re-exports through getters, too slow to go through per record.
const { STRUCT, ARRAY, MAP, INT32, INT64, BYTES } = SchemaType;
const { DECIMAL: DECIMAL_NAME, DATE: DATE_NAME, TIME: TIME_NAME, TIMESTAMP: TIMESTAMP_NAME } = LogicalNames;
const StructClass = Struct;
const BigDecimalClass = BigDecimal;

type Message = Record<string, unknown>;

/**
 * A decoded protobufjs message -> the Connect value of `schema` (from protoToConnectSchema of the
 * same type), as Confluent's ProtobufData.toConnectData: scalar, enum and repeated fields always
 * (their proto3 defaults when unset), message fields only when set, a oneof as a struct holding its
 * set member.
 */
export function protoToConnectValue(schema: Schema, message: Message, type: protobuf.Type): unknown {
  if (schema.type !== STRUCT) return scalar(schema, message.value, fieldInfo(type.fields.value));
  return struct(schema, message, type);
}

/** A Connect field and where its value is in the message: a field, or (union set) the members of a oneof. */
interface ReadPlan {
  name: string;
  schema: Schema;
  info: FieldInfo | null;
  /** Left unset when the message does not have it: message fields and `optional` ones. */
  onlyWhenSet: boolean;
  union: { name: string; schema: Schema; info: FieldInfo }[] | null;
}
const PLANS = new WeakMap<protobuf.Type, WeakMap<Schema, ReadPlan[]>>();

function plan(schema: Schema, type: protobuf.Type): ReadPlan[] {
  let bySchema = PLANS.get(type);
  if (!bySchema) PLANS.set(type, (bySchema = new WeakMap()));
  let plans = bySchema.get(schema);
  if (plans) return plans;
  const oneofs = realOneofs(type);
  plans = schema.fields.map((field): ReadPlan => {
    if (field.schema.type === STRUCT && field.schema.name?.startsWith(PROTOBUF_TYPE_UNION_PREFIX)) {
      const oneof = oneofs.find((o) => field.schema.fields.some((f) => o.fieldsArray.some((m) => m.name === f.name)));
      const members = (oneof?.fieldsArray ?? []).filter((m) => field.schema.field(m.name)).map((m) => ({ name: m.name, schema: field.schema.field(m.name)!.schema, info: fieldInfo(m) }));
      return { name: field.name, schema: field.schema, info: null, onlyWhenSet: true, union: members };
    }
    const info = fieldInfo(type.fields[field.name]);
    return { name: field.name, schema: field.schema, info, onlyWhenSet: (info.messageType !== null && !info.repeated) || info.optionalKeyword, union: null };
  });
  bySchema.set(schema, plans);
  return plans;
}

function struct(schema: Schema, message: Message, type: protobuf.Type): Struct {
  const out = new StructClass(schema);
  for (const p of plan(schema, type)) {
    if (p.union) {
      const member = p.union.find((m) => Object.hasOwn(message, m.name));
      if (member) out.put(p.name, new StructClass(p.schema).put(member.name, value(member.schema, message[member.name], member.info)));
    } else if (!p.onlyWhenSet || Object.hasOwn(message, p.name)) {
      out.put(p.name, value(p.schema, message[p.name], p.info!));
    }
  }
  return out;
}

function value(schema: Schema, v: unknown, field: FieldInfo): unknown {
  if (v === null || v === undefined) return null;
  if (schema.type === ARRAY) return (v as unknown[]).map((e) => single(schema.valueSchema!, e, field));
  if (schema.type === MAP) {
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
  const enumType = field.enumType;
  if (enumType) {
    if (schema.type === INT32) return v;
    return enumType.valuesById[v as number] ?? String(v);
  }
  const resolved = field.messageType;
  if (resolved) {
    const m = v as Message;
    switch (schema.name) {
      case DECIMAL_NAME: {
        const bytes = m.value as Uint8Array | undefined;
        const decimal = new BigDecimalClass(bytes && bytes.length > 0 ? twosComplementToBigint(bytes) : 0n, Number(m.scale ?? 0));
        const scale = Number(schema.parameters?.scale ?? decimal.scale);
        return decimal.scale === scale ? decimal : decimal.setScale(scale);
      }
      case DATE_NAME:
        return new Date(Date.UTC(Number(m.year), Number(m.month) - 1, Number(m.day)));
      case TIME_NAME:
        return new Date(((Number(m.hours) * 60 + Number(m.minutes)) * 60 + Number(m.seconds)) * 1000 + Math.floor(Number(m.nanos) / 1_000_000));
      case TIMESTAMP_NAME:
        return new Date(Number(m.seconds) * 1000 + Math.floor(Number(m.nanos) / 1_000_000));
    }
    if (schema.type === STRUCT) return struct(schema, m, resolved);
    if (schema.type === MAP) return value(schema, v, field);
    return scalar(schema, m.value, fieldInfo(resolved.fields.value));
  }
  return scalar(schema, v, field);
}

function scalar(schema: Schema, v: unknown, field: FieldInfo): unknown {
  if (v === null || v === undefined) return null;
  switch (schema.type) {
    case INT64:
      if (field.type === 'uint32' || field.type === 'fixed32') return BigInt(Number(v) >>> 0);
      return int64(v);
    case BYTES:
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

/** A decoded 64-bit value (a Long, or a number when protobufjs has no Long) as the signed 64-bit bigint. */
function int64(v: unknown): bigint {
  if (typeof v === 'number') return BigInt(v);
  const { low, high } = v as { low: number; high: number };
  // Exact as a double while the high word is within 21 bits: the common case, without strings.
  if (high >= -0x200000 && high < 0x200000) return BigInt(high * 0x100000000 + (low >>> 0));
  return BigInt.asIntN(64, (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0));
}
