import { ConfigError, ConnectError, DataError, RetriableError, sourceRecord } from '../../../../src/api';
import {
  createDeadLetterQueueReporter,
  DeadLetterQueueReporter,
  exceptionClassName,
  stackTraceText,
} from '../../../../src/runtime/errors/dead-letter-queue-reporter';
import { DeadLetterQueueConfig } from '../../../../src/runtime/errors/dlq-config';
import { ConsumedRecordInfo, ErrorContext, Stage } from '../../../../src/runtime/errors/error-context';
import type { KafkaClientFactory } from '../../../../src/runtime/kafka/kafka-client-factory';
import { FakeProducer, FakeTime, RecordingLogger, settle } from '../fakes';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const BINARY = Buffer.from([0x00, 0xff, 0x7b, 0x22, 0x0a, 0xc3]);

function consumed(overrides: Partial<ConsumedRecordInfo> = {}): ConsumedRecordInfo {
  return {
    topic: 'orders',
    partition: 2,
    offset: 9007199254740993n, // above 2^53: written exactly
    timestamp: 1700000000123,
    key: Buffer.from('order-7'),
    value: BINARY,
    headers: [
      ['trace', Buffer.from('a,b=c')],
      ['empty', null],
    ],
    ...overrides,
  };
}

function context(overrides: Partial<ErrorContext> = {}): ErrorContext {
  return {
    stage: Stage.VALUE_CONVERTER,
    executingClass: JSON_CONVERTER,
    error: new DataError('Converting byte[] to Kafka Connect data failed due to serialization error of topic orders: bad'),
    consumedRecord: consumed(),
    sourceRecord: null,
    connectorName: 'orders-sink',
    taskId: 3,
    attempts: 1,
    ...overrides,
  };
}

function setup(
  config: Partial<DeadLetterQueueConfig> = {},
  ensure: () => Promise<'created' | 'exists'> = async () => 'exists',
  producer = new FakeProducer({ autoAck: true }),
) {
  const logger = new RecordingLogger();
  const ensureCalls: Array<[string, number]> = [];
  const reporter = new DeadLetterQueueReporter({
    config: { topic: 'dlq-orders', replicationFactor: 3, contextHeadersEnabled: true, ...config },
    connectorName: 'orders-sink',
    taskId: 3,
    producer,
    ensureTopic: (topic, rf) => {
      ensureCalls.push([topic, rf]);
      return ensure();
    },
    logger,
    retryBackoffMs: 1,
  });
  return { producer, logger, reporter, ensureCalls };
}

const text = (b: Buffer | null): string | null => (b === null ? null : b.toString('utf8'));

describe('DeadLetterQueueReporter', () => {
  it('writes the original key, value, timestamp and headers, then Kafka\'s context headers in Kafka\'s order', async () => {
    const { producer, reporter } = setup();
    const ctx = context();
    await reporter.report(ctx);
    expect(producer.sends).toHaveLength(1);
    const [sent] = producer.sends[0].records;
    expect(sent.topic).toBe('dlq-orders');
    expect(sent.partition).toBeNull();
    expect(sent.timestamp).toBe(1700000000123);
    expect(sent.key).toEqual(Buffer.from('order-7'));
    expect(sent.value!.equals(BINARY)).toBe(true);
    expect(sent.headers.map(([k, v]) => [k, text(v)])).toEqual([
      ['trace', 'a,b=c'],
      ['empty', null],
      ['__connect.errors.topic', 'orders'],
      ['__connect.errors.partition', '2'],
      ['__connect.errors.offset', '9007199254740993'],
      ['__connect.errors.connector.name', 'orders-sink'],
      ['__connect.errors.task.id', '3'],
      ['__connect.errors.stage', 'VALUE_CONVERTER'],
      ['__connect.errors.class.name', JSON_CONVERTER],
      ['__connect.errors.exception.class.name', 'org.apache.kafka.connect.errors.DataException'],
      ['__connect.errors.exception.message', 'Converting byte[] to Kafka Connect data failed due to serialization error of topic orders: bad'],
      ['__connect.errors.exception.stacktrace', stackTraceText(ctx.error)],
    ]);
    expect(ctx.consumedRecord!.headers).toHaveLength(2); // the consumed record's list is left alone
  });

  it('keeps a null key and null value null, and sends no timestamp for a record without one', async () => {
    const { producer, reporter } = setup();
    await reporter.report(context({ consumedRecord: consumed({ key: null, value: null, timestamp: -1, headers: [] }) }));
    const [sent] = producer.sends[0].records;
    expect(sent.key).toBeNull();
    expect(sent.value).toBeNull();
    expect(sent.timestamp).toBeNull();
    expect(sent.headers[0][0]).toBe('__connect.errors.topic');
  });

  it('adds no headers with context headers off: exactly the original ones, duplicates included', async () => {
    const { producer, reporter } = setup({ contextHeadersEnabled: false });
    const headers: Array<readonly [string, Buffer | null]> = [
      ['a', Buffer.from('1')],
      ['a', Buffer.from('2')],
      ['__connect.errors.stage', Buffer.from('from an earlier DLQ')],
    ];
    await reporter.report(context({ consumedRecord: consumed({ headers }) }));
    expect(producer.sends[0].records[0].headers.map(([k, v]) => [k, text(v)])).toEqual([
      ['a', '1'],
      ['a', '2'],
      ['__connect.errors.stage', 'from an earlier DLQ'],
    ]);
  });

  it('ignores source contexts and does nothing without a topic', async () => {
    const { producer, reporter } = setup();
    await reporter.report(context({ stage: Stage.KAFKA_PRODUCE, consumedRecord: null, sourceRecord: sourceRecord({ topic: 't', value: 'v' }) }));
    expect(producer.sends).toHaveLength(0);

    const off = setup({ topic: '  ' });
    await off.reporter.report(context());
    await off.reporter.close();
    expect(off.producer.sends).toHaveLength(0);
    expect(off.ensureCalls).toEqual([]);
  });

  it('resolves only once Kafka acknowledged the record', async () => {
    const { producer, reporter } = setup({}, undefined, new FakeProducer());
    let done = false;
    const report = reporter.report(context()).then(() => (done = true));
    await settle();
    expect(producer.sends).toHaveLength(1);
    expect(done).toBe(false);
    producer.ack();
    await report;
    expect(done).toBe(true);
  });

  it('creates the topic once, before the first write, with one partition and the configured replication factor', async () => {
    const { reporter, ensureCalls, logger } = setup({ replicationFactor: 2 }, async () => 'created');
    await Promise.all([reporter.report(context()), reporter.report(context()), reporter.start()]);
    expect(ensureCalls).toEqual([['dlq-orders', 2]]);
    expect(logger.messages('info')).toEqual(['Created dead letter queue topic dlq-orders (1 partition, replication factor 2)']);
  });

  it('tolerates a failure to create the topic with a warning and still writes', async () => {
    const { producer, reporter, logger } = setup({}, async () => {
      throw new ConnectError('Failed to create topic dlq-orders: Broker 0 not found in the cached metadata');
    });
    await reporter.report(context());
    expect(producer.sends).toHaveLength(1);
    expect(logger.messages('warn')).toEqual([
      'Could not create dead letter queue topic dlq-orders with replication factor 3 (errors.deadletterqueue.topic.replication.factor): ' +
        'Failed to create topic dlq-orders: Broker 0 not found in the cached metadata. ' +
        'Continuing: the topic must exist already or be created automatically by the brokers on first write.',
    ]);
  });

  it('retries retriable send failures, then succeeds', async () => {
    const { producer, reporter, logger } = setup();
    producer.failures.push(new ConnectError('Connection refused', { retriable: true }), new ConnectError('Not leader', { retriable: true }));
    await reporter.report(context());
    expect(producer.sends).toHaveLength(3);
    expect(logger.messages('warn')).toHaveLength(2);
    expect(logger.messages('warn')[0]).toMatch(/^Failed to write the record at topic orders partition 2 offset 9007199254740993 to the dead letter queue topic dlq-orders, retrying in 1 ms: Connection refused$/);
  });

  it('retries on the shared retry helper: backoff doubling from retryBackoffMs, bounded by delivery.timeout.ms, on the injected clock', async () => {
    const time = new FakeTime();
    const producer = new FakeProducer({ autoAck: true, deliveryTimeoutMs: 1000 });
    for (let i = 0; i < 100; i++) producer.failures.push(new RetriableError('broker down'));
    const reporter = new DeadLetterQueueReporter({
      config: { topic: 'dlq-orders', replicationFactor: 1, contextHeadersEnabled: false },
      connectorName: 'orders-sink',
      taskId: 0,
      producer,
      ensureTopic: async () => 'exists',
      logger: new RecordingLogger(),
      retryBackoffMs: 100,
      clock: time,
    });
    await expect(reporter.report(context())).rejects.toThrow(/to the dead letter queue topic dlq-orders: broker down$/);
    expect(time.sleeps).toEqual([100, 200, 400, 300]); // the last wait ends at the deadline
    expect(producer.sends).toHaveLength(5);
  });

  it('rejects on a non-retriable failure, naming the record and the topic', async () => {
    const { producer, reporter } = setup();
    const cause = new ConnectError('Topic authorization failed');
    producer.failures.push(cause);
    const err = await reporter.report(context()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).retriable).toBe(false);
    expect((err as ConnectError).cause).toBe(cause);
    expect((err as Error).message).toBe(
      'Failed to write the record at topic orders partition 2 offset 9007199254740993 to the dead letter queue topic dlq-orders: Topic authorization failed',
    );
    expect(producer.sends).toHaveLength(1);
  });

  it('gives up on retriable failures after delivery.timeout.ms', async () => {
    const { producer, reporter } = setup({}, undefined, new FakeProducer({ autoAck: true, deliveryTimeoutMs: 20 }));
    for (let i = 0; i < 1000; i++) producer.failures.push(new RetriableError('broker down'));
    await expect(reporter.report(context())).rejects.toThrow(/to the dead letter queue topic dlq-orders: broker down$/);
    expect(producer.sends.length).toBeGreaterThan(1);
  });

  it('connects the producer once and disconnects it on close; reports after close reject', async () => {
    const { producer, reporter } = setup();
    const connect = jest.spyOn(producer, 'connect');
    await reporter.report(context());
    await reporter.report(context());
    expect(connect).toHaveBeenCalledTimes(1);
    await reporter.close();
    expect(producer.disconnected).toBe(true);
    await expect(reporter.report(context())).rejects.toThrow('The dead letter queue reporter for topic dlq-orders is closed');
  });

  it('close ends a retry in progress and waits for it', async () => {
    const { producer, reporter } = setup();
    producer.failures.push(...Array.from({ length: 1000 }, () => new RetriableError('broker down')));
    const report = reporter.report(context()).catch((e: unknown) => e);
    await settle();
    await reporter.close();
    expect(await report).toBeInstanceOf(ConnectError);
    expect(producer.disconnected).toBe(true);
  });
});

describe('exception class names and stack traces', () => {
  class ConnectorSpecificError extends DataError {}

  it.each([
    [new DataError('x'), 'org.apache.kafka.connect.errors.DataException'],
    [new RetriableError('x'), 'org.apache.kafka.connect.errors.RetriableException'],
    [new ConnectError('x'), 'org.apache.kafka.connect.errors.ConnectException'],
    [new ConnectError('x', { retriable: true }), 'org.apache.kafka.connect.errors.RetriableException'],
    [new ConfigError('x'), 'org.apache.kafka.common.config.ConfigException'],
    [new ConnectorSpecificError('x'), 'ConnectorSpecificError'],
    [new TypeError('x'), 'TypeError'],
    [new Error('x'), 'Error'],
  ])('%p is written as %s', async (err, name) => {
    expect(exceptionClassName(err)).toBe(name);
    const { producer, reporter } = setup();
    await reporter.report(context({ error: err }));
    const headers = new Map(producer.sends[0].records[0].headers);
    expect(text(headers.get('__connect.errors.exception.class.name') ?? null)).toBe(name);
    expect(text(headers.get('__connect.errors.exception.stacktrace') ?? null)!.startsWith(`${name}: x\n`)).toBe(true);
  });

  it('lays the trace out as Java does: class and message, frames, then each cause', () => {
    const inner = new SyntaxError('Unexpected token');
    const outer = new DataError('Converting failed', { cause: inner });
    const lines = stackTraceText(outer).split('\n');
    expect(lines[0]).toBe('org.apache.kafka.connect.errors.DataException: Converting failed');
    expect(lines[1]).toMatch(/^\s+at /);
    const causedBy = lines.indexOf('Caused by: SyntaxError: Unexpected token');
    expect(causedBy).toBeGreaterThan(1);
    expect(lines[causedBy + 1]).toMatch(/^\s+at /);
    expect(lines[lines.length - 1]).toBe(''); // ends with a newline
  });

  it('stops at a cause cycle', () => {
    const a = new ConnectError('a');
    const b = new ConnectError('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(stackTraceText(b).match(/Caused by/g)).toHaveLength(1);
  });
});

describe('createDeadLetterQueueReporter', () => {
  function fakeClients() {
    const producer = new FakeProducer({ autoAck: true });
    const calls: string[] = [];
    const clients: KafkaClientFactory = {
      checkReachable: async () => undefined,
      createProducer: (clientId) => {
        calls.push(`producer ${clientId}`);
        return producer;
      },
      createConsumer: () => {
        throw new Error('not used');
      },
      ensureTopic: async (clientId, topic, options) => {
        calls.push(`ensure ${clientId} ${topic} ${options.partitions} ${options.replicationFactor}`);
        return 'exists';
      },
    };
    return { clients, calls, producer };
  }

  it('is null without a topic', () => {
    const { clients, calls } = fakeClients();
    const config = { topic: '', replicationFactor: 3, contextHeadersEnabled: false };
    expect(createDeadLetterQueueReporter({ clients, config, connectorName: 'c', taskId: 0, clientIdBase: '', logger: new RecordingLogger() })).toBeNull();
    expect(calls).toEqual([]);
  });

  it("uses Kafka's client ids and starts creating the topic at once", async () => {
    const { clients, calls } = fakeClients();
    const config = { topic: 'dlq', replicationFactor: 1, contextHeadersEnabled: false };
    const reporter = createDeadLetterQueueReporter({ clients, config, connectorName: 'c', taskId: 4, clientIdBase: '', logger: new RecordingLogger() })!;
    await settle();
    expect(calls).toEqual(['producer connector-dlq-producer-c-4', 'ensure connector-dlq-adminclient-c-4 dlq 1 1']);
    await reporter.close();
  });
});
