import { DataError } from './errors';
import { Field, Schema, SchemaType } from './schema';

/**
 * Builds Schemas fluently (Kafka's SchemaBuilder): `SchemaBuilder.struct().name('User')
 * .field('id', Schema.INT64_SCHEMA).field('name', Schema.OPTIONAL_STRING_SCHEMA).build()`.
 * Build schemas once at configuration time and reuse them; converters cache per schema instance.
 */
export class SchemaBuilder {
  private isOptional = false;
  private defaultVal: unknown = null;
  private schemaName: string | null = null;
  private schemaVersion: number | null = null;
  private schemaDoc: string | null = null;
  private params: Record<string, string> | null = null;
  private readonly fieldList: Field[] = [];

  constructor(
    readonly type: SchemaType,
    private readonly keySchema: Schema | null = null,
    private readonly valueSchema: Schema | null = null,
  ) {}

  static type(type: SchemaType): SchemaBuilder {
    return new SchemaBuilder(type);
  }
  static int8(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.INT8);
  }
  static int16(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.INT16);
  }
  static int32(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.INT32);
  }
  static int64(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.INT64);
  }
  static float32(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.FLOAT32);
  }
  static float64(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.FLOAT64);
  }
  static bool(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.BOOLEAN);
  }
  static string(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.STRING);
  }
  static bytes(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.BYTES);
  }
  static struct(): SchemaBuilder {
    return new SchemaBuilder(SchemaType.STRUCT);
  }
  static array(valueSchema: Schema): SchemaBuilder {
    return new SchemaBuilder(SchemaType.ARRAY, null, valueSchema);
  }
  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    return new SchemaBuilder(SchemaType.MAP, keySchema, valueSchema);
  }

  optional(): this {
    this.isOptional = true;
    return this;
  }
  required(): this {
    this.isOptional = false;
    return this;
  }
  /** Checked against the schema at build(). */
  defaultValue(value: unknown): this {
    this.defaultVal = value;
    return this;
  }
  name(name: string): this {
    this.schemaName = name;
    return this;
  }
  version(version: number): this {
    this.schemaVersion = version;
    return this;
  }
  doc(doc: string): this {
    this.schemaDoc = doc;
    return this;
  }
  parameter(key: string, value: string): this {
    this.params = { ...(this.params ?? {}), [key]: value };
    return this;
  }
  parameters(params: Record<string, string>): this {
    this.params = { ...(this.params ?? {}), ...params };
    return this;
  }
  field(name: string, schema: Schema): this {
    if (this.type !== SchemaType.STRUCT) throw new DataError(`Cannot create fields on type ${this.type}`);
    if (!name) throw new DataError('fieldName cannot be null.');
    if (this.fieldList.some((f) => f.name === name)) throw new DataError(`Cannot create field because of field name duplication ${name}`);
    this.fieldList.push({ name, index: this.fieldList.length, schema });
    return this;
  }

  build(): Schema {
    const schema = new Schema(this.type, {
      optional: this.isOptional,
      name: this.schemaName,
      version: this.schemaVersion,
      doc: this.schemaDoc,
      parameters: this.params,
      fields: this.fieldList,
      keySchema: this.keySchema,
      valueSchema: this.valueSchema,
      defaultValue: this.defaultVal,
    });
    if (this.defaultVal !== null && this.defaultVal !== undefined) {
      try {
        validateValue(schema, this.defaultVal);
      } catch (err) {
        throw new DataError(`Invalid default value: ${(err as Error).message}`, { cause: err });
      }
    }
    return schema;
  }
}

// Imported at the end to keep the cycle (struct -> schema-builder -> validate) one-directional at load.
import { validateValue } from './validate-value';
