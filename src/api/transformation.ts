import { ConfigDef } from './config-def';
import { ConnectRecord } from './records';

/**
 * A single message transform (Kafka's Transformation): changes, reroutes or drops one record at a
 * time. Configured by `transforms=<alias>,...` and `transforms.<alias>.type=<class>` in a connector
 * config; on sources it runs after poll() and before the converters, on sinks after the converters and
 * before put().
 *
 * Contract:
 * - The runtime creates one instance per task and calls configure() once, before any apply(), with
 *   the transform's own keys: those under `transforms.<alias>.` with the prefix removed, except
 *   `type`, `predicate` and `negate`. configure() throws a ConfigError for bad settings, naming the
 *   key as given (the runtime adds the `transforms.<alias>.` prefix).
 * - apply() is synchronous and must not block. It never mutates its input (records, structs, maps,
 *   arrays, headers): it returns the same record when nothing changes, a new record otherwise (build
 *   it with newRecord() so fields it does not know, such as a source offset or a Kafka offset, are
 *   kept), or null to drop the record. A dropped source record still has its offset committed.
 * - apply() throws (preferably a DataError naming what was wrong) when the record does not fit; the
 *   error goes through the connector's error handling at stage TRANSFORMATION.
 * - Work that depends only on a schema (derived schemas) is cached per input schema, not redone per
 *   record.
 * - close() is called once when the task stops.
 */
export interface Transformation {
  /** The keys configure() accepts; validation and the reference docs come from it. */
  config(): ConfigDef;
  configure(props: Record<string, string>): void;
  apply<R extends ConnectRecord>(record: R): R | null;
  close?(): void;
}

/**
 * A condition on a record (Kafka's Predicate), configured by `predicates=<alias>,...` and
 * `predicates.<alias>.type=<class>`, and used by `transforms.<t>.predicate=<alias>` (with
 * `transforms.<t>.negate=true` to invert it) to apply a transform only to some records. Same
 * configure()/close() contract as Transformation; test() is synchronous and never mutates the record.
 */
export interface Predicate {
  config(): ConfigDef;
  configure(props: Record<string, string>): void;
  test(record: ConnectRecord): boolean;
  close?(): void;
}

/** A transformation the plugin registry knows by Java class name and aliases. */
export interface TransformationPlugin {
  /** e.g. `org.apache.kafka.connect.transforms.InsertField$Value`. */
  readonly className: string;
  /** e.g. `InsertField$Value`. */
  readonly aliases: readonly string[];
  /** One line for the reference docs. */
  readonly doc?: string;
  create(): Transformation;
}

/** A predicate the plugin registry knows by Java class name and aliases. */
export interface PredicatePlugin {
  /** e.g. `org.apache.kafka.connect.transforms.predicates.TopicNameMatches`. */
  readonly className: string;
  readonly aliases: readonly string[];
  readonly doc?: string;
  create(): Predicate;
}

/** The fields a transform may change (Kafka's ConnectRecord.newRecord arguments). */
export type RecordChanges = Partial<Pick<ConnectRecord, 'topic' | 'kafkaPartition' | 'keySchema' | 'key' | 'valueSchema' | 'value' | 'timestamp' | 'headers'>>;

/**
 * A copy of the record with these fields changed; every other field (source partition and offset,
 * Kafka offset, timestamp type, ...) is kept, so one transform serves sources and sinks.
 */
export function newRecord<R extends ConnectRecord>(record: R, changes: RecordChanges): R {
  return { ...record, ...changes };
}
