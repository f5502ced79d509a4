import { ConfigDef, ConfigError, ConfigType, Importance, NO_DEFAULT } from '../../../src/api';
import { builtinConverters } from '../../../src/converters';
import {
  connectorClientOverrides,
  overridePolicy,
  validateClientOverrides,
  warnIneffectiveClientOverrides,
} from '../../../src/runtime/client-overrides';
import { validateConnector } from '../../../src/runtime/connector-validation';
import { createDeadLetterQueueReporter } from '../../../src/runtime/errors/dead-letter-queue-reporter';
import { deadLetterQueueConfig } from '../../../src/runtime/errors/dlq-config';
import { adminTimeoutMs, ClientOverrides, consumerSettings, kafkaClientSettings, producerSettings } from '../../../src/runtime/kafka/client-config';
import type { KafkaClientFactory } from '../../../src/runtime/kafka/kafka-client-factory';
import { PluginRegistry } from '../../../src/runtime/plugins';
import { Worker } from '../../../src/runtime/worker';
import { parseWorkerConfig, WorkerConfig } from '../../../src/runtime/worker-config';
import { fakeConnectorPlugin, FakeConsumer, FakeProducer, MemoryOffsetStore, RecordingLogger } from './fakes';

const sinkDef = new ConfigDef().define({ name: 'file', type: ConfigType.STRING, defaultValue: NO_DEFAULT, importance: Importance.HIGH, doc: 'Target file.' });

function plugins(): PluginRegistry {
  const r = new PluginRegistry();
  r.registerConnector(fakeConnectorPlugin('org.example.FileSinkConnector', ['FileSink'], 'sink', sinkDef));
  r.registerConnector(fakeConnectorPlugin('org.example.FileSourceConnector', ['FileSource'], 'source'));
  builtinConverters.forEach((c) => r.registerConverter(c));
  return r;
}

function worker(extra: Record<string, string> = {}): WorkerConfig {
  return parseWorkerConfig({
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': '/tmp/connect.offsets',
    ...extra,
  });
}

function sink(props: Record<string, string>, workerProps: Record<string, string> = {}) {
  return validateConnector({ name: 'my-sink', 'connector.class': 'FileSink', file: '/tmp/out', topics: 't', ...props }, 'sink.properties', worker(workerProps), plugins());
}

function source(props: Record<string, string>, workerProps: Record<string, string> = {}) {
  return validateConnector({ name: 'my-source', 'connector.class': 'FileSource', ...props }, 'source.properties', worker(workerProps), plugins());
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('connector.client.config.override.policy', () => {
  it('defaults to All, as Kafka 3.x', () => {
    expect(worker().getString('connector.client.config.override.policy')).toBe('All');
  });

  it.each([
    ['None', 'None'],
    ['Principal', 'Principal'],
    ['All', 'All'],
    ['org.apache.kafka.connect.connector.policy.NoneConnectorClientConfigOverridePolicy', 'None'],
    ['org.apache.kafka.connect.connector.policy.PrincipalConnectorClientConfigOverridePolicy', 'Principal'],
    ['org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy', 'All'],
    ['AllConnectorClientConfigOverridePolicy', 'All'],
  ])('accepts %s', (name, policy) => {
    expect(overridePolicy(worker({ 'connector.client.config.override.policy': name }).getString('connector.client.config.override.policy') as string).name).toBe(policy);
  });

  it('rejects an unknown policy in the worker file, naming the key and the known policies', () => {
    const err = thrown(() => worker({ 'connector.client.config.override.policy': 'Some' }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('Invalid value Some for configuration connector.client.config.override.policy');
    expect(err.message).toContain('None, Principal, All');
  });
});

describe('validateClientOverrides', () => {
  it('All allows any override', () => {
    expect(() => sink({ 'consumer.override.max.poll.records': '2', 'consumer.override.group.id': 'custom' })).not.toThrow();
  });

  it('None refuses any override with Kafka\'s wording, naming the key and the policy', () => {
    const err = thrown(() => sink({ 'consumer.override.max.poll.records': '2' }, { 'connector.client.config.override.policy': 'None' }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(
      'Connector configuration is invalid and contains the following 1 error(s): ' +
        "The 'None' policy does not allow 'consumer.override.max.poll.records' to be overridden in the connector configuration (connector.client.config.override.policy=None).",
    );
  });

  it('Principal allows only sasl.jaas.config, sasl.mechanism and security.protocol', () => {
    const policy = { 'connector.client.config.override.policy': 'Principal' };
    const jaas = 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";';
    expect(() =>
      source({ 'producer.override.security.protocol': 'SASL_PLAINTEXT', 'producer.override.sasl.mechanism': 'PLAIN', 'producer.override.sasl.jaas.config': jaas }, policy),
    ).not.toThrow();
    const err = thrown(() => source({ 'producer.override.sasl.mechanism': 'PLAIN', 'producer.override.acks': '1', 'producer.override.compression.type': 'gzip' }, policy));
    expect(err.message).toContain('contains the following 2 error(s)');
    expect(err.message).toContain("The 'Principal' policy does not allow 'producer.override.acks' to be overridden");
    expect(err.message).toContain("The 'Principal' policy does not allow 'producer.override.compression.type' to be overridden");
    expect(err.message).not.toContain('sasl.mechanism');
  });

  it('checks only the clients the connector has, as Kafka (a sink\'s producer and admin only with a dead letter queue)', () => {
    const none = { 'connector.client.config.override.policy': 'None' };
    expect(() => source({ 'consumer.override.max.poll.records': '2', 'admin.override.request.timeout.ms': '5' }, none)).not.toThrow();
    expect(() => sink({ 'producer.override.acks': '1', 'admin.override.request.timeout.ms': '5' }, none)).not.toThrow();
    const err = thrown(() => sink({ 'errors.deadletterqueue.topic.name': 'dlq', 'producer.override.acks': '1', 'admin.override.request.timeout.ms': '5' }, none));
    expect(err.message).toContain("'producer.override.acks'");
    expect(err.message).toContain("'admin.override.request.timeout.ms'");
  });

  it('names the connector key of an invalid override value', () => {
    expect(() => sink({ 'consumer.override.max.poll.records': 'two' })).toThrow(/Invalid value two for configuration consumer\.override\.max\.poll\.records/);
    expect(() => sink({ 'consumer.override.max.poll.records': '0' })).toThrow(/Invalid value 0 for configuration consumer\.override\.max\.poll\.records/);
    expect(() => source({ 'producer.override.acks': '2' })).toThrow(/Invalid value 2 for configuration producer\.override\.acks/);
  });

  it('fails when an override makes the client config incomplete (SASL without credentials)', () => {
    expect(() => source({ 'producer.override.security.protocol': 'SASL_PLAINTEXT', 'producer.override.sasl.mechanism': 'PLAIN' })).toThrow(/sasl\.jaas\.config/);
  });

  it('accepts a connector without overrides under None', () => {
    const spec = sink({});
    expect(() => validateClientOverrides('sink', spec.config, worker({ 'connector.client.config.override.policy': 'None' }))).not.toThrow();
  });
});

describe('override precedence: worker top level < worker <client>. < connector override', () => {
  it('applies to the consumer (max.poll.records, session.timeout.ms)', () => {
    const w = worker({ 'max.poll.records': '100', 'consumer.max.poll.records': '50', 'session.timeout.ms': '7000' });
    const spec = sink({ 'consumer.override.max.poll.records': '2' });
    const overrides = connectorClientOverrides('sink', spec.config);
    expect(overrides.consumer).toEqual({ 'max.poll.records': '2' });
    expect(consumerSettings(w).maxPollRecords).toBe(50);
    expect(consumerSettings(w, overrides.consumer).maxPollRecords).toBe(2);
    expect(consumerSettings(w, overrides.consumer).consumer.sessionTimeout).toBe(7000);
    expect(consumerSettings(worker({ 'max.poll.records': '100' })).maxPollRecords).toBe(100);
  });

  it('applies to the producer and to the shared client keys', () => {
    const w = worker({ acks: '0', 'producer.acks': '1', 'request.timeout.ms': '1000', 'producer.request.timeout.ms': '2000' });
    expect(producerSettings(w).acks).toBe(1);
    expect(producerSettings(w, { acks: 'all' }).acks).toBe(-1);
    expect(kafkaClientSettings(w, 'producer', 'id').kafka.requestTimeout).toBe(2000);
    expect(kafkaClientSettings(w, 'producer', 'id', { 'request.timeout.ms': '3000' }).kafka.requestTimeout).toBe(3000);
    expect(kafkaClientSettings(w, 'consumer', 'id').kafka.requestTimeout).toBe(1000);
  });

  it('applies to the admin client', () => {
    const w = worker({ 'default.api.timeout.ms': '1000', 'admin.default.api.timeout.ms': '2000' });
    expect(adminTimeoutMs(w)).toBe(2000);
    expect(adminTimeoutMs(w, { 'default.api.timeout.ms': '3000' })).toBe(3000);
  });

  it('sets the sink\'s consumer group with group.id (default: none, the caller\'s connect-<name>)', () => {
    expect(consumerSettings(worker()).groupId).toBeNull();
    expect(consumerSettings(worker(), { 'group.id': 'custom' }).groupId).toBe('custom');
    expect(consumerSettings(worker({ 'consumer.group.id': 'shared' }), { 'group.id': 'custom' }).groupId).toBe('custom');
  });

  it('leaves out overrides of clients the connector does not have', () => {
    const props = { 'producer.override.acks': '1', 'consumer.override.max.poll.records': '2', 'admin.override.request.timeout.ms': '9' };
    expect(connectorClientOverrides('source', source(props).config)).toEqual({ producer: { acks: '1' }, consumer: {}, admin: {} });
    expect(connectorClientOverrides('sink', sink(props).config)).toEqual({ producer: {}, consumer: { 'max.poll.records': '2' }, admin: {} });
    expect(connectorClientOverrides('sink', sink({ ...props, 'errors.deadletterqueue.topic.name': 'dlq' }).config)).toEqual({
      producer: { acks: '1' },
      consumer: { 'max.poll.records': '2' },
      admin: { 'request.timeout.ms': '9' },
    });
  });
});

describe('warnIneffectiveClientOverrides', () => {
  it('warns about keys kafkajs does not support and about clients the connector does not have', () => {
    const logger = new RecordingLogger();
    const spec = sink({ 'consumer.override.partition.assignment.strategy': 'x', 'consumer.override.max.poll.records': '2', 'producer.override.acks': '1' });
    warnIneffectiveClientOverrides('sink', spec.config, logger);
    expect(logger.messages('warn')).toEqual([
      "The configuration 'producer.override.acks' is ignored: a sink connector without a dead letter queue has no producer client.",
      "The configuration 'consumer.override.partition.assignment.strategy' is not supported by the kafkajs client and is ignored.",
    ]);
  });
});

/** A client factory that records the overrides each client was created with. */
function recordingClients() {
  const calls: Array<[string, string, ClientOverrides | undefined]> = [];
  const clients: KafkaClientFactory = {
    checkReachable: async () => undefined,
    ensureTopic: async (clientId, _topic, _options, overrides) => {
      calls.push(['admin', clientId, overrides]);
      return 'exists';
    },
    createProducer: (clientId, _logger, overrides) => {
      calls.push(['producer', clientId, overrides]);
      return new FakeProducer({ autoAck: true });
    },
    createConsumer: (groupId, clientId, _logger, overrides) => {
      calls.push(['consumer', `${groupId} ${clientId}`, overrides]);
      return new FakeConsumer();
    },
  };
  return { clients, calls };
}

describe('clients created with the connector overrides', () => {
  it('gives a source task\'s producer and a sink task\'s consumer their overrides', async () => {
    const { clients, calls } = recordingClients();
    const config = worker();
    const registry = plugins();
    const w = new Worker({ config, plugins: registry, offsetStore: new MemoryOffsetStore(), clients, logger: new RecordingLogger() });
    await w.start();
    await w.startConnector(validateConnector({ name: 'src', 'connector.class': 'FileSource', 'producer.override.acks': '1' }, 'src.properties', config, registry));
    await w.startConnector(
      validateConnector({ name: 'snk', 'connector.class': 'FileSink', file: '/tmp/x', topics: 't', 'consumer.override.group.id': 'custom' }, 'snk.properties', config, registry),
    );
    await w.stop();
    expect(calls).toEqual([
      ['producer', 'connector-producer-src-0', { acks: '1' }],
      ['consumer', 'connect-snk connector-consumer-snk-0', { 'group.id': 'custom' }],
    ]);
  });

  it('gives a sink\'s dead letter queue producer and admin client the producer and admin overrides', async () => {
    const { clients, calls } = recordingClients();
    const spec = sink({ 'errors.deadletterqueue.topic.name': 'dlq', 'producer.override.acks': '1', 'admin.override.default.api.timeout.ms': '5000' });
    const reporter = createDeadLetterQueueReporter({
      clients,
      config: deadLetterQueueConfig(spec.config),
      connectorName: 'my-sink',
      taskId: 0,
      clientIdBase: '',
      overrides: connectorClientOverrides('sink', spec.config),
      logger: new RecordingLogger(),
    });
    await reporter?.close();
    expect(calls).toEqual([
      ['producer', 'connector-dlq-producer-my-sink-0', { acks: '1' }],
      ['admin', 'connector-dlq-adminclient-my-sink-0', { 'default.api.timeout.ms': '5000' }],
    ]);
  });
});
