import { DataError, LogicalNames, Schema, SchemaType } from '../../api';
import {
  DATE_TYPE,
  DECIMAL_TYPE,
  KNOWN_PROTOS,
  knownLocation,
  META_LOCATION,
  TIME_TYPE,
  TIMESTAMP_TYPE,
  WRAPPERS,
  WRAPPERS_LOCATION,
} from './known-protos';
import { ProtobufDataOptions } from './protobuf-converter-config';
import {
  CONNECT_PRECISION_PROP,
  CONNECT_TYPE_PROP,
  DEFAULT_SCHEMA_NAME,
  mapEntryName,
  PROTOBUF_TYPE_ENUM,
  PROTOBUF_TYPE_PROP,
  PROTOBUF_TYPE_TAG,
  PROTOBUF_TYPE_UNION_PREFIX,
  PROTOBUF_TYPE_WRAPPER,
  scrubName,
} from './proto-names';
import { emptyMessage, ProtoField, ProtoFile, ProtoMessage, writeProtoFile } from './proto-text';

/** A Connect schema written as a .proto file, and the index path of its message in it. */
export interface ConnectProto {
  text: string;
  /** Full name of the record's message (for the record-name subject strategies). */
  fullName: string;
  indexes: number[];
}

const WRAPPER_OF: Partial<Record<SchemaType, string>> = {
  [SchemaType.INT8]: 'google.protobuf.Int32Value',
  [SchemaType.INT16]: 'google.protobuf.Int32Value',
  [SchemaType.INT32]: 'google.protobuf.Int32Value',
  [SchemaType.INT64]: 'google.protobuf.Int64Value',
  [SchemaType.FLOAT32]: 'google.protobuf.FloatValue',
  [SchemaType.FLOAT64]: 'google.protobuf.DoubleValue',
  [SchemaType.BOOLEAN]: 'google.protobuf.BoolValue',
  [SchemaType.STRING]: 'google.protobuf.StringValue',
  [SchemaType.BYTES]: 'google.protobuf.BytesValue',
};

/**
 * Connect schema -> .proto as Confluent's ProtobufData.fromConnectSchema: a STRUCT becomes a proto3
 * message named after the schema (its namespace as the package; ConnectDefault1, 2, ... for unnamed
 * structs and maps, numbered in the order met), fields numbered in field order (or by their
 * io.confluent.connect.protobuf.Tag parameter), nested structs as nested messages, arrays as
 * repeated fields, maps as repeated <Name>Entry messages with key = 1 and value = 2, INT8/INT16 as
 * int32 with connect.type in confluent.field_meta, Decimal/Date/Time/Timestamp as
 * confluent.type.Decimal, google.type.Date, google.type.TimeOfDay and google.protobuf.Timestamp.
 * A primitive schema at the top level is the matching google.protobuf wrapper message.
 */
export function connectToProtoSchema(schema: Schema, options: ProtobufDataOptions): ConnectProto {
  const wrapper = WRAPPER_OF[schema.type];
  if (wrapper) return { text: KNOWN_PROTOS.get(WRAPPERS_LOCATION)!, fullName: wrapper, indexes: [[...WRAPPERS.keys()].indexOf(wrapper)] };
  if (schema.type !== SchemaType.STRUCT) throw new DataError(`Unsupported root schema of type ${schema.type}: Protobuf needs a STRUCT or a primitive`);
  const ctx = new Translation(options);
  const fullName = ctx.nameOrDefault(schema.name);
  const parts = fullName.split('.').map((p) => ctx.scrub(p));
  const name = parts.pop()!;
  const message = ctx.message(name, schema);
  const file: ProtoFile = { packageName: parts.length > 0 ? parts.join('.') : null, imports: ctx.imports(), messages: [message] };
  return { text: writeProtoFile(file), fullName: [...parts, name].join('.'), indexes: [0] };
}

class Translation {
  private nameIndex = 0;
  private readonly dependencies = new Set<string>();
  private usesMeta = false;

  constructor(private readonly options: ProtobufDataOptions) {}

  scrub(name: string): string {
    return this.options.scrubInvalidNames ? scrubName(name) : name;
  }

  nameOrDefault(name: string | null): string {
    return name ? name : DEFAULT_SCHEMA_NAME + ++this.nameIndex;
  }

  unqualified(name: string | null): string {
    const full = this.nameOrDefault(name);
    return this.scrub(full.slice(full.lastIndexOf('.') + 1));
  }

  imports(): string[] {
    return [...(this.usesMeta ? [META_LOCATION] : []), ...this.dependencies];
  }

  message(name: string, schema: Schema): ProtoMessage {
    const message = emptyMessage(name);
    let next = 1;
    for (const field of schema.fields) {
      const tagParam = field.schema.parameters?.[PROTOBUF_TYPE_TAG];
      const tag = tagParam !== undefined ? Number(tagParam) : next++;
      const def = this.field(message, field.schema, this.scrub(field.name), tag, false);
      if (def) message.fields.push(def);
    }
    return message;
  }

  private field(message: ProtoMessage, fieldSchema: Schema, name: string, tag: number, oneofMember: boolean): ProtoField | null {
    const label = this.label(fieldSchema);
    const element = fieldSchema.type === SchemaType.ARRAY ? fieldSchema.valueSchema! : fieldSchema;
    const params: [string, string][] = [];
    const type = this.dataType(element, name, params, oneofMember);
    if (element.type === SchemaType.STRUCT) {
      if (element.name?.startsWith(PROTOBUF_TYPE_UNION_PREFIX)) {
        this.oneof(message, element, this.unqualified(element.name.slice(PROTOBUF_TYPE_UNION_PREFIX.length)));
        return null;
      }
      if (!message.nested.some((m) => m.name === type)) message.nested.push(this.message(type, element));
    } else if (element.type === SchemaType.MAP) {
      message.nested.push(this.mapEntry(type, element));
    } else if (element.parameters?.[PROTOBUF_TYPE_ENUM] !== undefined) {
      if (!message.enums.some((e) => e.name === type)) message.enums.push(enumOf(type, element));
    } else {
      const location = knownLocation(type);
      if (location) this.dependencies.add(location);
    }
    if (params.length > 0) this.usesMeta = true;
    return { name, number: tag, type, label, params };
  }

  private oneof(message: ProtoMessage, union: Schema, name: string): void {
    const oneof = { name, fields: [] as ProtoField[] };
    message.oneofs.push(oneof);
    for (const field of union.fields) {
      const tag = Number(field.schema.parameters?.[PROTOBUF_TYPE_TAG] ?? 0);
      const def = this.field(message, field.schema, this.scrub(field.name), tag, true);
      if (def) oneof.fields.push({ ...def, label: null });
    }
  }

  private mapEntry(name: string, map: Schema): ProtoMessage {
    const entry = emptyMessage(name);
    entry.fields.push(this.field(entry, map.keySchema!, 'key', 1, false)!);
    entry.fields.push(this.field(entry, map.valueSchema!, 'value', 2, false)!);
    return entry;
  }

  private label(schema: Schema): ProtoField['label'] {
    if (schema.type === SchemaType.ARRAY || schema.type === SchemaType.MAP) return 'repeated';
    return this.options.optionalForNullables && schema.optional ? 'optional' : null;
  }

  private dataType(schema: Schema, fieldName: string, params: [string, string][], oneofMember: boolean): string {
    switch (schema.name) {
      case LogicalNames.DECIMAL: {
        const precision = schema.parameters?.[CONNECT_PRECISION_PROP];
        const scale = schema.parameters?.scale;
        if (precision !== undefined) params.push(['precision', precision]);
        if (scale !== undefined) params.push(['scale', scale]);
        return DECIMAL_TYPE;
      }
      case LogicalNames.DATE:
        return DATE_TYPE;
      case LogicalNames.TIME:
        return TIME_TYPE;
      case LogicalNames.TIMESTAMP:
        return TIMESTAMP_TYPE;
    }
    const wrap = this.options.wrapperForNullables && schema.optional && (!oneofMember || schema.parameters?.[PROTOBUF_TYPE_WRAPPER] !== undefined);
    const declared = schema.parameters?.[PROTOBUF_TYPE_PROP];
    switch (schema.type) {
      case SchemaType.INT8:
      case SchemaType.INT16:
        params.push([CONNECT_TYPE_PROP, schema.type === SchemaType.INT8 ? 'int8' : 'int16']);
        return wrap ? WRAPPER_OF[SchemaType.INT32]! : 'int32';
      case SchemaType.INT32:
        if (schema.parameters?.[PROTOBUF_TYPE_ENUM] !== undefined) return schema.parameters[PROTOBUF_TYPE_ENUM];
        return wrap ? WRAPPER_OF[SchemaType.INT32]! : (declared ?? 'int32');
      case SchemaType.INT64: {
        const type = declared ?? 'int64';
        if (!wrap) return type;
        if (type === 'uint32' || type === 'fixed32') return 'google.protobuf.UInt32Value';
        if (type === 'uint64' || type === 'fixed64') return 'google.protobuf.UInt64Value';
        return WRAPPER_OF[SchemaType.INT64]!;
      }
      case SchemaType.FLOAT32:
        return wrap ? WRAPPER_OF[SchemaType.FLOAT32]! : 'float';
      case SchemaType.FLOAT64:
        return wrap ? WRAPPER_OF[SchemaType.FLOAT64]! : 'double';
      case SchemaType.BOOLEAN:
        return wrap ? WRAPPER_OF[SchemaType.BOOLEAN]! : 'bool';
      case SchemaType.STRING:
        if (schema.parameters?.[PROTOBUF_TYPE_ENUM] !== undefined) return schema.parameters[PROTOBUF_TYPE_ENUM];
        return wrap ? WRAPPER_OF[SchemaType.STRING]! : 'string';
      case SchemaType.BYTES:
        return wrap ? WRAPPER_OF[SchemaType.BYTES]! : 'bytes';
      case SchemaType.ARRAY:
        throw new DataError(`Field ${fieldName}: an array of arrays cannot be written as Protobuf (Array cannot be nested)`);
      case SchemaType.MAP:
        return mapEntryName(this.unqualified(schema.name));
      case SchemaType.STRUCT: {
        const name = this.unqualified(schema.name);
        return name === fieldName ? name + 'Message' : name;
      }
    }
  }
}

function enumOf(name: string, schema: Schema): { name: string; values: [string, number][] } {
  const prefix = PROTOBUF_TYPE_ENUM + '.';
  const values: [string, number][] = [];
  for (const [key, value] of Object.entries(schema.parameters ?? {})) {
    if (key.startsWith(prefix)) values.push([key.slice(prefix.length), Number(value)]);
  }
  return { name, values };
}
