import { ConfigDef, ConfigType, ConnectRecord, DataError, Importance, Schema, SchemaBuilder, SchemaType, Struct, Transformation } from '../api';
import { RecordPart } from './util/record-part';
import { javaClassName, requireMap, requireStructOrNull } from './util/requirements';
import { SchemaCache } from './util/schema-cache';
import { copySchemaBasics } from './util/schema-util';

const DELIMITER = 'delimiter';

const CONFIG_DEF = new ConfigDef().define({
  name: DELIMITER,
  type: ConfigType.STRING,
  defaultValue: '.',
  importance: Importance.MEDIUM,
  doc: 'Put between the names of a nested field and its parents to form the flattened field name.',
});

const PURPOSE = 'flattening';

/** Field types copied as they are; STRUCT is flattened, MAP is refused with a schema. */
const LEAF_TYPES: ReadonlySet<SchemaType> = new Set([
  SchemaType.INT8,
  SchemaType.INT16,
  SchemaType.INT32,
  SchemaType.INT64,
  SchemaType.FLOAT32,
  SchemaType.FLOAT64,
  SchemaType.BOOLEAN,
  SchemaType.STRING,
  SchemaType.BYTES,
  SchemaType.ARRAY,
]);

/**
 * Kafka's Flatten: nested Structs (with a schema) or Maps (without) become one level, each field
 * named by its path joined with `delimiter`. Arrays are kept as they are. With a schema, a flattened
 * field is optional when it or any parent is, and takes its default from itself or a parent's default;
 * MAP fields are refused. A null key or value is passed through.
 */
export class Flatten implements Transformation {
  private delimiter = '.';
  private readonly schemas = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    this.delimiter = CONFIG_DEF.parse(props, 'Flatten').getString(DELIMITER)!;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.part.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.part.schema(record);
    if (schema === null) {
      const flat = new Map<string, unknown>();
      this.flattenMap(requireMap(value, PURPOSE), '', flat);
      return this.part.with(record, null, flat);
    }
    const struct = requireStructOrNull(value, PURPOSE)!;
    const flatSchema = this.schemas.getOrDerive(schema, (s) => {
      const builder = copySchemaBasics(s, SchemaBuilder.struct());
      this.flattenSchema(s, '', builder, s.optional, s.defaultValue instanceof Struct ? s.defaultValue : null);
      return builder.build();
    });
    const flat = new Struct(flatSchema);
    this.flattenStruct(struct, '', flat);
    return this.part.with(record, flatSchema, flat);
  }

  private name(prefix: string, field: string): string {
    return prefix === '' ? field : prefix + this.delimiter + field;
  }

  private flattenMap(map: Map<unknown, unknown>, prefix: string, out: Map<string, unknown>): void {
    for (const [key, value] of map) {
      const name = this.name(prefix, String(key));
      if (value === null || value === undefined) {
        out.set(name, null);
      } else if (value instanceof Map) {
        this.flattenMap(value, name, out);
      } else if (value instanceof Struct) {
        throw new DataError(`Flatten transformation does not support class ${javaClassName(value)} for record without schemas (for field ${name}).`);
      } else if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
        out.set(name, value);
      } else {
        // Dates, BigDecimals and other objects have no Connect type without a schema.
        throw new DataError(`Flatten transformation was passed a value of type class ${javaClassName(value)} which is not supported by Connect's data API`);
      }
    }
  }

  private flattenSchema(schema: Schema, prefix: string, out: SchemaBuilder, parentOptional: boolean, parentDefault: Struct | null): void {
    for (const field of schema.fields) {
      const name = this.name(prefix, field.name);
      const optional = parentOptional || field.schema.optional;
      const defaultValue = field.schema.defaultValue ?? (parentDefault === null ? null : parentDefault.get(field.name));
      if (LEAF_TYPES.has(field.schema.type)) {
        out.field(name, leafSchema(field.schema, optional, defaultValue));
      } else if (field.schema.type === SchemaType.STRUCT) {
        this.flattenSchema(field.schema, name, out, optional, defaultValue as Struct | null);
      } else {
        throw new DataError(`Flatten transformation does not support ${field.schema.type} for record with schemas (for field ${name}).`);
      }
    }
  }

  private flattenStruct(struct: Struct | null, prefix: string, out: Struct): void {
    if (struct === null) return;
    for (const field of struct.schema.fields) {
      const name = this.name(prefix, field.name);
      if (LEAF_TYPES.has(field.schema.type)) {
        out.put(name, struct.get(field.name));
      } else if (field.schema.type === SchemaType.STRUCT) {
        this.flattenStruct(struct.get(field.name) as Struct | null, name, out);
      } else {
        throw new DataError(`Flatten transformation does not support ${field.schema.type} for record with schemas (for field ${name}).`);
      }
    }
  }
}

/** A leaf field's schema in the flat struct: its basics, with the optionality and default it inherits. */
function leafSchema(orig: Schema, optional: boolean, defaultValue: unknown): Schema {
  const builder = copySchemaBasics(orig, orig.type === SchemaType.ARRAY ? SchemaBuilder.array(orig.valueSchema!) : SchemaBuilder.type(orig.type));
  if (optional) builder.optional();
  if (defaultValue !== null && defaultValue !== undefined) builder.defaultValue(defaultValue);
  return builder.build();
}
