import { CompressionTypes, EachBatchPayload, Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { AbstractConfig, ConnectError, TopicPartition } from '../../api';
import { RuntimeLogger } from '../runtime-logger';
import {
  adminTimeoutMs,
  consumerSettings,
  kafkaClientSettings,
  producerSettings,
  ConsumerSettings,
  ProducerSettings,
} from './client-config';
import { describeKafkaError, isRetriableKafkaError } from './kafka-errors';
import { kafkaLogCreator, kafkaLogLevel } from './kafka-log-creator';

/** One record as sent to Kafka, already converted to bytes. */
export interface OutgoingRecord {
  topic: string;
  partition: number | null;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number | null;
  headers: Array<[string, Buffer | null]>;
}

/** Where each record of a batch landed, in send order. */
export interface SentRecordMetadata {
  topic: string;
  partition: number;
  offset: bigint | null;
}

/** The producer a source task uses. send() resolves once Kafka acknowledged every record. */
export interface RecordProducer {
  connect(): Promise<void>;
  send(records: readonly OutgoingRecord[]): Promise<SentRecordMetadata[]>;
  readonly deliveryTimeoutMs: number;
  disconnect(): Promise<void>;
}

/** One batch of one partition as fetched. */
export interface IncomingBatch {
  topic: string;
  partition: number;
  messages: Array<{
    offset: string;
    key: Buffer | null;
    value: Buffer | null;
    timestamp: string;
    headers: Array<[string, Buffer | null]>;
  }>;
}

export interface ConsumerHandlers {
  /** Process a chunk; resolve when it may be counted as consumed. */
  onBatch(batch: IncomingBatch, control: { heartbeat(): Promise<void>; isRunning(): boolean }): Promise<void>;
  /** The group assigned these partitions (the whole new assignment). */
  onAssignment(assignment: TopicPartition[]): void;
  /** The consumer stopped for good because of this error. */
  onCrash(err: Error): void;
}

/** The consumer a sink task uses, in group `connect-<connector>`. */
export interface RecordConsumer {
  readonly maxPollRecords: number;
  start(subscription: { topics: string[]; regex: RegExp | null }, handlers: ConsumerHandlers): Promise<void>;
  commit(offsets: Array<{ topic: string; partition: number; offset: bigint }>): Promise<void>;
  /** Stop fetching these partitions while staying in the group (commits still work). */
  pause(partitions: readonly TopicPartition[]): void;
  /** Stop fetching and leave the group; resolves after the batch in progress (if any) finished. */
  stop(): Promise<void>;
  disconnect(): Promise<void>;
}

/** Creates the Kafka clients of the worker's tasks; the only place that knows kafkajs. */
export interface KafkaClientFactory {
  /** Fails with a clear error if the cluster does not answer within the admin timeout. */
  checkReachable(): Promise<void>;
  /**
   * Creates the topic unless it exists, within the admin timeout. Resolves 'created' or 'exists';
   * rejects with a ConnectError saying why otherwise (no permission, too few brokers for the
   * replication factor, CreateTopics unsupported): callers decide whether that is fatal.
   */
  ensureTopic(clientId: string, topic: string, options: { partitions: number; replicationFactor: number }): Promise<'created' | 'exists'>;
  createProducer(clientId: string, logger: RuntimeLogger): RecordProducer;
  createConsumer(groupId: string, clientId: string, logger: RuntimeLogger): RecordConsumer;
}

/** The start-up check's own deadline, told apart from what Kafka answered. */
class NoAnswer extends Error {}

export class KafkajsClientFactory implements KafkaClientFactory {
  private readonly producerSettings: ProducerSettings;
  private readonly consumerSettings: ConsumerSettings;

  constructor(
    private readonly worker: AbstractConfig,
    private readonly logger: RuntimeLogger,
  ) {
    // Parse every client config once at start so bad keys fail before anything runs.
    this.producerSettings = producerSettings(worker);
    this.consumerSettings = consumerSettings(worker);
    kafkaClientSettings(worker, 'admin', 'check');
  }

  private kafka(role: 'producer' | 'consumer' | 'admin', clientId: string, logger: RuntimeLogger, singleAttempt = false): Kafka {
    const { kafka } = kafkaClientSettings(this.worker, role, clientId);
    if (singleAttempt) return new Kafka({ ...kafka, retry: { retries: 0 }, logLevel: logLevel.NOTHING });
    return new Kafka({ ...kafka, logLevel: kafkaLogLevel(logger), logCreator: kafkaLogCreator(logger) });
  }

  async checkReachable(): Promise<void> {
    const timeoutMs = adminTimeoutMs(this.worker);
    const brokers = this.worker.getList('bootstrap.servers').join(',');
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown = null;
    // Our own retry loop, with kafkajs's retries off and its logging quiet, so that the one error
    // reported names the last cause (e.g. ECONNREFUSED) instead of a line per refused connection.
    while (Date.now() < deadline) {
      const admin = this.kafka('admin', this.worker.getString('client.id') || 'connect-standalone-admin', this.logger, true).admin({ retry: { retries: 0 } });
      let timer: NodeJS.Timeout | undefined;
      try {
        const attempt = admin.connect().then(() => admin.describeCluster());
        attempt.catch(() => undefined);
        await Promise.race([
          attempt,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new NoAnswer('no answer')), Math.max(deadline - Date.now(), 1));
          }),
        ]);
        return;
      } catch (err) {
        if (!(err instanceof NoAnswer) || lastError === null) lastError = err;
        await new Promise((r) => setTimeout(r, Math.min(250, Math.max(deadline - Date.now(), 0))));
      } finally {
        clearTimeout(timer);
        await admin.disconnect().catch(() => undefined);
      }
    }
    throw new ConnectError(
      `Failed to connect to and describe the Kafka cluster at bootstrap.servers=${brokers} within ${timeoutMs} ms (default.api.timeout.ms): ` +
        `${lastError ? describeKafkaError(lastError) : 'no answer'}. Check that the brokers are running and that bootstrap.servers points at them.`,
      { cause: lastError },
    );
  }

  async ensureTopic(clientId: string, topic: string, options: { partitions: number; replicationFactor: number }): Promise<'created' | 'exists'> {
    const timeoutMs = adminTimeoutMs(this.worker);
    // Quiet and without kafkajs's own retries: the caller logs the one outcome that matters.
    const admin = this.kafka('admin', clientId, this.logger, true).admin({ retry: { retries: 0 } });
    let timer: NodeJS.Timeout | undefined;
    try {
      const attempt = admin.connect().then(() =>
        admin.createTopics({
          topics: [{ topic, numPartitions: options.partitions, replicationFactor: options.replicationFactor }],
          timeout: timeoutMs,
        }),
      );
      attempt.catch(() => undefined);
      const created = await Promise.race([
        attempt,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new NoAnswer(`no answer within ${timeoutMs} ms (default.api.timeout.ms)`)), timeoutMs);
        }),
      ]);
      return created ? 'created' : 'exists';
    } catch (err) {
      throw new ConnectError(`Failed to create topic ${topic}: ${describeKafkaError(err)}`, { cause: err, retriable: isRetriableKafkaError(err) });
    } finally {
      clearTimeout(timer);
      await admin.disconnect().catch(() => undefined);
    }
  }

  createProducer(clientId: string, logger: RuntimeLogger): RecordProducer {
    const settings = this.producerSettings;
    // kafkajs's default partitioner is murmur2 like Java's, so keyed records land on the same
    // partitions as with Apache Kafka Connect; naming it also silences kafkajs's v2 migration warning.
    const producer = this.kafka('producer', clientId, logger).producer({ ...settings.producer, createPartitioner: Partitioners.DefaultPartitioner });
    return new KafkajsRecordProducer(producer, settings);
  }

  createConsumer(groupId: string, clientId: string, logger: RuntimeLogger): RecordConsumer {
    const settings = this.consumerSettings;
    const kafka = this.kafka('consumer', clientId, logger);
    return new KafkajsRecordConsumer(kafka, groupId, settings);
  }
}

class KafkajsRecordProducer implements RecordProducer {
  readonly deliveryTimeoutMs: number;
  constructor(
    private readonly producer: Producer,
    private readonly settings: ProducerSettings,
  ) {
    this.deliveryTimeoutMs = settings.deliveryTimeoutMs;
  }

  async send(records: readonly OutgoingRecord[]): Promise<SentRecordMetadata[]> {
    try {
      return await this.sendBatch(records);
    } catch (err) {
      throw new ConnectError(`Failed to send ${records.length} record(s) to Kafka: ${describeKafkaError(err)}`, {
        cause: err,
        retriable: isRetriableKafkaError(err),
      });
    }
  }

  async connect(): Promise<void> {
    try {
      await this.producer.connect();
    } catch (err) {
      throw new ConnectError(`Failed to connect the producer: ${describeKafkaError(err)}`, { cause: err, retriable: isRetriableKafkaError(err) });
    }
  }

  private async sendBatch(records: readonly OutgoingRecord[]): Promise<SentRecordMetadata[]> {
    const byTopic = new Map<string, OutgoingRecord[]>();
    for (const r of records) {
      let list = byTopic.get(r.topic);
      if (!list) byTopic.set(r.topic, (list = []));
      list.push(r);
    }
    await this.producer.sendBatch({
      acks: this.settings.acks,
      compression: this.settings.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((r) => ({
          key: r.key,
          value: r.value,
          partition: r.partition ?? undefined,
          timestamp: r.timestamp === null ? undefined : String(r.timestamp),
          headers: r.headers.length ? headersObject(r.headers) : undefined,
        })),
      })),
    });
    // kafkajs reports base offsets per partition only; per-record offsets are not needed by the runtime.
    return records.map((r) => ({ topic: r.topic, partition: r.partition ?? -1, offset: null }));
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }
}

const EMPTY = Buffer.alloc(0);

function headersObject(headers: Array<[string, Buffer | null]>): Record<string, Buffer[]> {
  const out: Record<string, Buffer[]> = {};
  // kafkajs 2.2.4 cannot write a null header value: its record encoder measures the value with
  // Buffer.byteLength before checking for null, and the send fails. An empty value is the closest
  // it can write (a null header from a source task or in a record copied to a dead letter queue).
  for (const [k, v] of headers) (out[k] ??= []).push(v ?? EMPTY);
  return out;
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

class KafkajsRecordConsumer implements RecordConsumer {
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
