import { DataError } from '../../api';

/**
 * Confluent's wire format, shared by its Avro, Protobuf and JSON Schema converters: magic byte 0,
 * then the schema's registry id as a 4-byte big-endian int, then the format's own payload.
 */
export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

/** The five header bytes for a schema id. */
export function wireHeader(id: number): Buffer {
  const out = Buffer.allocUnsafe(HEADER_SIZE);
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(id, 1);
  return out;
}

/** The schema id of a message in the wire format; a DataError as Confluent's ("Unknown magic byte!") when it is not one. */
export function readSchemaId(bytes: Buffer): number {
  if (bytes.length < HEADER_SIZE || bytes[0] !== MAGIC_BYTE) throw new DataError('Unknown magic byte!');
  return bytes.readInt32BE(1);
}
