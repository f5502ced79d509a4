import { AnyConverterPlugin, ConfigDef, ConfigKey, ConnectorPlugin, PredicatePlugin, TransformationPlugin } from '../../api';
import { connectorConfigDef, sinkConnectorConfigDef } from '../connector-config';
import { PluginRegistry } from '../plugins';
import { convertConfigKey } from './config-infos-convert';
import { ConfigKeyInfo, PluginInfo } from './herder';
import { NotFoundError } from './herder-errors';

interface Named {
  readonly className: string;
  readonly aliases: readonly string[];
}

function byClassName<T extends Named>(plugins: readonly T[]): T[] {
  return [...plugins].sort((a, b) => (a.className < b.className ? -1 : a.className > b.className ? 1 : 0));
}

function isConverter(plugin: AnyConverterPlugin): boolean {
  return typeof (plugin as { create?: unknown }).create === 'function';
}

function isHeaderConverter(plugin: AnyConverterPlugin): boolean {
  return typeof (plugin as { createHeaderConverter?: unknown }).createHeaderConverter === 'function';
}

/**
 * Kafka's ConnectorPluginsResource listing: sinks, sources, then (all plugins) transformations,
 * predicates, converters and header converters, each sorted by class name as Kafka's plugin sets are.
 * A class that is both a converter and a header converter is listed once as each. Only connectors
 * have a version here; Kafka leaves "version" out for a plugin whose version is undefined.
 */
export function connectorPluginInfos(plugins: PluginRegistry, connectorsOnly: boolean): PluginInfo[] {
  const connectors = byClassName(plugins.connectorPlugins());
  const connectorInfo = (p: ConnectorPlugin): PluginInfo => ({ class: p.className, type: p.kind, version: p.create().version() });
  const infos: PluginInfo[] = [
    ...connectors.filter((p) => p.kind === 'sink').map(connectorInfo),
    ...connectors.filter((p) => p.kind === 'source').map(connectorInfo),
  ];
  if (connectorsOnly) return infos;
  const converters = byClassName(plugins.converterPlugins());
  return [
    ...infos,
    ...byClassName(plugins.transformationPlugins()).map((p): PluginInfo => ({ class: p.className, type: 'transformation' })),
    ...byClassName(plugins.predicatePlugins()).map((p): PluginInfo => ({ class: p.className, type: 'predicate' })),
    ...converters.filter(isConverter).map((p): PluginInfo => ({ class: p.className, type: 'converter' })),
    ...converters.filter(isHeaderConverter).map((p): PluginInfo => ({ class: p.className, type: 'header_converter' })),
  ];
}

function find<T extends Named>(plugins: readonly T[], name: string): T | undefined {
  return plugins.find((p) => p.className === name || p.aliases.includes(name));
}

/**
 * Kafka's AbstractHerder.connectorPluginConfig: a connector's own keys followed by the runtime's
 * (SourceConnectorConfig / SinkConnectorConfig) that it does not define itself; a converter's,
 * transformation's or predicate's own keys. Name: class name or alias.
 * @throws NotFoundError `Unknown plugin <name>.`
 */
export function connectorPluginConfigKeys(plugins: PluginRegistry, pluginName: string): ConfigKeyInfo[] {
  const name = pluginName.trim();
  const connector = find(plugins.connectorPlugins(), name);
  if (connector) {
    const own = connector.create().config().configKeys();
    const base = connector.kind === 'sink' ? sinkConnectorConfigDef : connectorConfigDef;
    return withBase(own, base).map((k) => convertConfigKey(k));
  }
  const converter = find(plugins.converterPlugins(), name);
  if (converter) return (converter.configDef?.configKeys() ?? []).map((k) => convertConfigKey(k));
  const plugin: TransformationPlugin | PredicatePlugin | undefined = find(plugins.transformationPlugins(), name) ?? find(plugins.predicatePlugins(), name);
  if (plugin) return plugin.create().config().configKeys().map((k) => convertConfigKey(k));
  throw new NotFoundError(`Unknown plugin ${pluginName}.`);
}

/** The plugin's keys, then the framework's it does not define (the plugin's definition wins). */
function withBase(own: readonly ConfigKey[], base: ConfigDef): ConfigKey[] {
  const names = new Set(own.map((k) => k.name));
  return [...own, ...base.configKeys().filter((k) => !names.has(k.name))];
}
