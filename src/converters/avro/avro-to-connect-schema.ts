import { ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Field, LogicalNames, Schema, SchemaBuilder, SchemaType } from '../../api';
import * as C from './avro-constants';
import { AvroField, AvroNames, AvroObject, AvroSchemaJson, typeOf } from './avro-schema-json';

/**
 * Avro schema -> Connect schema, as Confluent's AvroData.toConnectSchema: connect.* properties give
 * back the Connect name, version, doc, parameters, default and INT8/INT16; logical types become
 * Decimal/Date/Time/Timestamp; a union of null and one type is that type made optional; other unions
 * become io.confluent.connect.avro.Union structs; enums become strings with their symbols as
 * parameters; `version` (the registry's) applies to the top-level schema when it has no connect.version.
 * Not supported: recursive schemas, and record-typed defaults (dropped, as Confluent drops invalid ones).
 */
export function avroToConnectSchema(avro: AvroSchemaJson, options: C.AvroDataOptions, version: number | null = null): Schema {
  return new ToConnect(avro, options).convert(avro, null, false, undefined, version);
}

interface Spec {
  type: SchemaType;
  name: string | null;
  version: number | null;
  doc: string | null;
  params: Record<string, string>;
  fields: Field[];
  keySchema: Schema | null;
  valueSchema: Schema | null;
}

class ToConnect {
  private readonly names: AvroNames;
  private readonly inProgress = new Set<object>();

  constructor(
    root: AvroSchemaJson,
    private readonly options: C.AvroDataOptions,
  ) {
    this.names = new AvroNames(root);
  }

  convert(input: AvroSchemaJson, space: string | null, forceOptional: boolean, fieldDefault: { value: unknown } | undefined, version: number | null): Schema {
    const node = this.names.resolve(input, space);
    const type = typeOf(node);
    const props: Record<string, unknown> = typeof node === 'object' && !Array.isArray(node) ? node : {};
    const meta = this.options.connectMetaData;
    const spec: Spec = { type: SchemaType.STRING, name: null, version: null, doc: null, params: {}, fields: [], keySchema: null, valueSchema: null };
    const logicalType = typeof props[C.AVRO_LOGICAL_TYPE_PROP] === 'string' ? (props[C.AVRO_LOGICAL_TYPE_PROP] as string).toLowerCase() : null;
    const logical = (name: string, base: SchemaType, params: Record<string, string> = {}) => Object.assign(spec, { type: base, name, version: 1, params });
    const innerSpace = typeof node === 'object' && !Array.isArray(node) ? this.names.spaceOf(node, space) : space;

    switch (type) {
      case 'boolean':
        spec.type = SchemaType.BOOLEAN;
        break;
      case 'bytes':
      case 'fixed':
        if (logicalType === C.AVRO_LOGICAL_DECIMAL) {
          const scale = typeof props.scale === 'number' ? Math.trunc(props.scale) : 0;
          logical(LogicalNames.DECIMAL, SchemaType.BYTES, { scale: String(scale) });
          const precision = props.precision;
          if (precision !== undefined && precision !== null) {
            if (typeof precision !== 'number') throw new DataError('precision property must be a JSON Integer. https://avro.apache.org/docs/1.9.1/spec.html#Decimal');
            if (precision !== C.CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT) spec.params[C.CONNECT_AVRO_DECIMAL_PRECISION_PROP] = String(precision);
          }
        } else {
          spec.type = SchemaType.BYTES;
        }
        if (type === 'fixed') spec.params[C.CONNECT_AVRO_FIXED_SIZE_PROP] = String(props.size);
        break;
      case 'double':
        spec.type = SchemaType.FLOAT64;
        break;
      case 'float':
        spec.type = SchemaType.FLOAT32;
        break;
      case 'int': {
        const connectType = props[C.CONNECT_TYPE_PROP];
        if (logicalType === C.AVRO_LOGICAL_DATE) logical(LogicalNames.DATE, SchemaType.INT32);
        else if (logicalType === C.AVRO_LOGICAL_TIME_MILLIS) logical(LogicalNames.TIME, SchemaType.INT32);
        else if (logicalType !== null || connectType === undefined) spec.type = SchemaType.INT32;
        else if (connectType === C.CONNECT_TYPE_INT8) spec.type = SchemaType.INT8;
        else if (connectType === C.CONNECT_TYPE_INT16) spec.type = SchemaType.INT16;
        else throw new DataError('Connect type annotation for Avro int field is null');
        break;
      }
      case 'long':
        if (logicalType === C.AVRO_LOGICAL_TIMESTAMP_MILLIS) logical(LogicalNames.TIMESTAMP, SchemaType.INT64);
        else spec.type = SchemaType.INT64;
        break;
      case 'string':
        spec.type = SchemaType.STRING;
        break;
      case 'array':
        this.array(node as AvroObject, space, spec);
        break;
      case 'map':
        spec.type = SchemaType.MAP;
        spec.keySchema = Schema.STRING_SCHEMA;
        spec.valueSchema = this.convert((node as AvroObject).values as AvroSchemaJson, space, false, undefined, null);
        break;
      case 'record':
      case 'error':
        this.record(node as AvroObject, innerSpace, spec);
        break;
      case 'enum': {
        const full = this.names.fullName(node as AvroObject) ?? String(props.name);
        const short = full.slice(full.lastIndexOf('.') + 1);
        spec.type = SchemaType.STRING;
        if (meta && typeof props.doc === 'string') spec.params[C.AVRO_ENUM_DOC_PREFIX_PROP + short] = props.doc;
        if (meta && typeof props.default === 'string') spec.params[C.AVRO_ENUM_DEFAULT_PREFIX_PROP + short] = props.default;
        spec.params[C.AVRO_TYPE_ENUM] = full;
        for (const symbol of props.symbols as string[]) spec.params[`${C.AVRO_TYPE_ENUM}.${symbol}`] = symbol;
        break;
      }
      case 'union': {
        const members = (node as AvroSchemaJson[]).map((m) => this.names.resolve(m, space));
        const nonNull = members.filter((m) => typeOf(m) !== 'null');
        if (members.length === 2 && nonNull.length === 1) return this.convert(nonNull[0], space, true, undefined, null);
        this.union(members, space, spec);
        forceOptional ||= nonNull.length < members.length;
        break;
      }
      case 'null':
        throw new DataError('Standalone null schemas are not supported by this converter');
      default:
        throw new DataError(`Couldn't translate unsupported schema type ${type}.`);
    }

    if (meta && typeof props[C.CONNECT_DOC_PROP] === 'string') spec.doc = props[C.CONNECT_DOC_PROP] as string;
    this.applyVersion(spec, props[C.CONNECT_VERSION_PROP], version);
    const parameters = props[C.CONNECT_PARAMETERS_PROP];
    if (meta && parameters !== undefined) {
      if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) {
        throw new DataError(`Expected JSON object for schema parameters but found: ${JSON.stringify(parameters)}`);
      }
      for (const [key, value] of Object.entries(parameters)) {
        if (typeof value !== 'string') throw new DataError(`Expected schema parameter values to be strings but found: ${JSON.stringify(value)}`);
        spec.params[key] = value;
      }
    }
    for (const [key, value] of Object.entries(props)) if (key.startsWith(C.AVRO_PROP)) spec.params[key] = typeof value === 'string' ? value : JSON.stringify(value);

    const connectDefault = props[C.CONNECT_DEFAULT_VALUE_PROP];
    if (fieldDefault === undefined) fieldDefault = connectDefault === undefined ? undefined : { value: connectDefault };
    else if (meta && connectDefault === undefined) spec.params[C.AVRO_FIELD_DEFAULT_FLAG_PROP] = 'true';

    const connectName = props[C.CONNECT_NAME_PROP];
    if (connectName !== undefined && typeof connectName !== 'string') throw new DataError(`Invalid schema name: ${JSON.stringify(connectName)}`);
    const name = connectName ?? (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed' ? this.names.fullName(node as AvroObject) : null);
    if (name && !name.startsWith(C.DEFAULT_SCHEMA_FULL_NAME)) {
      if (spec.name !== null && spec.name !== name) {
        throw new DataError(`Mismatched names: name already added to SchemaBuilder (${spec.name}) differs from name in source schema (${name})`);
      }
      spec.name = name;
    }
    return this.build(spec, forceOptional, fieldDefault, node, space);
  }

  private array(node: AvroObject, space: string | null, spec: Spec): void {
    const items = this.names.resolve(node.items as AvroSchemaJson, space);
    if (typeof items === 'object' && !Array.isArray(items) && typeOf(items) === 'record' && this.isMapEntry(items)) {
      const fields = items.fields as AvroField[];
      const key = fields.find((f) => f.name === C.KEY_FIELD);
      const value = fields.find((f) => f.name === C.VALUE_FIELD);
      if (fields.length !== 2 || !key || !value) {
        throw new DataError('Found map encoded as array of key-value pairs, but array elements do not match the expected format.');
      }
      const entrySpace = this.names.spaceOf(items, space);
      spec.type = SchemaType.MAP;
      spec.keySchema = this.convert(key.type, entrySpace, false, undefined, null);
      spec.valueSchema = this.convert(value.type, entrySpace, false, undefined, null);
      return;
    }
    spec.type = SchemaType.ARRAY;
    spec.valueSchema = this.convert(items, space, false, undefined, null);
  }

  private isMapEntry(items: AvroObject): boolean {
    return this.names.fullName(items) === `${C.NAMESPACE}.${C.MAP_ENTRY_TYPE_NAME}` || items[C.CONNECT_INTERNAL_TYPE_NAME] === C.MAP_ENTRY_TYPE_NAME;
  }

  private record(node: AvroObject, space: string | null, spec: Spec): void {
    if (this.inProgress.has(node)) throw new DataError(`Recursive Avro schemas are not supported (${this.names.fullName(node)})`);
    this.inProgress.add(node);
    spec.type = SchemaType.STRUCT;
    const meta = this.options.connectMetaData;
    if (meta && typeof node.doc === 'string') spec.params[C.AVRO_RECORD_DOC_PROP] = node.doc;
    for (const field of node.fields as AvroField[]) {
      if (meta && typeof field.doc === 'string') spec.params[C.AVRO_FIELD_DOC_PREFIX_PROP + field.name] = field.doc;
      const fieldDefault = 'default' in field ? { value: field.default } : undefined;
      spec.fields.push({ name: field.name, index: spec.fields.length, schema: this.convert(field.type, space, false, fieldDefault, null) });
    }
    this.inProgress.delete(node);
  }

  private union(members: AvroSchemaJson[], space: string | null, spec: Spec): void {
    spec.type = SchemaType.STRUCT;
    spec.name = C.AVRO_TYPE_UNION;
    const seen = new Set<string>();
    for (const member of members) {
      const type = typeOf(member);
      if (type === 'null') continue;
      const full = type === 'record' || type === 'enum' ? (this.names.fullName(member as AvroObject) ?? '') : null;
      const fieldName = full === null ? type : this.options.enhancedSchemaSupport ? full : full.slice(full.lastIndexOf('.') + 1);
      if (seen.has(fieldName)) throw new DataError('Multiple union schemas map to the Connect union field name');
      seen.add(fieldName);
      spec.fields.push({ name: fieldName, index: spec.fields.length, schema: this.convert(member, space, true, undefined, null) });
    }
  }

  private applyVersion(spec: Spec, connectVersion: unknown, registryVersion: number | null): void {
    if (connectVersion !== undefined && (typeof connectVersion !== 'number' || !Number.isInteger(connectVersion))) {
      throw new DataError(`Invalid Connect version found: ${JSON.stringify(connectVersion)}`);
    }
    const version = (connectVersion as number | undefined) ?? registryVersion ?? -1;
    if (version < 0) return;
    if (spec.version !== null && spec.version !== version) {
      throw new DataError(`Mismatched versions: version already added to SchemaBuilder (${spec.version}) differs from version in source schema (${version})`);
    }
    spec.version = version;
  }

  private build(spec: Spec, optional: boolean, fieldDefault: { value: unknown } | undefined, node: AvroSchemaJson, space: string | null): Schema {
    const builder = (): SchemaBuilder => {
      const b =
        spec.type === SchemaType.ARRAY
          ? SchemaBuilder.array(spec.valueSchema!)
          : spec.type === SchemaType.MAP
            ? SchemaBuilder.map(spec.keySchema!, spec.valueSchema!)
            : SchemaBuilder.type(spec.type);
      for (const f of spec.fields) b.field(f.name, f.schema);
      if (spec.name !== null) b.name(spec.name);
      if (spec.version !== null) b.version(spec.version);
      if (spec.doc !== null) b.doc(spec.doc);
      if (Object.keys(spec.params).length) b.parameters(spec.params);
      return optional ? b.optional() : b;
    };
    const plain = builder().build();
    if (fieldDefault === undefined) return plain;
    try {
      const value = defaultFromAvro(plain, this.names.resolve(node, space), fieldDefault.value, this.names, space);
      // Confluent ignores a default it cannot convert, as it does here.
      return value === undefined ? plain : builder().defaultValue(value).build();
    } catch (err) {
      if (err instanceof DataError) return plain;
      throw err;
    }
  }
}

/** An Avro JSON default as a Connect value; undefined when it cannot be represented. */
function defaultFromAvro(schema: Schema, node: AvroSchemaJson, json: unknown, names: AvroNames, space: string | null): unknown {
  if (json === null) return null;
  const type = typeOf(node);
  let value: unknown;
  switch (type) {
    case 'int':
    case 'float':
    case 'double':
      value = Number(json);
      break;
    case 'long':
      value = BigInt(json as number);
      break;
    case 'boolean':
      value = Boolean(json);
      break;
    case 'string':
    case 'enum':
      value = String(json);
      break;
    case 'bytes':
    case 'fixed':
      value = Buffer.from(String(json), 'latin1');
      break;
    case 'array': {
      const items = names.resolve((node as AvroObject).items as AvroSchemaJson, space);
      if (schema.type === SchemaType.MAP) {
        const fields = (items as AvroObject).fields as AvroField[];
        const key = fields.find((f) => f.name === C.KEY_FIELD)!.type;
        const val = fields.find((f) => f.name === C.VALUE_FIELD)!.type;
        value = new Map(
          (json as Array<Record<string, unknown>>).map((e) => [defaultFromAvro(schema.keySchema!, names.resolve(key, space), e.key, names, space), defaultFromAvro(schema.valueSchema!, names.resolve(val, space), e.value, names, space)]),
        );
      } else {
        value = (json as unknown[]).map((e) => defaultFromAvro(schema.valueSchema!, items, e, names, space));
      }
      break;
    }
    case 'map': {
      const values = names.resolve((node as AvroObject).values as AvroSchemaJson, space);
      value = new Map(Object.entries(json as object).map(([k, e]) => [k, defaultFromAvro(schema.valueSchema!, values, e, names, space)]));
      break;
    }
    default:
      return undefined;
  }
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      return Decimal.toLogical(schema, value as Buffer);
    case LogicalNames.DATE:
      return ConnectDate.toLogical(schema, value as number);
    case LogicalNames.TIME:
      return ConnectTime.toLogical(schema, value as number);
    case LogicalNames.TIMESTAMP:
      return ConnectTimestamp.toLogical(schema, value as bigint);
  }
  return value;
}
