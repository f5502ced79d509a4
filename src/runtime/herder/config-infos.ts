// Contract stub: the "plugins and validate" helper replaces the bodies (keep the signatures).
import { ConnectError } from '../../api';
import { PluginRegistry } from '../plugins';
import { WorkerConfig } from '../worker-config';
import { ConfigInfos, ConfigKeyInfo, PluginInfo } from './herder';

/** GET /connector-plugins. */
export function connectorPluginInfos(plugins: PluginRegistry, connectorsOnly: boolean): PluginInfo[] {
  void plugins;
  void connectorsOnly;
  throw new ConnectError('connectorPluginInfos: not implemented yet');
}

/** GET /connector-plugins/{plugin}/config. @throws NotFoundError for an unknown plugin */
export function connectorPluginConfigKeys(plugins: PluginRegistry, pluginName: string): ConfigKeyInfo[] {
  void plugins;
  void pluginName;
  throw new ConnectError('connectorPluginConfigKeys: not implemented yet');
}

/**
 * Kafka's AbstractHerder.validateConnectorConfig: every key of the connector (runtime keys, the
 * plugin's own, converters, transforms, predicates, error handling) with its errors. `pluginName`
 * given (the validate endpoint) must match connector.class when that is set.
 */
export function validateConnectorConfigInfos(plugins: PluginRegistry, worker: WorkerConfig, config: Record<string, string>, pluginName?: string): ConfigInfos {
  void plugins;
  void worker;
  void config;
  void pluginName;
  throw new ConnectError('validateConnectorConfigInfos: not implemented yet');
}

/** Kafka's message for a PUT/POST with an invalid config: "Connector configuration is invalid and contains the following N error(s): ...". */
export function invalidConfigMessage(infos: ConfigInfos): string {
  void infos;
  throw new ConnectError('invalidConfigMessage: not implemented yet');
}
