import { ErrantRecordReporter } from './errant-record-reporter';
import { Logger } from './logger';
import { SinkRecord, TopicPartition } from './records';

/** A committed position: the offset of the next record to read (Kafka's OffsetAndMetadata). */
export interface OffsetAndMetadata {
  readonly offset: bigint;
}

/** Map key: `${topic}-${partition}`, see topicPartitionKey(). */
export type PartitionOffsets = Map<string, { tp: TopicPartition; offset: OffsetAndMetadata }>;

export function topicPartitionKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

export interface SinkTaskContext {
  readonly connectorName: string;
  readonly taskId: number;
  readonly logger: Logger;
  /** Partitions currently assigned to this task. */
  assignment(): readonly TopicPartition[];
  /** Ask the runtime to flush and commit offsets soon, outside the regular interval. */
  requestCommit(): void;
  /**
   * The reporter for records put() cannot write, or null when the connector has no dead letter
   * queue and no error logging. Optional: call it as `context.errantRecordReporter?.() ?? null`.
   */
  errantRecordReporter?(): ErrantRecordReporter | null;
}

/**
 * Writes records read from Kafka to a target system (Kafka's SinkTask). The runtime calls, on one
 * async loop: initialize(context), start(props), open(partitions) on assignment, put(records) with
 * each batch read, flush(offsets) every offset.flush.interval.ms and before close/stop,
 * close(partitions) on revocation, stop() once.
 *
 * Offsets given to flush()/preCommit() are the next offsets to read, per partition. The runtime
 * commits what preCommit() returns (default: flush() and then the given offsets) to Kafka under the
 * consumer group `connect-<connector name>`, so data must be durable in the target by then.
 */
export interface SinkTask {
  version(): string;
  initialize(context: SinkTaskContext): void;
  start(props: Record<string, string>): void | Promise<void>;
  open?(partitions: readonly TopicPartition[]): void | Promise<void>;
  /** Write or buffer these records. Throw RetriableError to have the batch retried later. */
  put(records: readonly SinkRecord[]): void | Promise<void>;
  /** Make everything put so far durable in the target. */
  flush?(offsets: PartitionOffsets): void | Promise<void>;
  /** Offsets safe to commit; default flushes and returns `offsets`. */
  preCommit?(offsets: PartitionOffsets): PartitionOffsets | Promise<PartitionOffsets>;
  close?(partitions: readonly TopicPartition[]): void | Promise<void>;
  stop(): void | Promise<void>;
}
