import { PartitionerArgs, Partitioners, Producer, ProducerBatch, RecordMetadata } from 'kafkajs';
import { ProducerSettings } from '../../../../src/runtime/kafka/client-config';
import { OutgoingRecord } from '../../../../src/runtime/kafka/kafka-client-factory';
import { createRecordPartitioner, KafkajsRecordProducer } from '../../../../src/runtime/kafka/kafkajs-record-producer';

type PartitionMetadata = PartitionerArgs['partitionMetadata'];

function partitions(count: number): PartitionMetadata {
  return Array.from({ length: count }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
}

/**
 * A stand-in for a kafkajs producer that does what kafkajs's sendBatch does with the partitioner it
 * was created with: asks it for each message's partition (again on every attempt), groups the
 * messages per partition in order, and answers one RecordMetadata per partition with the base offset
 * the partition's log gave the batch. Partitions answer in reverse order, as nothing promises an order.
 */
class FakeKafkajsProducer {
  readonly partitioner = createRecordPartitioner();
  readonly logEnd = new Map<string, bigint>();
  readonly batches: ProducerBatch[] = [];
  /** Attempts per sendBatch (kafkajs re-partitions on each retry). */
  attempts = 1;
  /** The partition of each message, per attempt. */
  readonly choices: number[][] = [];

  constructor(private readonly partitionCounts: Record<string, number>) {}

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    this.batches.push(batch);
    const out: RecordMetadata[] = [];
    for (const { topic, messages } of batch.topicMessages ?? []) {
      const partitionMetadata = partitions(this.partitionCounts[topic]);
      let grouped = new Map<number, number>();
      for (let attempt = 0; attempt < this.attempts; attempt++) {
        grouped = new Map();
        const chosen: number[] = [];
        for (const message of messages) {
          const p = this.partitioner({ topic, partitionMetadata, message });
          chosen.push(p);
          grouped.set(p, (grouped.get(p) ?? 0) + 1);
        }
        this.choices.push(chosen);
      }
      for (const [partition, count] of grouped) {
        const key = `${topic}-${partition}`;
        const base = this.logEnd.get(key) ?? 0n;
        this.logEnd.set(key, base + BigInt(count));
        out.push({ topicName: topic, partition, errorCode: 0, baseOffset: String(base), logAppendTime: '-1', logStartOffset: '0' });
      }
    }
    return batch.acks === 0 ? [] : out.reverse();
  }
}

const SETTINGS: ProducerSettings = { producer: {}, acks: -1, compression: 'none', deliveryTimeoutMs: 120000 };

function outgoing(topic: string, key: string | null, partition: number | null = null): OutgoingRecord {
  return { topic, partition, key: key === null ? null : Buffer.from(key), value: Buffer.from('v'), timestamp: null, headers: [] };
}

/** Where Kafka's (and kafkajs's) default partitioner puts a keyed record: murmur2 of the key. */
function keyedPartition(topic: string, key: string, count: number): number {
  return Partitioners.DefaultPartitioner()({ topic, partitionMetadata: partitions(count), message: { key: Buffer.from(key), value: null } });
}

describe('KafkajsRecordProducer', () => {
  it('reports for each record the partition it went to and its offset (base offset + place in that partition)', async () => {
    const fake = new FakeKafkajsProducer({ a: 4, b: 2 });
    fake.logEnd.set('a-1', 40n);
    const producer = new KafkajsRecordProducer(fake as unknown as Producer, SETTINGS);
    const keys = ['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7'];
    const records = [...keys.map((k) => outgoing('a', k)), outgoing('b', 'x'), outgoing('a', null, 1), outgoing('b', null, 0), outgoing('a', 'k0')];

    const sent = await producer.send(records);

    expect(sent).toHaveLength(records.length);
    sent.forEach((m, i) => expect(m.topic).toBe(records[i].topic));
    keys.forEach((k, i) => expect(sent[i].partition).toBe(keyedPartition('a', k, 4)));
    expect(sent[8].partition).toBe(keyedPartition('b', 'x', 2));
    expect(sent[9].partition).toBe(1);
    expect(sent[10].partition).toBe(0);
    expect(sent[11].partition).toBe(sent[0].partition);
    // Offsets: consecutive per partition in send order, starting at each partition's log end.
    const expected = new Map<string, bigint>([['a-1', 40n]]);
    for (const m of sent) {
      const key = `${m.topic}-${m.partition}`;
      const next = expected.get(key) ?? 0n;
      expect(m.offset).toBe(next);
      expected.set(key, next + 1n);
    }
    // The records went out with the partitions reported.
    const messagesA = fake.batches[0].topicMessages!.find((t) => t.topic === 'a')!.messages;
    expect(messagesA.map((m) => m.partition)).toEqual(sent.filter((m) => m.topic === 'a').map((m) => m.partition));
  });

  it('a second batch continues the offsets where the first ended', async () => {
    const fake = new FakeKafkajsProducer({ t: 1 });
    const producer = new KafkajsRecordProducer(fake as unknown as Producer, SETTINGS);
    expect((await producer.send([outgoing('t', null), outgoing('t', null)])).map((m) => m.offset)).toEqual([0n, 1n]);
    expect((await producer.send([outgoing('t', null)])).map((m) => [m.partition, m.offset])).toEqual([[0, 2n]]);
  });

  it('keeps the partition chosen for an unkeyed record when kafkajs partitions again on a retry', async () => {
    const fake = new FakeKafkajsProducer({ t: 4 });
    fake.attempts = 3;
    const producer = new KafkajsRecordProducer(fake as unknown as Producer, SETTINGS);
    // 6 records over 4 partitions: a round robin that went on counting would move them on each attempt.
    const sent = await producer.send(Array.from({ length: 6 }, () => outgoing('t', null)));
    expect(fake.choices).toHaveLength(3);
    expect(fake.choices[1]).toEqual(fake.choices[0]);
    expect(fake.choices[2]).toEqual(fake.choices[0]);
    expect(sent.map((m) => m.partition)).toEqual(fake.choices[2]);
    expect(new Set(fake.choices[0]).size).toBe(4);
    for (const p of new Set(fake.choices[0])) {
      const offsets = sent.filter((m) => m.partition === p).map((m) => m.offset);
      expect(offsets).toEqual(offsets.map((_, i) => BigInt(i)));
    }
  });

  it('with acks=0 Kafka reports no offsets: partitions are known, offsets null', async () => {
    const fake = new FakeKafkajsProducer({ t: 3 });
    const producer = new KafkajsRecordProducer(fake as unknown as Producer, { ...SETTINGS, acks: 0 });
    const sent = await producer.send([outgoing('t', 'key'), outgoing('t', null, 2)]);
    expect(sent).toEqual([
      { topic: 't', partition: keyedPartition('t', 'key', 3), offset: null },
      { topic: 't', partition: 2, offset: null },
    ]);
  });
});

describe('KafkajsRecordProducer header values', () => {
  const withHeaders = (): OutgoingRecord => ({ ...outgoing('t', null, 0), headers: [['a', Buffer.from('1')], ['gone', null], ['a', Buffer.from('2')]] });

  it('hands kafkajs a null header value as null when kafkajs can write it (patched)', async () => {
    const fake = new FakeKafkajsProducer({ t: 1 });
    await new KafkajsRecordProducer(fake as unknown as Producer, SETTINGS, true).send([withHeaders()]);
    expect(fake.batches[0].topicMessages![0].messages[0].headers).toEqual({ a: [Buffer.from('1'), Buffer.from('2')], gone: [null] });
  });

  it('sends an empty value instead when kafkajs is unpatched (it would fail the send)', async () => {
    const fake = new FakeKafkajsProducer({ t: 1 });
    await new KafkajsRecordProducer(fake as unknown as Producer, SETTINGS).send([withHeaders()]);
    expect(fake.batches[0].topicMessages![0].messages[0].headers).toEqual({ a: [Buffer.from('1'), Buffer.from('2')], gone: [Buffer.alloc(0)] });
  });
});
