/** Connect schema types (Kafka's Schema.Type). */
export enum SchemaType {
  INT8 = 'INT8',
  INT16 = 'INT16',
  INT32 = 'INT32',
  INT64 = 'INT64',
  FLOAT32 = 'FLOAT32',
  FLOAT64 = 'FLOAT64',
  BOOLEAN = 'BOOLEAN',
  STRING = 'STRING',
  BYTES = 'BYTES',
  ARRAY = 'ARRAY',
  MAP = 'MAP',
  STRUCT = 'STRUCT',
}

/** A field of a STRUCT schema. */
export interface Field {
  readonly name: string;
  readonly index: number;
  readonly schema: Schema;
}

export interface SchemaOptions {
  optional?: boolean;
  defaultValue?: unknown;
  name?: string | null;
  version?: number | null;
  doc?: string | null;
  parameters?: Readonly<Record<string, string>> | null;
  fields?: readonly Field[];
  keySchema?: Schema | null;
  valueSchema?: Schema | null;
}

/**
 * The shape of a key or value (Kafka's ConnectSchema). Immutable: build new schemas rather than
 * changing one, so converters can cache per schema instance.
 *
 * Value representation per type: INT8/16/32, FLOAT32/64 as number; INT64 as bigint or a safe-integer
 * number (converters read INT64 back as bigint); BOOLEAN as boolean; STRING as string; BYTES as Buffer;
 * ARRAY as unknown[]; MAP as Map; STRUCT as Struct. Logical types (by schema name): Decimal as
 * BigDecimal, Date / Time / Timestamp as Date.
 */
export class Schema {
  readonly type: SchemaType;
  readonly optional: boolean;
  readonly defaultValue: unknown;
  readonly name: string | null;
  readonly version: number | null;
  readonly doc: string | null;
  readonly parameters: Readonly<Record<string, string>> | null;
  readonly fields: readonly Field[];
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema | null;

  constructor(type: SchemaType, options: SchemaOptions = {}) {
    this.type = type;
    this.optional = options.optional ?? false;
    this.defaultValue = options.defaultValue ?? null;
    this.name = options.name ?? null;
    this.version = options.version ?? null;
    this.doc = options.doc ?? null;
    this.parameters = options.parameters ?? null;
    this.fields = options.fields ?? [];
    this.keySchema = options.keySchema ?? null;
    this.valueSchema = options.valueSchema ?? null;
    Object.freeze(this);
  }

  field(name: string): Field | undefined {
    return this.fields.find((f) => f.name === name);
  }

  /** Structural equality, as Kafka's ConnectSchema.equals. */
  equals(other: unknown): boolean {
    if (other === this) return true;
    if (!(other instanceof Schema)) return false;
    return (
      other.type === this.type &&
      other.optional === this.optional &&
      other.name === this.name &&
      other.version === this.version &&
      other.doc === this.doc &&
      sameParameters(this.parameters, other.parameters) &&
      sameDefault(this.defaultValue, other.defaultValue) &&
      other.fields.length === this.fields.length &&
      this.fields.every((f, i) => f.name === other.fields[i].name && f.index === other.fields[i].index && f.schema.equals(other.fields[i].schema)) &&
      sameSchema(this.keySchema, other.keySchema) &&
      sameSchema(this.valueSchema, other.valueSchema)
    );
  }

  static readonly INT8_SCHEMA = new Schema(SchemaType.INT8);
  static readonly INT16_SCHEMA = new Schema(SchemaType.INT16);
  static readonly INT32_SCHEMA = new Schema(SchemaType.INT32);
  static readonly INT64_SCHEMA = new Schema(SchemaType.INT64);
  static readonly FLOAT32_SCHEMA = new Schema(SchemaType.FLOAT32);
  static readonly FLOAT64_SCHEMA = new Schema(SchemaType.FLOAT64);
  static readonly BOOLEAN_SCHEMA = new Schema(SchemaType.BOOLEAN);
  static readonly STRING_SCHEMA = new Schema(SchemaType.STRING);
  static readonly BYTES_SCHEMA = new Schema(SchemaType.BYTES);
  static readonly OPTIONAL_INT8_SCHEMA = new Schema(SchemaType.INT8, { optional: true });
  static readonly OPTIONAL_INT16_SCHEMA = new Schema(SchemaType.INT16, { optional: true });
  static readonly OPTIONAL_INT32_SCHEMA = new Schema(SchemaType.INT32, { optional: true });
  static readonly OPTIONAL_INT64_SCHEMA = new Schema(SchemaType.INT64, { optional: true });
  static readonly OPTIONAL_FLOAT32_SCHEMA = new Schema(SchemaType.FLOAT32, { optional: true });
  static readonly OPTIONAL_FLOAT64_SCHEMA = new Schema(SchemaType.FLOAT64, { optional: true });
  static readonly OPTIONAL_BOOLEAN_SCHEMA = new Schema(SchemaType.BOOLEAN, { optional: true });
  static readonly OPTIONAL_STRING_SCHEMA = new Schema(SchemaType.STRING, { optional: true });
  static readonly OPTIONAL_BYTES_SCHEMA = new Schema(SchemaType.BYTES, { optional: true });
}

function sameSchema(a: Schema | null, b: Schema | null): boolean {
  return a === b || (a !== null && a.equals(b));
}

function sameParameters(a: Readonly<Record<string, string>> | null, b: Readonly<Record<string, string>> | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function sameDefault(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  if (typeof (a as { equals?: unknown }).equals === 'function') return (a as { equals(o: unknown): boolean }).equals(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return JSON.stringify(a, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) === JSON.stringify(b, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** A schema paired with a value; either may be null (Kafka's SchemaAndValue). */
export interface SchemaAndValue {
  readonly schema: Schema | null;
  readonly value: unknown;
}

export const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });
