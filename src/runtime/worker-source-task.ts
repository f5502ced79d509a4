import { Converter, HeaderConverter, SourceRecord, SourceTask, SourceTaskContext, SourceTaskProgress } from '../api';
import { OutgoingRecord, RecordProducer, SentRecordMetadata } from './kafka/kafka-client-factory';
import { OffsetStorageWriter, StoreOffsetReader } from './offset-storage-writer';
import { conversionError, ConversionFailure } from './conversion-error';
import { Stage } from './errors/error-context';
import { ConverterClassNames, converterClassNames, RUNTIME_CLASS } from './errors/java-class-names';
import { isRetriable, OperationAbandoned, RetryWithToleranceOperator, SKIPPED, Skipped } from './errors/retry-with-tolerance-operator';
import { Backoff, retry, RetryClock, systemClock } from './retry';
import { RuntimeLogger } from './runtime-logger';
import { TransformationChain, TransformationFailure } from './transformation-chain';
import { ConnectorTaskId, WorkerTask } from './worker-task';

export interface WorkerSourceTaskOptions {
  id: ConnectorTaskId;
  task: SourceTask;
  props: Record<string, string>;
  keyConverter: Converter;
  valueConverter: Converter;
  headerConverter: HeaderConverter;
  producer: RecordProducer;
  offsetReader: StoreOffsetReader;
  offsetWriter: OffsetStorageWriter;
  offsetFlushIntervalMs: number;
  offsetFlushTimeoutMs: number;
  logger: RuntimeLogger;
  /** The task's error handler: conversions run through it; the task closes it when it ends. */
  operator: RetryWithToleranceOperator;
  /** For error reports; default: the converters' JavaScript class names. */
  converterClasses?: ConverterClassNames;
  /** Time for the send and connect retries; default the system clock. */
  clock?: RetryClock;
  /** The task's transforms, applied after poll() and before conversion; null or absent: none. The task closes it when it ends. */
  transformationChain?: TransformationChain | null;
  /**
   * A --once run: the task finishes once SourceTask.caughtUp() is true after a poll and everything
   * it returned was acknowledged and its offsets flushed. Default false (caughtUp() is not asked).
   */
  endWhenCaughtUp?: boolean;
}

const SEND_RETRY_BACKOFF: Backoff = { initialMs: 100, maxMs: 5000 };
/** Polls between forced turns of the event loop when every poll returns records without waiting. */
const YIELD_EVERY_POLLS = 32;

/** The converted headers of every record without headers: one shared array, never written to. */
const NO_HEADERS: ReadonlyArray<[string, Buffer | null]> = Object.freeze([]);

/** The task was stopped while a Kafka operation was being retried. */
class StoppedWhileRetrying extends Error {}

/** Resolves in the event loop's next check phase, after timers, I/O and signal handlers had their turn. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs one SourceTask (Kafka's WorkerSourceTask): poll, convert, produce, and record each record's
 * source offset only once Kafka acknowledged it. One batch is in flight while the next is polled, so
 * memory stays bounded by two poll batches however slow the broker is.
 *
 * Error handling (errors.*): a RetriableError from poll() is logged and polled again after a backoff;
 * conversions go through the RetryWithToleranceOperator. A record it skips is not produced, but it
 * keeps its place in its batch, so its source offset is recorded once the records before it are
 * acknowledged (Kafka acknowledges a dropped record at once in its in-order tracker); a restart
 * therefore does not read it again. A record the transformation chain drops is treated the same way:
 * not produced, its offset recorded in order, commitRecord(record, null) called for it.
 */
export class WorkerSourceTask extends WorkerTask {
  private readonly o: WorkerSourceTaskOptions;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly classes: ConverterClassNames;
  private pollFailures = 0;
  private readonly clock: RetryClock;
  private readonly chain: TransformationChain | null;
  private taskStopped = false;

  constructor(options: WorkerSourceTaskOptions) {
    super(options.id, options.logger, options.operator);
    this.o = options;
    this.clock = options.clock ?? systemClock;
    this.classes = converterClassNames(options.converterClasses, options);
    this.chain = options.transformationChain ?? null;
  }

  protected async onStopRequested(): Promise<void> {
    await this.stopTask();
  }

  /** SourceTask.stop() is called once: on a stop request, or when the task finished by itself. */
  private async stopTask(): Promise<void> {
    if (this.taskStopped) return;
    this.taskStopped = true;
    await this.o.task.stop();
  }

  override progress(): SourceTaskProgress | null {
    try {
      return this.o.task.progress?.() ?? null;
    } catch {
      return null;
    }
  }

  /** After a poll that did not fail: has the input ended for good, or (in a --once run) been caught up with? */
  private inputDone(): boolean {
    const { task } = this.o;
    if (task.ended?.() === true) return true;
    return this.o.endWhenCaughtUp === true && task.caughtUp?.() === true;
  }

  protected async execute(signal: AbortSignal): Promise<void> {
    try {
      await this.run(signal);
    } finally {
      this.chain?.close();
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { task, producer } = this.o;
    const context: SourceTaskContext = {
      connectorName: this.id.connector,
      taskId: this.id.task,
      logger: this.logger,
      offsetStorageReader: this.o.offsetReader,
    };
    task.initialize(context);
    await task.start(this.o.props);
    this.logger.info(`${this.name} Source task finished initialization and start`);
    let inFlight: Promise<void> | null = null;
    try {
      await this.withRetry('connect the producer', () => producer.connect(), signal);
      this.flushTimer = setInterval(() => this.scheduleFlush(), this.o.offsetFlushIntervalMs);
      let polls = 0;
      while (!signal.aborted) {
        if (this.paused) {
          // Paused: no polling; the batch in flight is acknowledged and the flush timer keeps committing its offsets.
          await this.awaitResumed();
          continue;
        }
        const polled = await this.poll(signal);
        const records = polled ?? null;
        const finishing = polled !== undefined && this.inputDone();
        const empty = !records || records.length === 0;
        if (!empty) this.recordCounts.read += records.length;
        // A poll() (or a send) that completes without real I/O never leaves the microtask queue, which
        // would starve timers, other tasks and SIGTERM: give the event loop a turn now and then.
        if (!finishing && (empty || ++polls % YIELD_EVERY_POLLS === 0)) await yieldToEventLoop();
        if (signal.aborted) break;
        if (!empty && this.paused) {
          // A poll() under way when the task was paused can return long after (FileStreamSource waits
          // for new lines): its records wait for the resume, so nothing flows while PAUSED. A stop
          // meanwhile drops them unsent; their offsets were never committed, so they are read again.
          await this.awaitResumed();
          if (signal.aborted) break;
        }
        if (!empty) {
          let outgoing: Array<OutgoingRecord | null>;
          try {
            outgoing = await this.convert(records);
          } catch (err) {
            if (err instanceof OperationAbandoned) break; // stopped while retrying: nothing of this batch is recorded
            throw err;
          }
          // Keep sends in order: the previous batch must be acknowledged before this one goes out.
          if (inFlight) await inFlight;
          if (signal.aborted) break;
          inFlight = this.sendAndAcknowledge(records, outgoing, signal);
          // Fail at once even if the source has gone quiet: mark the task and wake a pending poll().
          inFlight.catch((err: unknown) => this.markFailed(err));
        }
        if (finishing) {
          if (inFlight) await inFlight;
          if (signal.aborted) break; // stopped (or failed) before everything was acknowledged
          await this.flushFinal();
          this.markFinished();
          this.logger.info(`${this.name} ${this.o.task.ended?.() === true ? 'Input ended' : 'Caught up with its input (--once)'}: every record acknowledged and its offsets flushed`);
          break;
        }
      }
    } finally {
      if (this.flushTimer) clearInterval(this.flushTimer);
      await this.flushing;
      // Flush what is acknowledged before waiting for the last batch, which may outlast the
      // shutdown timeout while the broker is away.
      await this.flushOffsets('shutdown');
      try {
        if (inFlight) await inFlight;
      } finally {
        await this.flushOffsets('shutdown');
        await producer.disconnect().catch((err: unknown) => this.logger.warn(`${this.name} Error closing the producer`, { err }));
      }
    }
    if (this.finished) await this.stopTask();
  }

  /** The flush that ends a finishing task: unlike the periodic one, a failure fails the task (its offsets would be lost). */
  private async flushFinal(): Promise<void> {
    await this.flushing;
    if (this.o.offsetWriter.hasPending()) {
      const started = Date.now();
      try {
        await this.o.offsetWriter.flush(this.o.offsetFlushTimeoutMs);
      } catch (err) {
        this.metrics.offsetCommitFailures++;
        throw err;
      }
      this.recordCommit(started);
    }
    if (this.o.task.commit) await this.o.task.commit();
  }

  /**
   * Kafka's behaviour: a RetriableError from poll() never fails the task; it is polled again later.
   * Undefined when the poll failed that way.
   */
  private async poll(signal: AbortSignal): Promise<SourceRecord[] | null | undefined> {
    try {
      const started = Date.now();
      const records = await this.o.task.poll();
      this.pollFailures = 0;
      if (records && records.length > 0) {
        const now = Date.now();
        this.metrics.pollBatchTime.record(now - started, now);
        this.metrics.batchSize.record(records.length, now);
      }
      return records;
    } catch (err) {
      if (!isRetriable(err)) throw err;
      const delay = this.o.operator.backoffMs(++this.pollFailures);
      this.logger.warn(`${this.name} failed to poll records from SourceTask. Will retry operation in ${delay} ms: ${(err as Error).message}`, { err });
      await this.clock.sleep(delay, signal);
      return undefined;
    }
  }

  /**
   * Transforms and converts each record; null where a transform dropped it or the error handler
   * skipped it. Awaits only on a failure.
   */
  private async convert(records: readonly SourceRecord[]): Promise<Array<OutgoingRecord | null>> {
    const out = new Array<OutgoingRecord | null>(records.length);
    const chain = this.chain;
    for (let i = 0; i < records.length; i++) {
      const original = records[i];
      let record: SourceRecord | null = original;
      if (chain !== null) {
        try {
          record = chain.apply(original);
        } catch (err) {
          record = await chain.applyWithErrorHandling(err as TransformationFailure, this.o.operator, { sourceRecord: original });
        }
        if (record === null) {
          out[i] = null;
          continue;
        }
      }
      try {
        out[i] = this.convertRecord(record);
      } catch (err) {
        out[i] = await this.convertWithErrorHandling(record, err as ConversionFailure, original);
      }
    }
    return out;
  }

  /** The fast path, in Kafka's order (headers, key, value); any failure is thrown as a ConversionFailure. */
  private convertRecord(r: SourceRecord): OutgoingRecord {
    const { keyConverter, valueConverter } = this.o;
    const headers = r.headers.length === 0 ? NO_HEADERS : this.convertHeaders(r);
    let key: Buffer | null;
    try {
      key = keyConverter.fromConnectData(r.topic, r.headers, r.keySchema, r.key);
    } catch (err) {
      throw new ConversionFailure(Stage.KEY_CONVERTER, err);
    }
    let value: Buffer | null;
    try {
      value = valueConverter.fromConnectData(r.topic, r.headers, r.valueSchema, r.value);
    } catch (err) {
      throw new ConversionFailure(Stage.VALUE_CONVERTER, err);
    }
    return { topic: r.topic, partition: r.kafkaPartition, key, value, timestamp: r.timestamp, headers };
  }

  private convertHeaders(r: SourceRecord): Array<[string, Buffer | null]> {
    const headers: Array<[string, Buffer | null]> = [];
    for (let h = 0; h < r.headers.length; h++) {
      const header = r.headers[h];
      try {
        headers.push([header.key, this.o.headerConverter.fromConnectHeader(r.topic, header.key, header.schema, header.value)]);
      } catch (err) {
        throw new ConversionFailure(Stage.HEADER_CONVERTER, err, h);
      }
    }
    return headers;
  }

  /**
   * Converts a record whose fast path failed, each step through the error handler; the step that
   * failed continues from its first error. Null when the handler skipped the record.
   */
  private async convertWithErrorHandling(r: SourceRecord, failure: ConversionFailure, original: SourceRecord): Promise<OutgoingRecord | null> {
    const { keyConverter, valueConverter, headerConverter, operator } = this.o;
    const step = <T>(stage: Stage, executingClass: string, op: () => T, what: string, headerIndex = -1): Promise<T | Skipped> => {
      // Kafka reports the record as polled, before any transform.
      const operation = { sourceRecord: original, describeFailure: (e: Error) => conversionError(`Failed to convert ${what} of a record for topic ${r.topic}`, e) };
      return stage === failure.stage && headerIndex === failure.headerIndex
        ? operator.handleError(stage, executingClass, failure.error, op, operation)
        : operator.execute(stage, executingClass, op, operation);
    };
    const headers: Array<[string, Buffer | null]> = [];
    for (let h = 0; h < r.headers.length; h++) {
      const { key, schema, value } = r.headers[h];
      const bytes = await step(Stage.HEADER_CONVERTER, this.classes.header, () => headerConverter.fromConnectHeader(r.topic, key, schema, value), `header ${key}`, h);
      if (bytes === SKIPPED) return null;
      headers.push([key, bytes]);
    }
    const key = await step(Stage.KEY_CONVERTER, this.classes.key, () => keyConverter.fromConnectData(r.topic, r.headers, r.keySchema, r.key), 'the key');
    if (key === SKIPPED) return null;
    const value = await step(Stage.VALUE_CONVERTER, this.classes.value, () => valueConverter.fromConnectData(r.topic, r.headers, r.valueSchema, r.value), 'the value');
    if (value === SKIPPED) return null;
    return { topic: r.topic, partition: r.kafkaPartition, key, value, timestamp: r.timestamp, headers };
  }

  /**
   * Sends the converted records of one batch, then, in poll order, records every record's source
   * offset (skipped ones included) and calls commitRecord (metadata null for skipped ones).
   */
  private async sendAndAcknowledge(records: readonly SourceRecord[], outgoing: ReadonlyArray<OutgoingRecord | null>, signal: AbortSignal): Promise<void> {
    const toSend = outgoing.filter((o): o is OutgoingRecord => o !== null);
    let sent: ReadonlyArray<SentRecordMetadata | null> | undefined = [];
    if (toSend.length > 0) {
      try {
        sent = await this.withRetry('send records to Kafka', () => this.o.producer.send(toSend), signal, this.o.producer.deliveryTimeoutMs);
      } catch (err) {
        sent = await this.skipUnsent(records, outgoing, err);
      }
    }
    if (!sent) return; // stopped while Kafka was unreachable: offsets stay uncommitted, so the records are read again
    for (const meta of sent) if (meta !== null) this.recordCounts.written++;
    let next = 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      const out = outgoing[i];
      const meta = out === null ? null : (sent[next++] ?? null);
      if (meta !== null && out!.topic !== this.lastActiveTopic) this.recordActiveTopic(out!.topic);
      if (r.sourcePartition && r.sourceOffset) this.o.offsetWriter.offset(r.sourcePartition, r.sourceOffset);
      if (this.o.task.commitRecord) {
        await this.o.task.commitRecord(r, meta);
      }
    }
    this.metrics.sourceRecordsCompleted += records.length;
  }

  /**
   * A send that failed for good: with errors.tolerance=all Kafka reports each record (stage
   * KAFKA_PRODUCE) and treats it as dropped; otherwise the task fails with the send's error.
   */
  private async skipUnsent(records: readonly SourceRecord[], outgoing: ReadonlyArray<OutgoingRecord | null>, err: unknown): Promise<null[]> {
    const { operator } = this.o;
    if (operator.tolerance !== 'all') throw err;
    let count = 0;
    for (let i = 0; i < records.length; i++) {
      if (outgoing[i] === null) continue;
      count++;
      await operator.executeFailed(Stage.KAFKA_PRODUCE, RUNTIME_CLASS.ABSTRACT_WORKER_SOURCE_TASK, err, { sourceRecord: records[i] });
    }
    this.logger.warn(`${this.name} Failed to send ${count} record(s) to Kafka; skipping them (errors.tolerance=all): ${(err as Error).message}`);
    return new Array<null>(count).fill(null);
  }

  /**
   * Retries a Kafka operation while its error is retriable, with exponential backoff, until it
   * succeeds, `timeoutMs` passes (the last error is thrown), or the task is stopped (resolves undefined).
   */
  private async withRetry<T>(what: string, op: () => Promise<T>, signal: AbortSignal, timeoutMs?: number): Promise<T | undefined> {
    try {
      return await retry(op, {
        signal,
        backoff: SEND_RETRY_BACKOFF,
        deadline: timeoutMs === undefined ? undefined : this.clock.now() + timeoutMs,
        clock: this.clock,
        onRetry: (err, _attempt, delay) => this.logger.warn(`${this.name} Failed to ${what}, retrying in ${delay} ms: ${(err as Error).message}`),
        abandon: () => new StoppedWhileRetrying(),
      });
    } catch (err) {
      if (err instanceof StoppedWhileRetrying) return undefined;
      throw err;
    }
  }

  private scheduleFlush(): void {
    this.flushing = this.flushing.then(() => this.flushOffsets('interval'));
  }

  /** Never throws: a failed flush is logged and its offsets stay pending for the next one. */
  private async flushOffsets(reason: string): Promise<void> {
    if (!this.o.offsetWriter.hasPending()) return;
    const started = Date.now();
    let flushed = false;
    try {
      const count = await this.o.offsetWriter.flush(this.o.offsetFlushTimeoutMs);
      flushed = true;
      this.recordCommit(started);
      if (this.logger.isLevelEnabled('debug')) this.logger.debug(`${this.name} Flushed ${count} offset(s) (${reason})`);
      if (this.o.task.commit) await this.o.task.commit();
    } catch (err) {
      if (!flushed) this.metrics.offsetCommitFailures++;
      this.logger.error(`${this.name} Failed to flush offsets to storage: ${(err as Error).message}`, { err });
    }
  }

  private recordCommit(started: number): void {
    const now = Date.now();
    this.metrics.offsetCommitTime.record(now - started, now);
    this.metrics.offsetCommitSuccesses++;
  }
}
