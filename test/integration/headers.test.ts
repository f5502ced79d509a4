import * as fs from 'fs';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { errorLine, eventually, runCli, startWorker, testWorkerProps, writeProperties, untilFileHolds } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * Number converters and header converters through the real CLI. Records are produced with kafkajs
 * (kcat's producer helper sends no headers) as a Java producer with LongSerializer and
 * IntegerSerializer would write them: big-endian 8- and 4-byte values.
 */
describe('number converters and header.converter', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  const int32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(n);
    return b;
  };
  const int64 = (n: bigint): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(n);
    return b;
  };

  async function produce(topic: string, messages: Array<{ key?: Buffer; value: Buffer; headers?: Record<string, Buffer | string> }>): Promise<void> {
    const kafka = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({ topic, messages });
    } finally {
      await producer.disconnect();
    }
  }

  const workerFile = (name: string, extra: Record<string, string> = {}) =>
    writeProperties(tmp.file(`${name}-worker.properties`), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`)),
      'key.converter': 'org.apache.kafka.connect.converters.IntegerConverter',
      'value.converter': 'org.apache.kafka.connect.converters.LongConverter',
      ...extra,
    });

  it('LongConverter values and IntegerConverter keys reach a FileStreamSink as their numbers, headers read by the default SimpleHeaderConverter', async () => {
    const topic = 'longs';
    await broker.createTopic(topic, 1);
    await produce(topic, [
      { key: int32(1), value: int64(42n), headers: { trace: 'abc-123', attempt: '2', tags: '["a","b"]' } },
      { key: int32(-1), value: int64(-1n), headers: { attempt: '3' } },
      { key: int32(2147483647), value: int64(2n ** 63n - 1n) },
    ]);
    const sink = tmp.file('longs.txt');
    const conn = writeProperties(tmp.file('longs-sink.properties'), { name: 'longs-sink', 'connector.class': 'FileStreamSink', topics: topic, file: sink });
    const w = startWorker([workerFile('longs'), conn]);
    try {
      const expected = '42\n-1\n9223372036854775807\n';
      await untilFileHolds(sink, expected);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it("a connector's header.converter reads its headers, and a header it cannot read fails the task naming the header", async () => {
    const topic = 'int-headers';
    await broker.createTopic(topic, 1);
    const sink = tmp.file('int-headers.txt');
    const conn = writeProperties(tmp.file('int-headers-sink.properties'), {
      name: 'int-headers-sink',
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: sink,
      'header.converter': 'org.apache.kafka.connect.converters.IntegerConverter',
    });
    const w = startWorker([workerFile('int-headers'), conn]);
    try {
      await produce(topic, [{ key: int32(1), value: int64(7n), headers: { n: int32(5) } }]);
      await eventually(() => fs.existsSync(sink) && fs.readFileSync(sink, 'utf8') === '7\n', 30000, () => 'the first record was not written');
      // Three bytes: SimpleHeaderConverter would read them as a string; IntegerConverter refuses them.
      await produce(topic, [{ key: int32(2), value: int64(8n), headers: { n: Buffer.from([1, 2, 3]) } }]);
      await w.waitForLog(/"connector":"int-headers-sink".*Task threw an uncaught and unrecoverable exception/, 60000);
      expect(w.stderr()).toContain(
        `Failed to convert header n of the record at topic ${topic} partition 0 offset 1: Failed to deserialize integer for topic ${topic}: Size of data received by IntegerDeserializer is not 4`,
      );
    } finally {
      expect(await w.stop()).toBe(3); // shut down cleanly, but a task had failed
    }
    expect(fs.readFileSync(sink, 'utf8')).toBe('7\n');
  });

  it('an unknown header.converter fails at start with the known header converters, before reaching Kafka', async () => {
    const worker = workerFile('bad-header', { 'header.converter': 'org.example.NoSuchHeaderConverter' });
    const conn = writeProperties(tmp.file('bad-header-sink.properties'), { name: 'bad-header-sink', 'connector.class': 'FileStreamSink', topics: 't', file: tmp.file('never.txt') });
    const r = await runCli([worker, conn]);
    expect(r.code).toBe(1);
    const line = errorLine(r.stderr);
    expect(line.startsWith(
      `connect-standalone: Invalid connector config ${conn}: Invalid value org.example.NoSuchHeaderConverter for configuration header.converter: ` +
        'Class org.example.NoSuchHeaderConverter could not be found, available header converters are: ',
    )).toBe(true);
    for (const known of ['org.apache.kafka.connect.storage.SimpleHeaderConverter (SimpleHeaderConverter)', 'org.apache.kafka.connect.converters.IntegerConverter (IntegerConverter)', 'org.apache.kafka.connect.storage.StringConverter (StringConverter)']) {
      expect(line).toContain(known);
    }
    expect(fs.existsSync(tmp.file('bad-header.offsets'))).toBe(false);
  });

  it('a header-only converter is refused as value.converter', async () => {
    const worker = workerFile('header-as-value', { 'value.converter': 'SimpleHeaderConverter' });
    const conn = writeProperties(tmp.file('header-as-value.properties'), { name: 'hv-sink', 'connector.class': 'FileStreamSink', topics: 't', file: tmp.file('never2.txt') });
    const r = await runCli([worker, conn]);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toMatch(/Invalid value SimpleHeaderConverter for configuration value\.converter: Class SimpleHeaderConverter is not a Converter, available converters are: /);
  });
});
