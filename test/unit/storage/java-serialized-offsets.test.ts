import * as fs from 'fs';
import * as path from 'path';
import { ConnectError } from '../../../src/api';
import { isJavaSerialized, JavaSerializedEntry, readJavaSerializedOffsets } from '../../../src/storage/java-serialized-offsets';
import { javaSerializedOffsets } from '../../helpers/java-serialized-offsets-writer';

/** Written by Java 17's ObjectOutputStream: test/fixtures/kafka-offsets/MakeOffsets.java. */
const FIXTURES = path.join(__dirname, '../../fixtures/kafka-offsets');
const fixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES, name));
const FILE = '/var/lib/connect/connect.offsets';

function asText(entries: JavaSerializedEntry[]): Array<[string | null, string | null]> {
  return entries.map((e) => [e.key?.toString('utf8') ?? null, e.value?.toString('utf8') ?? null] as [string | null, string | null]).sort();
}

function failure(bytes: Buffer): ConnectError {
  try {
    readJavaSerializedOffsets(bytes, FILE);
  } catch (err) {
    expect(err).toBeInstanceOf(ConnectError);
    return err as ConnectError;
  }
  throw new Error('expected the reader to reject the bytes');
}

describe('readJavaSerializedOffsets on files written by Java', () => {
  it('reads several entries of byte[] keys and values', () => {
    const { entries, capacity } = readJavaSerializedOffsets(fixture('several.bin'), FILE);
    expect(capacity).toBe(16);
    expect(asText(entries)).toEqual(
      [
        ['["local-file-source",{"filename":"/tmp/test.txt"}]', '{"position":123}'],
        ['["local-file-source",{"filename":"/var/log/app.log"}]', '{"position":0}'],
        ['["jdbc-users",{"table":"users","protocol":"1"}]', '{"incrementing":42,"timestamp_nanos":0}'],
        ['["other",{"id":7,"flag":true}]', '{"text":"a \\"quoted\\" value","gone":null}'],
      ].sort(),
    );
  });

  it('keeps multibyte UTF-8 bytes as they are', () => {
    const { entries } = readJavaSerializedOffsets(fixture('multibyte.bin'), FILE);
    expect(asText(entries)).toEqual(
      [
        ['["fichiers",{"filename":"/tmp/données/日本語 ✓.txt"}]', '{"position":57}'],
        ['["emoji-source",{"filename":"/tmp/😀.log"}]', '{"position":9007199254740991}'],
      ].sort(),
    );
  });

  it('reads a null value (a deleted offset)', () => {
    const { entries } = readJavaSerializedOffsets(fixture('null-value.bin'), FILE);
    expect(asText(entries)).toEqual([
      ['["local-file-source",{"filename":"/tmp/deleted.txt"}]', null],
      ['["local-file-source",{"filename":"/tmp/kept.txt"}]', '{"position":5}'],
    ]);
  });

  it('reads an empty map', () => {
    expect(readJavaSerializedOffsets(fixture('empty.bin'), FILE)).toEqual({ entries: [], capacity: 16 });
  });

  it('reads a map that was resized past 16 buckets', () => {
    const { entries, capacity } = readJavaSerializedOffsets(fixture('many.bin'), FILE);
    expect(capacity).toBe(32);
    expect(entries).toHaveLength(20);
    expect(asText(entries)).toContainEqual(['["many",{"filename":"/data/file-19.txt"}]', '{"position":1900}']);
  });

  it('recognises the stream magic', () => {
    expect(isJavaSerialized(fixture('empty.bin'))).toBe(true);
    expect(isJavaSerialized(Buffer.from('{"version":1,"offsets":[]}'))).toBe(false);
    expect(isJavaSerialized(Buffer.from([0xac]))).toBe(false);
  });
});

describe('the test-only writer', () => {
  it.each(['several.bin', 'multibyte.bin', 'null-value.bin', 'empty.bin', 'many.bin'])('writes %s byte for byte as Java does', (name) => {
    const java = fixture(name);
    const { entries } = readJavaSerializedOffsets(java, FILE);
    expect(javaSerializedOffsets(entries).toString('hex')).toBe(java.toString('hex'));
  });

  it('writes a null key, which the reader returns as null', () => {
    const bytes = javaSerializedOffsets([{ key: null, value: '{"position":1}' }]);
    expect(asText(readJavaSerializedOffsets(bytes, FILE).entries)).toEqual([[null, '{"position":1}']]);
  });
});

describe('readJavaSerializedOffsets rejects anything else', () => {
  const several = fixture('several.bin');

  it('rejects every truncation of a valid file, naming the file', () => {
    for (let length = 0; length < several.length; length++) {
      const err = failure(several.subarray(0, length));
      expect(err.message).toContain(`Offsets file ${FILE} starts like Apache Kafka's offsets file`);
      expect(err.message).toContain('left untouched');
    }
    expect(failure(several.subarray(0, 100)).message).toMatch(/the stream ends after 100 bytes \(truncated file\?\)/);
  });

  it('rejects trailing bytes', () => {
    expect(failure(Buffer.concat([several, Buffer.from([0x70])])).message).toContain(
      `at byte ${several.length}, expected the end of the stream after the HashMap, found 1 more bytes`,
    );
  });

  it('rejects another stream version', () => {
    const bytes = Buffer.from(several);
    bytes[3] = 4;
    expect(failure(bytes).message).toContain('at byte 2, expected stream version 5, found 4');
  });

  it('rejects another class than java.util.HashMap', () => {
    const bytes = Buffer.from(several);
    bytes.write('java.util.Hashtab', 8, 'latin1');
    expect(failure(bytes).message).toContain('expected class java.util.HashMap, found class java.util.Hashtab');
  });

  it('rejects a HashMap with another serialVersionUID', () => {
    const bytes = Buffer.from(several);
    bytes[32] ^= 1;
    expect(failure(bytes).message).toContain('expected java.util.HashMap with serialVersionUID 362498820763181265');
  });

  it('rejects a top-level object that is not TC_OBJECT', () => {
    const bytes = Buffer.from('aced000574000568656c6c6f', 'hex'); // the String "hello"
    expect(failure(bytes).message).toContain('at byte 4, expected the HashMap object (TC_OBJECT), found TC_STRING (0x74)');
  });

  it('rejects a key that is a String rather than a byte[]', () => {
    const empty = fixture('empty.bin');
    // size 1, then TC_STRING "a" where the key belongs
    const bytes = Buffer.concat([empty.subarray(0, empty.length - 2), Buffer.from('01' + '74000161' + '70' + '78', 'hex')]);
    expect(failure(bytes).message).toContain('expected the key of entry 0: a byte[] (TC_ARRAY), TC_REFERENCE or TC_NULL, found TC_STRING (0x74)');
  });

  it('rejects an array of another type', () => {
    const bytes = javaSerializedOffsets([{ key: 'k', value: 'v' }]);
    const at = bytes.indexOf(Buffer.from('[B'));
    bytes.write('[I', at, 'latin1');
    expect(failure(bytes).message).toContain('expected class [B, found class [I');
  });

  it('rejects a back-reference to an unknown handle', () => {
    const bytes = javaSerializedOffsets([{ key: 'k', value: 'v' }, { key: 'k2', value: 'v2' }]);
    const at = bytes.indexOf(Buffer.from('71007e0002', 'hex'));
    bytes.writeUInt8(0x09, at + 4);
    expect(failure(bytes).message).toContain('found unknown handle 0x007E0009');
  });

  it('rejects a size the file cannot hold', () => {
    const bytes = Buffer.from(fixture('empty.bin'));
    bytes.writeInt32BE(1_000_000, bytes.length - 5);
    expect(failure(bytes).message).toContain('the HashMap claims 1000000 entries');
  });

  it('follows back-references to earlier arrays', () => {
    const base = javaSerializedOffsets([{ key: 'k', value: null }]);
    // replace the TC_NULL value with a reference to the key array (handle 0x7E0003)
    const bytes = Buffer.concat([base.subarray(0, base.length - 2), Buffer.from('71007e0003' + '78', 'hex')]);
    expect(asText(readJavaSerializedOffsets(bytes, FILE).entries)).toEqual([['k', 'k']]);
  });
});
