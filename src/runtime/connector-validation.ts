import { AbstractConfig, ConfigError, ConnectorPlugin } from '../api';
import { connectorConfigDef, sinkConnectorConfigDef, validateSinkTopics } from './connector-config';
import { newTaskConverter, newTaskHeaderConverter } from './converters';
import { DeadLetterQueueConfig, deadLetterQueueConfig } from './errors/dlq-config';
import { ErrorHandlingConfig, errorHandlingConfig } from './errors/error-handling-config';
import { validateClientOverrides } from './client-overrides';
import { PluginRegistry } from './plugins';
import { parseTransformsConfig, TransformsConfig } from './transformation-config';
import { WorkerConfig } from './worker-config';
import { assertJaasConfigsAllowed } from './jaas-login-modules';

/** A connector config that passed validation, ready to start. */
export interface ValidatedConnector {
  readonly name: string;
  readonly plugin: ConnectorPlugin;
  readonly config: AbstractConfig;
  readonly props: Record<string, string>;
  readonly subscription: { topics: string[]; regex: RegExp | null } | null;
  /** errors.* settings, parsed once here for every task of the connector. */
  readonly errorHandling: ErrorHandlingConfig;
  /** errors.deadletterqueue.* settings of a sink; null for a source. */
  readonly deadLetterQueue: DeadLetterQueueConfig | null;
  /** transforms and predicates, parsed and validated once here; each task builds its chain from it. */
  readonly transforms: TransformsConfig;
  /** Keys nothing here knows, in the order given; the CLI warns about each, as Kafka does. */
  readonly unknownKeys: readonly string[];
  /** Where it came from, for messages (a file path). */
  readonly origin: string;
}

/**
 * Validates one connector's config the way Kafka's herder does before creating it: runtime keys,
 * the connector class, the connector's own ConfigDef, sink topics, that its key, value and header
 * converters load and accept their settings, and its transforms and predicates. Keys that no part
 * knows are collected in unknownKeys.
 */
export function validateConnector(props: Record<string, string>, origin: string, worker: WorkerConfig, plugins: PluginRegistry): ValidatedConnector {
  assertJaasConfigsAllowed(props, origin);
  const base = connectorConfigDef.parse(props, 'ConnectorConfig');
  const plugin = plugins.connectorPlugin(base.getClass('connector.class') as string);
  const own = plugin.create().config();
  const runtimeDef = plugin.kind === 'sink' ? sinkConnectorConfigDef : connectorConfigDef;
  const config = runtimeDef.merge(own).parse(props, plugin.kind === 'sink' ? 'SinkConnectorConfig' : 'SourceConnectorConfig');
  const subscription = plugin.kind === 'sink' ? validateSinkTopics(config) : null;
  newTaskConverter('key', config, worker, plugins);
  newTaskConverter('value', config, worker, plugins);
  newTaskHeaderConverter(config, worker, plugins);
  const errorHandling = errorHandlingConfig(config);
  const deadLetterQueue = plugin.kind === 'sink' ? deadLetterQueueConfig(config) : null;
  validateClientOverrides(plugin.kind, config, worker);
  const transforms = parseTransformsConfig(props, config.getList('transforms'), config.getList('predicates'), plugins);
  const unknownKeys = unknownConnectorKeys(props, config, transforms);
  return { name: config.getString('name') as string, plugin, config, props, subscription, errorHandling, deadLetterQueue, transforms, unknownKeys, origin };
}

/** Connector names must be unique within one worker. */
export function checkUniqueNames(connectors: readonly ValidatedConnector[]): void {
  const seen = new Map<string, string>();
  for (const c of connectors) {
    const first = seen.get(c.name);
    if (first) throw new ConfigError(`Connector name "${c.name}" is used by both ${first} and ${c.origin}; connector names must be unique.`);
    seen.set(c.name, c.origin);
  }
}

/** Prefixes whose keys belong to a converter or a client override of the connector. */
const KNOWN_PREFIXES = ['key.converter.', 'value.converter.', 'header.converter.', 'producer.override.', 'consumer.override.', 'admin.override.'];

function unknownConnectorKeys(props: Record<string, string>, config: AbstractConfig, transforms: TransformsConfig): string[] {
  const defined = new Set(config.definition.names());
  const unknownTransformKeys = new Set(transforms.unknownKeys);
  return Object.keys(props).filter((key) => {
    if (key.startsWith('transforms.') || key.startsWith('predicates.')) return unknownTransformKeys.has(key);
    return !defined.has(key) && !KNOWN_PREFIXES.some((p) => key.startsWith(p));
  });
}
