import * as avro from 'avsc';
import { DataError } from '../../api';
import { AvroSchemaJson } from './avro-schema-json';

/** Avro long as bigint, so every INT64 survives (avsc's default long is a lossy JS number). */
const BIGINT_LONG = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (x: unknown) => BigInt(x as number),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

/** Also for `{"type":"long", ...properties}`, which avsc does not look up in the registry. */
function bigintLongs(schema: unknown): avro.Type | undefined {
  const type = typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as { type?: unknown }).type : schema;
  return type === 'long' ? BIGINT_LONG : undefined;
}

/**
 * The avsc Type for an Avro schema as this converter uses it: longs as bigint, every union value
 * wrapped as `{branch: value}` (so the branch read is known), logical types left to the converter.
 */
export function avscType(schema: AvroSchemaJson): avro.Type {
  try {
    return avro.Type.forSchema(schema as avro.Schema, { registry: { long: BIGINT_LONG }, typeHook: bigintLongs, wrapUnions: 'always' } as Partial<avro.ForSchemaOptions>);
  } catch (err) {
    throw new DataError(`Invalid Avro schema: ${(err as Error).message}`, { cause: err });
  }
}
