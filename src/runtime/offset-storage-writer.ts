import { ConnectError, OffsetMap, OffsetStorageReader } from '../api';
import { OffsetBackingStore, OffsetEntry } from '../storage/offset-backing-store';

/**
 * Keys of frozen partition maps, computed once: a connector passes the same frozen partition with
 * every record of a source partition (FileStreamSource, JdbcSource), and sorting and serializing it
 * per record was a measurable part of the source path. Unfrozen maps may change between records, so
 * they are keyed afresh each time.
 */
const frozenKeys = new WeakMap<OffsetMap, string>();

/** Sorted-key JSON of a partition map, so {a,b} and {b,a} name the same source partition. */
export function partitionKey(partition: OffsetMap): string {
  if (!Object.isFrozen(partition)) return computePartitionKey(partition);
  let key = frozenKeys.get(partition);
  if (key === undefined) {
    key = computePartitionKey(partition);
    frozenKeys.set(partition, key);
  }
  return key;
}

function computePartitionKey(partition: OffsetMap): string {
  return JSON.stringify(Object.keys(partition).sort().map((k) => [k, partition[k]]));
}

/**
 * Collects the offsets of acknowledged records for one connector and writes them to the store on
 * flush (Kafka's OffsetStorageWriter). Only offsets recorded with offset() after Kafka acknowledged
 * the record ever reach the store.
 */
export class OffsetStorageWriter {
  private pending = new Map<string, { partition: OffsetMap; offset: OffsetMap }>();

  constructor(
    private readonly store: OffsetBackingStore,
    private readonly connector: string,
  ) {}

  offset(partition: OffsetMap, offset: OffsetMap): void {
    this.pending.set(partitionKey(partition), { partition, offset });
  }

  hasPending(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Writes pending offsets durably. Offsets recorded while the write is under way stay pending for
   * the next flush; if the write fails or times out, everything stays pending.
   */
  async flush(timeoutMs: number): Promise<number> {
    if (this.pending.size === 0) return 0;
    const snapshot = this.pending;
    this.pending = new Map();
    const entries: OffsetEntry[] = [...snapshot.values()].map(({ partition, offset }) => ({ connector: this.connector, partition, offset }));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.store.set(entries),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new ConnectError(`Offset flush timed out after ${timeoutMs} ms (offset.flush.timeout.ms)`, { retriable: true })),
            timeoutMs,
          );
        }),
      ]);
      return entries.length;
    } catch (err) {
      for (const [key, value] of snapshot) if (!this.pending.has(key)) this.pending.set(key, value);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Reads this connector's committed offsets from the store (Kafka's OffsetStorageReaderImpl). */
export class StoreOffsetReader implements OffsetStorageReader {
  constructor(
    private readonly store: OffsetBackingStore,
    private readonly connector: string,
  ) {}

  offset(partition: OffsetMap): OffsetMap | null {
    return this.store.get(this.connector, partition);
  }

  offsets(partitions: readonly OffsetMap[]): Map<OffsetMap, OffsetMap | null> {
    return new Map(partitions.map((p) => [p, this.offset(p)]));
  }
}
