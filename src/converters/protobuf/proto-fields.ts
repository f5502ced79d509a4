import * as protobuf from 'protobufjs';

/**
 * One field as both translations see it: a protobufjs field, or the key or value of a map field
 * (which protobufjs keeps as one MapField, where Protobuf has a nested <Name>Entry message).
 */
export interface FieldInfo {
  name: string;
  id: number;
  /** The scalar type name, or the message or enum type name as written. */
  type: string;
  resolvedType: protobuf.Type | protobuf.Enum | null;
  repeated: boolean;
  /** Declared with proto3's `optional` keyword (or proto2 optional). */
  optionalKeyword: boolean;
  /** confluent.field_meta params. */
  params: Record<string, string>;
  /** A map<K, V> field: its key and value. */
  map: { name: string; fullName: string; key: FieldInfo; value: FieldInfo } | null;
  /** resolvedType split by kind, and the message's full name (no leading dot), worked out once for the per-record paths. */
  messageType: protobuf.Type | null;
  messageName: string | null;
  enumType: protobuf.Enum | null;
}

const infos = new WeakMap<protobuf.Field, FieldInfo>();
const oneofs = new WeakMap<protobuf.Type, protobuf.OneOf[]>();

/** The field's FieldInfo, worked out once per parsed field (records reuse it). */
export function fieldInfo(field: protobuf.Field): FieldInfo {
  let info = infos.get(field);
  if (!info) infos.set(field, (info = describeField(field)));
  return info;
}

function describeField(field: protobuf.Field): FieldInfo {
  const info = make(field.name, field.id, field.type, field.resolvedType, field.repeated, field.options?.proto3_optional === true, fieldMetaParams(field));
  if (field instanceof protobuf.MapField) {
    const entryName = camelCase(field.name) + 'Entry';
    info.map = {
      name: entryName,
      fullName: field.parent ? `${field.parent.fullName.slice(1)}.${entryName}` : entryName,
      key: make('key', 1, field.keyType, null, false, false, {}),
      value: make('value', 2, field.type, field.resolvedType, false, false, {}),
    };
  }
  return info;
}

function make(name: string, id: number, type: string, resolvedType: protobuf.Type | protobuf.Enum | null, repeated: boolean, optionalKeyword: boolean, params: Record<string, string>): FieldInfo {
  const messageType = resolvedType instanceof protobuf.Type ? resolvedType : null;
  return {
    name,
    id,
    type,
    resolvedType,
    repeated,
    optionalKeyword,
    params,
    map: null,
    messageType,
    messageName: messageType ? messageType.fullName.slice(1) : null,
    enumType: resolvedType instanceof protobuf.Enum ? resolvedType : null,
  };
}

/** The oneofs of a message written as such (not the synthetic ones of proto3 optional fields). */
export function realOneofs(type: protobuf.Type): protobuf.OneOf[] {
  let found = oneofs.get(type);
  if (!found) oneofs.set(type, (found = type.oneofsArray.filter((o) => !(o.fieldsArray.length === 1 && o.fieldsArray[0].options?.proto3_optional === true))));
  return found;
}

/** A message written as a repeated <Name>Entry { key = 1; value = 2; } (how Connect maps are written). */
export function isEntryMessage(field: FieldInfo): field is FieldInfo & { resolvedType: protobuf.Type } {
  const t = field.resolvedType;
  if (!field.repeated || !(t instanceof protobuf.Type) || !t.name.endsWith('Entry')) return false;
  const fields = t.fieldsArray;
  return fields.length === 2 && fields[0].name === 'key' && fields[1].name === 'value' && !fields[0].repeated && !fields[1].repeated;
}

function fieldMetaParams(field: protobuf.Field): Record<string, string> {
  const out: Record<string, string> = {};
  for (const option of (field.parsedOptions ?? []) as Record<string, unknown>[]) {
    const meta = option['(confluent.field_meta)'] as { params?: unknown } | undefined;
    const params = meta?.params;
    for (const entry of Array.isArray(params) ? params : params ? [params] : []) {
      const { key, value } = entry as { key?: unknown; value?: unknown };
      if (typeof key === 'string' && typeof value === 'string') out[key] = value;
    }
  }
  return out;
}

/** protoc's name for a map field's entry message: the field name in CamelCase. */
function camelCase(name: string): string {
  return name
    .split('_')
    .map((part) => (part ? part[0].toUpperCase() + part.slice(1) : ''))
    .join('');
}
