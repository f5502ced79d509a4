import {
  ConnectError,
  Converter,
  Header,
  HeaderConverter,
  PartitionOffsets,
  SchemaAndValue,
  SinkRecord,
  SinkTask,
  SinkTaskContext,
  TopicPartition,
  topicPartitionKey,
} from '../api';
import { IncomingBatch, RecordConsumer } from './kafka/kafka-client-factory';
import { conversionError, ConversionFailure } from './conversion-error';
import { ConsumedRecordInfo, Stage } from './errors/error-context';
import { ConverterClassNames, converterClassNames } from './errors/java-class-names';
import { reconvertedRecord, WorkerErrantRecordReporter } from './errors/errant-record-reporter';
import { OperationAbandoned, OperationContext, RetryWithToleranceOperator, SKIPPED, Skipped } from './errors/retry-with-tolerance-operator';
import { RuntimeLogger } from './runtime-logger';
import { ConnectorTaskId, sleep, WorkerTask } from './worker-task';

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
  /** The task's error handler: conversions run through it; the task closes it when it ends. */
  operator: RetryWithToleranceOperator;
  /**
   * Whether the task gets an errant record reporter (KIP-610): Kafka offers one when a dead letter
   * queue or error logging is configured.
   */
  errantRecordReporting?: boolean;
  /** For error reports; default: the converters' JavaScript class names. */
  converterClasses?: ConverterClassNames;
}

type Message = IncomingBatch['messages'][number];
type BatchControl = { heartbeat(): Promise<void>; isRunning(): boolean };

const PUT_RETRY_BACKOFF_MAX_MS = 10000;
const NO_HEADERS: readonly Header[] = Object.freeze([]);

/** A batch still being retried (put() or a conversion) when the task stopped: neither a failure nor consumed. */
class BatchAbandoned extends Error {}

/**
 * Runs one SinkTask (Kafka's WorkerSinkTask) in consumer group `connect-<connector>`: converts fetched
 * records, calls put(), and every offset.flush.interval.ms (and at shutdown) calls preCommit/flush and
 * commits the returned offsets to Kafka. put, flush and partition changes are serialised by one lock.
 *
 * Conversions run through the RetryWithToleranceOperator: a record it skips (errors.tolerance=all)
 * is left out of put() but still counts as consumed, so the commit moves past it, as in Kafka.
 * Headers are converted before the key and value (Kafka converts them last) because our converters
 * are given the record's Connect headers.
 */
export class WorkerSinkTask extends WorkerTask {
  private readonly o: WorkerSinkTaskOptions;
  private lock: Promise<unknown> = Promise.resolve();
  private readonly current: PartitionOffsets = new Map();
  private readonly committed = new Map<string, bigint>();
  private assigned: TopicPartition[] = [];
  private pendingAssignment: TopicPartition[] | null = null;
  private commitRequested = false;
  private closing = false;
  private readonly errant: WorkerErrantRecordReporter | null;
  /** Original bytes of the records given to put(), for errant record reports. */
  private readonly originals = new WeakMap<SinkRecord, ConsumedRecordInfo>();
  private readonly classes: ConverterClassNames;

  constructor(options: WorkerSinkTaskOptions) {
    super(options.id, options.logger, options.operator);
    this.o = options;
    this.errant = options.errantRecordReporting
      ? new WorkerErrantRecordReporter({
          originalRecord: (record) =>
            this.originals.get(record) ??
            reconvertedRecord(record, { key: options.keyConverter, value: options.valueConverter, header: options.headerConverter }),
          executeFailed: (f) => options.operator.executeFailed(f.stage, f.executingClass, f.error, { consumedRecord: f.consumedRecord }),
        })
      : null;
    this.classes = converterClassNames(options.converterClasses, options);
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
      errantRecordReporter: () => this.errant,
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
      this.errant?.cancelFutures(revoked);
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

  private async deliver(batch: IncomingBatch, control: BatchControl): Promise<void> {
    if (this.state === 'FAILED' || this.closing) return; // not put, so not committed: read again next time
    try {
      await this.applyAssignment();
      const records: SinkRecord[] = [];
      for (const m of batch.messages) {
        let record: SinkRecord | null;
        try {
          record = this.toSinkRecord(batch, m);
        } catch (err) {
          record = await this.toSinkRecordWithErrorHandling(batch, m, err as ConversionFailure, control);
        }
        if (record) {
          records.push(record);
          if (this.errant) this.originals.set(record, consumedRecordInfo(batch, m));
        }
      }
      if (records.length > 0) await this.putWithRetry(records, control);
      // Skipped records count as consumed too: the commit moves past them.
      const last = batch.messages[batch.messages.length - 1];
      const tp = { topic: batch.topic, partition: batch.partition };
      this.current.set(topicPartitionKey(tp), { tp, offset: { offset: BigInt(last.offset) + 1n } });
      if (this.commitRequested) await this.commitOffsets('requested');
    } catch (err) {
      if (!(err instanceof BatchAbandoned || err instanceof OperationAbandoned)) this.markFailed(err);
    }
  }

  /** The fast path: headers, key, value; any failure is thrown as a ConversionFailure. */
  private toSinkRecord(batch: IncomingBatch, m: Message): SinkRecord {
    const { topic } = batch;
    let headers: readonly Header[] = NO_HEADERS;
    if (m.headers.length > 0) {
      const converted: Header[] = [];
      for (let h = 0; h < m.headers.length; h++) {
        const [key, bytes] = m.headers[h];
        try {
          const { schema, value } = this.o.headerConverter.toConnectHeader(topic, key, bytes);
          converted.push({ key, schema, value });
        } catch (err) {
          throw new ConversionFailure(Stage.HEADER_CONVERTER, err, h);
        }
      }
      headers = converted;
    }
    let key;
    try {
      key = this.o.keyConverter.toConnectData(topic, headers, m.key);
    } catch (err) {
      throw new ConversionFailure(Stage.KEY_CONVERTER, err);
    }
    let value;
    try {
      value = this.o.valueConverter.toConnectData(topic, headers, m.value);
    } catch (err) {
      throw new ConversionFailure(Stage.VALUE_CONVERTER, err);
    }
    return sinkRecord(batch, m, headers, key, value);
  }

  /**
   * Converts a record whose fast path failed, each step through the error handler; the step that
   * failed continues from its first error. Null when the handler skipped the record.
   */
  private async toSinkRecordWithErrorHandling(batch: IncomingBatch, m: Message, failure: ConversionFailure, control: BatchControl): Promise<SinkRecord | null> {
    const { topic, partition } = batch;
    const { keyConverter, valueConverter, headerConverter, operator } = this.o;
    const where = `topic ${topic} partition ${partition} offset ${m.offset}`;
    const consumedRecord = consumedRecordInfo(batch, m);
    const beforeRetry = async (): Promise<void> => {
      if (!control.isRunning()) throw new BatchAbandoned();
      await control.heartbeat();
    };
    const step = <T>(stage: Stage, executingClass: string, op: () => T, what: string, headerIndex = -1): Promise<T | Skipped> => {
      const operation: OperationContext = {
        consumedRecord,
        beforeRetry,
        describeFailure: (e) => conversionError(`Failed to convert ${what} of the record at ${where}`, e),
      };
      return stage === failure.stage && headerIndex === failure.headerIndex
        ? operator.handleError(stage, executingClass, failure.error, op, operation)
        : operator.execute(stage, executingClass, op, operation);
    };
    const headers: Header[] = [];
    for (let h = 0; h < m.headers.length; h++) {
      const [key, bytes] = m.headers[h];
      const converted = await step(Stage.HEADER_CONVERTER, this.classes.header, () => headerConverter.toConnectHeader(topic, key, bytes), `header ${key}`, h);
      if (converted === SKIPPED) return null;
      headers.push({ key, schema: converted.schema, value: converted.value });
    }
    const key = await step(Stage.KEY_CONVERTER, this.classes.key, () => keyConverter.toConnectData(topic, headers, m.key), 'the key');
    if (key === SKIPPED) return null;
    const value = await step(Stage.VALUE_CONVERTER, this.classes.value, () => valueConverter.toConnectData(topic, headers, m.value), 'the value');
    if (value === SKIPPED) return null;
    return sinkRecord(batch, m, headers.length ? headers : NO_HEADERS, key, value);
  }

  /** A RetriableError from put() redelivers the same batch after a backoff, as Kafka does. */
  private async putWithRetry(records: SinkRecord[], control: BatchControl): Promise<void> {
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
    // Errant records reported so far must be in the dead letter queue before their offsets commit.
    if (this.errant) await this.errant.awaitFutures();
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

function sinkRecord(batch: IncomingBatch, m: Message, headers: readonly Header[], key: SchemaAndValue, value: SchemaAndValue): SinkRecord {
  return {
    topic: batch.topic,
    kafkaPartition: batch.partition,
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

/** A fetched record with its original bytes, as error reports and the dead letter queue need it. */
function consumedRecordInfo(batch: IncomingBatch, m: Message): ConsumedRecordInfo {
  return {
    topic: batch.topic,
    partition: batch.partition,
    offset: BigInt(m.offset),
    timestamp: Number(m.timestamp),
    key: m.key,
    value: m.value,
    headers: m.headers,
  };
}
