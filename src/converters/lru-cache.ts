/** A bounded map that forgets the least recently used entry first (Kafka's LRUCache). */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  /** The most recently used entry: asked for again (one schema per topic, the usual case), it needs no reordering. */
  private recent: { key: K; value: V } | null = null;

  /** A capacity of 0 or less caches nothing. */
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const recent = this.recent;
    if (recent !== null && recent.key === key) return recent.value;
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Map keeps insertion order, so re-inserting marks the entry as most recently used.
      this.entries.delete(key);
      this.entries.set(key, value);
      this.recent = { key, value };
    }
    return value;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    this.recent = { key, value };
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }
}
