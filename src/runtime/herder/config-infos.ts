import { ConfigInfos } from './herder';

export { connectorPluginInfos, connectorPluginConfigKeys } from './config-infos-plugins';
export { validateConnectorConfigInfos } from './config-infos-validate';

/**
 * Kafka's message for a PUT/POST with an invalid config (AbstractHerder.maybeAddConfigErrors): the
 * error count, every error on its own line, and where to see them as JSON.
 */
export function invalidConfigMessage(infos: ConfigInfos): string {
  return invalidConfigErrorsMessage(
    infos.configs.flatMap((config) => config.value?.errors ?? []),
    infos.error_count,
  );
}

/** The same message from a list of errors (`count`: Kafka's error count, which may differ from the lines). */
export function invalidConfigErrorsMessage(errors: readonly string[], count: number = errors.length): string {
  return [
    `Connector configuration is invalid and contains the following ${count} error(s):`,
    ...errors,
    'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
  ].join('\n');
}
