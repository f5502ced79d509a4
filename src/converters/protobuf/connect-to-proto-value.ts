import type * as protobuf from 'protobufjs';
import { bigintToTwosComplement, BigDecimal, DataError, LogicalNames, Schema, SchemaType, Struct } from '../../api';
import { DATE_TYPE, DECIMAL_TYPE, TIME_TYPE, TIMESTAMP_TYPE, WRAPPERS } from './known-protos';
import { FieldInfo, fieldInfo, isEntryMessage } from './proto-fields';
import { PROTOBUF_TYPE_UNION_PREFIX, scrubName } from './proto-names';

// Bound once: the api barrel re-exports through getters, too slow to go through per record.
const { STRUCT, ARRAY, MAP } = SchemaType;
const { DATE: DATE_NAME, TIME: TIME_NAME, TIMESTAMP: TIMESTAMP_NAME } = LogicalNames;
const StructClass = Struct;
const BigDecimalClass = BigDecimal;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

type ProtoObject = Record<string, unknown>;

/** A Connect field and the message field it is written to; info null for a oneof (a Union struct). */
interface FieldPlan {
  name: string;
  schema: Schema;
  path: string;
  protoName: string;
  info: FieldInfo | null;
}
const PLANS = new WeakMap<protobuf.Type, WeakMap<Schema, FieldPlan[]>>();

/**
 * A Connect value -> the plain object protobufjs encodes for `type`, matching fields by name (scrubbed
 * when `scrub` is set), as Confluent's ProtobufData.fromConnectData. Values proto3 does not write
 * (zero, "", false, empty bytes on fields without presence) and nulls are left out, so the bytes are
 * those of protoc-generated code. `path` names the field in errors.
 */
export function connectToProtoMessage(schema: Schema, value: unknown, type: protobuf.Type, scrub: boolean): ProtoObject {
  if (schema.type !== STRUCT) {
    return value === null || value === undefined ? {} : { value: scalarValue(schema, value, fieldInfo(type.fields.value), 'value') };
  }
  return new Writer(scrub).message(schema, value, type, '');
}

class Writer {
  constructor(private readonly scrub: boolean) {}

  message(schema: Schema, value: unknown, type: protobuf.Type, path: string): ProtoObject {
    if (!(value instanceof StructClass)) throw new DataError(`${where(path)}: expected a Struct, found ${describe(value)}`);
    const out: ProtoObject = {};
    for (const plan of this.plan(schema, type, path)) {
      const v = value.get(plan.name);
      if (plan.info === null) {
        if (v !== null && v !== undefined) this.union(plan.schema, v, type, out, plan.path);
      } else if (v === null || v === undefined) {
        if (!plan.schema.optional) throw new DataError(`${where(plan.path)}: null for a required field`);
      } else {
        // protobufjs leaves out proto3 zero values of fields without presence, as protoc's code does.
        out[plan.protoName] = this.field(plan.schema, v, plan.info, plan.path);
      }
    }
    return out;
  }

  /** How each field of a struct schema maps to the message, worked out on the first record. Paths leave array indexes out. */
  private plan(schema: Schema, type: protobuf.Type, path: string): FieldPlan[] {
    let bySchema = PLANS.get(type);
    if (!bySchema) PLANS.set(type, (bySchema = new WeakMap()));
    let plans = bySchema.get(schema);
    if (plans) return plans;
    plans = schema.fields.map((field) => {
      const fieldPath = path ? `${path}.${field.name}` : field.name;
      if (field.schema.type === STRUCT && field.schema.name?.startsWith(PROTOBUF_TYPE_UNION_PREFIX)) {
        return { name: field.name, schema: field.schema, path: fieldPath, protoName: '', info: null };
      }
      const protoField = type.fields[this.name(field.name)];
      if (!protoField) throw new DataError(`${where(fieldPath)}: message ${type.fullName.slice(1)} has no field ${this.name(field.name)}`);
      return { name: field.name, schema: field.schema, path: fieldPath, protoName: protoField.name, info: fieldInfo(protoField) };
    });
    bySchema.set(schema, plans);
    return plans;
  }

  private name(name: string): string {
    return this.scrub ? scrubName(name) : name;
  }

  private union(schema: Schema, value: unknown, type: protobuf.Type, out: ProtoObject, path: string): void {
    if (!(value instanceof StructClass)) throw new DataError(`${where(path)}: expected a Struct for a oneof, found ${describe(value)}`);
    for (const member of schema.fields) {
      const v = value.get(member.name);
      if (v === null || v === undefined) continue;
      const protoField = type.fields[this.name(member.name)];
      if (!protoField) throw new DataError(`${where(`${path}.${member.name}`)}: message ${type.fullName.slice(1)} has no field ${this.name(member.name)}`);
      out[protoField.name] = this.field(member.schema, v, fieldInfo(protoField), `${path}.${member.name}`);
      return;
    }
  }

  private field(schema: Schema, value: unknown, field: FieldInfo, path: string): unknown {
    if (schema.type === ARRAY) {
      if (!Array.isArray(value)) throw new DataError(`${where(path)}: expected an array, found ${describe(value)}`);
      return value.map((element, i) => {
        if (element === null || element === undefined) throw new DataError(`${where(`${path}[${i}]`)}: a repeated field cannot hold null`);
        return this.single(schema.valueSchema!, element, field, path);
      });
    }
    if (schema.type === MAP) return this.map(schema, value, field, path);
    return this.single(schema, value, field, path);
  }

  private map(schema: Schema, value: unknown, field: FieldInfo, path: string): unknown {
    const entries = value instanceof Map ? [...value.entries()] : value && typeof value === 'object' ? Object.entries(value) : null;
    if (!entries) throw new DataError(`${where(path)}: expected a Map, found ${describe(value)}`);
    if (field.map) {
      const out: ProtoObject = {};
      for (const [k, v] of entries) {
        if (v === null || v === undefined) continue;
        out[String(k)] = this.single(schema.valueSchema!, v, field.map.value, path);
      }
      return out;
    }
    if (!isEntryMessage(field)) throw new DataError(`${where(path)}: a map needs a repeated key/value entry message, found ${field.type}`);
    const [keyField, valueField] = field.resolvedType.fieldsArray.map(fieldInfo);
    return entries.map(([k, v]) => {
      const entry: ProtoObject = {};
      if (k !== null && k !== undefined) entry.key = this.single(schema.keySchema!, k, keyField, path);
      if (v !== null && v !== undefined) entry.value = this.single(schema.valueSchema!, v, valueField, path);
      return entry;
    });
  }

  private single(schema: Schema, value: unknown, field: FieldInfo, path: string): unknown {
    const resolved = field.messageType;
    if (resolved) {
      const fullName = field.messageName!;
      switch (fullName) {
        case DECIMAL_TYPE:
          return decimal(value, path);
        case DATE_TYPE:
          return date(value, path);
        case TIME_TYPE:
          return timeOfDay(value, path);
        case TIMESTAMP_TYPE:
          return timestamp(value, path);
      }
      if (WRAPPERS.has(fullName) && schema.type !== STRUCT) return { value: scalarValue(schema, value, fieldInfo(resolved.fields.value), path) };
      if (schema.type === MAP) return this.map(schema, value, field, path);
      return this.message(schema, value, resolved, path);
    }
    const enumType = field.enumType;
    if (enumType) {
      if (typeof value === 'number') return value;
      const number = typeof value === 'string' ? enumType.values[value] : undefined;
      if (number === undefined) throw new DataError(`${where(path)}: ${describe(value)} is not a symbol of enum ${enumType.fullName.slice(1)}`);
      return number;
    }
    return scalarValue(schema, value, field, path);
  }
}

function scalarValue(schema: Schema, value: unknown, field: FieldInfo, path: string): unknown {
  switch (field.type) {
    case 'int64':
    case 'sint64':
    case 'sfixed64':
    case 'uint64':
    case 'fixed64':
    case 'uint32':
    case 'fixed32': {
      if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) throw new DataError(`${where(path)}: expected an integer, found ${describe(value)}`);
      if (field.type.endsWith('32')) return Number(value) >>> 0;
      if (typeof value === 'number') return value;
      // protobufjs takes 64-bit values as numbers when exact, else as decimal strings; the signed form carries the same 64 bits.
      const bits = BigInt.asIntN(64, value);
      return bits >= MIN_SAFE && bits <= MAX_SAFE ? Number(bits) : bits.toString();
    }
    case 'bytes':
      if (!(value instanceof Uint8Array)) throw new DataError(`${where(path)}: expected bytes, found ${describe(value)}`);
      return value;
    case 'string':
      if (typeof value !== 'string') throw new DataError(`${where(path)}: expected a string, found ${describe(value)}`);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw new DataError(`${where(path)}: expected a boolean, found ${describe(value)}`);
      return value;
    default:
      if (typeof value !== 'number') throw new DataError(`${where(path)}: expected a number for ${schema.type}, found ${describe(value)}`);
      return value;
  }
}

function decimal(value: unknown, path: string): ProtoObject {
  if (!(value instanceof BigDecimalClass)) throw new DataError(`${where(path)}: expected a BigDecimal, found ${describe(value)}`);
  const digits = (value.unscaled < 0n ? -value.unscaled : value.unscaled).toString().length;
  return { value: bigintToTwosComplement(value.unscaled), precision: digits, scale: value.scale };
}

function date(value: unknown, path: string): ProtoObject {
  const d = asDate(value, path, DATE_NAME);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function timeOfDay(value: unknown, path: string): ProtoObject {
  const d = asDate(value, path, TIME_NAME);
  return { hours: d.getUTCHours(), minutes: d.getUTCMinutes(), seconds: d.getUTCSeconds(), nanos: d.getUTCMilliseconds() * 1_000_000 };
}

function timestamp(value: unknown, path: string): ProtoObject {
  const ms = asDate(value, path, TIMESTAMP_NAME).getTime();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

function asDate(value: unknown, path: string, logical: string): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new DataError(`${where(path)}: expected a Date for ${logical}, found ${describe(value)}`);
  return value;
}

function where(path: string): string {
  return path ? `Field ${path}` : 'The value';
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return `${typeof value} ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)}`;
}
