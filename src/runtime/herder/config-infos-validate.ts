import { ConfigKey, ConfigType, ConnectorPlugin, parseType } from '../../api';
import { CLIENT_OVERRIDE_PREFIXES, CONNECTOR_CLIENT_POLICY_CONFIG, ConnectorClientConfigOverridePolicy, overridePolicy } from '../client-overrides';
import { connectorConfigDef, sinkConnectorConfigDef } from '../connector-config';
import { validateConnector } from '../connector-validation';
import { DLQ_TOPIC_NAME_CONFIG } from '../errors/dlq-config';
import { adminConfigDef, ClientRole, commonClientConfigDef, consumerConfigDef, producerConfigDef } from '../kafka/client-config';
import { PluginRegistry } from '../plugins';
import { WorkerConfig } from '../worker-config';
import { errorMessage, generateResult, groupsOf, mergeConfigInfos, prefixedConfigInfos, validateAll, ValidatedValue, validatedValue } from './config-infos-convert';
import { enrichConnectorKeys } from './config-infos-enrich';
import { ConfigInfos } from './herder';
import { BadRequestError } from './herder-errors';

type Props = Readonly<Record<string, string | null>>;

/**
 * Kafka's AbstractHerder.validateConnectorConfig: every key of the connector (runtime keys, transforms
 * and predicates with their plugins' keys, the connector's own, the connector's converters and client
 * overrides) with all of its errors. Like Kafka, a config without connector.class, or naming an unknown
 * connector, is refused outright (400; Kafka answers an unknown class with a 500).
 * @throws BadRequestError
 */
export function validateConnectorConfigInfos(plugins: PluginRegistry, worker: WorkerConfig, config: Record<string, string>, pluginName?: string): ConfigInfos {
  const props = config as Props;
  const connType = props['connector.class'];
  if (pluginName !== undefined && connType !== undefined && connType !== null && !normalizedPluginName(connType).endsWith(normalizedPluginName(pluginName))) {
    throw new BadRequestError(`Included connector type ${connType} does not match request type ${pluginName}`);
  }
  if (connType === undefined || connType === null) throw new BadRequestError(`Connector config ${javaMapString(props)} contains no connector type`);
  let plugin: ConnectorPlugin;
  try {
    plugin = plugins.connectorPlugin(connType);
  } catch (err) {
    throw new BadRequestError(errorMessage(err), { cause: err });
  }
  const sink = plugin.kind === 'sink';
  const runtimeKeys = enrichConnectorKeys(sink ? sinkConnectorConfigDef : connectorConfigDef, props, plugins);
  const validated = validateAll(runtimeKeys, props);
  if (sink) validateSinkTopics(props, validated);
  checkNegateHasPredicate(props, validated);
  for (const [key, value] of Object.entries(props)) {
    if (value === null) valueOf(validated, key).errors.push('Null value can not be supplied as the configuration value.');
  }
  const ownKeys = plugin.create().config().configKeys();
  const keys = new Map<string, ConfigKey>(runtimeKeys.map((k) => [k.name, k]));
  for (const key of ownKeys) keys.set(key.name, key);
  const converters = (['header', 'key', 'value'] as const).map((kind) => validateConverterConfig(kind, props, validated.get(`${kind}.converter`), plugins));
  const main = generateResult(connType, keys, [...validated.values(), ...validateAll(ownKeys, props).values()], [...new Set([...groupsOf(runtimeKeys), ...groupsOf(ownKeys)])]);
  const policy = overridePolicy(worker.getString(CONNECTOR_CLIENT_POLICY_CONFIG) ?? 'All');
  const hasDlq = sink && (props[DLQ_TOPIC_NAME_CONFIG] ?? '').trim() !== '';
  const producer = !sink || hasDlq ? clientOverrideInfos('producer', props, policy) : null;
  const consumer = sink ? clientOverrideInfos('consumer', props, policy) : null;
  const admin = hasDlq ? clientOverrideInfos('admin', props, policy) : null;
  const infos = mergeConfigInfos(connType, [main, producer, consumer, admin, ...converters]);
  if (infos.error_count === 0) addStartUpCheck(infos, props, worker, plugins);
  return infos;
}

/** Kafka's ConnectorPluginsResource: `FileStreamSinkConnector` and `FileStreamSink` name the same plugin. */
function normalizedPluginName(name: string): string {
  return name.endsWith('Connector') && name.length > 'Connector'.length ? name.slice(0, -'Connector'.length) : name;
}

/** Java's Map.toString, as Kafka prints the config in its message. */
function javaMapString(props: Props): string {
  return `{${Object.entries(props).map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

function valueOf(values: Map<string, ValidatedValue>, name: string, raw: string | null = null): ValidatedValue {
  let value = values.get(name);
  if (!value) values.set(name, (value = validatedValue(name, raw)));
  return value;
}

function isBlank(value: string | null | undefined): boolean {
  return value === undefined || value === null || value.trim() === '';
}

/** Kafka's SinkConnectorConfig.validate: the topics / topics.regex rules and the DLQ topic, each error on the key(s) at fault. */
function validateSinkTopics(props: Props, values: Map<string, ValidatedValue>): void {
  const topicsList = props.topics;
  const topicsRegex = props['topics.regex'];
  const dlqTopic = (props[DLQ_TOPIC_NAME_CONFIG] ?? '').trim();
  const hasTopics = !isBlank(topicsList);
  const hasRegex = !isBlank(topicsRegex);
  const add = (name: string, raw: string | null | undefined, message: string): void => void valueOf(values, name, raw ?? null).errors.push(message);
  if (hasTopics && hasRegex) {
    const message = 'topics and topics.regex are mutually exclusive options, but both are set.';
    add('topics', topicsList, message);
    add('topics.regex', topicsRegex, message);
  }
  if (!hasTopics && !hasRegex) {
    const message = 'Must configure one of topics or topics.regex';
    add('topics', topicsList, message);
    add('topics.regex', topicsRegex, message);
  }
  let regex: RegExp | null = null;
  if (hasRegex) {
    try {
      regex = new RegExp(`^(?:${topicsRegex as string})$`);
    } catch (err) {
      add('topics.regex', topicsRegex, `Invalid value ${topicsRegex as string} for configuration topics.regex: Must be a valid regular expression (${errorMessage(err)})`);
    }
  }
  if (dlqTopic === '') return;
  if (hasTopics) {
    const topics = [...new Set((parseType('topics', topicsList as string, ConfigType.LIST) as string[]).filter((t) => t !== ''))];
    if (topics.includes(dlqTopic)) {
      add('topics', topicsList, `The DLQ topic '${dlqTopic}' may not be included in the list of topics ('topics=[${topics.join(', ')}]') consumed by the connector`);
    }
  }
  if (regex && regex.test(dlqTopic)) {
    add('topics.regex', topicsRegex, `The DLQ topic '${dlqTopic}' may not be matched by the regex for the topics ('topics.regex=${topicsRegex as string}') consumed by the connector`);
  }
}

/** Kafka's check in the transform type's validator: negate needs a predicate. */
function checkNegateHasPredicate(props: Props, values: Map<string, ValidatedValue>): void {
  const raw = props.transforms;
  if (raw === undefined || raw === null) return;
  for (const alias of new Set(parseType('transforms', raw, ConfigType.LIST) as string[])) {
    const prefix = `transforms.${alias}.`;
    if (props[prefix + 'negate'] !== undefined && props[prefix + 'predicate'] === undefined) {
      valueOf(values, prefix + 'type').errors.push(`Config '${prefix}negate' was provided but there is no config '${prefix}predicate' defining a predicate to be negated.`);
    }
  }
}

/**
 * Kafka's AbstractHerder.validateConverterConfig: only for a converter the connector config names
 * itself, and only when that key has no errors so far. An unknown class is an error on the key; a
 * converter that declares no ConfigDef is not validated further.
 */
function validateConverterConfig(kind: 'key' | 'value' | 'header', props: Props, classValue: ValidatedValue | undefined, plugins: PluginRegistry): ConfigInfos | null {
  const property = `${kind}.converter`;
  const className = props[property];
  if (className === undefined || className === null || !classValue || classValue.errors.length > 0) return null;
  try {
    // Instantiates it, as Kafka does, failing with Kafka's wording for an unknown or wrong class.
    if (kind === 'header') plugins.newHeaderConverter(className, property);
    else plugins.newConverter(className, property);
  } catch (err) {
    classValue.errors.push(errorMessage(err));
    return null;
  }
  const plugin = plugins.converterPlugins().find((p) => p.className === className.trim() || p.aliases.includes(className.trim()));
  const def = plugin?.configDef;
  if (!def) return null;
  const prefix = `${property}.`;
  const pluginConfig: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix) && k.length > prefix.length) pluginConfig[k.slice(prefix.length)] = v;
  if (!('converter.type' in pluginConfig)) pluginConfig['converter.type'] = kind;
  const keys = def.configKeys();
  return prefixedConfigInfos(new Map(keys.map((k) => [k.name, k])), [...validateAll(keys, pluginConfig).values()], prefix);
}

const CLIENT_DEFS: Readonly<Record<ClientRole, readonly ConfigKey[]>> = {
  producer: [...commonClientConfigDef.configKeys(), ...producerConfigDef.configKeys()],
  consumer: [...commonClientConfigDef.configKeys(), ...consumerConfigDef.configKeys()],
  admin: [...commonClientConfigDef.configKeys(), ...adminConfigDef.configKeys()],
};

/** Kafka's AbstractHerder.validateClientOverrides: each override checked against the worker's policy (and parsed, when the client defines it). */
function clientOverrideInfos(role: ClientRole, props: Props, policy: ConnectorClientConfigOverridePolicy): ConfigInfos {
  const prefix = CLIENT_OVERRIDE_PREFIXES[role];
  const keys = new Map(CLIENT_DEFS[role].map((k) => [k.name, k]));
  const values: ValidatedValue[] = [];
  for (const [fullName, raw] of Object.entries(props)) {
    if (!fullName.startsWith(prefix) || fullName.length === prefix.length) continue;
    const name = fullName.slice(prefix.length);
    const value = validatedValue(name, raw);
    const key = keys.get(name);
    if (key && raw !== null) {
      try {
        value.value = parseType(fullName, raw, key.type);
      } catch (err) {
        value.errors.push(errorMessage(err));
      }
    }
    if (!policy.isAllowed(name)) value.errors.push(`The '${policy.name}' policy does not allow '${name}' to be overridden in the connector configuration.`);
    values.push(value);
  }
  return prefixedConfigInfos(keys, values, prefix);
}

/**
 * A config that passes the checks above must also start: the same checks as a connector file
 * (converters and plugins configured, predicate aliases, client settings, JAAS modules). A failure
 * there is reported on the key its message names, or as an entry of its own.
 */
function addStartUpCheck(infos: ConfigInfos, props: Props, worker: WorkerConfig, plugins: PluginRegistry): void {
  try {
    validateConnector(props as Record<string, string>, 'the connector config', worker, plugins);
    return;
  } catch (err) {
    const message = errorMessage(err);
    const key = /for configuration "?([^\s":]+)/.exec(message)?.[1] ?? /configuration "([^"]+)"/.exec(message)?.[1] ?? /'([^'\s]+)'/.exec(message)?.[1];
    const entry = infos.configs.find((c) => c.value && c.value.name === key);
    if (entry) entry.value.errors.push(message);
    else infos.configs.push({ definition: null, value: { name: key ?? 'connector.class', value: key !== undefined ? (props[key] ?? null) : null, recommended_values: [], errors: [message], visible: true } });
    infos.error_count++;
  }
}
