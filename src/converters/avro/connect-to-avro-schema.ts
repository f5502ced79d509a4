import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataError,
  Decimal,
  javaDoubleToString,
  javaFloatToString,
  LogicalNames,
  Schema,
  SchemaType,
  Struct,
} from '../../api';
import * as C from './avro-constants';
import { AvroField, AvroObject, AvroSchemaJson, RawJson } from './avro-schema-json';

/**
 * Connect schema -> Avro schema, as Confluent's AvroData.fromConnectSchema: INT8/INT16 as int with
 * connect.type, optional as a union with null first (null second when there is a default), structs
 * as records (unnamed ones as io.confluent.connect.avro.ConnectDefault, ConnectDefault2, ...), maps
 * with non-string keys as arrays of MapEntry records, logical types with logicalType, and the
 * Connect name/version/doc/parameters/default kept in connect.* properties when connect.meta.data.
 */
export function connectToAvroSchema(schema: Schema, options: C.AvroDataOptions): AvroSchemaJson {
  return new FromConnect(options).convert(schema, false);
}

const IS_UNION = (s: Schema) => s.name === C.AVRO_TYPE_UNION;

class FromConnect {
  /** Equal non-optional schemas translate to the same node, so a named type is defined once. */
  private readonly schemaMap: Array<[Schema, AvroSchemaJson]> = [];
  private nameIndex = 0;

  constructor(private readonly options: C.AvroDataOptions) {}

  convert(schema: Schema, ignoreOptional: boolean): AvroSchemaJson {
    if (!IS_UNION(schema) && !schema.optional) {
      const cached = this.schemaMap.find(([s]) => s.equals(schema));
      if (cached) return cached[1];
    }
    const params = schema.parameters ?? {};
    let connectType: string | null = null;
    let base: AvroObject | AvroSchemaJson[];
    switch (schema.type) {
      case SchemaType.INT8:
        connectType = C.CONNECT_TYPE_INT8;
        base = { type: 'int' };
        break;
      case SchemaType.INT16:
        connectType = C.CONNECT_TYPE_INT16;
        base = { type: 'int' };
        break;
      case SchemaType.INT32:
        base = { type: 'int' };
        break;
      case SchemaType.INT64:
        base = { type: 'long' };
        break;
      case SchemaType.FLOAT32:
        base = { type: 'float' };
        break;
      case SchemaType.FLOAT64:
        base = { type: 'double' };
        break;
      case SchemaType.BOOLEAN:
        base = { type: 'boolean' };
        break;
      case SchemaType.STRING:
        base = this.options.enhancedSchemaSupport && params[C.AVRO_TYPE_ENUM] !== undefined ? this.enumNode(schema, params) : { type: 'string' };
        break;
      case SchemaType.BYTES:
        if (schema.name !== null && params[C.CONNECT_AVRO_FIXED_SIZE_PROP] !== undefined) {
          base = { type: 'fixed', ...this.nameOrDefault(schema.name), size: Number.parseInt(params[C.CONNECT_AVRO_FIXED_SIZE_PROP], 10) };
        } else {
          base = { type: 'bytes' };
        }
        if (isLogical(schema, LogicalNames.DECIMAL)) {
          base.scale = Number.parseInt(params.scale, 10);
          base.precision = params[C.CONNECT_AVRO_DECIMAL_PRECISION_PROP] !== undefined ? Number.parseInt(params[C.CONNECT_AVRO_DECIMAL_PRECISION_PROP], 10) : C.CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT;
        }
        break;
      case SchemaType.ARRAY:
        base = { type: 'array', items: this.convert(schema.valueSchema!, false) };
        break;
      case SchemaType.MAP:
        base = this.mapNode(schema);
        break;
      case SchemaType.STRUCT:
        if (IS_UNION(schema)) {
          base = schema.optional ? ['null'] : [];
          for (const field of schema.fields) base.push(this.convert(nonOptional(field.schema), true));
        } else if (schema.optional) {
          base = ['null', this.convert(nonOptional(schema), false)];
        } else {
          base = this.recordNode(schema, params);
        }
        break;
    }

    let result: AvroSchemaJson = base;
    if (!Array.isArray(base)) {
      this.addProperties(schema, base, connectType);
      if (!ignoreOptional && schema.optional) result = schema.defaultValue !== null ? [base, 'null'] : ['null', base];
    }
    if (!schema.optional) this.schemaMap.push([schema, result]);
    return result;
  }

  private addProperties(schema: Schema, base: AvroObject, connectType: string | null): void {
    const params = schema.parameters;
    if (this.options.connectMetaData) {
      if (schema.doc !== null) base[C.CONNECT_DOC_PROP] = schema.doc;
      if (schema.version !== null) base[C.CONNECT_VERSION_PROP] = schema.version;
      if (params) {
        const kept = Object.entries(params).filter(([k]) => k !== C.AVRO_FIELD_DEFAULT_FLAG_PROP);
        if (kept.length) base[C.CONNECT_PARAMETERS_PROP] = Object.fromEntries(kept);
      }
      if (schema.defaultValue !== null && params?.[C.AVRO_FIELD_DEFAULT_FLAG_PROP] === undefined) {
        base[C.CONNECT_DEFAULT_VALUE_PROP] = this.defaultValue(schema, schema.defaultValue);
      }
      if (schema.name !== null) base[C.CONNECT_NAME_PROP] = schema.name;
      if (connectType !== null) base[C.CONNECT_TYPE_PROP] = connectType;
    }
    // After the connect.* properties, as Avro's LogicalType.addToSchema appends it.
    if (isLogical(schema, LogicalNames.DECIMAL)) {
      base[C.AVRO_LOGICAL_TYPE_PROP] = C.AVRO_LOGICAL_DECIMAL;
    } else if (isLogical(schema, LogicalNames.TIME)) {
      base[C.AVRO_LOGICAL_TYPE_PROP] = C.AVRO_LOGICAL_TIME_MILLIS;
    } else if (isLogical(schema, LogicalNames.TIMESTAMP)) {
      base[C.AVRO_LOGICAL_TYPE_PROP] = C.AVRO_LOGICAL_TIMESTAMP_MILLIS;
    } else if (isLogical(schema, LogicalNames.DATE)) {
      base[C.AVRO_LOGICAL_TYPE_PROP] = C.AVRO_LOGICAL_DATE;
    }
    for (const [key, value] of Object.entries(params ?? {})) if (key.startsWith(C.AVRO_PROP) && !(key in base)) base[key] = value;
  }

  private enumNode(schema: Schema, params: Readonly<Record<string, string>>): AvroObject {
    const prefix = `${C.AVRO_TYPE_ENUM}.`;
    const symbols = Object.keys(params).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    const shortName = this.nameOrDefault(schema.name).name;
    const node: AvroObject = { type: 'enum', ...splitName(params[C.AVRO_TYPE_ENUM]) };
    const doc = params[C.AVRO_ENUM_DOC_PREFIX_PROP + shortName];
    if (doc !== undefined) node.doc = doc;
    node.symbols = symbols;
    const defaultSymbol = params[C.AVRO_ENUM_DEFAULT_PREFIX_PROP + shortName];
    if (defaultSymbol !== undefined) node.default = defaultSymbol;
    return node;
  }

  private mapNode(schema: Schema): AvroObject {
    const keySchema = schema.keySchema!;
    if (keySchema.type === SchemaType.STRING && !keySchema.optional) return { type: 'map', values: this.convert(schema.valueSchema!, false) };
    const entry: AvroObject =
      schema.name === null
        ? { type: 'record', name: C.MAP_ENTRY_TYPE_NAME, namespace: C.NAMESPACE, fields: [] }
        : { type: 'record', ...this.nameOrDefault(schema.name), fields: [], [C.CONNECT_INTERNAL_TYPE_NAME]: C.MAP_ENTRY_TYPE_NAME };
    entry.fields = [this.field(C.KEY_FIELD, keySchema, null), this.field(C.VALUE_FIELD, schema.valueSchema!, null)];
    return { type: 'array', items: entry };
  }

  private recordNode(schema: Schema, params: Readonly<Record<string, string>>): AvroObject {
    const node: AvroObject = { type: 'record', ...this.nameOrDefault(schema.name) };
    const doc = params[C.AVRO_RECORD_DOC_PROP];
    if (doc !== undefined) node.doc = doc;
    node.fields = schema.fields.map((f) => this.field(f.name, f.schema, params[C.AVRO_FIELD_DOC_PREFIX_PROP + f.name] ?? null));
    return node;
  }

  private field(name: string, schema: Schema, doc: string | null): AvroField {
    const field: AvroField = { name, type: this.convert(schema, false) };
    if (doc !== null) field.doc = doc;
    if (schema.defaultValue !== null) field.default = this.defaultValue(schema, schema.defaultValue);
    else if (schema.optional) field.default = null;
    return field;
  }

  private nameOrDefault(name: string | null): { name: string; namespace: string | null } {
    if (name !== null) return splitName(name);
    const index = ++this.nameIndex;
    return { name: C.DEFAULT_SCHEMA_NAME + (index > 1 ? index : ''), namespace: C.NAMESPACE };
  }

  /** A Connect default as Avro JSON (Confluent's defaultValueFromConnect). */
  private defaultValue(schema: Schema, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    const v = toAvroLogical(schema, value);
    switch (schema.type) {
      case SchemaType.INT8:
      case SchemaType.INT16:
      case SchemaType.INT32:
      case SchemaType.BOOLEAN:
      case SchemaType.STRING:
        return v;
      case SchemaType.INT64:
        return new RawJson(BigInt(v as number | bigint).toString());
      case SchemaType.FLOAT32:
        return Number.isFinite(v) ? new RawJson(javaFloatToString(v as number)) : String(v);
      case SchemaType.FLOAT64:
        return Number.isFinite(v) ? new RawJson(javaDoubleToString(v as number)) : String(v);
      case SchemaType.BYTES:
        return Buffer.from(v as Uint8Array).toString('latin1');
      case SchemaType.ARRAY:
        return (v as unknown[]).map((e) => this.defaultValue(schema.valueSchema!, e));
      case SchemaType.MAP: {
        const entries = [...(v as Map<unknown, unknown>)];
        const keySchema = schema.keySchema!;
        if (keySchema.type === SchemaType.STRING && !keySchema.optional) {
          return Object.fromEntries(entries.map(([k, e]) => [k, this.defaultValue(schema.valueSchema!, e)]));
        }
        return entries.map(([k, e]) => [this.defaultValue(keySchema, k), this.defaultValue(schema.valueSchema!, e)]);
      }
      case SchemaType.STRUCT: {
        const struct = v as Struct;
        const out: Record<string, unknown> = {};
        for (const f of schema.fields) {
          const fieldDefault = this.defaultValue(f.schema, struct.get(f.name));
          if (IS_UNION(schema)) return fieldDefault;
          out[f.name] = fieldDefault;
        }
        return out;
      }
    }
  }
}

/** Connect logical value -> its underlying Connect value (Decimal bytes, Date days, ...). */
export function toAvroLogical(schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      if (!(value instanceof BigDecimal)) throw new DataError(`Invalid type for Decimal, expected BigDecimal but was ${typeof value}`);
      return Decimal.fromLogical(schema, value);
    case LogicalNames.DATE:
    case LogicalNames.TIME:
    case LogicalNames.TIMESTAMP:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for ${schema.name.slice(schema.name.lastIndexOf('.') + 1)}, expected Date but was ${typeof value}`);
      return LOGICAL_FROM[schema.name](schema, value);
    default:
      return value;
  }
}

const LOGICAL_FROM: Record<string, (schema: Schema, value: Date) => unknown> = {
  [LogicalNames.DATE]: (s, v) => ConnectDate.fromLogical(s, v),
  [LogicalNames.TIME]: (s, v) => ConnectTime.fromLogical(s, v),
  [LogicalNames.TIMESTAMP]: (s, v) => ConnectTimestamp.fromLogical(s, v),
};

function isLogical(schema: Schema, logicalName: string): boolean {
  return schema.name !== null && schema.name.toLowerCase() === logicalName.toLowerCase();
}

function splitName(fullName: string): { name: string; namespace: string | null } {
  const dot = fullName.lastIndexOf('.');
  return dot < 0 ? { name: fullName, namespace: null } : { name: fullName.slice(dot + 1), namespace: fullName.slice(0, dot) };
}

/** The same schema, required (Confluent's AvroData.nonOptional). */
export function nonOptional(schema: Schema): Schema {
  if (!schema.optional) return schema;
  return new Schema(schema.type, { ...schema, optional: false });
}
