import {
  ConnectError,
  Converter,
  Header,
  HeaderConverter,
  PartitionOffsets,
  SinkRecord,
  SinkTask,
  SinkTaskContext,
  TopicPartition,
  topicPartitionKey,
} from '../api';
import { IncomingBatch, RecordConsumer } from './kafka/kafka-client-factory';
import { conversionError } from './conversion-error';
import { RuntimeLogger } from './runtime-logger';
import { ConnectorTaskId, sleep, taskIdString, WorkerTask } from './worker-task';

export interface WorkerSinkTaskOptions {
  id: ConnectorTaskId;
  task: SinkTask;
  props: Record<string, string>;
  subscription: { topics: string[]; regex: RegExp | null };
  keyConverter: Converter;
  valueConverter: Converter;
  headerConverter: HeaderConverter;
  consumer: RecordConsumer;
  offsetFlushIntervalMs: number;
  logger: RuntimeLogger;
}

const PUT_RETRY_BACKOFF_MAX_MS = 10000;
const NO_HEADERS: readonly Header[] = Object.freeze([]);

/** A batch whose put() was still being retried when the task stopped: neither a failure nor consumed. */
class BatchAbandoned extends Error {}

/**
 * Runs one SinkTask (Kafka's WorkerSinkTask) in consumer group `connect-<connector>`: converts fetched
 * records, calls put(), and every offset.flush.interval.ms (and at shutdown) calls preCommit/flush and
 * commits the returned offsets to Kafka. put, flush and partition changes are serialised by one lock.
 */
export class WorkerSinkTask extends WorkerTask {
  private readonly o: WorkerSinkTaskOptions;
  private readonly name: string;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly current: PartitionOffsets = new Map();
  private readonly committed = new Map<string, bigint>();
  private assigned: TopicPartition[] = [];
  private pendingAssignment: TopicPartition[] | null = null;
  private commitRequested = false;
  private closing = false;

  constructor(options: WorkerSinkTaskOptions) {
    super(options.id, options.logger);
    this.o = options;
    this.name = taskIdString(options.id);
  }

  protected async onStopRequested(): Promise<void> {
    // The execute loop is waiting on the abort signal; it stops the consumer itself.
  }

  /** Runs fn after everything queued before it, and keeps the queue alive if fn fails. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  protected async execute(signal: AbortSignal): Promise<void> {
    const { task, consumer } = this.o;
    const context: SinkTaskContext = {
      connectorName: this.id.connector,
      taskId: this.id.task,
      logger: this.logger,
      assignment: () => this.assigned,
      requestCommit: () => {
        this.commitRequested = true;
      },
    };
    task.initialize(context);
    await task.start(this.o.props);
    this.logger.info(`${this.name} Sink task finished initialization and start`);
    let crash: Error | null = null;
    const crashed = new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await consumer.start(this.o.subscription, {
      onBatch: (batch, control) => this.exclusive(() => this.deliver(batch, control)),
      onAssignment: (assignment) => {
        this.pendingAssignment = assignment;
      },
      onCrash: (err) => {
        crash = err;
        this.markFailed(new ConnectError(`Consumer for ${this.name} stopped: ${err.message}`, { cause: err }));
      },
    });
    const timer = setInterval(() => {
      this.exclusive(async () => {
        await this.applyAssignment();
        await this.commitOffsets('interval');
      }).catch((err: unknown) =>
        this.logger.error(`${this.name} Offset commit failed: ${(err as Error).message}`, { err }),
      );
    }, this.o.offsetFlushIntervalMs);
    try {
      await crashed;
    } finally {
      clearInterval(timer);
      // Stop taking batches but stay in the group: kafkajs can only commit while the consumer runs.
      this.closing = true;
      consumer.pause(this.assigned);
      if (this.state !== 'FAILED' && !crash) {
        await this.exclusive(() => this.commitOffsets('shutdown')).catch((err: unknown) =>
          this.logger.error(`${this.name} Final offset commit failed: ${(err as Error).message}`, { err }),
        );
      }
      await consumer.stop().catch((err: unknown) => this.logger.warn(`${this.name} Error stopping the consumer`, { err }));
      await this.exclusive(async () => {
        if (task.close && this.assigned.length) await task.close(this.assigned);
        await task.stop();
      }).catch((err: unknown) => this.logger.warn(`${this.name} Error stopping the task`, { err }));
      await consumer.disconnect().catch((err: unknown) => this.logger.warn(`${this.name} Error closing the consumer`, { err }));
    }
  }

  private async applyAssignment(): Promise<void> {
    const next = this.pendingAssignment;
    if (!next) return;
    this.pendingAssignment = null;
    const nextKeys = new Set(next.map(topicPartitionKey));
    const oldKeys = new Set(this.assigned.map(topicPartitionKey));
    const revoked = this.assigned.filter((tp) => !nextKeys.has(topicPartitionKey(tp)));
    const added = next.filter((tp) => !oldKeys.has(topicPartitionKey(tp)));
    if (revoked.length) {
      await this.commitOffsets('rebalance').catch((err: unknown) => this.logger.warn(`${this.name} Commit before revocation failed`, { err }));
      if (this.o.task.close) await this.o.task.close(revoked);
      for (const tp of revoked) {
        this.current.delete(topicPartitionKey(tp));
        this.committed.delete(topicPartitionKey(tp));
      }
    }
    this.assigned = next;
    if (added.length && this.o.task.open) await this.o.task.open(added);
    this.logger.info(`${this.name} Partitions assigned: ${next.map(topicPartitionKey).join(', ') || '(none)'}`);
  }

  private async deliver(batch: IncomingBatch, control: { heartbeat(): Promise<void>; isRunning(): boolean }): Promise<void> {
    if (this.state === 'FAILED' || this.closing) return; // not put, so not committed: read again next time
    try {
      await this.applyAssignment();
      const records = batch.messages.map((m) => this.toSinkRecord(batch, m));
      await this.putWithRetry(records, control);
      const last = batch.messages[batch.messages.length - 1];
      const tp = { topic: batch.topic, partition: batch.partition };
      this.current.set(topicPartitionKey(tp), { tp, offset: { offset: BigInt(last.offset) + 1n } });
      if (this.commitRequested) await this.commitOffsets('requested');
    } catch (err) {
      if (!(err instanceof BatchAbandoned)) this.markFailed(err);
    }
  }

  private toSinkRecord(batch: IncomingBatch, m: IncomingBatch['messages'][number]): SinkRecord {
    const { topic, partition } = batch;
    const where = () => `topic ${topic} partition ${partition} offset ${m.offset}`;
    const headers = m.headers.length === 0 ? NO_HEADERS : this.convertHeaders(topic, m.headers, where);
    let key;
    let value;
    try {
      key = this.o.keyConverter.toConnectData(topic, headers, m.key);
    } catch (err) {
      throw conversionError(`Failed to convert the key of the record at ${where()}`, err);
    }
    try {
      value = this.o.valueConverter.toConnectData(topic, headers, m.value);
    } catch (err) {
      throw conversionError(`Failed to convert the value of the record at ${where()}`, err);
    }
    return {
      topic,
      kafkaPartition: partition,
      kafkaOffset: BigInt(m.offset),
      keySchema: key.schema,
      key: key.value,
      valueSchema: value.schema,
      value: value.value,
      timestamp: Number(m.timestamp),
      timestampType: 'CreateTime',
      headers,
    };
  }

  private convertHeaders(topic: string, raw: ReadonlyArray<[string, Buffer | null]>, where: () => string): Header[] {
    const { headerConverter } = this.o;
    return raw.map(([key, bytes]) => {
      try {
        const { schema, value } = headerConverter.toConnectHeader(topic, key, bytes);
        return { key, schema, value };
      } catch (err) {
        throw conversionError(`Failed to convert header ${key} of the record at ${where()}`, err);
      }
    });
  }

  /** A RetriableError from put() redelivers the same batch after a backoff, as Kafka does. */
  private async putWithRetry(records: SinkRecord[], control: { heartbeat(): Promise<void>; isRunning(): boolean }): Promise<void> {
    let backoff = 100;
    for (;;) {
      try {
        await this.o.task.put(records);
        return;
      } catch (err) {
        if (!(err instanceof ConnectError && err.retriable)) throw err;
        if (this.stopping || !control.isRunning()) throw new BatchAbandoned();
        this.logger.warn(`${this.name} put() failed with a retriable error, redelivering in ${backoff} ms: ${err.message}`);
        await sleep(backoff, this.signal);
        await control.heartbeat();
        backoff = Math.min(backoff * 2, PUT_RETRY_BACKOFF_MAX_MS);
      }
    }
  }

  /** preCommit (default: flush) then commit what it returned; skipped when nothing moved. */
  private async commitOffsets(reason: string): Promise<void> {
    this.commitRequested = false;
    const changed = [...this.current.values()].some(({ tp, offset }) => this.committed.get(topicPartitionKey(tp)) !== offset.offset);
    if (!changed || this.state === 'FAILED') return;
    const snapshot: PartitionOffsets = new Map(this.current);
    const task = this.o.task;
    let toCommit: PartitionOffsets;
    if (task.preCommit) {
      toCommit = await task.preCommit(snapshot);
    } else {
      if (task.flush) await task.flush(snapshot);
      toCommit = snapshot;
    }
    const offsets = [...toCommit.values()].map(({ tp, offset }) => ({ topic: tp.topic, partition: tp.partition, offset: offset.offset }));
    await this.o.consumer.commit(offsets);
    for (const o of offsets) this.committed.set(topicPartitionKey(o), o.offset);
    if (this.logger.isLevelEnabled('debug')) this.logger.debug(`${this.name} Committed offsets (${reason})`, { offsets: offsets.map((o) => `${o.topic}-${o.partition}@${o.offset}`) });
  }
}
