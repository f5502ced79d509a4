import { DataError } from '../../api';

/**
 * Confluent's message-index path (MessageIndexes), written after the 5-byte header: which message of
 * the registered .proto the payload is. A zig-zag varint count, then each index as a zig-zag varint,
 * walking from the file's top-level messages into nested ones; the single byte 0 stands for [0].
 */
export function writeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const bytes: number[] = [];
  writeZigZag(indexes.length, bytes);
  for (const index of indexes) writeZigZag(index, bytes);
  return Buffer.from(bytes);
}

/** The path at `offset`, and where the Protobuf payload starts. */
export function readMessageIndexes(bytes: Buffer, offset: number): { indexes: number[]; end: number } {
  const cursor = { pos: offset };
  const count = readZigZag(bytes, cursor);
  if (count === 0) return { indexes: [0], end: cursor.pos };
  if (count < 0 || count > bytes.length - cursor.pos) throw new DataError(`Invalid message indexes: a count of ${count}`);
  const indexes: number[] = [];
  for (let i = 0; i < count; i++) indexes.push(readZigZag(bytes, cursor));
  return { indexes, end: cursor.pos };
}

function writeZigZag(n: number, out: number[]): void {
  let v = ((n << 1) ^ (n >> 31)) >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

function readZigZag(bytes: Buffer, cursor: { pos: number }): number {
  let v = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (cursor.pos >= bytes.length) throw new DataError('Invalid message indexes: the data ends inside them');
    const b = bytes[cursor.pos++];
    v |= (b & 0x7f) << shift;
    if ((b & 0x80) === 0) return (v >>> 1) ^ -(v & 1);
  }
  throw new DataError('Invalid message indexes: a varint longer than 5 bytes');
}
