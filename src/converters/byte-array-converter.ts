import { Converter, DataError, Header, Schema, SchemaAndValue, SchemaType } from '../api';

/**
 * Kafka's ByteArrayConverter: passes bytes through unchanged. Accepts a null or BYTES schema and a
 * Buffer, Uint8Array or null value; reads every key or value as optional bytes.
 */
export class ByteArrayConverter implements Converter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.converters.ByteArrayConverter';

  configure(_configs: Record<string, string>, _isKey: boolean): void {
    // Nothing to configure.
  }

  fromConnectData(_topic: string, _headers: readonly Header[], schema: Schema | null, value: unknown): Buffer | null {
    if (schema !== null && schema.type !== SchemaType.BYTES) {
      throw new DataError(`Invalid schema type for ByteArrayConverter: ${schema.type}`);
    }
    if (value === null || value === undefined) return null;
    if (Buffer.isBuffer(value)) return value;
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    throw new DataError(`ByteArrayConverter is not compatible with objects of type ${describe(value)}`);
  }

  toConnectData(_topic: string, _headers: readonly Header[], value: Buffer | null): SchemaAndValue {
    // As Kafka: a null value still carries the optional bytes schema.
    return { schema: Schema.OPTIONAL_BYTES_SCHEMA, value };
  }
}

function describe(value: unknown): string {
  if (typeof value !== 'object' || value === null) return typeof value;
  return Array.isArray(value) ? 'Array' : ((Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object');
}
