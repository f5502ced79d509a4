/**
 * Fakes for the runtime's unit tests: Kafka clients, an offset store, source and sink tasks and a
 * logger. Nothing here imports kafkajs (kafka-client-factory is imported for its types only).
 */
import {
  AnyConnector,
  ConfigDef,
  ConnectorPlugin,
  Converter,
  DataError,
  Header,
  HeaderConverter,
  RetriableError,
  Schema,
  SchemaAndValue,
  OffsetMap,
  PartitionOffsets,
  RecordMetadata,
  SinkRecord,
  SinkTask,
  SinkTaskContext,
  SourceRecord,
  SourceTask,
  SourceTaskContext,
  TopicPartition,
} from '../../../src/api';
import type {
  ConsumerListener,
  IncomingBatch,
  OffsetToCommit,
  OutgoingRecord,
  RecordConsumer,
  RecordProducer,
  SentRecordMetadata,
} from '../../../src/runtime/kafka/kafka-client-factory';
import { partitionKey } from '../../../src/runtime/offset-storage-writer';
import { ErrorContext, ErrorReporter } from '../../../src/runtime/errors/error-context';
import { DEFAULT_ERROR_HANDLING, ErrorHandlingConfig } from '../../../src/runtime/errors/error-handling-config';
import { OperatorTime, RetryWithToleranceOperator } from '../../../src/runtime/errors/retry-with-tolerance-operator';
import { OffsetBackingStore, OffsetEntry } from '../../../src/storage/offset-backing-store';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Polls `condition` every few ms until it holds; fails with `what` after timeoutMs. */
export async function waitFor(condition: () => boolean, what = 'condition', timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Lets pending promise callbacks and a few timer turns run, so "nothing happened" checks are meaningful. */
export async function settle(turns = 10): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}

import { RecordingLogger } from '../../helpers/recording-logger';
export { RecordingLogger };

/** An in-memory OffsetBackingStore whose set() can be made to fail or to wait. */
export class MemoryOffsetStore implements OffsetBackingStore {
  private readonly data = new Map<string, OffsetMap>();
  /** Every set() call, in order, as given. */
  readonly setCalls: OffsetEntry[][] = [];
  /** Errors the next set() calls reject with, one per call. */
  readonly failures: unknown[] = [];
  /** When set, set() waits for this before applying the entries. */
  gate: Promise<void> | null = null;

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  get(connector: string, partition: OffsetMap): OffsetMap | null {
    return this.data.get(`${connector}/${partitionKey(partition)}`) ?? null;
  }

  async set(entries: readonly OffsetEntry[]): Promise<void> {
    this.setCalls.push([...entries]);
    if (this.gate) await this.gate;
    if (this.failures.length) throw this.failures.shift();
    for (const e of entries) {
      const key = `${e.connector}/${partitionKey(e.partition)}`;
      if (e.offset === null) this.data.delete(key);
      else this.data.set(key, e.offset);
    }
  }

  get size(): number {
    return this.data.size;
  }
}

interface PendingSend {
  records: readonly OutgoingRecord[];
  result: Deferred<SentRecordMetadata[]>;
}

/**
 * A RecordProducer whose sends stay pending until the test acknowledges or fails them (or, with
 * autoAck, are acknowledged at once). Tracks how many sends are in flight at the same time.
 */
export class FakeProducer implements RecordProducer {
  readonly deliveryTimeoutMs: number;
  readonly sends: PendingSend[] = [];
  connected = false;
  disconnected = false;
  inFlight = 0;
  maxInFlight = 0;
  /** Errors the next send() calls reject with at once, one per call. */
  readonly failures: unknown[] = [];
  /** Errors the next connect() calls reject with, one per call. */
  readonly connectFailures: unknown[] = [];
  connectCalls = 0;

  constructor(
    private readonly options: { autoAck?: boolean; deliveryTimeoutMs?: number } = {},
  ) {
    this.deliveryTimeoutMs = options.deliveryTimeoutMs ?? 2147483647;
  }

  async connect(): Promise<void> {
    this.connectCalls++;
    if (this.connectFailures.length) throw this.connectFailures.shift();
    this.connected = true;
  }

  send(records: readonly OutgoingRecord[]): Promise<SentRecordMetadata[]> {
    const result = deferred<SentRecordMetadata[]>();
    this.sends.push({ records, result });
    if (this.failures.length) {
      result.reject(this.failures.shift());
      return result.promise;
    }
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const done = (): void => {
      this.inFlight--;
    };
    result.promise.then(done, done);
    if (this.options.autoAck) this.ack(this.sends.length - 1);
    return result.promise;
  }

  /** Acknowledges send number `index` (default: the latest). */
  ack(index = this.sends.length - 1): void {
    const { records, result } = this.sends[index];
    result.resolve(records.map((r, i) => ({ topic: r.topic, partition: r.partition ?? 0, offset: BigInt(100 * index + i) })));
  }

  fail(err: unknown, index = this.sends.length - 1): void {
    this.sends[index].result.reject(err);
  }

  /** Acknowledges every send still pending, so a test can always shut the task down. */
  ackAll(): void {
    this.sends.forEach((_, i) => this.ack(i));
  }

  async disconnect(): Promise<void> {
    this.disconnected = true;
  }
}

/** A source record with string value and the given source partition/offset. */
export function record(topic: string, value: string, position: number | null, file = 'a.txt'): SourceRecord {
  return {
    topic,
    kafkaPartition: null,
    keySchema: null,
    key: null,
    valueSchema: null,
    value,
    timestamp: null,
    headers: [],
    sourcePartition: position === null ? null : { filename: file },
    sourceOffset: position === null ? null : { position },
  };
}

/**
 * A SourceTask that returns queued batches from poll(); with the queue empty, poll() waits until a
 * batch is pushed or stop() is called, then returns null (as the contract asks).
 */
export class ScriptedSourceTask implements SourceTask {
  private readonly queue: Array<SourceRecord[] | Error> = [];
  private waiting: Deferred<void> | null = null;
  readonly committedRecords: Array<{ record: SourceRecord; metadata: RecordMetadata | null }> = [];
  polls = 0;
  commits = 0;
  stopped = false;
  context: SourceTaskContext | null = null;

  version(): string {
    return 'test';
  }
  initialize(context: SourceTaskContext): void {
    this.context = context;
  }
  start(): void {}

  /** Queues a batch (or an error to throw from poll). */
  push(batch: SourceRecord[] | Error): void {
    this.queue.push(batch);
    this.waiting?.resolve();
  }

  async poll(): Promise<SourceRecord[] | null> {
    this.polls++;
    if (this.queue.length === 0 && !this.stopped) {
      this.waiting = deferred();
      await this.waiting.promise;
      this.waiting = null;
    }
    const next = this.queue.shift();
    if (next instanceof Error) throw next;
    return next ?? null;
  }

  commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
    this.committedRecords.push({ record, metadata });
  }

  commit(): void {
    this.commits++;
  }

  stop(): void {
    this.stopped = true;
    this.waiting?.resolve();
  }
}

/**
 * A RecordConsumer driven by the test, keeping the promises of the real one: listener calls one at a
 * time, commits only for partitions it assigned and only while running, seeks honoured by
 * fetchFrom(). It records every call into the shared event list.
 */
export class FakeConsumer implements RecordConsumer {
  readonly maxPollRecords = 500;
  listener: ConsumerListener | null = null;
  subscription: { topics: string[]; regex: RegExp | null } | null = null;
  /** Commits that happened, in order. */
  readonly commits: OffsetToCommit[][] = [];
  /** What the next commit() calls do instead of committing, one per call: false (not committed) or an error to reject with. */
  readonly commitOutcomes: Array<false | Error> = [];
  readonly seeks: Array<{ topic: string; partition: number; offset: bigint }> = [];
  readonly paused = new Set<string>();
  /** Error the next start() rejects with. */
  startFailure: Error | null = null;
  /** The signal of the batch being handled, for rebalance() to abort. */
  private batchControl: AbortController | null = null;
  private readonly owned = new Set<string>();
  private calls: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly events: string[] = []) {}

  startCalls = 0;

  async start(subscription: { topics: string[]; regex: RegExp | null }, listener: ConsumerListener): Promise<void> {
    this.startCalls++;
    if (this.startFailure) throw this.startFailure;
    this.subscription = subscription;
    this.listener = listener;
  }

  private call<T>(fn: (listener: ConsumerListener) => Promise<T>): Promise<T> {
    if (!this.listener) throw new Error('consumer not started');
    const listener = this.listener;
    const run = this.calls.then(() => fn(listener));
    this.calls = run.catch(() => undefined);
    return run;
  }

  /** The group assigned these partitions. */
  assign(partitions: TopicPartition[]): Promise<void> {
    for (const tp of partitions) this.owned.add(`${tp.topic}-${tp.partition}`);
    return this.call((l) => l.onPartitionsAssigned(partitions));
  }

  /** A rebalance: every owned partition is revoked (commits still work meanwhile), then none is owned. */
  async revokeAll(): Promise<void> {
    const partitions = this.ownedPartitions();
    await this.call((l) => l.onPartitionsRevoked(partitions));
    this.owned.clear();
  }

  /** The member was expelled: every owned partition is lost. */
  async loseAll(): Promise<void> {
    const partitions = this.ownedPartitions();
    this.owned.clear();
    await this.call((l) => l.onPartitionsLost(partitions));
  }

  private ownedPartitions(): TopicPartition[] {
    return [...this.owned].map((k) => {
      const i = k.lastIndexOf('-');
      return { topic: k.slice(0, i), partition: Number(k.slice(i + 1)) };
    });
  }

  /**
   * Delivers one batch as the real consumer does; resolves with the listener's answer (true when
   * consumed). A seek of the partition pending from before is dropped first, as a fetch applies it.
   */
  deliver(batch: IncomingBatch): Promise<boolean> {
    return this.call(async (l) => {
      const control = new AbortController();
      this.batchControl = control;
      try {
        return await l.onBatch(batch, { signal: control.signal });
      } finally {
        this.batchControl = null;
      }
    });
  }

  /** The group started rebalancing while a batch is handled: its signal aborts, as the real consumer does on a failed heartbeat. */
  abortBatch(reason: Error = new Error('REBALANCE_IN_PROGRESS')): boolean {
    if (!this.batchControl) return false;
    this.batchControl.abort(reason);
    return true;
  }

  /** The offset the next fetch of this partition starts at after the last seek, if any. */
  seekedTo(topic: string, partition: number): bigint | undefined {
    const last = [...this.seeks].reverse().find((s) => s.topic === topic && s.partition === partition);
    return last?.offset;
  }

  async commit(offsets: readonly OffsetToCommit[]): Promise<boolean> {
    this.events.push('commit');
    const outcome = this.commitOutcomes.shift();
    if (outcome instanceof Error) throw outcome;
    if (outcome === false || this.closed || offsets.some((o) => !this.owned.has(`${o.topic}-${o.partition}`))) return false;
    this.commits.push([...offsets]);
    return true;
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.events.push('consumer.pause');
    for (const tp of partitions) this.paused.add(`${tp.topic}-${tp.partition}`);
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.events.push('consumer.resume');
    for (const tp of partitions) this.paused.delete(`${tp.topic}-${tp.partition}`);
  }

  seek(tp: TopicPartition, offset: bigint): void {
    this.events.push(`seek ${tp.topic}-${tp.partition}@${offset}`);
    this.seeks.push({ topic: tp.topic, partition: tp.partition, offset });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.events.push('consumer.close');
  }
}

/** A batch of messages at consecutive offsets from `firstOffset`. */
export function batch(topic: string, partition: number, firstOffset: number, values: Array<Buffer | null>, keys?: Array<Buffer | null>): IncomingBatch {
  return {
    topic,
    partition,
    messages: values.map((value, i) => ({
      offset: String(firstOffset + i),
      key: keys ? keys[i] : null,
      value,
      timestamp: String(1700000000000 + i),
      headers: [],
    })),
  };
}

/** A SinkTask that logs every call into a shared event list and keeps what put() received. */
export class RecordingSinkTask implements SinkTask {
  readonly batches: Array<readonly SinkRecord[]> = [];
  readonly flushed: PartitionOffsets[] = [];
  context: SinkTaskContext | null = null;
  /** Errors the next put() calls throw, one per call. */
  readonly putFailures: unknown[] = [];
  /** When set, flush() waits for this. */
  flushGate: Promise<void> | null = null;

  constructor(readonly events: string[] = []) {}

  version(): string {
    return 'test';
  }
  initialize(context: SinkTaskContext): void {
    this.context = context;
  }
  start(): void {
    this.events.push('start');
  }
  open(partitions: readonly TopicPartition[]): void {
    this.events.push(`open ${partitions.map((p) => `${p.topic}-${p.partition}`).join(',')}`);
  }
  put(records: readonly SinkRecord[]): void {
    this.events.push('put');
    this.batches.push(records);
    if (this.putFailures.length) throw this.putFailures.shift();
  }
  async flush(offsets: PartitionOffsets): Promise<void> {
    this.events.push('flush');
    this.flushed.push(new Map(offsets));
    if (this.flushGate) await this.flushGate;
  }
  close(partitions: readonly TopicPartition[]): void {
    this.events.push(`close ${partitions.map((p) => `${p.topic}-${p.partition}`).join(',')}`);
  }
  stop(): void {
    this.events.push('stop');
  }
}

/** A connector plugin whose connectors declare `configDef` and whose tasks are the fakes above. */
export function fakeConnectorPlugin(className: string, aliases: string[], kind: 'source' | 'sink', configDef = new ConfigDef()): ConnectorPlugin {
  const base = {
    version: () => 'test',
    config: () => configDef,
    initialize: () => undefined,
    start: () => undefined,
    taskConfigs: () => [{}],
    stop: () => undefined,
  };
  const create = (): AnyConnector =>
    kind === 'source' ? { ...base, kind, createTask: () => new ScriptedSourceTask() } : { ...base, kind, createTask: () => new RecordingSinkTask() };
  return { className, aliases, kind, create };
}

/** An ErrorReporter that keeps every context it is given; report() can be made to fail. */
export class RecordingReporter implements ErrorReporter {
  readonly reports: ErrorContext[] = [];
  closed = false;
  /** Errors the next report() calls reject with, one per call. */
  readonly failures: unknown[] = [];

  async report(context: ErrorContext): Promise<void> {
    this.reports.push(context);
    if (this.failures.length) throw this.failures.shift();
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

/**
 * A clock for the error handler: now() is a number the test moves; sleep() advances it by the
 * requested time at once (recording each wait), unless the signal already aborted.
 */
export class FakeTime implements OperatorTime {
  current = 1_000_000;
  readonly sleeps: number[] = [];
  randomValue = 0.5;
  /** Called on each sleep, after the clock moved (e.g. to stop the operator mid-way). */
  onSleep: ((ms: number) => void) | null = null;

  now(): number {
    return this.current;
  }
  async sleep(ms: number, signal: AbortSignal): Promise<void> {
    this.sleeps.push(ms);
    if (signal.aborted) return;
    this.current += ms;
    this.onSleep?.(ms);
  }
  random(): number {
    return this.randomValue;
  }
}

/** An operator for a task under test: defaults are Kafka's (tolerance none, no retries). */
export function testOperator(config: Partial<ErrorHandlingConfig> = {}, reporters: ErrorReporter[] = [], time?: OperatorTime, id = { connector: 'test', task: 0 }): RetryWithToleranceOperator {
  return new RetryWithToleranceOperator({ id, config: { ...DEFAULT_ERROR_HANDLING, ...config }, reporters, time });
}

/**
 * A string converter (both directions) that refuses chosen values: 'bad' always fails with a
 * DataError; 'flaky' fails with a RetriableError while `retriableFailures` is above zero (counting down).
 */
export class PickyConverter implements Converter, HeaderConverter {
  retriableFailures = 0;
  calls = 0;

  configure(): void {}

  fromConnectData(topic: string, _headers: readonly Header[], _schema: Schema | null, value: unknown): Buffer | null {
    this.check(topic, value === null ? null : String(value));
    return value === null ? null : Buffer.from(String(value), 'utf8');
  }

  toConnectData(topic: string, _headers: readonly Header[], value: Buffer | null): SchemaAndValue {
    const text = value === null ? null : value.toString('utf8');
    this.check(topic, text);
    return { schema: Schema.OPTIONAL_STRING_SCHEMA, value: text };
  }

  fromConnectHeader(topic: string, _key: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.fromConnectData(topic, [], schema, value);
  }

  toConnectHeader(topic: string, _key: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, [], value);
  }

  private check(topic: string, text: string | null): void {
    this.calls++;
    if (text === 'bad') throw new DataError(`PickyConverter refuses 'bad' for topic ${topic}`);
    if (text === 'flaky' && this.retriableFailures > 0) {
      this.retriableFailures--;
      throw new RetriableError('PickyConverter is busy');
    }
  }
}
