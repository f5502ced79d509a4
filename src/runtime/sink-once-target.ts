import { TopicPartition, topicPartitionKey } from '../api';

/** A partition of a sink's subscription as it stood when a --once run started. */
export interface BacklogPartition {
  readonly topic: string;
  readonly partition: number;
  /** Where the connector's group reads from: its committed offset, else where auto.offset.reset puts it. */
  readonly start: bigint;
  /** The partition's end offset (the next offset to be written) at start. */
  readonly end: bigint;
}

/**
 * What a sink connector must consume in a --once run: every partition up to the end offset it had
 * when the run started. Shared by the connector's tasks (each owns some of the partitions); done once
 * the group committed at least that offset for every partition. A partition with nothing to read at
 * start (empty, or consumed by an earlier run) is done at once.
 */
export class SinkOnceTarget {
  private readonly remaining = new Map<string, bigint>();
  private resolveDone!: () => void;
  readonly done: Promise<void> = new Promise((resolve) => (this.resolveDone = resolve));
  /** Records to consume, at most (fewer when retention or compaction removed some). */
  readonly backlogSize: number;

  constructor(backlog: readonly BacklogPartition[]) {
    let size = 0n;
    for (const p of backlog) {
      if (p.start >= p.end) continue;
      this.remaining.set(topicPartitionKey(p), p.end);
      size += p.end - p.start;
    }
    this.backlogSize = Number(size);
    if (this.remaining.size === 0) this.resolveDone();
  }

  get isDone(): boolean {
    return this.remaining.size === 0;
  }

  /** The end offset still to reach for this partition (key as topicPartitionKey), or undefined when none is. */
  endOffset(key: string): bigint | undefined {
    return this.remaining.get(key);
  }

  /** The group committed `offset` (the next to read) for this partition. */
  committed(tp: TopicPartition, offset: bigint): void {
    const key = topicPartitionKey(tp);
    const end = this.remaining.get(key);
    if (end === undefined || offset < end) return;
    this.remaining.delete(key);
    if (this.remaining.size === 0) this.resolveDone();
  }
}
