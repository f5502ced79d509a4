import { EachBatchPayload, Kafka } from 'kafkajs';
import { ConnectError, TopicPartition } from '../../api';
import { ConsumerSettings } from './client-config';
import { ConsumerHandlers, RecordConsumer } from './kafka-client-factory';
import { describeKafkaError, isRetriableKafkaError } from './kafka-errors';

/** The sink tasks' consumer on kafkajs. */
export class KafkajsRecordConsumer implements RecordConsumer {
  readonly maxPollRecords: number;
  private readonly consumer;

  constructor(
    kafka: Kafka,
    groupId: string,
    private readonly settings: ConsumerSettings,
  ) {
    this.maxPollRecords = settings.maxPollRecords;
    this.consumer = kafka.consumer({ ...settings.consumer, groupId });
  }

  async start(subscription: { topics: string[]; regex: RegExp | null }, handlers: ConsumerHandlers): Promise<void> {
    const consumer = this.consumer;
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const assignment = event.payload.memberAssignment as Record<string, number[]>;
      handlers.onAssignment(Object.entries(assignment).flatMap(([topic, ps]) => ps.map((partition) => ({ topic, partition }))));
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) handlers.onCrash(event.payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: subscription.regex ? [subscription.regex] : subscription.topics,
      fromBeginning: this.settings.fromBeginning,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(payload, handlers),
    });
  }

  private async eachBatch(payload: EachBatchPayload, handlers: ConsumerHandlers): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const size = this.maxPollRecords;
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!isRunning() || isStale()) return;
      const chunk = batch.messages.slice(start, start + size);
      await handlers.onBatch(
        {
          topic: batch.topic,
          partition: batch.partition,
          messages: chunk.map((m) => ({
            offset: m.offset,
            key: m.key ?? null,
            value: m.value ?? null,
            timestamp: m.timestamp,
            headers: headerList(m.headers as Record<string, Buffer | string | (Buffer | string)[] | undefined>),
          })),
        },
        { heartbeat, isRunning },
      );
      resolveOffset(chunk[chunk.length - 1].offset);
      await heartbeat();
    }
  }

  async commit(offsets: Array<{ topic: string; partition: number; offset: bigint }>): Promise<void> {
    if (offsets.length === 0) return;
    try {
      await this.consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset.toString() })));
    } catch (err) {
      throw new ConnectError(`Failed to commit consumer offsets: ${describeKafkaError(err)}`, { cause: err, retriable: isRetriableKafkaError(err) });
    }
  }

  pause(partitions: readonly TopicPartition[]): void {
    const byTopic = new Map<string, number[]>();
    for (const tp of partitions) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
    try {
      this.consumer.pause([...byTopic].map(([topic, ps]) => ({ topic, partitions: ps })));
    } catch {
      // Not running (never joined, or already crashed): there is nothing to pause.
    }
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }

  disconnect(): Promise<void> {
    return this.consumer.disconnect();
  }
}

function headerList(headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined): Array<[string, Buffer | null]> {
  const out: Array<[string, Buffer | null]> = [];
  if (!headers) return out;
  for (const [k, v] of Object.entries(headers)) {
    for (const one of Array.isArray(v) ? v : [v]) {
      out.push([k, one === undefined ? null : Buffer.isBuffer(one) ? one : Buffer.from(one)]);
    }
  }
  return out;
}
