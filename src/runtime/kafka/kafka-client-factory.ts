import { Kafka, logLevel } from 'kafkajs';
import { AbstractConfig, ConnectError } from '../../api';
import { retry, RetryAborted, systemClock } from '../retry';
import { RuntimeLogger } from '../runtime-logger';
import {
  adminTimeoutMs,
  consumerSettings,
  kafkaClientSettings,
  producerSettings,
  ClientOverrides,
  ConsumerSettings,
  ProducerSettings,
} from './client-config';
import { describeKafkaError, isRetriableKafkaError } from './kafka-errors';
import { kafkaLogCreator, kafkaLogLevel } from './kafka-log-creator';
import type * as KafkajsRecordConsumerModule from './kafkajs-record-consumer';
import { createRecordPartitioner, KafkajsRecordProducer } from './kafkajs-record-producer';
import { KafkajsPatchStatus, kafkajsProducerPatchStatus } from './kafkajs-patch-status';
import type { RecordConsumer } from './record-consumer';
import type { BacklogPartition } from '../sink-once-target';
import type { GroupOffsetsClient } from './group-offsets';
import type * as GroupOffsetsModule from './group-offsets';

/** One record as sent to Kafka, already converted to bytes. */
export interface OutgoingRecord {
  topic: string;
  partition: number | null;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: number | null;
  headers: ReadonlyArray<[string, Buffer | null]>;
}

/** Where each record of a batch landed, in send order: the partition Kafka stored it in and its offset there (null when Kafka does not say, with acks=0). */
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

export type { BatchControl, ConsumerListener, IncomingBatch, OffsetToCommit, RecordConsumer } from './record-consumer';

/** Creates the Kafka clients of the worker's tasks; the only place that knows kafkajs. */
export interface KafkaClientFactory {
  /**
   * Fails with a clear error if the cluster does not answer within the admin timeout. When signal
   * aborts, gives up at once with a RetryAborted.
   */
  checkReachable(signal?: AbortSignal): Promise<void>;
  /** The cluster id checkReachable saw (GET / kafka_cluster_id); null before, or when unknown. */
  clusterId?(): string | null;
  /**
   * Creates the topic unless it exists, within the admin timeout. Resolves 'created' or 'exists';
   * rejects with a ConnectError saying why otherwise (no permission, too few brokers for the
   * replication factor, CreateTopics unsupported): callers decide whether that is fatal.
   * `overrides` are the connector's admin.override.* keys, already allowed by the override policy.
   */
  ensureTopic(clientId: string, topic: string, options: { partitions: number; replicationFactor: number }, overrides?: ClientOverrides): Promise<'created' | 'exists'>;
  /** `overrides`: the connector's producer.override.* keys (prefix removed), already allowed by the override policy. */
  createProducer(clientId: string, logger: RuntimeLogger, overrides?: ClientOverrides): RecordProducer;
  /**
   * `groupId` is the connector's default group (connect-<name>); a group.id among the worker's
   * consumer.* keys or the connector's consumer.override.* keys (`overrides`) replaces it, as in Kafka.
   */
  createConsumer(groupId: string, clientId: string, logger: RuntimeLogger, overrides?: ClientOverrides): RecordConsumer;
  /**
   * For --once: every partition of the subscription's topics (for a regex, the topics matching it
   * now) with its end offset now and where the sink's group would start reading it (its committed
   * offset, else the auto.offset.reset position). A topic that does not exist has no partitions.
   * `groupId` and `overrides` as for createConsumer. Optional: a factory without it cannot run
   * sink connectors with --once.
   */
  sinkBacklog?(groupId: string, clientId: string, subscription: { topics: string[]; regex: RegExp | null }, overrides?: ClientOverrides): Promise<BacklogPartition[]>;
  /**
   * KIP-875: the committed offsets of a sink connector's consumer group, read and changed from
   * outside the group. `groupId` and `overrides` as for createConsumer (the group the tasks use);
   * `adminOverrides` are the connector's admin.override.* keys. Optional: a factory without it
   * cannot read or change sink connectors' offsets.
   */
  groupOffsets?(groupId: string, clientId: string, overrides?: ClientOverrides, adminOverrides?: ClientOverrides): GroupOffsetsClient;
}

/** The start-up check's own deadline, told apart from what Kafka answered. */
class NoAnswer extends Error {}

/** Waits between start-up checks: 0.5 s doubling to 5 s, then random below 5 s. */
const REACHABILITY_BACKOFF = { initialMs: 500, maxMs: 5000 };

export class KafkajsClientFactory implements KafkaClientFactory {
  private readonly producerSettings: ProducerSettings;
  private readonly consumerSettings: ConsumerSettings;
  private patched: boolean | null = null;

  /** `patchStatus`: whether the producer patches are in force (injected by tests). */
  constructor(
    private readonly worker: AbstractConfig,
    private readonly logger: RuntimeLogger,
    private readonly patchStatus: () => KafkajsPatchStatus = kafkajsProducerPatchStatus,
  ) {
    // Parse every client config once at start so bad keys fail before anything runs.
    this.producerSettings = producerSettings(worker);
    this.consumerSettings = consumerSettings(worker);
    kafkaClientSettings(worker, 'admin', 'check');
  }

  private kafka(role: 'producer' | 'consumer' | 'admin', clientId: string, logger: RuntimeLogger, singleAttempt = false, overrides?: ClientOverrides): Kafka {
    const { kafka } = kafkaClientSettings(this.worker, role, clientId, overrides);
    if (singleAttempt) return new Kafka({ ...kafka, retry: { retries: 0 }, logLevel: logLevel.NOTHING });
    return new Kafka({ ...kafka, logLevel: kafkaLogLevel(logger), logCreator: kafkaLogCreator(logger) });
  }

  private seenClusterId: string | null = null;

  clusterId(): string | null {
    return this.seenClusterId;
  }

  /**
   * Connects and describes the cluster, trying again (backoff with jitter) until default.api.timeout.ms
   * has passed. Each failed attempt is logged with its cause and the time left, so a worker waiting for
   * Kafka says so; the final error names the last answer (e.g. ECONNREFUSED) rather than our deadline.
   */
  async checkReachable(signal: AbortSignal = new AbortController().signal): Promise<void> {
    const timeoutMs = adminTimeoutMs(this.worker);
    const brokers = this.worker.getList('bootstrap.servers').join(',');
    const clock = systemClock;
    const deadline = clock.now() + timeoutMs;
    let lastAnswer: unknown = null;
    // kafkajs's retries off and its logging quiet: one line per attempt here, not one per refused connection.
    const attempt = async (): Promise<void> => {
      const admin = this.kafka('admin', this.worker.getString('client.id') || 'connect-standalone-admin', this.logger, true).admin({ retry: { retries: 0 } });
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      try {
        const call = admin.connect().then(() => admin.describeCluster()).then((d) => (this.seenClusterId = d.clusterId ?? null));
        call.catch(() => undefined);
        await Promise.race([
          call,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new NoAnswer('no answer')), Math.max(deadline - clock.now(), 1));
            onAbort = () => reject(new NoAnswer('stopped'));
            signal.addEventListener('abort', onAbort, { once: true });
          }),
        ]);
      } catch (err) {
        if (!(err instanceof NoAnswer)) lastAnswer = err;
        throw new ConnectError(describeKafkaError(err), { cause: err, retriable: true });
      } finally {
        clearTimeout(timer);
        if (onAbort) signal.removeEventListener('abort', onAbort);
        await admin.disconnect().catch(() => undefined);
      }
    };
    try {
      await retry(attempt, {
        signal,
        backoff: REACHABILITY_BACKOFF,
        deadline,
        clock,
        onRetry: (err, n, delayMs) =>
          this.logger.warn(
            `Kafka at bootstrap.servers=${brokers} did not answer (attempt ${n}): ${(err as Error).message}; ` +
              `trying again in ${delayMs} ms, ${Math.max(deadline - clock.now(), 0)} ms left of default.api.timeout.ms=${timeoutMs}`,
          ),
      });
    } catch (err) {
      if (err instanceof RetryAborted) throw err;
      const cause = lastAnswer ?? (err as { cause?: unknown }).cause ?? err;
      throw new ConnectError(
        `Failed to connect to and describe the Kafka cluster at bootstrap.servers=${brokers} within ${timeoutMs} ms (default.api.timeout.ms): ` +
          `${describeKafkaError(cause)}. Check that the brokers are running and that bootstrap.servers points at them.`,
        { cause },
      );
    }
  }

  async ensureTopic(
    clientId: string,
    topic: string,
    options: { partitions: number; replicationFactor: number },
    overrides?: ClientOverrides,
  ): Promise<'created' | 'exists'> {
    const timeoutMs = adminTimeoutMs(this.worker, overrides);
    // Quiet and without kafkajs's own retries: the caller logs the one outcome that matters.
    const admin = this.kafka('admin', clientId, this.logger, true, overrides).admin({ retry: { retries: 0 } });
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

  createProducer(clientId: string, logger: RuntimeLogger, overrides?: ClientOverrides): RecordProducer {
    if (this.patched === null) {
      // Says once which producer code runs: an install that skipped scripts (--ignore-scripts) runs
      // kafkajs unpatched, correct but several times slower.
      const status = this.patchStatus();
      this.patched = status.applied;
      if (status.applied) this.logger.info(`Producing with ${status.detail}`);
      else this.logger.warn(`Producing with unpatched kafkajs, several times slower: ${status.detail}`);
    }
    const settings = hasKeys(overrides) ? producerSettings(this.worker, overrides) : this.producerSettings;
    // kafkajs's default partitioner is murmur2 like Java's, so keyed records land on the same
    // partitions as with Apache Kafka Connect; naming one also silences kafkajs's v2 migration warning.
    const producer = this.kafka('producer', clientId, logger, false, overrides).producer({ ...settings.producer, createPartitioner: createRecordPartitioner });
    return new KafkajsRecordProducer(producer, settings, this.patched);
  }

  createConsumer(groupId: string, clientId: string, logger: RuntimeLogger, overrides?: ClientOverrides): RecordConsumer {
    const settings = hasKeys(overrides) ? consumerSettings(this.worker, overrides) : this.consumerSettings;
    const consumer = this.kafka('consumer', clientId, logger, false, overrides).consumer({ ...settings.consumer, groupId: settings.groupId ?? groupId });
    // Loaded by the first sink task only: a source-only run never needs it (issue 12, start-up).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KafkajsRecordConsumer } = require('./kafkajs-record-consumer') as typeof KafkajsRecordConsumerModule;
    return new KafkajsRecordConsumer(consumer, settings, logger);
  }

  groupOffsets(groupId: string, clientId: string, overrides?: ClientOverrides, adminOverrides?: ClientOverrides): GroupOffsetsClient {
    const settings = hasKeys(overrides) ? consumerSettings(this.worker, overrides) : this.consumerSettings;
    // Loaded by sink offsets requests only (REST, `offsets` command).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { KafkajsGroupOffsets } = require('./group-offsets') as typeof GroupOffsetsModule;
    return new KafkajsGroupOffsets(this.kafka('admin', clientId, this.logger, false, adminOverrides), settings.groupId ?? groupId, settings);
  }

  async sinkBacklog(groupId: string, clientId: string, subscription: { topics: string[]; regex: RegExp | null }, overrides?: ClientOverrides): Promise<BacklogPartition[]> {
    const settings = hasKeys(overrides) ? consumerSettings(this.worker, overrides) : this.consumerSettings;
    const group = settings.groupId ?? groupId;
    const admin = this.kafka('admin', clientId, this.logger, false, overrides).admin();
    try {
      await admin.connect();
      let topics = [...subscription.topics];
      if (subscription.regex) {
        const regex = subscription.regex;
        topics = (await admin.listTopics()).filter((t) => regex.test(t));
      }
      const out: BacklogPartition[] = [];
      for (const topic of topics) {
        let offsets: Array<{ partition: number; high: string; low: string }>;
        try {
          offsets = await admin.fetchTopicOffsets(topic);
        } catch (err) {
          if (isUnknownTopic(err)) continue; // kafkajs retried it first: the topic really is missing
          throw err;
        }
        const [committed] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        const byPartition = new Map((committed?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
        for (const o of offsets) {
          const stored = byPartition.get(o.partition);
          const start = stored !== undefined && stored >= 0n ? stored : settings.fromBeginning ? BigInt(o.low) : BigInt(o.high);
          out.push({ topic, partition: o.partition, start, end: BigInt(o.high) });
        }
      }
      return out;
    } catch (err) {
      throw new ConnectError(`Failed to read the end offsets of the topics of consumer group ${group}: ${describeKafkaError(err)}`, { cause: err, retriable: isRetriableKafkaError(err) });
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

/** The error, or one it wraps (kafkajs's retries-exceeded error), says the topic does not exist. */
export function isUnknownTopic(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
  }
  return false;
}

function hasKeys(overrides: ClientOverrides | undefined): overrides is ClientOverrides {
  return overrides !== undefined && Object.keys(overrides).length > 0;
}
