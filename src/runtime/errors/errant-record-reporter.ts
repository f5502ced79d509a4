import {
  asConnectError,
  ConnectError,
  Converter,
  ErrantRecordReporter,
  HeaderConverter,
  SinkRecord,
  TopicPartition,
  topicPartitionKey,
} from '../../api';
import { ConsumedRecordInfo, Stage } from './error-context';

/** What Kafka writes as the executing class of errant-record reports: the SinkTask interface. */
export const SINK_TASK_CLASS = 'org.apache.kafka.connect.sink.SinkTask';

/** One failure handed to the task's error handling (Kafka's RetryWithToleranceOperator.executeFailed). */
export interface ErrantFailure {
  readonly stage: Stage;
  readonly executingClass: string;
  readonly consumedRecord: ConsumedRecordInfo;
  readonly error: Error;
}

export interface WorkerErrantRecordReporterOptions {
  /**
   * The original bytes of a record given to put(); for a record the task built or changed itself,
   * its re-converted form (see reconvertedRecord). May throw (e.g. the record cannot be converted).
   */
  originalRecord(record: SinkRecord): ConsumedRecordInfo;
  /**
   * Runs the task's error handling for one failure: reports it (log, dead letter queue) and
   * resolves once reported, or rejects when reporting failed or the tolerance is exceeded.
   */
  executeFailed(failure: ErrantFailure): Promise<void>;
  /** Written to __connect.errors.class.name; Kafka uses SINK_TASK_CLASS. */
  executingClass?: string;
}

/**
 * The runtime side of ErrantRecordReporter (Kafka's WorkerErrantRecordReporter). Reports are tracked
 * per partition until the sink task loop calls awaitFutures() before preCommit/flush and committing
 * offsets for those partitions, or cancelFutures() when the partitions are revoked.
 */
export class WorkerErrantRecordReporter implements ErrantRecordReporter {
  private readonly pending = new Map<string, Set<Promise<Error | null>>>();
  private readonly executingClass: string;
  /** The first report that failed, kept until the task fails on it. */
  private asyncError: Error | null = null;
  /** Reports of revoked partitions: their outcome no longer concerns this task. */
  private readonly cancelled = new WeakSet<Promise<Error | null>>();

  constructor(private readonly o: WorkerErrantRecordReporterOptions) {
    this.executingClass = o.executingClass ?? SINK_TASK_CLASS;
  }

  report(record: SinkRecord, error: Error): Promise<void> {
    const cause = error instanceof Error ? error : asConnectError(error);
    let done: Promise<void>;
    let key: string;
    try {
      const consumedRecord = this.o.originalRecord(record);
      key = topicPartitionKey({ topic: consumedRecord.topic, partition: consumedRecord.partition });
      done = this.o.executeFailed({ stage: Stage.TASK_PUT, executingClass: this.executingClass, consumedRecord, error: cause });
    } catch (err) {
      return Promise.reject(asConnectError(err));
    }
    let set = this.pending.get(key);
    if (!set) this.pending.set(key, (set = new Set()));
    const tracked = set;
    // A success needs no further attention; a failure is kept for awaitFutures() to raise. This
    // handler also keeps a report the task never awaits from being an unhandled rejection.
    const outcome: Promise<Error | null> = done.then(
      () => {
        tracked.delete(outcome);
        return null;
      },
      (err: unknown) => {
        const failure = asConnectError(err);
        if (!this.cancelled.has(outcome)) this.asyncError ??= failure;
        return failure;
      },
    );
    tracked.add(outcome);
    return done;
  }

  /** Reports not yet settled or failed and not yet awaited, over all partitions. */
  get pendingCount(): number {
    let n = 0;
    for (const set of this.pending.values()) n += set.size;
    return n;
  }

  /**
   * Waits for every report of these partitions (all partitions when omitted) and forgets them.
   * Throws a ConnectError (the task must fail) if any of them could not be reported.
   */
  async awaitFutures(partitions?: readonly TopicPartition[]): Promise<void> {
    const outcomes = await Promise.all(this.take(partitions));
    const failure = outcomes.find((e): e is Error => e !== null);
    if (failure) {
      const failed = outcomes.filter((e) => e !== null).length;
      throw new ConnectError(`Failed to report ${failed} errant record(s) of the sink task: ${failure.message}`, { cause: failure });
    }
  }

  /**
   * Throws (the task must fail) if a report has already failed, whether or not it was awaited: the
   * runtime calls this after each put() so that a record that could not be reported never has its
   * offset committed (Kafka's maybeThrowAsyncError).
   */
  maybeThrowAsyncError(): void {
    const failure = this.asyncError;
    if (failure) throw new ConnectError(`Failed to report an errant record of the sink task: ${failure.message}`, { cause: failure });
  }

  /** Forgets the reports of revoked partitions; they finish on their own but no longer hold up a commit. */
  cancelFutures(partitions: readonly TopicPartition[]): void {
    for (const outcome of this.take(partitions)) this.cancelled.add(outcome);
  }

  private take(partitions?: readonly TopicPartition[]): Array<Promise<Error | null>> {
    const keys = partitions ? partitions.map(topicPartitionKey) : [...this.pending.keys()];
    const out: Array<Promise<Error | null>> = [];
    for (const key of keys) {
      const set = this.pending.get(key);
      if (!set) continue;
      this.pending.delete(key);
      out.push(...set);
    }
    return out;
  }
}

/**
 * The bytes of a record the task built or changed itself, converted back with the task's converters,
 * as Kafka does when a reported record is not one the runtime handed to put().
 */
export function reconvertedRecord(
  record: SinkRecord,
  converters: { key: Converter; value: Converter; header: HeaderConverter },
): ConsumedRecordInfo {
  const { topic } = record;
  return {
    topic,
    partition: record.kafkaPartition,
    offset: record.kafkaOffset,
    timestamp: record.timestamp ?? -1,
    key: converters.key.fromConnectData(topic, record.headers, record.keySchema, record.key),
    value: converters.value.fromConnectData(topic, record.headers, record.valueSchema, record.value),
    headers: record.headers.map((h) => [h.key, converters.header.fromConnectHeader(topic, h.key, h.schema, h.value)] as const),
  };
}
