import { AbstractConfig, ConfigDef, ConfigType, Importance, NO_DEFAULT, Validators } from '../api';
import { CONNECTOR_CLIENT_POLICY_CONFIG, overridePolicyValidator } from './client-overrides';
import { assertJaasConfigsAllowed } from './jaas-login-modules';
import { restServerConfigDef } from './rest-server-config';

/** Prefixes whose keys are passed on to the Kafka clients (Kafka's WorkerConfig). */
export const CLIENT_PREFIXES = ['producer.', 'consumer.', 'admin.'] as const;

/**
 * Keys understood in the worker file. Converter settings (`key.converter.*`, `value.converter.*`,
 * `header.converter.*`) and client overrides (`producer.*`, `consumer.*`, `admin.*`) are read by
 * prefix; Kafka client keys shared by all clients (security, timeouts) are declared in
 * kafka/client-config.ts.
 */
export const workerConfigDef = new ConfigDef()
  .define({
    name: 'bootstrap.servers',
    type: ConfigType.LIST,
    defaultValue: ['localhost:9092'],
    importance: Importance.HIGH,
    doc: 'A list of host:port pairs used to establish the initial connection to the Kafka cluster.',
  })
  .define({
    name: 'key.converter',
    type: ConfigType.CLASS,
    defaultValue: NO_DEFAULT,
    importance: Importance.HIGH,
    doc: 'Converter class for record keys: the format of keys written to or read from Kafka (e.g. org.apache.kafka.connect.json.JsonConverter). Its own settings use the key.converter. prefix, e.g. key.converter.schemas.enable.',
  })
  .define({
    name: 'value.converter',
    type: ConfigType.CLASS,
    defaultValue: NO_DEFAULT,
    importance: Importance.HIGH,
    doc: 'Converter class for record values. Its own settings use the value.converter. prefix, e.g. value.converter.schemas.enable.',
  })
  .define({
    name: 'header.converter',
    type: ConfigType.CLASS,
    defaultValue: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    importance: Importance.LOW,
    doc: 'HeaderConverter class for record header values: the format of header values written to or read from Kafka. The default, SimpleHeaderConverter, writes values as strings and reads them back inferring their schema. Any key/value converter (e.g. StringConverter, JsonConverter, IntegerConverter) may also be used. Its own settings use the header.converter. prefix.',
  })
  .define({
    name: 'offset.storage.file.filename',
    type: ConfigType.STRING,
    defaultValue: NO_DEFAULT,
    validator: Validators.nonEmptyString(),
    importance: Importance.HIGH,
    doc: 'File that stores source connector offsets (readable JSON, written atomically). Its directory must exist.',
  })
  .define({
    name: 'offset.flush.interval.ms',
    type: ConfigType.LONG,
    defaultValue: 60000,
    validator: Validators.atLeast(1),
    importance: Importance.LOW,
    doc: 'Interval at which source offsets are written to the offsets file and sink offsets are committed to Kafka (also done at shutdown).',
  })
  .define({
    name: 'offset.flush.timeout.ms',
    type: ConfigType.LONG,
    defaultValue: 5000,
    validator: Validators.atLeast(1),
    importance: Importance.LOW,
    doc: 'Maximum time to wait for an offset flush before cancelling it and retrying at the next interval.',
  })
  .define({
    name: 'task.shutdown.graceful.timeout.ms',
    type: ConfigType.LONG,
    defaultValue: 5000,
    validator: Validators.atLeast(0),
    importance: Importance.LOW,
    doc: 'Time to wait for each task to stop gracefully at shutdown before giving up on it.',
  })
  .define({
    name: 'plugin.path',
    type: ConfigType.LIST,
    defaultValue: null,
    importance: Importance.LOW,
    doc: 'Comma-separated JavaScript plugin modules or directories (each exporting any of connectorPlugins, converterPlugins, transformationPlugins and predicatePlugins). Java plugin directories are ignored with a warning.',
  })
  .define({
    name: 'client.id',
    type: ConfigType.STRING,
    defaultValue: '',
    importance: Importance.LOW,
    doc: 'Client id prefix sent to Kafka. Unset: connector-producer-<connector>-<task> for source tasks and connector-consumer-<connector>-<task> for sink tasks, as Kafka Connect names them.',
  })
  .define({
    name: CONNECTOR_CLIENT_POLICY_CONFIG,
    type: ConfigType.STRING,
    defaultValue: 'All',
    validator: overridePolicyValidator,
    importance: Importance.MEDIUM,
    doc: 'Which Kafka client keys a connector may set for its own clients with producer.override.*, consumer.override.* and admin.override.* (a sink\'s dead letter queue uses the producer and admin overrides). All (the default, as Kafka 3.x): any key; Principal: only sasl.jaas.config, sasl.mechanism and security.protocol; None: no override. Kafka\'s class names (org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy etc.) are accepted too.',
  })
  .define({
    name: 'config.providers',
    type: ConfigType.LIST,
    defaultValue: [],
    importance: Importance.LOW,
    doc: 'Names of the config providers that replace ${name:[path:]key} variables in the worker and connector configs before they are validated, so secrets stay out of config files. Each name needs config.providers.<name>.class: org.apache.kafka.common.config.provider.FileConfigProvider (a key of a .properties file: ${file:/path/creds.properties:db.password}), EnvVarConfigProvider (an environment variable: ${env:DB_PASSWORD}) or DirectoryConfigProvider (the content of a file in a directory: ${dir:/run/secrets:db-password}); short names work too. Settings go in config.providers.<name>.param.<key>: allowed.paths (file and directory providers: comma-separated absolute paths they may read) and allowlist.pattern (env provider: a regular expression the whole variable name must match). A variable of a configured provider that cannot be resolved stops start-up with an error naming it; resolved values are logged as written.',
  });

// The REST server's keys (listeners, rest.*, access.control.*, listeners.https.ssl.*), after the worker's own.
for (const key of restServerConfigDef.configKeys()) workerConfigDef.define(key);

// KIP-558 active topics: Kafka's keys, read by the herder for GET/PUT /connectors/{name}/topics.
workerConfigDef
  .define({
    name: 'topic.tracking.enable',
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.LOW,
    doc: 'Track the topics each connector produces to or consumes from (KIP-558), served at GET /connectors/{name}/topics. false: those requests are refused with 403.',
  })
  .define({
    name: 'topic.tracking.allow.reset',
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.LOW,
    doc: 'Allow PUT /connectors/{name}/topics/reset to clear a connector\'s active topics. false: resets are refused with 403.',
  });

export type WorkerConfig = AbstractConfig;

export function parseWorkerConfig(props: Record<string, string>): WorkerConfig {
  assertJaasConfigsAllowed(props, 'the worker config');
  return workerConfigDef.parse(props, 'StandaloneConfig');
}
