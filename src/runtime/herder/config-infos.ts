import { ConfigInfos } from './herder';

export { connectorPluginInfos, connectorPluginConfigKeys } from './config-infos-plugins';
export { validateConnectorConfigInfos } from './config-infos-validate';

/**
 * Kafka's message for a PUT/POST with an invalid config (AbstractHerder.maybeAddConfigErrors): the
 * error count, every error on its own line, and where to see them as JSON.
 */
export function invalidConfigMessage(infos: ConfigInfos): string {
  const lines = [`Connector configuration is invalid and contains the following ${infos.error_count} error(s):`];
  for (const config of infos.configs) lines.push(...(config.value?.errors ?? []));
  lines.push('You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`');
  return lines.join('\n');
}
