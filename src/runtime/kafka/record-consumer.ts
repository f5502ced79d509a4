import { TopicPartition } from '../../api';

/** One record as fetched. */
export interface IncomingMessage {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  /** In the record's order; a record without headers may share one empty (frozen) array with others. */
  headers: Array<[string, Buffer | null]>;
}

/** One batch of one partition as fetched: consecutive records in offset order. */
export interface IncomingBatch {
  topic: string;
  partition: number;
  messages: IncomingMessage[];
  /** The partition's high watermark when the batch was fetched, as the broker sent it (for sink-record-lag-max); absent if unknown. */
  highWatermark?: string;
}

/** What a batch handler gets besides the batch. */
export interface BatchControl {
  /**
   * Aborted when the consumer must give this batch up: the group started a rebalance or this member
   * was expelled. The handler should return false soon (the partitions are about to be revoked or
   * are lost already); while it has not returned, the consumer keeps the membership alive.
   */
  readonly signal: AbortSignal;
}

/**
 * What the consumer tells its owner (Kafka's ConsumerRebalanceListener plus the records). Calls never
 * overlap: each one is awaited before the next is made, in the order the group produced them.
 * Handlers must not reject; a failure of the owner is the owner's to record.
 */
export interface ConsumerListener {
  /**
   * Handles a batch; resolves true once it counts as consumed (the consumer moves its position past
   * it), false when it was abandoned or the owner rewound the partition (the position stays, so the
   * records are fetched again). The consumer keeps the group membership alive while this runs, however
   * long it takes.
   */
  onBatch(batch: IncomingBatch, control: BatchControl): Promise<boolean>;
  /**
   * These partitions are now this member's. Fetching resumes at the group's committed offsets (or
   * the reset policy when there are none).
   */
  onPartitionsAssigned(partitions: readonly TopicPartition[]): Promise<void>;
  /**
   * These partitions are about to be taken away (a rebalance started): the owner may still commit
   * them until this resolves. A commit that the group refuses meanwhile resolves false.
   */
  onPartitionsRevoked(partitions: readonly TopicPartition[]): Promise<void>;
  /**
   * These partitions were taken away already (the member left the group or its client restarted):
   * their offsets can no longer be committed by this member.
   */
  onPartitionsLost(partitions: readonly TopicPartition[]): Promise<void>;
  /** The consumer stopped for good because of this error. */
  onCrash(err: Error): void;
}

export interface OffsetToCommit {
  topic: string;
  partition: number;
  /** The next offset to read (last processed + 1). */
  offset: bigint;
}

/**
 * The consumer a sink task uses, in group `connect-<connector>`, in Kafka Connect's terms. The Kafka
 * client's own rules (heartbeats, when commits are possible) stay behind this interface.
 */
export interface RecordConsumer {
  readonly maxPollRecords: number;
  /**
   * Connects, subscribes and starts consuming; resolves once started. When it rejects, nothing is
   * left connected.
   */
  start(subscription: { topics: string[]; regex: RegExp | null }, listener: ConsumerListener): Promise<void>;
  /**
   * Commits these offsets for this member's current partitions. Resolves true once the group stored
   * them; false when the commit did not happen because this member cannot commit now (a rebalance is
   * in progress or finished, the member was expelled, or the consumer is not running): nothing was
   * stored and the records since the last commit will be delivered again. Rejects on other failures.
   */
  commit(offsets: readonly OffsetToCommit[]): Promise<boolean>;
  /** Stops fetching these partitions while staying in the group. No-op for unassigned partitions. */
  pause(partitions: readonly TopicPartition[]): void;
  resume(partitions: readonly TopicPartition[]): void;
  /**
   * The next fetch of this partition starts at `offset`; records of it fetched before and not yet
   * handed over are dropped.
   */
  seek(partition: TopicPartition, offset: bigint): void;
  /** Stops fetching, leaves the group and disconnects; resolves after the batch in progress (if any) ended. */
  close(): Promise<void>;
}
