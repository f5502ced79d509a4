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
   * to its end). One-shot runs end a task once it is caught up and its records were acknowledged; a
   * task without this method is never considered caught up. Must be cheap: called after every poll.
   */
  caughtUp?(): boolean;
  /** Stop: release resources and wake any pending poll(). Called once, possibly during a poll(). */
  stop(): void | Promise<void>;
}

/** Where Kafka stored a record. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint | null;
}
