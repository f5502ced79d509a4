import { OffsetMap } from '../api';

/** One stored source offset: which connector, which source partition, and the offset (null deletes). */
export interface OffsetEntry {
  readonly connector: string;
  readonly partition: OffsetMap;
  readonly offset: OffsetMap | null;
}

/** An offset read from Apache Kafka's own offsets file, as Kafka's runtime stored it. */
export interface ImportedOffset {
  readonly partition: OffsetMap;
  readonly offset: OffsetMap;
}

/**
 * Where source offsets live between runs (Kafka's OffsetBackingStore). Keys have Kafka Connect's
 * logical shape `[<connector>, {<source partition>}]`, values `{<source offset>}`.
 * start() loads existing state and fails with a ConnectError if it is unreadable; it never resets it.
 * set() resolves only once the entries are durable.
 */
export interface OffsetBackingStore {
  start(): Promise<void>;
  get(connector: string, partition: OffsetMap): OffsetMap | null;
  set(entries: readonly OffsetEntry[]): Promise<void>;
  stop(): Promise<void>;
  /**
   * The connector's offsets imported from Apache Kafka's offsets file and not yet replaced by set().
   * Optional: stores that never import return nothing.
   */
  importedFromKafka?(connector: string): ImportedOffset[];
}
