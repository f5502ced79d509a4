import { ConfigDef } from './config-def';
import { Logger } from './logger';
import type { OffsetMap } from './records';
import type { SinkTask } from './sink-task';
import type { SourceTask } from './source-task';

/** What the runtime offers a connector instance (Kafka's ConnectorContext). */
export interface ConnectorContext {
  /** The connector's name, from the `name` key. */
  readonly connectorName: string;
  readonly logger: Logger;
  /** Ask the runtime to call taskConfigs() again and restart the tasks with the new configs. */
  requestTaskReconfiguration(): void;
  /** Fail the connector: it stops and its error is reported; other connectors keep running. */
  raiseError(err: Error): void;
}

/**
 * A connector: the configuration-level object that splits the job into task configs (Kafka's
 * Connector). Runtime call order: config() at any time (also before start, to validate), then
 * initialize(context), start(props), taskConfigs(maxTasks) one or more times, stop() once.
 * None of these should block for long; the data path lives in the tasks.
 */
export interface Connector {
  /** The connector's version, shown in logs. */
  version(): string;
  /** The keys this connector accepts, declared once. The runtime validates props against it first. */
  config(): ConfigDef;
  initialize(context: ConnectorContext): void;
  /** Called with every key of the connector file (runtime keys included), already validated. */
  start(props: Record<string, string>): void | Promise<void>;
  /** At most maxTasks configs; each starts one task. */
  taskConfigs(maxTasks: number): Record<string, string>[];
  stop(): void | Promise<void>;
}

export interface SourceConnector extends Connector {
  readonly kind: 'source';
  /** A new, unstarted task instance of this connector's task class. */
  createTask(): SourceTask;
  /**
   * Optional. Converts one source offset imported from Apache Kafka's connect-standalone offsets
   * file (an `offset.storage.file.filename` written by Kafka's FileOffsetBackingStore) into what this
   * connector's tasks expect, for connectors whose offsets mean something else here than in Kafka
   * (FileStreamSource: Kafka counts characters, this runtime bytes).
   *
   * Called once per offset imported from Apache Kafka's offsets file under this connector's name,
   * after start() and before taskConfigs(), so before the tasks start. The result replaces the
   * imported offset in the offset store, so the hook is never called again for that offset; null
   * drops it (the tasks then find no offset for that partition). Never called for offsets this
   * runtime wrote. May be async. If it throws, the connector fails to start and the imported offsets
   * stay as they are, to be converted at the next start.
   *
   * Without this hook, imported offsets are used exactly as Kafka stored them.
   */
  convertKafkaOffset?(partition: OffsetMap, offset: OffsetMap): OffsetMap | null | Promise<OffsetMap | null>;
  /**
   * Optional (Kafka's SourceConnector.alterOffsets, KIP-875). Called on a new, unstarted instance
   * when a user alters (PATCH .../offsets, `offsets import`) or resets (DELETE .../offsets) the
   * connector's offsets while it is STOPPED, before anything is written. `offsets` holds each source
   * partition with its requested offset, null for a reset; it may be empty (a reset with nothing
   * stored). Validate them here (throw a ConnectError naming what is wrong: nothing is written) or
   * propagate them to a system that keeps offsets outside the runtime. Must be idempotent: a failed
   * write may be retried with the same offsets.
   *
   * Resolve true when the connector handled the request (the success message then says the offsets
   * were altered); without this hook the runtime writes the offsets anyway and its message warns that
   * offsets kept outside the runtime must be changed by hand.
   */
  alterOffsets?(connectorConfig: Record<string, string>, offsets: ReadonlyArray<{ partition: OffsetMap; offset: OffsetMap | null }>): boolean | Promise<boolean>;
}

export interface SinkConnector extends Connector {
  readonly kind: 'sink';
  createTask(): SinkTask;
  /**
   * Optional (Kafka's SinkConnector.alterOffsets, KIP-875): as SourceConnector.alterOffsets, for the
   * consumer group offsets of the connector's topic partitions (offset null: reset). Called before
   * the runtime changes the group's committed offsets.
   */
  alterOffsets?(connectorConfig: Record<string, string>, offsets: ReadonlyArray<{ topic: string; partition: number; offset: bigint | null }>): boolean | Promise<boolean>;
}

export type AnyConnector = SourceConnector | SinkConnector;

/** A factory the plugin registry knows by a Java class name and aliases. */
export interface ConnectorPlugin {
  /** Fully qualified Java class name, e.g. org.apache.kafka.connect.file.FileStreamSourceConnector. */
  readonly className: string;
  /** Short names also accepted in connector.class, e.g. FileStreamSource, FileStreamSourceConnector. */
  readonly aliases: readonly string[];
  readonly kind: 'source' | 'sink';
  create(): AnyConnector;
}
