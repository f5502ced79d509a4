import { ConnectError, Converter, HeaderConverter, SinkRecord, SinkTask, SinkTaskContext, TopicPartition, topicPartitionKey } from '../api';
import { BatchControl, ConsumerListener, IncomingBatch, IncomingMessage, RecordConsumer } from './kafka/record-consumer';
import { ConsumedRecordInfo } from './errors/error-context';
import { ConverterClassNames, converterClassNames } from './errors/java-class-names';
import { reconvertedRecord, WorkerErrantRecordReporter } from './errors/errant-record-reporter';
import { OperationAbandoned, RetryWithToleranceOperator } from './errors/retry-with-tolerance-operator';
import { TransformationChain } from './transformation-chain';
import { Backoff, isRetriable, retry, RetryClock } from './retry';
import { RuntimeLogger } from './runtime-logger';
import { committableOffsets, PartitionPosition } from './sink-committable-offsets';
import { consumedRecordInfo, SinkRecordConversion } from './sink-record-conversion';
import { SinkOnceTarget } from './sink-once-target';
import { ConnectorTaskId, WorkerTask } from './worker-task';

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
  /** The task's transforms, applied after conversion and before put(); null or absent: none. The task closes it when it ends. */
  transformationChain?: TransformationChain | null;
  /** Waits between put() retries; default 100 ms doubling to 10 s. */
  putRetryBackoff?: Backoff;
  /** Time for the put() retries; default the system clock. */
  clock?: RetryClock;
  /**
   * A --once run: the connector's backlog at start. The task commits as soon as a partition reaches
   * its end offset, and finishes (closing commit, stop) once the whole connector's backlog is committed.
   */
  onceTarget?: SinkOnceTarget | null;
}

const PUT_RETRY_BACKOFF: Backoff = { initialMs: 100, maxMs: 10000 };

/** A batch given up (the task is stopping, or the consumer lost its partitions): neither a failure nor consumed. */
class BatchAbandoned extends Error {}

/**
 * Runs one SinkTask (Kafka's WorkerSinkTask) in consumer group `connect-<connector>`: converts fetched
 * records, calls put(), and every offset.flush.interval.ms (on request, before partitions are revoked,
 * and at shutdown) calls preCommit (default: flush) and commits what it returned. Batches, commits
 * and partition changes run one at a time.
 *
 * The contract kept with the connector and the group, as in Kafka:
 * - An offset is committed only after preCommit/flush returned it, and only up to records that were
 *   put. When preCommit/flush throws, every partition is rewound to its last committed offset, so
 *   what the task may have dropped is delivered again.
 * - A RetriableError from put() delivers the same records again after a backoff; meanwhile the
 *   partitions are paused and the consumer keeps the membership alive. Any other error fails the task.
 * - A record skipped by the error handler counts as consumed; a record reported through the errant
 *   record reporter is in the dead letter queue before its offset is committed, and a failed report
 *   fails the task before the next commit.
 * - Rebalances are not failures: a batch in progress is given up (delivered again later), revoked
 *   partitions are flushed, closed and committed, lost ones closed; new ones are opened and read from
 *   their committed offsets. A commit never moves an offset backwards.
 */
export class WorkerSinkTask extends WorkerTask {
  private readonly o: WorkerSinkTaskOptions;
  private lock: Promise<unknown> = Promise.resolve();
  /** Next offset to read, per partition, after the records put (or skipped) so far. */
  private readonly current = new Map<string, PartitionPosition>();
  /** Last committed offset per partition (first: the position it was read from after assignment). */
  private readonly lastCommitted = new Map<string, bigint>();
  private readonly assigned = new Map<string, TopicPartition>();
  private commitRequested = false;
  private closing = false;
  private consumerStarted = false;
  private readonly errant: WorkerErrantRecordReporter | null;
  /** Original bytes of the records given to put(), for errant record reports. */
  private readonly originals = new WeakMap<SinkRecord, ConsumedRecordInfo>();
  private readonly conversion: SinkRecordConversion;

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
    this.conversion = new SinkRecordConversion({ ...options, classes: converterClassNames(options.converterClasses, options) });
  }

  protected async onStopRequested(): Promise<void> {
    // The execute loop is waiting on the abort signal and winds down itself.
  }

  /** Kafka's paused sink: every assigned partition paused; the consumer stays in the group (heartbeats). */
  protected override onPause(): void {
    if (this.consumerStarted && this.assigned.size > 0 && !this.closing) this.o.consumer.pause([...this.assigned.values()]);
  }

  protected override onResume(): void {
    if (this.consumerStarted && this.assigned.size > 0 && !this.closing) this.o.consumer.resume([...this.assigned.values()]);
  }

  /** Runs fn after everything queued before it, and keeps the queue alive if fn fails. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Runs fn in turn; a failure fails the task. */
  private exclusiveOrFail(fn: () => Promise<void>): Promise<void> {
    return this.exclusive(fn).catch((err: unknown) => this.markFailed(err));
  }

  protected async execute(signal: AbortSignal): Promise<void> {
    const { task, consumer } = this.o;
    const target = this.o.onceTarget ?? null;
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
      void target?.done.then(resolve);
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      task.initialize(this.context());
      await task.start(this.o.props);
      this.logger.info(`${this.name} Sink task finished initialization and start`);
      if (signal.aborted) return; // stopped while starting: no consumer
      if (target?.isDone) {
        this.logger.info(`${this.name} Nothing to consume: every partition was at its end offset when the run started (--once)`);
        this.markFinished();
        return;
      }
      this.consumerStarted = true;
      await consumer.start(this.o.subscription, this.listener());
      timer = setInterval(() => {
        void this.exclusiveOrFail(() => this.commitOffsets('interval'));
      }, this.o.offsetFlushIntervalMs);
      await stopped;
      if (!signal.aborted && target?.isDone && this.state !== 'FAILED') {
        this.logger.info(`${this.name} Consumed and committed every record its topics had when the run started (--once)`);
        this.markFinished();
      }
    } finally {
      clearInterval(timer);
      this.closing = true;
      await this.shutDown();
    }
  }

  private context(): SinkTaskContext {
    return {
      connectorName: this.id.connector,
      taskId: this.id.task,
      logger: this.logger,
      assignment: () => [...this.assigned.values()],
      requestCommit: () => {
        this.commitRequested = true;
      },
      errantRecordReporter: () => this.errant,
    };
  }

  private listener(): ConsumerListener {
    return {
      onBatch: (batch, control) => this.exclusive(() => this.deliver(batch, control)),
      onPartitionsAssigned: (partitions) => this.exclusiveOrFail(() => this.partitionsAssigned(partitions)),
      onPartitionsRevoked: (partitions) => this.exclusiveOrFail(() => this.closePartitions(partitions, 'revoked')),
      onPartitionsLost: (partitions) => this.exclusiveOrFail(() => this.closePartitions(partitions, 'lost')),
      onCrash: (err) => this.markFailed(new ConnectError(`Consumer for ${this.name} stopped: ${err.message}`, { cause: err })),
    };
  }

  /** Kafka's order: commit (preCommit, close, commit) unless the task failed, then stop, then the consumer. */
  private async shutDown(): Promise<void> {
    const { task, consumer } = this.o;
    const partitions = [...this.assigned.values()];
    if (this.consumerStarted && partitions.length) consumer.pause(partitions);
    await this.exclusiveOrFail(() => this.closePartitions(partitions, this.state === 'FAILED' ? 'lost' : 'revoked'));
    await this.exclusive(async () => task.stop()).catch((err: unknown) => this.logger.warn(`${this.name} Error stopping the task`, { err }));
    this.o.transformationChain?.close();
    if (this.consumerStarted) await consumer.close().catch((err: unknown) => this.logger.warn(`${this.name} Error closing the consumer`, { err }));
  }

  private async partitionsAssigned(partitions: readonly TopicPartition[]): Promise<void> {
    if (this.closing) return;
    for (const tp of partitions) {
      const key = topicPartitionKey(tp);
      this.assigned.set(key, tp);
      this.current.delete(key);
      this.lastCommitted.delete(key);
    }
    this.metrics.partitionCount = this.assigned.size;
    this.logger.info(`${this.name} Partitions assigned: ${partitions.map(topicPartitionKey).join(', ') || '(none)'}`);
    if (this.paused && partitions.length) this.o.consumer.pause(partitions);
    if (partitions.length && this.o.task.open && this.state !== 'FAILED') await this.o.task.open(partitions);
  }

  /**
   * Revoked: preCommit, close, commit (Kafka's closing commit). Lost (or the task failed): close only,
   * nothing committed.
   */
  private async closePartitions(all: readonly TopicPartition[], how: 'revoked' | 'lost'): Promise<void> {
    const partitions = all.filter((tp) => this.assigned.has(topicPartitionKey(tp)));
    if (partitions.length === 0) return;
    this.logger.info(`${this.name} Partitions ${how}: ${partitions.map(topicPartitionKey).join(', ')}`);
    try {
      if (how === 'revoked' && this.state !== 'FAILED') {
        await this.commitOffsets('revocation', partitions);
      } else {
        this.errant?.cancelFutures(partitions);
        if (this.o.task.close) await this.o.task.close(partitions);
      }
    } finally {
      for (const tp of partitions) {
        const key = topicPartitionKey(tp);
        this.assigned.delete(key);
        this.current.delete(key);
        this.lastCommitted.delete(key);
      }
      this.metrics.partitionCount = this.assigned.size;
    }
  }

  private async deliver(batch: IncomingBatch, control: BatchControl): Promise<boolean> {
    const key = topicPartitionKey(batch);
    // Paused: a batch fetched before the pause is not consumed; it is fetched again after resume.
    if (this.state === 'FAILED' || this.closing || this.paused || control.signal.aborted || !this.assigned.has(key)) return false;
    this.recordCounts.read += batch.messages.length;
    const fetchedAt = Date.now();
    this.metrics.batchSize.record(batch.messages.length, fetchedAt);
    if (batch.highWatermark !== undefined) this.metrics.sinkRecordLag.record(Number(batch.highWatermark) - Number(batch.messages[batch.messages.length - 1].offset) - 1, fetchedAt);
    if (batch.topic !== this.lastActiveTopic) this.recordActiveTopic(batch.topic);
    try {
      if (!this.lastCommitted.has(key)) this.lastCommitted.set(key, BigInt(batch.messages[0].offset));
      const beforeRetry = async (): Promise<void> => {
        if (control.signal.aborted) throw new BatchAbandoned();
      };
      const kept = this.errant ? (record: SinkRecord, m: IncomingMessage) => this.originals.set(record, consumedRecordInfo(batch, m)) : undefined;
      const converted = this.conversion.convertBatch(batch, beforeRetry, kept);
      const records = converted instanceof Promise ? await converted : converted;
      if (records.length > 0) {
        const started = Date.now();
        await this.putWithRetry(records, control);
        const now = Date.now();
        this.metrics.putBatchTime.record(now - started, now);
        this.recordCounts.written += records.length;
      }
      // A report that already failed fails the task before these offsets can be committed.
      this.errant?.maybeThrowAsyncError();
      // Skipped records count as consumed too: the commit moves past them.
      const last = batch.messages[batch.messages.length - 1];
      this.current.set(key, { tp: { topic: batch.topic, partition: batch.partition }, offset: BigInt(last.offset) + 1n });
      // --once: commit as soon as a partition reached its end offset, rather than at the next interval.
      const end = this.o.onceTarget?.endOffset(key);
      if (end !== undefined && BigInt(last.offset) + 1n >= end) this.commitRequested = true;
      if (this.commitRequested) await this.commitOffsets('requested');
      return this.current.get(key)?.offset === BigInt(last.offset) + 1n; // false when the commit rewound it
    } catch (err) {
      if (!(err instanceof BatchAbandoned || err instanceof OperationAbandoned)) this.markFailed(err);
      return false;
    }
  }

  /**
   * A RetriableError from put() delivers the same records again after a backoff, as Kafka does; the
   * partitions stay paused meanwhile. Gives up (BatchAbandoned) when the task stops or the consumer
   * gives the batch up.
   */
  private async putWithRetry(records: SinkRecord[], control: BatchControl): Promise<void> {
    let firstError: unknown;
    try {
      await this.o.task.put(records);
      return;
    } catch (err) {
      if (!isRetriable(err)) throw err;
      firstError = err;
    }
    let paused: TopicPartition[] = [];
    try {
      await retry(() => this.o.task.put(records), {
        signal: AbortSignal.any([this.signal, control.signal]),
        firstError,
        backoff: this.o.putRetryBackoff ?? PUT_RETRY_BACKOFF,
        clock: this.o.clock,
        onRetry: (err, attempt, delayMs) => {
          if (attempt === 1) {
            paused = [...this.assigned.values()];
            this.o.consumer.pause(paused);
          }
          this.logger.warn(`${this.name} put() failed with a retriable error, redelivering in ${delayMs} ms: ${(err as Error).message}`);
        },
        abandon: () => new BatchAbandoned(),
      });
    } finally {
      if (paused.length && !this.closing && !this.paused) this.o.consumer.resume(paused.filter((tp) => this.assigned.has(topicPartitionKey(tp))));
    }
  }

  /**
   * preCommit (default: flush) for these partitions (default: all assigned), then commits what it
   * returned after checking it; for a revocation, the task closes them in between, as in Kafka. A
   * failing preCommit rewinds the partitions to their last committed offsets (except when closing).
   * Errors from the errant record reporter and the connector's close() fail the task; a commit that
   * failed or did not happen is logged: its records will be delivered again.
   */
  private async commitOffsets(reason: 'interval' | 'requested' | 'revocation', partitions?: readonly TopicPartition[]): Promise<void> {
    const closing = reason === 'revocation';
    if (!partitions) this.commitRequested = false;
    if (this.state === 'FAILED') return;
    const keys = (partitions ?? [...this.assigned.values()]).map(topicPartitionKey);
    if (this.errant) await this.errant.awaitFutures(keys.map((k) => this.assigned.get(k)!).filter(Boolean));
    const requested = new Map<string, PartitionPosition>();
    for (const key of keys) {
      const position = this.current.get(key);
      if (position && this.assigned.has(key)) requested.set(key, position);
    }
    const changed = [...requested].some(([key, p]) => this.lastCommitted.get(key) !== p.offset);
    if (!changed && !closing) return;
    const { task, consumer } = this.o;
    const started = Date.now();
    this.metrics.offsetCommitSeqNo++;
    let provided;
    try {
      const offsets = new Map([...requested].map(([key, p]) => [key, { tp: p.tp, offset: { offset: p.offset } }]));
      if (task.preCommit) {
        provided = await task.preCommit(offsets);
      } else {
        if (task.flush) await task.flush(offsets);
        provided = offsets;
      }
    } catch (err) {
      this.metrics.offsetCommitFailures++;
      if (closing) {
        this.logger.warn(`${this.name} Offset commit failed during close: ${(err as Error).message}`, { err });
      } else {
        this.logger.error(`${this.name} Offset commit failed, rewinding to last committed offsets: ${(err as Error).message}`, { err });
        this.rewind(requested);
      }
      return;
    } finally {
      if (closing && task.close && partitions) await task.close(partitions);
    }
    const toCommit = committableOffsets({
      requested,
      lastCommitted: this.lastCommitted,
      provided,
      isAssigned: (key) => this.assigned.has(key),
      ignored: (tp, offset, why, warn) => {
        const line = `${this.name} Ignoring task provided offset ${offset} for ${topicPartitionKey(tp)}: ${why}`;
        if (warn) this.logger.warn(line);
        else if (this.logger.isLevelEnabled('debug')) this.logger.debug(line);
      },
    });
    if (toCommit.length === 0) {
      this.metrics.offsetCommitSkips++;
      return;
    }
    const offsets = toCommit.map(({ tp, offset }) => ({ topic: tp.topic, partition: tp.partition, offset }));
    let committed: boolean;
    try {
      committed = await consumer.commit(offsets);
    } catch (err) {
      this.metrics.offsetCommitFailures++;
      this.logger.error(`${this.name} Commit of offsets failed (${reason}): ${(err as Error).message}`, { err });
      return;
    }
    if (!committed) {
      this.metrics.offsetCommitSkips++;
      this.logger.warn(`${this.name} Offsets not committed (${reason}): the consumer is rebalancing or not running; the records since the last commit will be delivered again`);
      return;
    }
    const now = Date.now();
    this.metrics.offsetCommitTime.record(now - started, now);
    this.metrics.offsetCommitSuccesses++;
    this.metrics.offsetCommitCompletions++;
    for (const { tp, offset } of toCommit) {
      this.lastCommitted.set(topicPartitionKey(tp), offset);
      this.o.onceTarget?.committed(tp, offset);
    }
    if (this.logger.isLevelEnabled('debug')) this.logger.debug(`${this.name} Committed offsets (${reason})`, { offsets: offsets.map((o) => `${o.topic}-${o.partition}@${o.offset}`) });
  }

  /** Kafka's rewind after a failed flush: read again from the last committed offsets. */
  private rewind(partitions: ReadonlyMap<string, PartitionPosition>): void {
    for (const [key, { tp }] of partitions) {
      const last = this.lastCommitted.get(key);
      if (last === undefined) continue;
      this.o.consumer.seek(tp, last);
      this.current.set(key, { tp, offset: last });
    }
  }
}
