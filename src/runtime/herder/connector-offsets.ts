import { ConnectError, OffsetMap, SinkConnector, SourceConnector } from '../../api';
import { OffsetBackingStore, OffsetEntry } from '../../storage/offset-backing-store';
import { connectorClientOverrides } from '../client-overrides';
import { ValidatedConnector } from '../connector-validation';
import { GroupNotEmptyError, GroupOffsetsClient } from '../kafka/group-offsets';
import { KafkaClientFactory } from '../kafka/kafka-client-factory';
import { RuntimeLogger } from '../runtime-logger';
import { WorkerConfig } from '../worker-config';
import { KAFKA_OFFSET_KEY, KAFKA_PARTITION_KEY, KAFKA_TOPIC_KEY, parseConnectorOffsetsBody, parseSinkOffsets, parseSourceOffsets } from './connector-offsets-body';
import { ConnectorOffsets } from './herder';
import { BadRequestError } from './herder-errors';

export interface ConnectorOffsetsDeps {
  offsetStore: OffsetBackingStore;
  clients: KafkaClientFactory;
  config: WorkerConfig;
  logger: RuntimeLogger;
}

/** Options of alter() beyond Kafka's PATCH. */
export interface AlterOptions {
  /** Source offsets in Apache Kafka Connect's meaning: stored marked as imported from Kafka (see OffsetEntry.importedFromKafka). */
  fromKafka?: boolean;
}

/**
 * KIP-875 offsets of one connector: a source's from the offset store, a sink's from its consumer
 * group `connect-<name>`. The herder checks the connector is STOPPED before alter and reset.
 */
export class ConnectorOffsetsManager {
  constructor(private readonly deps: ConnectorOffsetsDeps) {}

  async get(spec: ValidatedConnector): Promise<ConnectorOffsets> {
    if (spec.plugin.kind === 'source') {
      const store = this.deps.offsetStore;
      const partitions = this.partitions(spec.name);
      return { offsets: partitions.map((partition) => ({ partition: { ...partition }, offset: { ...(store.get(spec.name, partition) as OffsetMap) } })) };
    }
    const group = this.group(spec);
    let committed;
    try {
      committed = await group.fetch(spec.subscription ?? { topics: [], regex: null });
    } catch (err) {
      throw new ConnectError(`Failed to retrieve consumer group offsets for sink connector ${spec.name}: ${(err as Error).message}`, { cause: err });
    }
    return {
      offsets: committed.map(({ topic, partition, offset }) => ({
        partition: { [KAFKA_TOPIC_KEY]: topic, [KAFKA_PARTITION_KEY]: partition },
        offset: { [KAFKA_OFFSET_KEY]: toJsonNumber(offset) },
      })),
    };
  }

  /** Resolves Kafka's success message. @throws BadRequestError for a malformed body */
  async alter(spec: ValidatedConnector, offsets: ConnectorOffsets, options: AlterOptions = {}): Promise<string> {
    const body = parseConnectorOffsetsBody(offsets);
    if (spec.plugin.kind === 'source') {
      const changes = parseSourceOffsets(body);
      const handled = await this.askConnector(spec, changes);
      await this.writeSource(spec.name, changes, options.fromKafka === true);
      return successMessage(handled, false);
    }
    const changes = parseSinkOffsets(body);
    const handled = await this.askConnector(spec, changes);
    try {
      await this.group(spec).alter(changes);
    } catch (err) {
      throw this.sinkFailure(spec.name, 'alter', err);
    }
    return successMessage(handled, false);
  }

  /** Resolves Kafka's success message. */
  async reset(spec: ValidatedConnector): Promise<string> {
    if (spec.plugin.kind === 'source') {
      const changes = this.partitions(spec.name).map((partition) => ({ partition, offset: null }));
      const handled = await this.askConnector(spec, changes);
      if (changes.length === 0) {
        this.deps.logger.info(`No offsets found for source connector ${spec.name}: they were reset before, or the connector has not committed any yet`);
      } else {
        await this.writeSource(spec.name, changes, false);
      }
      return successMessage(handled, true);
    }
    const group = this.group(spec);
    const changes = (await this.get(spec)).offsets.map(({ partition }) => ({
      topic: partition[KAFKA_TOPIC_KEY] as string,
      partition: partition[KAFKA_PARTITION_KEY] as number,
      offset: null,
    }));
    const handled = await this.askConnector(spec, changes);
    try {
      await group.reset(spec.subscription ?? { topics: [], regex: null });
    } catch (err) {
      throw this.sinkFailure(spec.name, 'reset', err);
    }
    return successMessage(handled, true);
  }

  private partitions(connector: string): OffsetMap[] {
    const store = this.deps.offsetStore;
    if (store.connectorPartitions === undefined) throw new ConnectError('This offset store cannot list a connector\'s source partitions, which KIP-875 offsets need');
    return store.connectorPartitions(connector);
  }

  /** Written durably (the store's set() resolves once the file holds them) before the message. */
  private async writeSource(connector: string, changes: ReadonlyArray<{ partition: OffsetMap; offset: OffsetMap | null }>, fromKafka: boolean): Promise<void> {
    const entries: OffsetEntry[] = changes.map(({ partition, offset }) => ({ connector, partition, offset, ...(fromKafka && offset !== null && { importedFromKafka: true as const }) }));
    try {
      await this.deps.offsetStore.set(entries);
    } catch (err) {
      throw new ConnectError(`Failed to modify offsets for source connector ${connector}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** The connector's alterOffsets hook on a new, unstarted instance: its verdict, or false without one. */
  private async askConnector(spec: ValidatedConnector, changes: readonly unknown[]): Promise<boolean> {
    const connector = spec.plugin.create() as SourceConnector | SinkConnector;
    if (connector.alterOffsets === undefined) return false;
    try {
      // The two hooks differ only in the element type, which the connector's kind decides.
      return await (connector.alterOffsets as (config: Record<string, string>, offsets: readonly unknown[]) => boolean | Promise<boolean>)(spec.props, changes);
    } catch (err) {
      if (err instanceof ConnectError && !err.retriable) throw new BadRequestError(err.message, { cause: err });
      throw new ConnectError(`Failed to modify offsets for connector ${spec.name}: ${(err as Error).message}`, { cause: err });
    }
  }

  private group(spec: ValidatedConnector): GroupOffsetsClient {
    const clients = this.deps.clients;
    if (clients.groupOffsets === undefined) throw new ConnectError('This Kafka client factory cannot read or change consumer group offsets');
    const overrides = connectorClientOverrides('sink', spec.config);
    const clientId = this.deps.config.getString('client.id') || `connector-worker-adminclient-${spec.name}`;
    return clients.groupOffsets(`connect-${spec.name}`, clientId, overrides.consumer, overrides.admin);
  }

  private sinkFailure(name: string, what: 'alter' | 'reset', err: unknown): ConnectError {
    if (err instanceof GroupNotEmptyError) {
      // Kafka's words, and like Kafka a server error (500): the request itself was fine.
      return new ConnectError(
        `Failed to ${what} consumer group offsets for connector ${name} either because its tasks haven't stopped completely yet or the connector was resumed ` +
          `before the request to ${what} its offsets could be successfully completed. If the connector is in a stopped state, this operation can be safely retried. ` +
          "If it doesn't eventually succeed, the worker running the connector's tasks (another process in the same consumer group) may need to be stopped.",
        { cause: err },
      );
    }
    return new ConnectError(`Failed to ${what} consumer group offsets for sink connector ${name}: ${(err as Error).message}`, { cause: err });
  }
}

/** Kafka's Worker.completeModifyOffsetsCallback texts. */
export function successMessage(connectorHandled: boolean, reset: boolean): string {
  const done = reset ? 'reset' : 'altered';
  if (connectorHandled) return `The offsets for this connector have been ${done} successfully`;
  return (
    `The Connect framework-managed offsets for this connector have been ${done} successfully. ` +
    `However, if this connector manages offsets externally, they will need to be manually ${done} in the system that the connector uses.`
  );
}

function toJsonNumber(offset: bigint): number | string {
  return offset <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(offset) : offset.toString();
}
