/** Names shared by both directions of the Connect <-> Protobuf translation (Confluent's ProtobufData). */
export const NAMESPACE = 'io.confluent.connect.protobuf';
export const DEFAULT_SCHEMA_NAME = 'ConnectDefault';
export const MAP_ENTRY_SUFFIX = 'Entry';
/** Connect schema parameters and names Confluent uses to keep Protobuf details. */
export const PROTOBUF_TYPE_ENUM = `${NAMESPACE}.Enum`;
export const PROTOBUF_TYPE_UNION_PREFIX = `${NAMESPACE}.Union.`;
export const PROTOBUF_TYPE_TAG = `${NAMESPACE}.Tag`;
export const PROTOBUF_TYPE_PROP = `${NAMESPACE}.Type`;
export const PROTOBUF_TYPE_WRAPPER = `${NAMESPACE}.Wrapper`;
export const CONNECT_TYPE_PROP = 'connect.type';
export const CONNECT_PRECISION_PROP = 'connect.decimal.precision';

/**
 * Confluent's name scrubbing (scrub.invalid.names): a name that is not [A-Za-z_][A-Za-z0-9_]* (or
 * starts with _) is URL-encoded as Java's URLEncoder does, prefixed with x when it starts with a digit
 * or _, and every other invalid character becomes _.
 */
export function scrubName(name: string): string {
  if (name === '' || (/^[A-Za-z0-9_]*$/.test(name) && !/^[0-9_]/.test(name))) return name;
  let encoded = javaUrlEncode(name);
  if (/^[0-9_]/.test(encoded)) encoded = 'x' + encoded;
  return encoded.replace(/[^A-Za-z0-9_]/g, '_');
}

function javaUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/** The entry message name for a Connect map name (Confluent's toMapEntry): lower_underscore names in UpperCamel, then Entry. */
export function mapEntryName(name: string): string {
  const camel = name.includes('_') ? name.split('_').map((w) => (w ? w[0].toUpperCase() + w.slice(1).toLowerCase() : '')).join('') : name;
  return camel + MAP_ENTRY_SUFFIX;
}

/** The Connect map name for an entry message name (Confluent's toMapField): the last part without Entry, in lower_underscore. */
export function mapNameOfEntry(entryName: string): string {
  const dot = entryName.lastIndexOf('.');
  const last = entryName.slice(dot + 1);
  if (!last.endsWith(MAP_ENTRY_SUFFIX)) return entryName;
  const field = last.slice(0, -MAP_ENTRY_SUFFIX.length).replace(/(?!^)([A-Z])/g, '_$1').toLowerCase();
  return entryName.slice(0, dot + 1) + field;
}
