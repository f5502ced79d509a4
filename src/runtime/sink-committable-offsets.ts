import { PartitionOffsets, TopicPartition, topicPartitionKey } from '../api';

/** A partition's next offset to read. */
export interface PartitionPosition {
  readonly tp: TopicPartition;
  readonly offset: bigint;
}

export interface CommittableOffsetsInput {
  /** What preCommit() was given: the consumed position of each partition being committed. */
  readonly requested: ReadonlyMap<string, PartitionPosition>;
  /** The last offsets committed (or the position at assignment), by partition key. */
  readonly lastCommitted: ReadonlyMap<string, bigint>;
  /** What preCommit() returned. */
  readonly provided: PartitionOffsets;
  readonly isAssigned: (key: string) => boolean;
  /** Told about each offset that is ignored, and why. */
  readonly ignored: (tp: TopicPartition, offset: bigint, why: string, warn: boolean) => void;
}

/**
 * The offsets to commit from what preCommit() returned, checked as Kafka's WorkerSinkTask does: an
 * offset for a partition the task does not own, or beyond what was consumed, is ignored (with a
 * warning); one for an owned partition not being committed now is ignored quietly. Unlike Kafka, an
 * offset below the last committed one is ignored too, so a commit never moves a group offset
 * backwards. Only partitions whose offset changes are returned.
 */
export function committableOffsets(input: CommittableOffsetsInput): PartitionPosition[] {
  const out: PartitionPosition[] = [];
  for (const { tp, offset: { offset } } of input.provided.values()) {
    const key = topicPartitionKey(tp);
    const requested = input.requested.get(key);
    if (!input.isAssigned(key)) {
      input.ignored(tp, offset, 'partition not assigned', true);
    } else if (!requested) {
      input.ignored(tp, offset, 'partition not being committed now', false);
    } else if (offset > requested.offset) {
      input.ignored(tp, offset, `not yet consumed (consumed up to ${requested.offset})`, true);
    } else {
      const last = input.lastCommitted.get(key);
      if (last !== undefined && offset < last) input.ignored(tp, offset, `below the last committed offset ${last}`, true);
      else if (offset !== last) out.push({ tp: requested.tp, offset });
    }
  }
  return out;
}
