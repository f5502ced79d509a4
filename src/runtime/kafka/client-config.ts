import type * as tls from 'tls';
import type { ConsumerConfig, KafkaConfig, ProducerConfig, SASLOptions } from 'kafkajs';
import { AbstractConfig, ConfigDef, ConfigError, ConfigType, Importance, Validators } from '../../api';
import { RuntimeLogger } from '../runtime-logger';
import type * as SslStoreLoaderModule from '../tls/ssl-store-loader';

/**
 * Kafka client keys honoured at the worker level and under the producer. / consumer. / admin.
 * prefixes, named as Apache Kafka's clients name them and mapped onto kafkajs options here, once.
 */
export const commonClientConfigDef = new ConfigDef()
  .define({ name: 'security.protocol', type: ConfigType.STRING, defaultValue: 'PLAINTEXT', validator: Validators.in('PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'), importance: Importance.MEDIUM, doc: 'Protocol used to talk to brokers.' })
  .define({ name: 'sasl.mechanism', type: ConfigType.STRING, defaultValue: 'GSSAPI', validator: Validators.in('GSSAPI', 'PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'), importance: Importance.MEDIUM, doc: 'SASL mechanism for SASL_* protocols: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (GSSAPI is not supported).' })
  .define({ name: 'sasl.jaas.config', type: ConfigType.PASSWORD, defaultValue: null, importance: Importance.MEDIUM, doc: 'JAAS login line holding username="..." password="..." (PlainLoginModule or ScramLoginModule).' })
  .define({ name: 'ssl.truststore.location', type: ConfigType.STRING, defaultValue: null, importance: Importance.MEDIUM, doc: 'Trust store of CA certificates the broker certificates are checked against: a JKS, PKCS12 or PEM file. Unset: the system CAs.' })
  .define({ name: 'ssl.truststore.type', type: ConfigType.STRING, defaultValue: 'JKS', validator: Validators.in('JKS', 'PKCS12', 'PEM'), importance: Importance.MEDIUM, doc: 'Format of ssl.truststore.location: JKS (Kafka\'s default), PKCS12 or PEM. When not set, taken from the file itself, so PEM files keep working; JKS and PKCS12 read each other as Java\'s keytool does.' })
  .define({ name: 'ssl.truststore.password', type: ConfigType.PASSWORD, defaultValue: null, importance: Importance.MEDIUM, doc: 'Password of a JKS or PKCS12 trust store (not used for PEM).' })
  .define({ name: 'ssl.truststore.certificates', type: ConfigType.PASSWORD, defaultValue: null, importance: Importance.LOW, doc: 'Trusted certificates as PEM text in the config itself, instead of ssl.truststore.location (ssl.truststore.type=PEM).' })
  .define({ name: 'ssl.keystore.location', type: ConfigType.STRING, defaultValue: null, importance: Importance.MEDIUM, doc: 'Key store with the client private key and certificate chain, for mutual TLS: a JKS, PKCS12 or PEM file (PEM: key and chain in one file).' })
  .define({ name: 'ssl.keystore.type', type: ConfigType.STRING, defaultValue: 'JKS', validator: Validators.in('JKS', 'PKCS12', 'PEM'), importance: Importance.MEDIUM, doc: 'Format of ssl.keystore.location: JKS (Kafka\'s default), PKCS12 or PEM. When not set, taken from the file itself; JKS and PKCS12 read each other as Java\'s keytool does.' })
  .define({ name: 'ssl.keystore.password', type: ConfigType.PASSWORD, defaultValue: null, importance: Importance.MEDIUM, doc: 'Password of a JKS or PKCS12 key store (not used for PEM).' })
  .define({ name: 'ssl.keystore.key', type: ConfigType.PASSWORD, defaultValue: null, importance: Importance.LOW, doc: 'Private key as PEM text in the config itself, with ssl.keystore.certificate.chain, instead of ssl.keystore.location (ssl.keystore.type=PEM).' })
  .define({ name: 'ssl.keystore.certificate.chain', type: ConfigType.PASSWORD, defaultValue: null, importance: Importance.LOW, doc: 'Certificate chain as PEM text in the config itself, with ssl.keystore.key.' })
  .define({ name: 'ssl.key.password', type: ConfigType.PASSWORD, defaultValue: null, importance: Importance.MEDIUM, doc: 'Password of the private key: of an encrypted PEM key, or of the key entry of a JKS store when it differs from ssl.keystore.password.' })
  .define({ name: 'ssl.endpoint.identification.algorithm', type: ConfigType.STRING, defaultValue: 'https', importance: Importance.LOW, doc: 'https checks the broker host name against its certificate; empty disables the check.' })
  .define({ name: 'request.timeout.ms', type: ConfigType.INT, defaultValue: 30000, validator: Validators.atLeast(1), importance: Importance.MEDIUM, doc: 'How long to wait for a response to a request.' })
  .define({ name: 'socket.connection.setup.timeout.ms', type: ConfigType.LONG, defaultValue: 10000, validator: Validators.atLeast(1), importance: Importance.LOW, doc: 'How long to wait for a connection to a broker to be established.' })
  .define({ name: 'retry.backoff.ms', type: ConfigType.LONG, defaultValue: 100, validator: Validators.atLeast(0), importance: Importance.LOW, doc: 'First wait before retrying a failed request; later waits grow exponentially.' })
  .define({ name: 'retry.backoff.max.ms', type: ConfigType.LONG, defaultValue: 1000, validator: Validators.atLeast(0), importance: Importance.LOW, doc: 'Longest wait between retries of a failed request.' });

export const producerConfigDef = new ConfigDef()
  .define({ name: 'acks', type: ConfigType.STRING, defaultValue: 'all', validator: Validators.in('all', '-1', '0', '1'), importance: Importance.HIGH, doc: 'Acknowledgements required before a record counts as written. Source offsets are committed only after it.' })
  .define({ name: 'compression.type', type: ConfigType.STRING, defaultValue: 'none', validator: Validators.in('none', 'gzip'), importance: Importance.MEDIUM, doc: 'Compression of produced batches: none or gzip.' })
  .define({ name: 'max.in.flight.requests.per.connection', type: ConfigType.INT, defaultValue: 1, validator: Validators.atLeast(1), importance: Importance.LOW, doc: 'Unacknowledged produce requests per connection; 1 (Kafka Connect\'s default) keeps order across retries.' })
  .define({ name: 'enable.idempotence', type: ConfigType.BOOLEAN, defaultValue: false, importance: Importance.LOW, doc: 'Idempotent producer (needs max.in.flight.requests.per.connection=1 with kafkajs).' })
  .define({ name: 'delivery.timeout.ms', type: ConfigType.LONG, defaultValue: 2147483647, validator: Validators.atLeast(1), importance: Importance.MEDIUM, doc: 'How long a batch is retried through retriable errors (broker down, leader change) before the task fails. Default: practically forever, as Kafka Connect.' });

export const consumerConfigDef = new ConfigDef()
  .define({ name: 'auto.offset.reset', type: ConfigType.STRING, defaultValue: 'earliest', validator: Validators.in('earliest', 'latest'), importance: Importance.MEDIUM, doc: 'Where a sink starts on partitions its group has no committed offset for (Kafka Connect: earliest).' })
  .define({ name: 'session.timeout.ms', type: ConfigType.INT, defaultValue: 45000, validator: Validators.atLeast(1), importance: Importance.MEDIUM, doc: 'Consumer group session timeout.' })
  .define({ name: 'heartbeat.interval.ms', type: ConfigType.INT, defaultValue: 3000, validator: Validators.atLeast(1), importance: Importance.LOW, doc: 'Consumer group heartbeat interval.' })
  .define({ name: 'max.poll.interval.ms', type: ConfigType.INT, defaultValue: 300000, validator: Validators.atLeast(1), importance: Importance.LOW, doc: 'Rebalance timeout: how long the group waits for members to rejoin.' })
  .define({ name: 'max.poll.records', type: ConfigType.INT, defaultValue: 500, validator: Validators.atLeast(1), importance: Importance.MEDIUM, doc: 'Most records handed to the sink task in one put() call.' })
  .define({ name: 'fetch.min.bytes', type: ConfigType.INT, defaultValue: 1, validator: Validators.atLeast(1), importance: Importance.LOW, doc: 'Least data a fetch waits for.' })
  .define({ name: 'fetch.max.bytes', type: ConfigType.INT, defaultValue: 52428800, validator: Validators.atLeast(1), importance: Importance.LOW, doc: 'Most data one fetch returns; bounds memory.' })
  .define({ name: 'max.partition.fetch.bytes', type: ConfigType.INT, defaultValue: 1048576, validator: Validators.atLeast(1), importance: Importance.LOW, doc: 'Most data one fetch returns per partition.' })
  .define({ name: 'fetch.max.wait.ms', type: ConfigType.INT, defaultValue: 500, validator: Validators.atLeast(0), importance: Importance.LOW, doc: 'Longest a fetch waits for fetch.min.bytes.' })
  .define({ name: 'group.id', type: ConfigType.STRING, defaultValue: null, importance: Importance.MEDIUM, doc: 'Consumer group of sink tasks. Unset: connect-<connector name>, as Kafka Connect names it; usually set per connector as consumer.override.group.id.' })
  .define({ name: 'isolation.level', type: ConfigType.STRING, defaultValue: 'read_uncommitted', validator: Validators.in('read_uncommitted', 'read_committed'), importance: Importance.LOW, doc: 'Whether sinks see records of aborted transactions.' });

export const adminConfigDef = new ConfigDef().define({
  name: 'default.api.timeout.ms',
  type: ConfigType.INT,
  defaultValue: 60000,
  validator: Validators.atLeast(1),
  importance: Importance.MEDIUM,
  doc: 'How long start-up waits for the Kafka cluster to answer before failing with an error.',
});

/** Every key the clients understand, by def; used to warn about keys that will be ignored. */
const knownClientKeys = new Set([
  ...commonClientConfigDef.names(),
  ...producerConfigDef.names(),
  ...consumerConfigDef.names(),
  ...adminConfigDef.names(),
]);

export type ClientRole = 'producer' | 'consumer' | 'admin';

/** Client keys a connector sets for one of its clients (`consumer.override.*` etc.), prefix removed. */
export type ClientOverrides = Readonly<Record<string, string>>;

const NO_OVERRIDES: ClientOverrides = Object.freeze({});

/**
 * A client's keys as Kafka Connect layers them: worker top-level client keys, then the worker's
 * `<role>.` keys, then the connector's overrides (each wins over the ones before).
 */
export function clientProps(worker: AbstractConfig, role: ClientRole, overrides: ClientOverrides = NO_OVERRIDES): Record<string, string> {
  const originals = worker.originals();
  const props: Record<string, string> = {};
  for (const key of knownClientKeys) if (originals[key] !== undefined) props[key] = originals[key];
  return { ...props, ...worker.originalsWithPrefix(`${role}.`), ...overrides };
}

/** Whether the kafkajs clients honour this client key (without prefix). */
export function isSupportedClientKey(key: string): boolean {
  return knownClientKeys.has(key);
}

/** Warns once per key set under producer./consumer./admin. that kafkajs cannot honour. */
export function warnUnsupportedClientKeys(worker: AbstractConfig, logger: RuntimeLogger): void {
  for (const role of ['producer', 'consumer', 'admin'] as const) {
    for (const key of Object.keys(worker.originalsWithPrefix(`${role}.`))) {
      if (!knownClientKeys.has(key)) {
        logger.warn(`The configuration '${role}.${key}' is not supported by the kafkajs client and is ignored.`);
      }
    }
  }
}

export interface KafkaClientSettings {
  kafka: KafkaConfig;
  common: AbstractConfig;
}

/** The kafkajs client options (brokers, TLS, SASL, timeouts, retry) for one role. */
export function kafkaClientSettings(worker: AbstractConfig, role: ClientRole, clientId: string, overrides: ClientOverrides = NO_OVERRIDES): KafkaClientSettings {
  const props = clientProps(worker, role, overrides);
  const common = commonClientConfigDef.parse(props, `${role} client`);
  const protocol = common.getString('security.protocol') ?? 'PLAINTEXT';
  const backoff = common.getLong('retry.backoff.ms');
  const kafka: KafkaConfig = {
    brokers: worker.getList('bootstrap.servers'),
    clientId,
    connectionTimeout: common.getLong('socket.connection.setup.timeout.ms'),
    requestTimeout: common.getInt('request.timeout.ms'),
    retry: {
      initialRetryTime: Math.max(backoff, 1),
      maxRetryTime: Math.max(common.getLong('retry.backoff.max.ms'), backoff, 1),
      retries: 5,
    },
  };
  if (protocol === 'SSL' || protocol === 'SASL_SSL') kafka.ssl = tlsOptions(common, props);
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') kafka.sasl = saslOptions(common);
  return { kafka, common };
}

/** Node TLS options from the key and trust stores (loaded and checked here, at start-up). */
function tlsOptions(common: AbstractConfig, props: Record<string, string>): KafkaConfig['ssl'] {
  // Loaded for SSL and SASL_SSL only: a plaintext worker does not pay for reading stores (issue 12, start-up).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { tlsOptionsFromSettings } = require('../tls/ssl-store-loader') as typeof SslStoreLoaderModule;
  const options: tls.ConnectionOptions = tlsOptionsFromSettings(props);
  if ((common.getString('ssl.endpoint.identification.algorithm') ?? '') === '') {
    options.checkServerIdentity = () => undefined;
  }
  return options;
}

function saslOptions(common: AbstractConfig): SASLOptions {
  const mechanism = common.getString('sasl.mechanism');
  if (mechanism !== 'PLAIN' && mechanism !== 'SCRAM-SHA-256' && mechanism !== 'SCRAM-SHA-512') {
    throw ConfigError.invalidValue('sasl.mechanism', mechanism, 'Only PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 are supported');
  }
  const jaas = common.getPassword('sasl.jaas.config')?.value() ?? '';
  const field = (name: string): string => {
    const match = new RegExp(`${name}\\s*=\\s*"((?:[^"\\\\]|\\\\.)*)"`).exec(jaas);
    if (!match) throw new ConfigError(`Invalid value [hidden] for configuration sasl.jaas.config: it must contain ${name}="..."`);
    return match[1].replace(/\\(.)/g, '$1');
  };
  const credentials = { username: field('username'), password: field('password') };
  switch (mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', ...credentials };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', ...credentials };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', ...credentials };
    default:
      throw ConfigError.invalidValue('sasl.mechanism', mechanism, 'Only PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 are supported');
  }
}

export interface ProducerSettings {
  producer: ProducerConfig;
  acks: number;
  compression: 'none' | 'gzip';
  deliveryTimeoutMs: number;
}

export function producerSettings(worker: AbstractConfig, overrides: ClientOverrides = NO_OVERRIDES): ProducerSettings {
  const config = producerConfigDef.parse(clientProps(worker, 'producer', overrides), 'ProducerConfig');
  const acks = config.getString('acks') ?? 'all';
  return {
    producer: {
      maxInFlightRequests: config.getInt('max.in.flight.requests.per.connection'),
      idempotent: config.getBoolean('enable.idempotence'),
      allowAutoTopicCreation: true,
    },
    acks: acks === 'all' ? -1 : Number(acks),
    compression: config.getString('compression.type') === 'gzip' ? 'gzip' : 'none',
    deliveryTimeoutMs: config.getLong('delivery.timeout.ms'),
  };
}

export interface ConsumerSettings {
  consumer: Omit<ConsumerConfig, 'groupId'>;
  /** group.id when set (worker consumer.group.id or the connector's consumer.override.group.id); null: the connector's default group. */
  groupId?: string | null;
  fromBeginning: boolean;
  maxPollRecords: number;
}

export function consumerSettings(worker: AbstractConfig, overrides: ClientOverrides = NO_OVERRIDES): ConsumerSettings {
  const config = consumerConfigDef.parse(clientProps(worker, 'consumer', overrides), 'ConsumerConfig');
  const groupId = config.getString('group.id');
  return {
    consumer: {
      sessionTimeout: config.getInt('session.timeout.ms'),
      heartbeatInterval: config.getInt('heartbeat.interval.ms'),
      rebalanceTimeout: config.getInt('max.poll.interval.ms'),
      minBytes: config.getInt('fetch.min.bytes'),
      maxBytes: config.getInt('fetch.max.bytes'),
      maxBytesPerPartition: config.getInt('max.partition.fetch.bytes'),
      maxWaitTimeInMs: config.getInt('fetch.max.wait.ms'),
      readUncommitted: config.getString('isolation.level') === 'read_uncommitted',
      allowAutoTopicCreation: false,
    },
    groupId: groupId === null || groupId.trim() === '' ? null : groupId,
    fromBeginning: config.getString('auto.offset.reset') === 'earliest',
    maxPollRecords: config.getInt('max.poll.records'),
  };
}

export function adminTimeoutMs(worker: AbstractConfig, overrides: ClientOverrides = NO_OVERRIDES): number {
  return adminConfigDef.parse(clientProps(worker, 'admin', overrides), 'AdminClientConfig').getInt('default.api.timeout.ms');
}
