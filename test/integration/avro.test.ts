import * as fs from 'fs';
import { produce, readTopic } from '../harness/kcat';
import { useBroker, useTempDir, useSchemaRegistry } from './helpers/suite';
import { startWorker, testWorkerProps, writeProperties, untilFileHolds } from './helpers/worker-process';

/**
 * io.confluent.connect.avro.AvroConverter through the real CLI, with the test Schema Registry
 * (test/harness/schema-registry.ts; point schema.registry.url at a real one to run against it).
 * Expected bytes: Confluent's wire format, 00 <schema id, 4 bytes big-endian> <Avro binary>, where
 * a FileStreamSource line (Connect STRING) is the Avro string: zigzag varint length, then UTF-8.
 */
describe('AvroConverter', () => {
  const broker = useBroker();
  const tmp = useTempDir();
  const registry = useSchemaRegistry();

  const avroWorker = (name: string) =>
    writeProperties(
      tmp.file(`${name}-worker.properties`),
      testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`), {
        'value.converter': 'io.confluent.connect.avro.AvroConverter',
        'value.converter.schema.registry.url': registry.url,
      }),
    );

  it('FileStreamSource writes Confluent wire-format records and registers <topic>-value; FileStreamSink writes the lines back', async () => {
    const topic = 'avro-lines';
    await broker.createTopic(topic, 1);
    const source = tmp.file('lines.txt');
    const sink = tmp.file('lines.sink.txt');
    const lines = ['hello', 'ünïcödé ✓', '', 'x'.repeat(100)];
    fs.writeFileSync(source, lines.map((l) => l + '\n').join(''));
    const src = writeProperties(tmp.file('lines-source.properties'), { name: 'avro-source', 'connector.class': 'FileStreamSource', file: source, topic });
    const snk = writeProperties(tmp.file('lines-sink.properties'), { name: 'avro-sink', 'connector.class': 'FileStreamSink', file: sink, topics: topic });
    const w = startWorker([avroWorker('lines'), src, snk]);
    try {
      const messages = await readTopic(broker.bootstrapServers, topic, { count: lines.length });
      const versions = await registry.versions(`${topic}-value`);
      expect(versions).toEqual([{ version: 1, id: expect.any(Number), schema: '"string"' }]);
      const header = Buffer.alloc(5);
      header.writeInt32BE(versions[0].id, 1);
      expect(messages.map((m) => m.value!.toString('hex'))).toEqual(lines.map((l) => Buffer.concat([header, avroString(l)]).toString('hex')));
      expect(messages.map((m) => m.key)).toEqual(lines.map(() => null));
      await untilFileHolds(sink, fs.readFileSync(source, 'utf8'));
      // One registration for the source; one id fetch and one version lookup for the sink.
      const calls = (await registry.requests()).map((r) => `${r.method} ${r.path}`);
      expect(calls).toEqual([`POST /subjects/${topic}-value/versions`, `GET /schemas/ids/${versions[0].id}`, `POST /subjects/${topic}-value`]);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('fails a sink task given bytes that are not Avro, naming the topic, partition and offset', async () => {
    const topic = 'avro-malformed';
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, [{ value: 'not avro at all' }]);
    const snk = writeProperties(tmp.file('malformed-sink.properties'), { name: 'malformed-sink', 'connector.class': 'FileStreamSink', file: tmp.file('malformed.sink.txt'), topics: topic });
    const w = startWorker([avroWorker('malformed'), snk]);
    try {
      const line = await w.waitForLog(/Failed to convert the value of the record at topic avro-malformed partition 0 offset 0/, 60000);
      expect(line).toContain('Failed to deserialize data for topic avro-malformed to Avro: Unknown magic byte!');
      expect(line).toContain('DataError');
    } finally {
      await w.stop();
    }
    expect(fs.existsSync(tmp.file('malformed.sink.txt')) ? fs.readFileSync(tmp.file('malformed.sink.txt'), 'utf8') : '').toBe('');
  });
});

/** An Avro string: its UTF-8 length as a zigzag varint, then the bytes. */
function avroString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  let n = bytes.length * 2;
  const length: number[] = [];
  while (n >= 0x80) {
    length.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  length.push(n);
  return Buffer.concat([Buffer.from(length), bytes]);
}
