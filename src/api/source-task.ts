import { Logger } from './logger';
import { OffsetMap, SourceRecord } from './records';

/** Reads offsets this connector committed earlier (Kafka's OffsetStorageReader). */
export interface OffsetStorageReader {
  /** The last committed offset for this source partition, or null if none. */
  offset(partition: OffsetMap): OffsetMap | null;
  offsets(partitions: readonly OffsetMap[]): Map<OffsetMap, OffsetMap | null>;
}

export interface SourceTaskContext {
  readonly connectorName: string;
  readonly taskId: number;
  readonly logger: Logger;
  readonly offsetStorageReader: OffsetStorageReader;
}

/**
 * Reads from a source system and returns records (Kafka's SourceTask). The runtime calls, on one
 * async loop: initialize(context), start(props), then poll() repeatedly until it stops the task, then
 * stop(). stop() may be called while a poll() is pending: the task must then make poll() return
 * promptly (null is fine). commitRecord() is called for each record after Kafka acknowledged it, in
 * order; commit() after its offsets were flushed to the offset store.
 */
export interface SourceTask {
  version(): string;
  initialize(context: SourceTaskContext): void;
  start(props: Record<string, string>): void | Promise<void>;
  /**
   * The next batch of records, or null if none is available yet. It may wait for data for a while
   * (a second or so), but must not busy-loop: return null rather than spin. Throw RetriableError for
   * transient failures, anything else to fail the task.
   */
  poll(): Promise<SourceRecord[] | null>;
  /** Called once the offsets of acknowledged records were written to the offset store. */
  commit?(): Promise<void> | void;
  /** Called when Kafka acknowledged this record. `metadata` is null if the record was dropped. */
  commitRecord?(record: SourceRecord, metadata: RecordMetadata | null): Promise<void> | void;
  /**
   * Optional. True when the last poll() found nothing new in the source: everything the source held
   * when the task looked has been returned by earlier polls (a table with no new rows, a file read
   * to its end). More may come later (it is "the end for now"). One-shot runs (`--once`) end a task
   * once it is caught up and every record it returned was acknowledged by Kafka and its offsets were
   * flushed; a task without this method is never considered caught up, so `--once` waits for it
   * until `--once-timeout` or a signal. Must be cheap and must not block: called after every poll().
   */
  caughtUp?(): boolean;
  /**
   * Optional. True when the source's input has ended for good: no later poll() will ever return a
   * record (stdin at end of input, a finite stream closed by its writer). Checked after every
   * poll(), before caughtUp(). Once it returns true (it must then stay true), the runtime polls no
   * more: it sends the records that last poll() returned, waits for Kafka to acknowledge them,
   * flushes their offsets and calls commit(), then calls stop() and ends the task as finished: its
   * state is STOPPED and its status says it ended (not FAILED). In a normal run the worker exits
   * with code 0 once every task of every connector has ended this way; in a `--once` run an ended
   * task counts as caught up. Must be cheap and must not block.
   */
  ended?(): boolean;
  /**
   * Optional. How far the task is through its input, for the progress display (`--progress`,
   * `--once` on a terminal): `done` units of `total` (null when the total is not known, e.g. a pipe
   * or a table whose size is not counted). Null when the task cannot say right now. Called about
   * once a second, outside poll() (it may be called while a poll() is pending): must be cheap,
   * synchronous and must not throw. `done` should count what poll() has returned, not what was
   * merely read ahead.
   */
  progress?(): SourceTaskProgress | null;
  /** Stop: release resources and wake any pending poll(). Called once, possibly during a poll(). */
  stop(): void | Promise<void>;
}

/** A source task's position in its input, as `SourceTask.progress()` reports it. */
export interface SourceTaskProgress {
  /** Units returned so far (bytes read up to the last line returned, rows returned, ...). */
  readonly done: number;
  /** Units in the input as far as known now (a file's current size), or null when unknown. */
  readonly total: number | null;
  readonly unit: 'bytes' | 'rows' | 'records';
}

/** Where Kafka stored a record. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint | null;
}
