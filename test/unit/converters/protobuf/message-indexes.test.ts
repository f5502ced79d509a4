import { DataError } from '../../../../src/api';
import { readMessageIndexes, writeMessageIndexes } from '../../../../src/converters/protobuf/message-indexes';

/** Confluent's MessageIndexes: zig-zag varint count, then zig-zag varint indexes; [0] as the single byte 0. */
describe('message indexes', () => {
  it('writes [0] as 00 and other paths as count then indexes, zig-zag encoded', () => {
    expect(writeMessageIndexes([0]).toString('hex')).toBe('00');
    expect(writeMessageIndexes([1]).toString('hex')).toBe('0202');
    expect(writeMessageIndexes([2, 0]).toString('hex')).toBe('040400');
    expect(writeMessageIndexes([64]).toString('hex')).toBe('028001');
  });

  it('reads what it writes, and where the payload starts', () => {
    for (const path of [[0], [1], [3, 1, 0], [64, 200]]) {
      const bytes = Buffer.concat([Buffer.from([9]), writeMessageIndexes(path), Buffer.from([7])]);
      expect(readMessageIndexes(bytes, 1)).toEqual({ indexes: path, end: bytes.length - 1 });
    }
  });

  it('refuses a path cut short', () => {
    expect(() => readMessageIndexes(Buffer.from([4, 2]), 0)).toThrow(DataError);
    expect(() => readMessageIndexes(Buffer.from([]), 0)).toThrow('Invalid message indexes: the data ends inside them');
  });
});
