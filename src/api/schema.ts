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
 * number; BOOLEAN as boolean; STRING as string; BYTES as Buffer; ARRAY as unknown[]; MAP as Map.
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

/** A schema paired with a value; either may be null (Kafka's SchemaAndValue). */
export interface SchemaAndValue {
  readonly schema: Schema | null;
  readonly value: unknown;
}

export const NULL_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: null, value: null });
