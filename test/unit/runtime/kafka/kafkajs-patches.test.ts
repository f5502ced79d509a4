/**
 * The kafkajs producer patches (patches/kafkajs+2.2.4.patch, applied at install by patch-package):
 * the installed kafkajs carries them, and what they change still encodes what Kafka expects. The
 * produce requests are built with kafkajs's own request encoder and read back with kafkajs's record
 * batch decoder; checksums are checked against a from-the-definition CRC-32C.
 */
import { Partitioners } from 'kafkajs';
import { kafkajsProducerPatchStatus, PATCHED_KAFKAJS_VERSION } from '../../../../src/runtime/kafka/kafkajs-patch-status';

/* eslint-disable @typescript-eslint/no-require-imports */
type Encoder = { buffer: Buffer; size(): number };
type ProduceMessage = { key?: string | Buffer | null; value: string | Buffer | null; timestamp?: string | number; headers?: Record<string, unknown> };
type PartitionData = { partition: number; messages: ProduceMessage[]; firstSequence?: number };
const produceRequestV3 = require('kafkajs/src/protocol/requests/produce/v3/request') as (args: {
  acks: number;
  timeout: number;
  compression?: number;
  topicData: Array<{ topic: string; partitions: PartitionData[] }>;
}) => { encode(): Promise<Encoder> };
const createRequest = require('kafkajs/src/protocol/request') as (args: { correlationId: number; clientId: string; request: unknown }) => Promise<Encoder>;
const KafkaDecoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => {
  readString(): string;
  readInt16(): number;
  readInt32(): number;
  readUInt32(): number;
  offset: number;
  buffer: Buffer;
};
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (decoder: unknown) => Promise<{
  firstTimestamp: string;
  maxTimestamp: string;
  records: Array<{ key: Buffer | null; value: Buffer | null; timestamp: string; offset: string; headers: Record<string, Buffer | null | Array<Buffer | null>> }>;
}>;
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (buffer: Buffer) => number;
const groupMessagesPerPartition = require('kafkajs/src/producer/groupMessagesPerPartition') as (args: unknown) => Record<string, ProduceMessage[]>;
const KafkajsEncoder = require('kafkajs/src/protocol/encoder') as { new (): Encoder & { writeVarLong(v: unknown): Encoder }; sizeOfVarLong(v: unknown): number };
const Long = require('kafkajs/src/utils/long') as { fromValue(v: unknown): unknown };
const murmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: string | Buffer) => number;
/* eslint-enable @typescript-eslint/no-require-imports */

interface DecodedPartition {
  topic: string;
  partition: number;
  batchBytes: Buffer;
  batch: Awaited<ReturnType<typeof decodeRecordBatch>>;
}

/** Encodes a produce request (v3 layout, as v4 to v7) and reads every partition's record batch back. */
async function roundTrip(topicData: Array<{ topic: string; partitions: PartitionData[] }>, compression = 0): Promise<DecodedPartition[]> {
  const encoded = await produceRequestV3({ acks: -1, timeout: 30000, compression, topicData }).encode();
  const d = new KafkaDecoder(encoded.buffer);
  expect(d.readInt16()).toBe(-1); // null transactional id
  expect(d.readInt16()).toBe(-1); // acks
  expect(d.readInt32()).toBe(30000);
  const out: DecodedPartition[] = [];
  for (let t = d.readInt32(); t > 0; t--) {
    const topic = d.readString();
    for (let p = d.readInt32(); p > 0; p--) {
      const partition = d.readInt32();
      const size = d.readInt32();
      const batchBytes = d.buffer.subarray(d.offset, d.offset + size);
      const batchDecoder = new KafkaDecoder(batchBytes);
      out.push({ topic, partition, batchBytes, batch: await decodeRecordBatch(batchDecoder) });
      expect(batchDecoder.offset).toBe(size);
      (d as unknown as { forward(n: number): void }).forward(size);
    }
  }
  expect(d.offset).toBe(encoded.buffer.length);
  return out;
}

/** CRC-32C as its definition states it (reflected polynomial 0x82F63B78, a bit at a time). */
function crc32cFromDefinition(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Kafka's murmur2 (Utils.murmur2 in Java) on Java's 32-bit ints, spelled with BigInt. */
function murmur2Reference(data: Buffer): number {
  const int = (x: bigint) => BigInt.asIntN(32, x);
  const unsignedShift = (x: bigint, n: bigint) => BigInt.asUintN(32, x) >> n;
  const m = 0x5bd1e995n;
  const length = data.length;
  let h = int(0x9747b28cn ^ BigInt(length));
  for (let i = 0; i + 4 <= length; i += 4) {
    let k = int(BigInt(data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24)));
    k = int(k * m);
    k = int(k ^ unsignedShift(k, 24n));
    k = int(k * m);
    h = int(h * m);
    h = int(h ^ k);
  }
  const tail = length & ~3;
  switch (length % 4) {
    case 3:
      h = int(h ^ BigInt(data[tail + 2] << 16));
    // falls through
    case 2:
      h = int(h ^ BigInt(data[tail + 1] << 8));
    // falls through
    case 1:
      h = int(h ^ BigInt(data[tail]));
      h = int(h * m);
  }
  h = int(h ^ unsignedShift(h, 13n));
  h = int(h * m);
  h = int(h ^ unsignedShift(h, 15n));
  return Number(h);
}

/** The CRC a record batch carries (bytes 17..20) and the one its bytes from the attributes on give. */
function batchCrcs(batchBytes: Buffer): { stored: number; computed: number } {
  return { stored: batchBytes.readUInt32BE(17), computed: crc32cFromDefinition(batchBytes.subarray(21)) };
}

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));

describe('kafkajs producer patches', () => {
  test('the installed kafkajs, as Node resolves it, has the patches applied', () => {
    const status = kafkajsProducerPatchStatus();
    expect(status.detail).toBe(`kafkajs ${PATCHED_KAFKAJS_VERSION}: producer patches applied (patches/kafkajs+${PATCHED_KAFKAJS_VERSION}.patch)`);
    expect(status).toMatchObject({ applied: true, kafkajsVersion: PATCHED_KAFKAJS_VERSION });
  });

  test('the status names the files without the patch, and a kafkajs of another version', () => {
    const files: Record<string, string> = {
      '/k/package.json': JSON.stringify({ version: '2.2.4' }),
      '/k/src/producer/groupMessagesPerPartition.js': 'return messages.reduce(...) current.push(message)',
      '/k/src/producer/partitioners/default/murmur2.js': 'k = Math.imul(k, M)',
      '/k/src/producer/partitioners/legacy/partitioner.js': '// Only messages without a partition or a key need the available partitions',
      '/k/src/protocol/encoder.js': 'setInt32At(offset, value) {',
      '/k/src/protocol/request.js': 'return request.setInt32At(0, request.size() - 4)',
      '/k/src/protocol/recordBatch/crc32C/crc32C.js': 'for (let i = 0; i < buffer.length; i++)',
      '/k/src/protocol/recordBatch/record/v0/index.js': 'module.exports.encodeInto = encodeInto',
      '/k/src/protocol/recordBatch/v0/index.js': 'const encodeRecordBatchInto = ',
    };
    const readFile = (file: string) => {
      if (!(file in files)) throw new Error(`ENOENT: ${file}`);
      return files[file];
    };
    const status = kafkajsProducerPatchStatus({ kafkajsDir: () => '/k', readFile });
    expect(status.applied).toBe(false);
    expect(status.detail).toContain('unpatched: src/protocol/recordBatch/crc32C/crc32C.js, src/protocol/requests/produce/v3/request.js');
    expect(status.detail).toContain("connect-standalone's postinstall patches a kafkajs installed under it");

    files['/k/package.json'] = JSON.stringify({ version: '2.3.0' });
    expect(kafkajsProducerPatchStatus({ kafkajsDir: () => '/k', readFile })).toMatchObject({ applied: false, kafkajsVersion: '2.3.0' });
    expect(kafkajsProducerPatchStatus({ kafkajsDir: () => { throw new Error("Cannot find module 'kafkajs/package.json'"); }, readFile }).detail).toContain(
      "cannot read the installed kafkajs (Cannot find module 'kafkajs/package.json')",
    );
  });

  test('a request without the changed cases is byte for byte what unpatched kafkajs 2.2.4 sends', async () => {
    // Made by unpatched kafkajs 2.2.4 from the same input (see the comment in the patch file's hunks:
    // every change keeps the bytes; only the timestamp order fix changes them, tested below).
    const golden = Buffer.from(
      [
        'AAACdwAAAAMAAAAqAA1nb2xkZW4tY2xpZW50/////wAAdTAAAAACAAhnb2xkZW4tYQAAAAIAAAAAAAAA9wAAAAAAAAAAAAAA6wAAAAACNc6Eaw',
        'AAAAAABAAAAYvP5WgAAAABi8/meXD//////////wAAAAAAAAAAAAUkAAoABGsxFHBsYWluIHRleHQAFAAAAgEIAAEC/wAcANgEBA5iaW4ta2V5',
        'AQBOAAQGAR7DvG7Dr2PDtmTDqSDinJMECmgtb25lBHYxCmgtdHdvBHYyxgEA4MUICARrNYwBeHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eH',
        'h4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eAYGcmVwAmEGcmVwAmIGcmVwAmMAAAADAAAA2QAAAAAAAAAAAAAAzQAA',
        'AAACdRYsSgAAAAAAAgAAAYvP5WgCAAABi8/meXD//////////wAAAAAAAAAAAAMcANQEAA5iaW4ta2V5AQBOAAACAR7DvG7Dr2PDtmTDqSDinJ',
        'MECmgtb25lBHYxCmgtdHdvBHYyxgEA3MUIBARrNYwBeHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4',
        'eHh4eHh4eHh4eHh4eHh4eHh4eAYGcmVwAmEGcmVwAmIGcmVwAmMACGdvbGRlbi1iAAAAAQAAAAEAAABQAAAAAAAAAAAAAABEAAAAAAKfpFFZAA',
        'AAAAAAAAABi8/laAUAAAGLz+VoBf//////////AAAAAAAAAAAAASQAAAAEazEUcGxhaW4gdGV4dAA=',
      ].join(''),
      'base64',
    );
    const ts = (n: number) => String(1700000000000 + n);
    const messages: ProduceMessage[] = [
      { key: 'k1', value: 'plain text', timestamp: ts(5) },
      { key: null, value: Buffer.from([0, 1, 2, 255]), timestamp: ts(0) },
      { key: Buffer.from('bin-key'), value: null, timestamp: ts(300) },
      { value: 'ünïcödé ✓', timestamp: ts(2), headers: { 'h-one': 'v1', 'h-two': Buffer.from('v2') } },
      { key: 'k5', value: 'x'.repeat(70), timestamp: ts(70000), headers: { rep: ['a', 'b', 'c'] } },
    ];
    const request = produceRequestV3({
      acks: -1,
      timeout: 30000,
      topicData: [
        {
          topic: 'golden-a',
          partitions: [
            { partition: 0, messages, firstSequence: 0 },
            { partition: 3, messages: messages.slice(2), firstSequence: 0 },
          ],
        },
        { topic: 'golden-b', partitions: [{ partition: 1, messages: messages.slice(0, 1), firstSequence: 0 }] },
      ],
    });
    const framed = await createRequest({ correlationId: 42, clientId: 'golden-client', request });
    expect(framed.buffer.toString('base64')).toBe(golden.toString('base64'));
  });

  test('first and max timestamps are compared as numbers: 999 and 1000 in one batch', async () => {
    for (const [a, b] of [
      ['1000', '999'],
      [1000, 999],
      ['999', '1000'],
    ] as const) {
      const [{ batch, batchBytes }] = await roundTrip([{ topic: 't', partitions: [{ partition: 0, messages: [{ value: 'a', timestamp: a }, { value: 'b', timestamp: b }, { value: 'c', timestamp: '5000' }] }] }]);
      // The unpatched string sort gave first 1000 and max 999: records before the batch's start.
      expect([batch.firstTimestamp, batch.maxTimestamp]).toEqual(['999', '5000']);
      expect(batch.records.map((r) => [text(r.value), r.timestamp])).toEqual([
        ['a', String(a)],
        ['b', String(b)],
        ['c', '5000'],
      ]);
      const crcs = batchCrcs(batchBytes);
      expect(crcs.stored).toBe(crcs.computed);
    }
  });

  test('null and non-null keys and values, string and Buffer, keep their place and bytes', async () => {
    const messages: ProduceMessage[] = [
      { key: null, value: 'v0' },
      { key: 'k1', value: null },
      { key: Buffer.from([0xff, 0x00]), value: Buffer.alloc(0) },
      { key: '', value: 'ü'.repeat(100) },
      { value: Buffer.from('no key given') },
    ];
    const [{ batch }] = await roundTrip([{ topic: 't', partitions: [{ partition: 2, messages }] }]);
    expect(batch.records.map((r) => [r.key, r.value, r.offset])).toEqual([
      [null, Buffer.from('v0'), '0'],
      [Buffer.from('k1'), null, '1'],
      [Buffer.from([0xff, 0x00]), Buffer.alloc(0), '2'],
      [Buffer.alloc(0), Buffer.from('ü'.repeat(100)), '3'],
      [null, Buffer.from('no key given'), '4'],
    ]);
  });

  test('headers: repeated keys in order, and null header values (unpatched kafkajs threw on those)', async () => {
    const messages: ProduceMessage[] = [
      { value: 'a', headers: { trace: 'x', rep: ['1', Buffer.from('2'), '3'], empty: Buffer.alloc(0) } },
      { value: 'b', headers: { gone: null, mixed: ['m1', null, 'm3'] } },
      { value: 'c', headers: {} },
      { value: 'd' },
    ];
    const [{ batch, batchBytes }] = await roundTrip([{ topic: 't', partitions: [{ partition: 0, messages }] }]);
    expect(batch.records.map((r) => r.headers)).toEqual([
      { trace: Buffer.from('x'), rep: [Buffer.from('1'), Buffer.from('2'), Buffer.from('3')], empty: Buffer.alloc(0) },
      { gone: null, mixed: [Buffer.from('m1'), null, Buffer.from('m3')] },
      {},
      {},
    ]);
    const crcs = batchCrcs(batchBytes);
    expect(crcs.stored).toBe(crcs.computed);
  });

  test('gzip batches carry the same records', async () => {
    const messages: ProduceMessage[] = Array.from({ length: 50 }, (_, i) => ({ key: i % 2 ? `k${i}` : null, value: `value ${i}`, headers: i % 5 ? undefined : { n: String(i) } }));
    const [{ batch }] = await roundTrip([{ topic: 't', partitions: [{ partition: 0, messages }] }], 1);
    expect(batch.records.map((r) => [text(r.key), text(r.value), r.headers.n === undefined ? null : text(r.headers.n as Buffer)])).toEqual(
      messages.map((m, i) => [m.key ?? null, m.value, i % 5 ? null : String(i)]),
    );
  });

  test('grouping per partition with the Java-compatible partitioner keeps each partition in send order', async () => {
    // murmur2 values Apache Kafka's own tests expect (UtilsTest.testMurmur2); partition = positive hash % count.
    const javaHashes: Array<[string, number]> = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    const count = 12;
    const partitionMetadata = Array.from({ length: count }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 1, replicas: [1], isr: [1] }));
    const messages: ProduceMessage[] = [
      ...javaHashes.map(([key]) => ({ key, value: `java ${key}` })),
      ...Array.from({ length: 5000 }, (_, i) => ({ key: `key-${i % 97}`, value: String(i) })),
    ];
    const grouped = groupMessagesPerPartition({ topic: 't', partitionMetadata, messages, partitioner: Partitioners.DefaultPartitioner() });
    for (const [key, hash] of javaHashes) expect(grouped[String((hash & 0x7fffffff) % count)]).toContainEqual({ key, value: `java ${key}` });
    // Every message once, and within each partition in the order given.
    const seen = Object.values(grouped).flat();
    expect(seen).toHaveLength(messages.length);
    const placeOf = new Map(messages.map((m, i) => [m, i]));
    for (const list of Object.values(grouped)) {
      const places = list.map((m) => placeOf.get(m)!);
      expect(places).toEqual([...places].sort((x, y) => x - y));
    }
    // The same key always lands in the same partition.
    const partitionsOfKey = new Map<string, Set<string>>();
    for (const [partition, list] of Object.entries(grouped)) {
      for (const m of list) partitionsOfKey.set(String(m.key), (partitionsOfKey.get(String(m.key)) ?? new Set()).add(partition));
    }
    expect([...partitionsOfKey.values()].filter((set) => set.size !== 1)).toEqual([]);

    // And through the produce request: every partition's batch decodes in send order, CRC correct.
    const decoded = await roundTrip([{ topic: 't', partitions: Object.entries(grouped).map(([p, list]) => ({ partition: Number(p), messages: list })) }]);
    expect(decoded).toHaveLength(Object.keys(grouped).length);
    for (const { partition, batch, batchBytes } of decoded) {
      expect(batch.records.map((r) => text(r.value))).toEqual(grouped[String(partition)].map((m) => m.value));
      const crcs = batchCrcs(batchBytes);
      expect(crcs.stored).toBe(crcs.computed);
    }
  });

  test('murmur2 (the Java-compatible partitioner) gives Java\'s hashes for keys of every length', () => {
    const bytes = Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff));
    for (let length = 0; length <= bytes.length; length++) {
      const key = bytes.subarray(0, length);
      expect([length, murmur2(key)]).toEqual([length, murmur2Reference(key)]);
    }
    for (const key of ['21', 'foobar', 'ünïcödé key', '']) expect(murmur2(key)).toBe(murmur2Reference(Buffer.from(key)));
    expect(murmur2('21')).toBe(-973932308); // as in Apache Kafka's UtilsTest.testMurmur2
  });

  test('crc32c matches the definition, for every length around the 8-byte steps', () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283); // the standard check value
    expect(crc32C(Buffer.alloc(0))).toBe(0);
    const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 0xff));
    for (let start = 0; start < 9; start++) {
      for (let length = 0; length < 40; length++) {
        const part = bytes.subarray(start, start + length);
        expect(crc32C(part)).toBe(crc32cFromDefinition(part));
      }
    }
    expect(crc32C(bytes)).toBe(crc32cFromDefinition(bytes));
  });

  test('VarLongs from numbers are the bytes the Long path writes, across the size boundaries', () => {
    const values = [0, 1, -1, 63, 64, -64, -65, 8191, 8192, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 35, -(2 ** 40), 2 ** 50 - 1, -(2 ** 51) + 1, 2 ** 51, 2 ** 52, Number.MAX_SAFE_INTEGER, 1700000000000];
    for (const value of values) {
      const fromNumber = new KafkajsEncoder().writeVarLong(value).buffer;
      const fromLong = new KafkajsEncoder().writeVarLong(Long.fromValue(value)).buffer;
      expect([value, fromNumber.toString('hex')]).toEqual([value, fromLong.toString('hex')]);
      expect(KafkajsEncoder.sizeOfVarLong(value)).toBe(fromLong.length);
    }
  });
});
