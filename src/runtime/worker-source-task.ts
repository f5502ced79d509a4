import { ConnectError, Converter, Header, HeaderConverter, SourceRecord, SourceTask, SourceTaskContext } from '../api';
import { OutgoingRecord, RecordProducer } from './kafka/kafka-client-factory';
import { OffsetStorageWriter, StoreOffsetReader } from './offset-storage-writer';
import { conversionError } from './conversion-error';
import { RuntimeLogger } from './runtime-logger';
import { ConnectorTaskId, sleep, taskIdString, WorkerTask } from './worker-task';

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
}

const RETRY_BACKOFF_START_MS = 100;
const RETRY_BACKOFF_MAX_MS = 5000;

/**
 * Runs one SourceTask (Kafka's WorkerSourceTask): poll, convert, produce, and record each record's
 * source offset only once Kafka acknowledged it. One batch is in flight while the next is polled, so
 * memory stays bounded by two poll batches however slow the broker is.
 */
export class WorkerSourceTask extends WorkerTask {
  private readonly o: WorkerSourceTaskOptions;
  private readonly name: string;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(options: WorkerSourceTaskOptions) {
    super(options.id, options.logger);
    this.o = options;
    this.name = taskIdString(options.id);
  }

  protected async onStopRequested(): Promise<void> {
    await this.o.task.stop();
  }

  protected async execute(signal: AbortSignal): Promise<void> {
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
      while (!signal.aborted) {
        const records = await task.poll();
        if (signal.aborted || !records || records.length === 0) continue;
        const outgoing = this.convert(records);
        // Keep sends in order: the previous batch must be acknowledged before this one goes out.
        if (inFlight) await inFlight;
        if (signal.aborted) break;
        inFlight = this.sendAndAcknowledge(records, outgoing, signal);
        // Fail at once even if the source has gone quiet: mark the task and wake a pending poll().
        inFlight.catch((err: unknown) => this.markFailed(err));
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
  }

  private convert(records: readonly SourceRecord[]): OutgoingRecord[] {
    const { keyConverter, valueConverter } = this.o;
    return records.map((r) => {
      let key: Buffer | null;
      let value: Buffer | null;
      try {
        key = keyConverter.fromConnectData(r.topic, r.headers, r.keySchema, r.key);
      } catch (err) {
        throw conversionError(`Failed to convert the key of a record for topic ${r.topic}`, err);
      }
      try {
        value = valueConverter.fromConnectData(r.topic, r.headers, r.valueSchema, r.value);
      } catch (err) {
        throw conversionError(`Failed to convert the value of a record for topic ${r.topic}`, err);
      }
      const headers = r.headers.length === 0 ? [] : this.convertHeaders(r.topic, r.headers);
      return { topic: r.topic, partition: r.kafkaPartition, key, value, timestamp: r.timestamp, headers };
    });
  }

  private convertHeaders(topic: string, headers: readonly Header[]): Array<[string, Buffer | null]> {
    const { headerConverter } = this.o;
    return headers.map((h) => {
      try {
        return [h.key, headerConverter.fromConnectHeader(topic, h.key, h.schema, h.value)];
      } catch (err) {
        throw conversionError(`Failed to convert header ${h.key} of a record for topic ${topic}`, err);
      }
    });
  }

  private async sendAndAcknowledge(records: readonly SourceRecord[], outgoing: OutgoingRecord[], signal: AbortSignal): Promise<void> {
    const sent = await this.withRetry('send records to Kafka', () => this.o.producer.send(outgoing), signal, this.o.producer.deliveryTimeoutMs);
    if (!sent) return; // stopped while Kafka was unreachable: offsets stay uncommitted, so the records are read again
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r.sourcePartition && r.sourceOffset) this.o.offsetWriter.offset(r.sourcePartition, r.sourceOffset);
      if (this.o.task.commitRecord) {
        const meta = sent[i];
        await this.o.task.commitRecord(r, meta ? { topic: meta.topic, partition: meta.partition, offset: meta.offset } : null);
      }
    }
  }

  /**
   * Retries a Kafka operation while its error is retriable, with exponential backoff, until it
   * succeeds, the deadline passes, or the task is stopped (then resolves undefined).
   */
  private async withRetry<T>(what: string, op: () => Promise<T>, signal: AbortSignal, timeoutMs = Number.MAX_SAFE_INTEGER): Promise<T | undefined> {
    const deadline = Date.now() + timeoutMs;
    let backoff = RETRY_BACKOFF_START_MS;
    for (;;) {
      try {
        return await op();
      } catch (err) {
        const retriable = err instanceof ConnectError ? err.retriable : false;
        if (!retriable || Date.now() >= deadline) throw err;
        if (signal.aborted) return undefined;
        this.logger.warn(`${this.name} Failed to ${what}, retrying in ${backoff} ms: ${(err as Error).message}`);
        await sleep(backoff, signal);
        if (signal.aborted) return undefined;
        backoff = Math.min(backoff * 2, RETRY_BACKOFF_MAX_MS);
      }
    }
  }

  private scheduleFlush(): void {
    this.flushing = this.flushing.then(() => this.flushOffsets('interval'));
  }

  /** Never throws: a failed flush is logged and its offsets stay pending for the next one. */
  private async flushOffsets(reason: string): Promise<void> {
    if (!this.o.offsetWriter.hasPending()) return;
    try {
      const count = await this.o.offsetWriter.flush(this.o.offsetFlushTimeoutMs);
      if (this.logger.isLevelEnabled('debug')) this.logger.debug(`${this.name} Flushed ${count} offset(s) (${reason})`);
      if (this.o.task.commit) await this.o.task.commit();
    } catch (err) {
      this.logger.error(`${this.name} Failed to flush offsets to storage: ${(err as Error).message}`, { err });
    }
  }
}
