import { Converter, DataError, Header, HeaderConverter, Schema, SchemaAndValue } from '../api';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Kafka's NumberConverter: one fixed-size big-endian number per key, value or header, written as
 * Kafka's ShortSerializer, IntegerSerializer, LongSerializer, FloatSerializer and DoubleSerializer
 * write it, so records interoperate with Java producers and consumers. Null converts to null both
 * ways; bytes always read back with the converter's optional schema. Usable as a key/value converter
 * and as a header converter; topic names and header keys only appear in error messages.
 *
 * Kafka casts the value to the Java type and fails on a ClassCastException; here the schema (when
 * given) must be the converter's type and the value must fit it, with the same "Failed to
 * serialize to <type>" message.
 */
abstract class NumberConverter implements Converter, HeaderConverter {
  protected constructor(
    /** The Java type name Kafka's messages use: short, integer, long, float, double. */
    private readonly typeName: string,
    /** The schema every value reads back with. */
    readonly schema: Schema,
    private readonly size: number,
    /** The Kafka deserializer named in its size error. */
    private readonly deserializerName: string,
  ) {}

  configure(_configs: Record<string, string>, _isKey?: boolean): void {
    // Nothing to configure.
  }

  fromConnectData(_topic: string, _headers: readonly Header[], schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    if (schema !== null && schema.type !== this.schema.type) {
      throw new DataError(`Failed to serialize to ${this.typeName} (was schema type ${schema.type}): ${this.constructor.name} requires schema type ${this.schema.type} or no schema`);
    }
    const out = Buffer.allocUnsafe(this.size);
    this.write(out, value);
    return out;
  }

  toConnectData(topic: string, _headers: readonly Header[], value: Buffer | null): SchemaAndValue {
    if (value === null) return { schema: this.schema, value: null };
    if (value.length !== this.size) {
      throw new DataError(`Failed to deserialize ${this.typeName} for topic ${topic}: Size of data received by ${this.deserializerName} is not ${this.size}`);
    }
    return { schema: this.schema, value: this.read(value) };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, [], value);
  }

  /** Writes a non-null value into `out` (exactly `size` bytes); throws via `refuse` when it does not fit. */
  protected abstract write(out: Buffer, value: unknown): void;
  protected abstract read(bytes: Buffer): unknown;

  protected refuse(value: unknown, why: string): never {
    throw new DataError(`Failed to serialize to ${this.typeName} (was ${describe(value)}): ${why}`);
  }

  protected integer(value: unknown, min: number, max: number): number {
    if (typeof value === 'bigint' && value >= BigInt(min) && value <= BigInt(max)) return Number(value);
    if (typeof value !== 'number' && typeof value !== 'bigint') this.refuse(value, `${this.constructor.name} needs a number`);
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    return this.refuse(value, `not an integer between ${min} and ${max}`);
  }

  protected float(value: unknown): number {
    return typeof value === 'number' ? value : this.refuse(value, `${this.constructor.name} needs a number`);
  }
}

/** org.apache.kafka.connect.converters.ShortConverter: INT16 as 2 bytes. */
export class ShortConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.ShortConverter';
  constructor() {
    super('short', Schema.OPTIONAL_INT16_SCHEMA, 2, 'ShortDeserializer');
  }
  protected write(out: Buffer, value: unknown): void {
    out.writeInt16BE(this.integer(value, -32768, 32767));
  }
  protected read(bytes: Buffer): number {
    return bytes.readInt16BE(0);
  }
}

/** org.apache.kafka.connect.converters.IntegerConverter: INT32 as 4 bytes. */
export class IntegerConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.IntegerConverter';
  constructor() {
    super('integer', Schema.OPTIONAL_INT32_SCHEMA, 4, 'IntegerDeserializer');
  }
  protected write(out: Buffer, value: unknown): void {
    out.writeInt32BE(this.integer(value, -2147483648, 2147483647));
  }
  protected read(bytes: Buffer): number {
    return bytes.readInt32BE(0);
  }
}

/** org.apache.kafka.connect.converters.LongConverter: INT64 as 8 bytes, read back as an exact bigint. */
export class LongConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.LongConverter';
  constructor() {
    super('long', Schema.OPTIONAL_INT64_SCHEMA, 8, 'LongDeserializer');
  }
  protected write(out: Buffer, value: unknown): void {
    if (typeof value === 'bigint' && value >= INT64_MIN && value <= INT64_MAX) {
      out.writeBigInt64BE(value);
    } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
      out.writeBigInt64BE(BigInt(value));
    } else if (typeof value === 'number' || typeof value === 'bigint') {
      this.refuse(value, 'not a 64-bit integer (numbers must be safe integers; use a bigint beyond 2^53)');
    } else {
      this.refuse(value, 'LongConverter needs a bigint or a number');
    }
  }
  protected read(bytes: Buffer): bigint {
    return bytes.readBigInt64BE(0);
  }
}

/** org.apache.kafka.connect.converters.FloatConverter: FLOAT32 as 4 bytes (IEEE 754 single). */
export class FloatConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.FloatConverter';
  constructor() {
    super('float', Schema.OPTIONAL_FLOAT32_SCHEMA, 4, 'Deserializer');
  }
  protected write(out: Buffer, value: unknown): void {
    out.writeFloatBE(this.float(value));
  }
  protected read(bytes: Buffer): number {
    return bytes.readFloatBE(0);
  }
}

/** org.apache.kafka.connect.converters.DoubleConverter: FLOAT64 as 8 bytes (IEEE 754 double). */
export class DoubleConverter extends NumberConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.DoubleConverter';
  constructor() {
    super('double', Schema.OPTIONAL_FLOAT64_SCHEMA, 8, 'Deserializer');
  }
  protected write(out: Buffer, value: unknown): void {
    out.writeDoubleBE(this.float(value));
  }
  protected read(bytes: Buffer): number {
    return bytes.readDoubleBE(0);
  }
}

function describe(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'string':
      return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'object':
      if (value === null) return 'null';
      if (Buffer.isBuffer(value)) return 'Buffer';
      return Array.isArray(value) ? 'Array' : ((Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object');
    default:
      return typeof value;
  }
}
