import * as protobuf from 'protobufjs';
import { ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Schema, SchemaBuilder } from '../../api';
import { DATE_TYPE, DECIMAL_TYPE, TIME_TYPE, TIMESTAMP_TYPE, WRAPPERS } from './known-protos';
import { FieldInfo, fieldInfo, isEntryMessage, realOneofs } from './proto-fields';
import { ProtobufDataOptions } from './protobuf-converter-config';
import {
  CONNECT_PRECISION_PROP,
  CONNECT_TYPE_PROP,
  mapNameOfEntry,
  PROTOBUF_TYPE_ENUM,
  PROTOBUF_TYPE_PROP,
  PROTOBUF_TYPE_TAG,
  PROTOBUF_TYPE_UNION_PREFIX,
  PROTOBUF_TYPE_WRAPPER,
} from './proto-names';

/**
 * A Protobuf message -> Connect schema as Confluent's ProtobufData.toConnectSchema: a STRUCT named
 * after the message (its full name with enhanced.protobuf.schema.support), each real oneof first as an
 * optional STRUCT named io.confluent.connect.protobuf.Union.<oneof> in a field <oneof>_<index>, then
 * the other fields in declaration order, each with its field number in the
 * io.confluent.connect.protobuf.Tag parameter. With Confluent's defaults every field is optional (a
 * proto3 field cannot tell unset from default). Wrapper messages read as nullable primitives with
 * wrapper.for.nullables, and a top-level wrapper as its primitive with wrapper.for.raw.primitives.
 */
export function protoToConnectSchema(type: protobuf.Type, options: ProtobufDataOptions, version: number | null): Schema {
  const builder = options.wrapperForRawPrimitives && unwrapped(type) ? unwrapped(type)! : new Reader(options).struct(type);
  if (version !== null) builder.version(version);
  return builder.build();
}

/** The primitive a google.protobuf wrapper message holds, as a schema builder; null for other messages. */
function unwrapped(type: protobuf.Type): SchemaBuilder | null {
  const wrapped = WRAPPERS.get(type.fullName.slice(1));
  switch (wrapped) {
    case 'int64':
    case 'uint64':
    case 'uint32':
      return SchemaBuilder.int64();
    case 'int32':
      return SchemaBuilder.int32();
    default:
      return wrapped === undefined ? null : plainScalar(wrapped);
  }
}

/** The schema of a scalar type read the same way wherever it appears; null for the integer types. */
function plainScalar(type: string): SchemaBuilder | null {
  switch (type) {
    case 'float':
      return SchemaBuilder.float32();
    case 'double':
      return SchemaBuilder.float64();
    case 'bool':
      return SchemaBuilder.bool();
    case 'string':
      return SchemaBuilder.string();
    case 'bytes':
      return SchemaBuilder.bytes();
    default:
      return null;
  }
}

class Reader {
  /** Messages being translated, to refuse recursive ones (a Connect schema cannot refer to itself). */
  private readonly open = new Set<string>();

  constructor(private readonly options: ProtobufDataOptions) {}

  private name(reflection: protobuf.ReflectionObject): string {
    return this.options.enhancedSchemaSupport ? reflection.fullName.slice(1) : reflection.name;
  }

  struct(type: protobuf.Type): SchemaBuilder {
    if (this.open.has(type.fullName)) throw new DataError(`Message ${type.fullName.slice(1)} refers to itself, which a Connect schema cannot express`);
    this.open.add(type.fullName);
    const builder = SchemaBuilder.struct().name(this.name(type));
    const oneofs = realOneofs(type);
    for (const oneof of oneofs) builder.field(this.unionFieldName(type, oneof), this.union(oneof));
    for (const field of type.fieldsArray) {
      if (field.partOf && oneofs.includes(field.partOf)) continue;
      builder.field(field.name, this.field(fieldInfo(field), false));
    }
    this.open.delete(type.fullName);
    return builder;
  }

  unionFieldName(type: protobuf.Type, oneof: protobuf.OneOf): string {
    return this.options.generateIndexForUnions ? `${oneof.name}_${type.oneofsArray.indexOf(oneof)}` : oneof.name;
  }

  private union(oneof: protobuf.OneOf): Schema {
    const builder = SchemaBuilder.struct().name(PROTOBUF_TYPE_UNION_PREFIX + this.name(oneof));
    for (const field of oneof.fieldsArray) builder.field(field.name, this.field(fieldInfo(field), true));
    return builder.optional().build();
  }

  field(field: FieldInfo, oneofMember: boolean): Schema {
    let builder = this.element(field);
    if (field.repeated && !isMap(field)) builder = SchemaBuilder.array(builder.optional().build()).optional();
    const wrapper = field.resolvedType instanceof protobuf.Type && WRAPPERS.has(field.resolvedType.fullName.slice(1));
    if (oneofMember) {
      builder.optional();
      if (this.options.wrapperForNullables && wrapper) builder.parameter(PROTOBUF_TYPE_WRAPPER, 'true');
    } else if (this.options.optionalForNullables) {
      if (field.optionalKeyword) builder.optional();
    } else if (!this.options.wrapperForNullables) {
      builder.optional();
    }
    return builder.parameter(PROTOBUF_TYPE_TAG, String(field.id)).build();
  }

  private element(field: FieldInfo): SchemaBuilder {
    if (field.map) {
      return SchemaBuilder.map(this.field(field.map.key, false), this.field(field.map.value, false)).name(mapNameOfEntry(this.options.enhancedSchemaSupport ? field.map.fullName : field.map.name)).optional();
    }
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Enum) return this.enumeration(resolved);
    if (resolved instanceof protobuf.Type) return this.message(field, resolved).optional();
    return scalar(field);
  }

  private enumeration(e: protobuf.Enum): SchemaBuilder {
    const builder = (this.options.intForEnums ? SchemaBuilder.int32() : SchemaBuilder.string()).name(this.name(e)).parameter(PROTOBUF_TYPE_ENUM, e.name);
    for (const [symbol, number] of Object.entries(e.values)) builder.parameter(`${PROTOBUF_TYPE_ENUM}.${symbol}`, String(number));
    return builder.optional();
  }

  private message(field: FieldInfo, type: protobuf.Type): SchemaBuilder {
    switch (type.fullName.slice(1)) {
      case DECIMAL_TYPE: {
        const scale = intParam(field.params.scale) ?? 0;
        const builder = Decimal.builder(scale);
        const precision = intParam(field.params.precision);
        if (precision !== null) builder.parameter(CONNECT_PRECISION_PROP, String(precision));
        return builder;
      }
      case DATE_TYPE:
        return ConnectDate.builder();
      case TIME_TYPE:
        return ConnectTime.builder();
      case TIMESTAMP_TYPE:
        return ConnectTimestamp.builder();
    }
    if (this.options.wrapperForNullables) {
      const primitive = unwrapped(type);
      if (primitive) return primitive;
    }
    if (isEntryMessage(field)) {
      const [key, value] = type.fieldsArray.map(fieldInfo);
      return SchemaBuilder.map(this.field(key, false), this.field(value, false)).name(mapNameOfEntry(this.name(type)));
    }
    return this.struct(type);
  }
}

function isMap(field: FieldInfo): boolean {
  return field.map !== null || isEntryMessage(field);
}

function scalar(field: FieldInfo): SchemaBuilder {
  switch (field.type) {
    case 'int32':
    case 'sint32':
    case 'sfixed32': {
      const connectType = field.params[CONNECT_TYPE_PROP];
      if (connectType === 'int8') return SchemaBuilder.int8();
      if (connectType === 'int16') return SchemaBuilder.int16();
      const builder = SchemaBuilder.int32();
      return field.type === 'int32' ? builder : builder.parameter(PROTOBUF_TYPE_PROP, field.type);
    }
    case 'uint32':
    case 'fixed32':
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64': {
      const builder = SchemaBuilder.int64();
      return field.type === 'int64' ? builder : builder.parameter(PROTOBUF_TYPE_PROP, field.type);
    }
    default: {
      const plain = plainScalar(field.type);
      if (plain === null) throw new DataError(`Field ${field.name}: unknown Protobuf type ${field.type}`);
      return plain;
    }
  }
}

function intParam(text: string | undefined): number | null {
  return text !== undefined && /^-?\d+$/.test(text) ? Number(text) : null;
}
