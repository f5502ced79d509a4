import { AbstractConfig, ConfigDef, ConfigError, parseType, Validator } from '../api';
import {
  adminConfigDef,
  adminTimeoutMs,
  ClientOverrides,
  ClientRole,
  commonClientConfigDef,
  consumerConfigDef,
  consumerSettings,
  isSupportedClientKey,
  kafkaClientSettings,
  producerConfigDef,
  producerSettings,
} from './kafka/client-config';
import { RuntimeLogger } from './runtime-logger';

/** The worker key choosing which client keys connectors may override (Kafka's WorkerConfig). */
export const CONNECTOR_CLIENT_POLICY_CONFIG = 'connector.client.config.override.policy';

/** Connector-config prefixes of the per-client overrides (Kafka's ConnectorConfig). */
export const CLIENT_OVERRIDE_PREFIXES: Readonly<Record<ClientRole, string>> = Object.freeze({
  producer: 'producer.override.',
  consumer: 'consumer.override.',
  admin: 'admin.override.',
});

/** Kafka's ConnectorClientConfigOverridePolicy implementations shipped with Connect. */
export interface ConnectorClientConfigOverridePolicy {
  /** The alias Kafka prints in its messages: None, Principal or All. */
  readonly name: string;
  readonly className: string;
  isAllowed(key: string): boolean;
}

const POLICY_PACKAGE = 'org.apache.kafka.connect.connector.policy';
const PRINCIPAL_KEYS: ReadonlySet<string> = new Set(['sasl.jaas.config', 'sasl.mechanism', 'security.protocol']);

const POLICIES: readonly ConnectorClientConfigOverridePolicy[] = [
  { name: 'None', className: `${POLICY_PACKAGE}.NoneConnectorClientConfigOverridePolicy`, isAllowed: () => false },
  { name: 'Principal', className: `${POLICY_PACKAGE}.PrincipalConnectorClientConfigOverridePolicy`, isAllowed: (key) => PRINCIPAL_KEYS.has(key) },
  { name: 'All', className: `${POLICY_PACKAGE}.AllConnectorClientConfigOverridePolicy`, isAllowed: () => true },
];

/** The policy named by a full class name, its simple class name, or its alias (None, Principal, All). */
export function overridePolicy(name: string): ConnectorClientConfigOverridePolicy {
  const wanted = name.trim();
  const policy = POLICIES.find((p) => wanted === p.name || wanted === p.className || wanted === p.className.slice(POLICY_PACKAGE.length + 1));
  if (!policy) {
    throw ConfigError.invalidValue(
      CONNECTOR_CLIENT_POLICY_CONFIG,
      name,
      `Expected one of ${POLICIES.map((p) => p.name).join(', ')} or their class names (${POLICIES.map((p) => p.className).join(', ')})`,
    );
  }
  return policy;
}

/** Validates connector.client.config.override.policy in the worker file. */
export const overridePolicyValidator: Validator = {
  ensureValid: (_name, value) => void overridePolicy(String(value)),
  describe: () => `[${POLICIES.map((p) => p.name).join(', ')}] or their class names`,
};

/** The clients a connector has, as Kafka's herder decides which overrides to check. */
function rolesUsed(kind: 'source' | 'sink', connector: AbstractConfig): ClientRole[] {
  if (kind === 'source') return ['producer'];
  const dlqTopic = connector.originals()['errors.deadletterqueue.topic.name'];
  // A sink's dead letter queue has its own producer and admin client.
  return dlqTopic !== undefined && dlqTopic.trim() !== '' ? ['consumer', 'producer', 'admin'] : ['consumer'];
}

/**
 * The connector's client overrides, prefix removed, for the clients it has: a source's producer; a
 * sink's consumer, and the producer and admin client of its dead letter queue when it has one.
 * Overrides for clients the connector does not have are left out, as Kafka ignores them.
 */
export function connectorClientOverrides(kind: 'source' | 'sink', connector: AbstractConfig): Record<ClientRole, ClientOverrides> {
  const used = rolesUsed(kind, connector);
  const pick = (role: ClientRole): ClientOverrides => (used.includes(role) ? connector.originalsWithPrefix(CLIENT_OVERRIDE_PREFIXES[role]) : {});
  return { producer: pick('producer'), consumer: pick('consumer'), admin: pick('admin') };
}

const ROLE_DEFS: Readonly<Record<ClientRole, ConfigDef>> = {
  producer: producerConfigDef,
  consumer: consumerConfigDef,
  admin: adminConfigDef,
};

/**
 * Checks a connector's client overrides at start-up, as Kafka's herder does before creating it: each
 * key must be allowed by the worker's connector.client.config.override.policy, and each value must
 * parse as the client expects. Errors name the connector key (e.g. consumer.override.max.poll.records).
 */
export function validateClientOverrides(kind: 'source' | 'sink', connector: AbstractConfig, worker: AbstractConfig): void {
  const policy = overridePolicy(worker.getString(CONNECTOR_CLIENT_POLICY_CONFIG) ?? 'All');
  const overrides = connectorClientOverrides(kind, connector);
  const refused: string[] = [];
  for (const role of rolesUsed(kind, connector)) {
    for (const key of Object.keys(overrides[role])) {
      if (!policy.isAllowed(key)) {
        refused.push(`The '${policy.name}' policy does not allow '${CLIENT_OVERRIDE_PREFIXES[role]}${key}' to be overridden in the connector configuration (${CONNECTOR_CLIENT_POLICY_CONFIG}=${policy.name}).`);
      }
    }
  }
  if (refused.length > 0) {
    // Kafka's wording, on one line: the CLI prints a fatal error as one line.
    throw new ConfigError(`Connector configuration is invalid and contains the following ${refused.length} error(s): ${refused.join(' ')}`);
  }
  for (const role of rolesUsed(kind, connector)) checkValues(role, overrides[role]);
  // What only the whole client config can tell (e.g. SASL credentials for a SASL protocol).
  kafkaClientSettings(worker, 'producer', 'check', overrides.producer);
  kafkaClientSettings(worker, 'consumer', 'check', overrides.consumer);
  kafkaClientSettings(worker, 'admin', 'check', overrides.admin);
  producerSettings(worker, overrides.producer);
  consumerSettings(worker, overrides.consumer);
  adminTimeoutMs(worker, overrides.admin);
}

/** Parses and validates each known override on its own, so an error names the connector key. */
function checkValues(role: ClientRole, overrides: ClientOverrides): void {
  const keys = new Map([...commonClientConfigDef.configKeys(), ...ROLE_DEFS[role].configKeys()].map((k) => [k.name, k]));
  for (const [key, raw] of Object.entries(overrides)) {
    const def = keys.get(key);
    if (!def) continue;
    const name = `${CLIENT_OVERRIDE_PREFIXES[role]}${key}`;
    const value = parseType(name, raw, def.type);
    if (value !== null && def.validator) def.validator.ensureValid(name, value);
  }
}

/**
 * Warns about override keys that change nothing: keys the kafkajs clients do not support, and
 * overrides of a client the connector does not have (Kafka ignores those silently).
 */
export function warnIneffectiveClientOverrides(kind: 'source' | 'sink', connector: AbstractConfig, logger: RuntimeLogger): void {
  const used = rolesUsed(kind, connector);
  for (const role of ['producer', 'consumer', 'admin'] as const) {
    const prefix = CLIENT_OVERRIDE_PREFIXES[role];
    for (const key of Object.keys(connector.originalsWithPrefix(prefix))) {
      if (!used.includes(role)) {
        logger.warn(`The configuration '${prefix}${key}' is ignored: a ${kind} connector${kind === 'sink' ? ' without a dead letter queue' : ''} has no ${role} client.`);
      } else if (!isSupportedClientKey(key)) {
        logger.warn(`The configuration '${prefix}${key}' is not supported by the kafkajs client and is ignored.`);
      }
    }
  }
}
