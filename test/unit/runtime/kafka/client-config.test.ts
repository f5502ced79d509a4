import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../../../../src/api';
import {
  adminTimeoutMs,
  consumerSettings,
  kafkaClientSettings,
  producerSettings,
  warnUnsupportedClientKeys,
} from '../../../../src/runtime/kafka/client-config';
import { parseWorkerConfig, WorkerConfig } from '../../../../src/runtime/worker-config';
import { RecordingLogger } from '../fakes';
import { makeTlsStores, TlsStores } from '../../../harness/tls-stores';

function worker(props: Record<string, string> = {}): WorkerConfig {
  return parseWorkerConfig({
    'bootstrap.servers': 'broker-1:9092, broker-2:9092',
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': '/tmp/connect.offsets',
    ...props,
  });
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('producerSettings', () => {
  it("has Kafka Connect's producer defaults", () => {
    const s = producerSettings(worker());
    expect(s.acks).toBe(-1);
    expect(s.producer.maxInFlightRequests).toBe(1);
    expect(s.producer.idempotent).toBe(false);
    expect(s.deliveryTimeoutMs).toBe(2147483647);
    expect(s.compression).toBe('none');
  });

  it('lets producer.* overrides beat top-level keys', () => {
    expect(producerSettings(worker({ acks: '0' })).acks).toBe(0);
    expect(producerSettings(worker({ acks: '0', 'producer.acks': '1' })).acks).toBe(1);
    const s = producerSettings(worker({ 'producer.compression.type': 'gzip', 'producer.delivery.timeout.ms': '120000', 'producer.max.in.flight.requests.per.connection': '5' }));
    expect(s).toMatchObject({ compression: 'gzip', deliveryTimeoutMs: 120000, producer: { maxInFlightRequests: 5 } });
  });

  it('does not let consumer.* keys reach the producer', () => {
    expect(producerSettings(worker({ 'consumer.acks': '0' })).acks).toBe(-1);
  });

  it('names the key and value of an invalid setting', () => {
    expect(() => producerSettings(worker({ 'producer.acks': '2' }))).toThrow('Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1');
  });
});

describe('consumerSettings', () => {
  it('maps the consumer keys onto kafkajs options', () => {
    const s = consumerSettings(
      worker({
        'consumer.session.timeout.ms': '10000',
        'consumer.heartbeat.interval.ms': '1000',
        'consumer.max.poll.interval.ms': '60000',
        'consumer.fetch.min.bytes': '10',
        'consumer.fetch.max.bytes': '2048',
        'consumer.max.partition.fetch.bytes': '1024',
        'consumer.fetch.max.wait.ms': '100',
        'consumer.max.poll.records': '50',
        'consumer.isolation.level': 'read_committed',
      }),
    );
    expect(s.consumer).toMatchObject({
      sessionTimeout: 10000,
      heartbeatInterval: 1000,
      rebalanceTimeout: 60000,
      minBytes: 10,
      maxBytes: 2048,
      maxBytesPerPartition: 1024,
      maxWaitTimeInMs: 100,
      readUncommitted: false,
      allowAutoTopicCreation: false,
    });
    expect(s.maxPollRecords).toBe(50);
  });

  it('reads from the beginning for auto.offset.reset=earliest (the default) and not for latest', () => {
    expect(consumerSettings(worker()).fromBeginning).toBe(true);
    expect(consumerSettings(worker({ 'consumer.auto.offset.reset': 'earliest' })).fromBeginning).toBe(true);
    expect(consumerSettings(worker({ 'consumer.auto.offset.reset': 'latest' })).fromBeginning).toBe(false);
  });
});

describe('kafkaClientSettings', () => {
  it('takes brokers, client id and timeouts from the worker config', () => {
    const { kafka } = kafkaClientSettings(worker({ 'request.timeout.ms': '5000', 'producer.request.timeout.ms': '7000' }), 'producer', 'p-1');
    expect(kafka).toMatchObject({ brokers: ['broker-1:9092', 'broker-2:9092'], clientId: 'p-1', requestTimeout: 7000, connectionTimeout: 10000 });
    expect(kafka.ssl).toBeUndefined();
    expect(kafka.sasl).toBeUndefined();
    expect(kafkaClientSettings(worker({ 'request.timeout.ms': '5000' }), 'consumer', 'c').kafka.requestTimeout).toBe(5000);
  });

  it('reads username and password from a PlainLoginModule jaas line, unescaping quotes', () => {
    const { kafka } = kafkaClientSettings(
      worker({
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'PLAIN',
        'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="se\\"cr\\\\et";',
      }),
      'producer',
      'p',
    );
    expect(kafka.sasl).toEqual({ mechanism: 'plain', username: 'alice', password: 'se"cr\\et' });
    expect(kafka.ssl).toBeUndefined();
  });

  it('maps SCRAM mechanisms', () => {
    const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username = "bob" password = "pw";';
    for (const [mechanism, expected] of [
      ['SCRAM-SHA-256', 'scram-sha-256'],
      ['SCRAM-SHA-512', 'scram-sha-512'],
    ]) {
      const { kafka } = kafkaClientSettings(worker({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': mechanism, 'sasl.jaas.config': jaas }), 'consumer', 'c');
      expect(kafka.sasl).toEqual({ mechanism: expected, username: 'bob', password: 'pw' });
      expect(kafka.ssl).toEqual({});
    }
  });

  it('fails without printing the jaas line when it lacks the password', () => {
    const err = thrown(() =>
      kafkaClientSettings(
        worker({
          'security.protocol': 'SASL_PLAINTEXT',
          'sasl.mechanism': 'PLAIN',
          'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" passwd="s3cret-value";',
        }),
        'producer',
        'p',
      ),
    );
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('Invalid value [hidden] for configuration sasl.jaas.config: it must contain password="..."');
    expect(err.message).not.toContain('s3cret-value');
    expect(err.message).not.toContain('alice');
  });

  // Regression: an unsupported mechanism is named before the jaas line is parsed for credentials.
  it('says GSSAPI is unsupported rather than asking for a username', () => {
    const err = thrown(() =>
      kafkaClientSettings(
        worker({
          'security.protocol': 'SASL_PLAINTEXT',
          'sasl.jaas.config': 'com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true keyTab="/etc/kafka.keytab" principal="kafka@EXAMPLE.COM";',
        }),
        'producer',
        'p',
      ),
    );
    expect(err.message).toContain('sasl.mechanism');
  });

  describe('TLS', () => {
    let stores: TlsStores;
    beforeAll(() => {
      stores = makeTlsStores();
    }, 60000);
    afterAll(() => fs.rmSync(stores.dir, { recursive: true, force: true }));

    it('reads a PEM truststore into ca and checks host names by default', () => {
      const { kafka } = kafkaClientSettings(worker({ 'security.protocol': 'SSL', 'ssl.truststore.location': stores.caPem, 'ssl.truststore.type': 'PEM' }), 'producer', 'p');
      expect(kafka.ssl).toEqual({ ca: fs.readFileSync(stores.caPem) });
    });

    it('reads a PEM keystore into key and cert with the key password', () => {
      const { kafka } = kafkaClientSettings(
        worker({ 'security.protocol': 'SSL', 'ssl.keystore.location': stores.clientEncryptedPem, 'ssl.key.password': stores.pemKeyPassword }),
        'producer',
        'p',
      );
      const pem = fs.readFileSync(stores.clientEncryptedPem, 'utf8');
      expect(kafka.ssl).toEqual({ key: pem, cert: pem, passphrase: stores.pemKeyPassword });
    });

    it('layers JKS and PKCS12 stores as Kafka Connect: worker ssl.*, then consumer.ssl.*, then the connector override', () => {
      const w = worker({
        'security.protocol': 'SSL',
        'ssl.truststore.location': stores.trustJks,
        'ssl.truststore.password': stores.storePassword,
        'consumer.ssl.keystore.location': stores.clientJks,
        'consumer.ssl.keystore.password': stores.storePassword,
      });
      const producer = kafkaClientSettings(w, 'producer', 'p').kafka.ssl as Record<string, unknown>;
      expect(String(producer.ca)).toContain('BEGIN CERTIFICATE');
      expect(producer.key).toBeUndefined();
      const consumer = kafkaClientSettings(w, 'consumer', 'c').kafka.ssl as Record<string, unknown>;
      expect(String(consumer.key)).toContain('PRIVATE KEY');
      const overridden = kafkaClientSettings(w, 'consumer', 'c', {
        'ssl.keystore.location': stores.clientP12,
        'ssl.keystore.type': 'PKCS12',
        'ssl.keystore.password': stores.storePassword,
      }).kafka.ssl as Record<string, unknown>;
      expect(overridden.pfx).toEqual(fs.readFileSync(stores.clientP12));
      expect(overridden.key).toBeUndefined();
    });

    it('names the key and file of an unreadable store file', () => {
      const missing = path.join(stores.dir, 'nope.pem');
      const err = thrown(() => kafkaClientSettings(worker({ 'security.protocol': 'SSL', 'ssl.truststore.location': missing }), 'producer', 'p'));
      expect(err).toBeInstanceOf(ConfigError);
      expect(err.message).toContain(`Invalid value ${missing} for configuration ssl.truststore.location: cannot read the file`);
    });

    it('fails on a wrong store password without printing it', () => {
      const err = thrown(() =>
        kafkaClientSettings(worker({ 'security.protocol': 'SSL', 'ssl.truststore.location': stores.trustJks, 'ssl.truststore.password': 'wrong-secret' }), 'admin', 'a'),
      );
      expect(err.message).toContain(`${stores.trustJks} for configuration ssl.truststore.location`);
      expect(err.message).not.toContain('wrong-secret');
    });

    it('disables the host name check when ssl.endpoint.identification.algorithm is empty', () => {
      const { kafka } = kafkaClientSettings(worker({ 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': '' }), 'producer', 'p');
      const ssl = kafka.ssl as { checkServerIdentity?: (host: string, cert: unknown) => Error | undefined };
      expect(typeof ssl.checkServerIdentity).toBe('function');
      expect(ssl.checkServerIdentity?.('broker-1', {})).toBeUndefined();
    });
  });
});

describe('adminTimeoutMs', () => {
  it('defaults to 60 s and honours admin.default.api.timeout.ms', () => {
    expect(adminTimeoutMs(worker())).toBe(60000);
    expect(adminTimeoutMs(worker({ 'admin.default.api.timeout.ms': '1500' }))).toBe(1500);
  });
});

describe('warnUnsupportedClientKeys', () => {
  it('warns about prefixed keys kafkajs cannot honour, and only those', () => {
    const logger = new RecordingLogger();
    warnUnsupportedClientKeys(
      worker({ 'producer.linger.ms': '5', 'producer.acks': '1', 'consumer.session.timeout.ms': '10000', 'consumer.client.rack': 'eu-1', 'linger.ms': '5' }),
      logger,
    );
    expect(logger.messages('warn')).toEqual([
      "The configuration 'producer.linger.ms' is not supported by the kafkajs client and is ignored.",
      "The configuration 'consumer.client.rack' is not supported by the kafkajs client and is ignored.",
    ]);
  });
});
