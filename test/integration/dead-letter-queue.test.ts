import * as fs from 'fs';
import { Kafka, KafkaMessage, logLevel, Partitioners } from 'kafkajs';
import { ConnectError } from '../../src/api';
import { KafkajsClientFactory } from '../../src/runtime/kafka/kafka-client-factory';
import { silentLogger } from '../../src/runtime/runtime-logger';
import { parseWorkerConfig } from '../../src/runtime/worker-config';
import { readTopic } from '../harness/kcat';
import { eventually, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * errors.tolerance=all with a dead letter queue, through the real CLI. The DLQ is read with kafkajs:
 * kcat's header output cannot carry the commas of an exception message or stack trace.
 */
describe('dead letter queue', () => {
  const broker = useBroker();
  const tmp = useTempDir();
  const run = Date.now().toString(36); // fresh topics when run against a real cluster

  const kafka = (): Kafka => new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });

  async function produce(topic: string, messages: Array<{ key: string; value: Buffer | string; headers?: Record<string, string> }>): Promise<void> {
    const producer = kafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic, messages });
    } finally {
      await producer.disconnect();
    }
  }

  /** Reads `count` messages from every partition of `topic` from the beginning. */
  async function consume(topic: string, count: number, timeoutMs = 60000): Promise<KafkaMessage[]> {
    const consumer = kafka().consumer({ groupId: `dlq-reader-${run}-${topic}`, sessionTimeout: 6000, heartbeatInterval: 2000 });
    const messages: KafkaMessage[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
      await eventually(() => messages.length >= count, timeoutMs, () => `${messages.length} of ${count} messages read from ${topic}`);
    } finally {
      await consumer.disconnect();
    }
    return messages;
  }

  const header = (m: KafkaMessage, key: string): string | undefined => {
    const v = m.headers?.[key];
    return v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  };

  it('a record the value converter rejects lands in the DLQ with its original bytes and the error headers; the others reach the sink', async () => {
    const topic = `dlq-input-${run}`;
    const dlq = `dlq-${run}`;
    await broker.createTopic(topic, 1);
    const envelope = (s: string): string => JSON.stringify({ schema: { type: 'string', optional: false }, payload: s });
    const badValue = Buffer.from('{"schema": {"type": "string"}, "payload": nope', 'utf8');
    await produce(topic, [
      { key: 'k0', value: envelope('first') },
      { key: 'bad-key', value: badValue, headers: { trace: 'id-1, id-2' } },
      { key: 'k2', value: envelope('second') },
    ]);
    const sink = tmp.file('dlq-sink.txt');
    const workerFile = writeProperties(tmp.file('dlq-worker.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('dlq.offsets')));
    const connFile = writeProperties(tmp.file('dlq-sink.properties'), {
      name: 'dlq-json-sink',
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: sink,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': 1,
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    const w = startWorker([workerFile, connFile]);
    try {
      const taskFailed = /Task threw an uncaught and unrecoverable exception/;
      await eventually(() => {
        if (taskFailed.test(w.stderr())) throw new Error(`the sink task failed instead of skipping the record:\n${w.stderr().slice(-3000)}`);
        return fs.existsSync(sink) && fs.readFileSync(sink, 'utf8') === 'first\nsecond\n';
      }, 60000, () =>
        `sink file: ${fs.existsSync(sink) ? JSON.stringify(fs.readFileSync(sink, 'utf8')) : '(missing)'}; stderr:\n${w.stderr().slice(-3000)}`,
      );
      const [dead] = await consume(dlq, 1);
      const [original] = (await readTopic(broker.bootstrapServers, topic, { count: 3 })).slice(1, 2);

      expect(dead.key).toEqual(Buffer.from('bad-key'));
      expect(dead.value!.equals(badValue)).toBe(true);
      expect(Number(dead.timestamp)).toBe(original.timestamp);
      expect(Object.keys(dead.headers ?? {})).toEqual([
        'trace',
        '__connect.errors.topic',
        '__connect.errors.partition',
        '__connect.errors.offset',
        '__connect.errors.connector.name',
        '__connect.errors.task.id',
        '__connect.errors.stage',
        '__connect.errors.class.name',
        '__connect.errors.exception.class.name',
        '__connect.errors.exception.message',
        '__connect.errors.exception.stacktrace',
      ]);
      expect(header(dead, 'trace')).toBe('id-1, id-2');
      expect(header(dead, '__connect.errors.topic')).toBe(topic);
      expect(header(dead, '__connect.errors.partition')).toBe('0');
      expect(header(dead, '__connect.errors.offset')).toBe('1');
      expect(header(dead, '__connect.errors.connector.name')).toBe('dlq-json-sink');
      expect(header(dead, '__connect.errors.task.id')).toBe('0');
      expect(header(dead, '__connect.errors.stage')).toBe('VALUE_CONVERTER');
      expect(header(dead, '__connect.errors.class.name')).toBe('org.apache.kafka.connect.json.JsonConverter');
      expect(header(dead, '__connect.errors.exception.class.name')).toBe('org.apache.kafka.connect.errors.DataException');
      // Kafka records the converter's own exception, not a runtime wrapper around it.
      const message = header(dead, '__connect.errors.exception.message')!;
      expect(message.startsWith(`Converting byte[] to Kafka Connect data failed due to serialization error of topic ${topic}: `)).toBe(true);
      const trace = header(dead, '__connect.errors.exception.stacktrace')!;
      expect(trace.startsWith(`org.apache.kafka.connect.errors.DataException: ${message}\n`)).toBe(true);
      expect(trace).toMatch(/\n\s+at /);

      if (broker.isMock) expect(w.stderr()).toContain(`Could not create dead letter queue topic ${dlq} with replication factor 1`);
      expect(w.stderr()).not.toMatch(taskFailed);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('KafkajsClientFactory.ensureTopic creates a topic, or rejects with the reason (the mock broker cannot CreateTopics)', async () => {
    const props = testWorkerProps(broker.bootstrapServers, tmp.file('ensure.offsets'), { 'default.api.timeout.ms': 5000 });
    const config = parseWorkerConfig(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, String(v)])));
    const factory = new KafkajsClientFactory(config, silentLogger);
    const topic = `ensure-${run}`;
    const options = { partitions: 1, replicationFactor: 1 };
    if (broker.isMock) {
      const err = await factory.ensureTopic('test-admin', topic, options).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectError);
      expect((err as Error).message).toMatch(new RegExp(`^Failed to create topic ${topic}: `));
    } else {
      expect(await factory.ensureTopic('test-admin', topic, options)).toBe('created');
      expect(await factory.ensureTopic('test-admin', topic, options)).toBe('exists');
    }
  });
});
