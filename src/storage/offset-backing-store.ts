import { OffsetMap } from '../api';

/** One stored source offset: which connector, which source partition, and the offset (null deletes). */
export interface OffsetEntry {
  readonly connector: string;
  readonly partition: OffsetMap;
  readonly offset: OffsetMap | null;
  /**
   * The offset has Apache Kafka Connect's meaning, not this runtime's (e.g. imported with
   * `connect-standalone offsets import --from-kafka`): it is kept marked as imported from Kafka until
   * the connector converts it (SourceConnector.convertKafkaOffset), as offsets read from Kafka's own
   * offsets file are.
   */
  readonly importedFromKafka?: true;
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
  /**
   * Every source partition stored for the connector (Kafka's OffsetBackingStore.connectorPartitions),
   * in the order first stored. Optional: KIP-875 offsets (GET, alter, reset, export) need it.
   */
  connectorPartitions?(connector: string): OffsetMap[];
  /** The names of the connectors with stored offsets, in the order first stored. Optional, as above. */
  connectorNames?(): string[];
}
