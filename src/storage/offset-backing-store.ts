import { OffsetMap } from '../api';

/** One stored source offset: which connector, which source partition, and the offset (null deletes). */
export interface OffsetEntry {
  readonly connector: string;
  readonly partition: OffsetMap;
  readonly offset: OffsetMap | null;
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
}
