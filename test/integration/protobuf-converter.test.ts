import * as fs from 'fs';
import { produce, readTopic } from '../harness/kcat';
import { useBroker, useTempDir, useSchemaRegistry } from './helpers/suite';
import { startWorker, testWorkerProps, writeProperties, untilFileHolds } from './helpers/worker-process';

/**
 * io.confluent.connect.protobuf.ProtobufConverter through the real CLI: a FileStreamSource line
 * hoisted into a struct field `line` is the message `ConnectDefault1 { string line = 1; }`, written
 * as 00 <id> 00 (the first message) 0a <length> <UTF-8>; a FileStreamSink with the same converter
 * writes it back as Struct{line=...}.
 */
describe('ProtobufConverter', () => {
  const broker = useBroker();
  const tmp = useTempDir();
  const registry = useSchemaRegistry();

  it('FileStreamSource + HoistField$Value writes Confluent Protobuf records registered as PROTOBUF; FileStreamSink writes Struct{line=...}', async () => {
    const topic = 'protobuf-lines';
    await broker.createTopic(topic, 1);
    const source = tmp.file('lines.txt');
    const sink = tmp.file('lines.sink.txt');
    const lines = ['foo', 'ünï ✓'];
    fs.writeFileSync(source, lines.map((l) => l + '\n').join(''));
    const worker = writeProperties(
      tmp.file('worker.properties'),
      testWorkerProps(broker.bootstrapServers, tmp.file('worker.offsets'), {
        'value.converter': 'io.confluent.connect.protobuf.ProtobufConverter',
        'value.converter.schema.registry.url': registry.url,
      }),
    );
    const src = writeProperties(tmp.file('source.properties'), {
      name: 'protobuf-source',
      'connector.class': 'FileStreamSource',
      file: source,
      topic,
      transforms: 'hoist',
      'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
      'transforms.hoist.field': 'line',
    });
    const snk = writeProperties(tmp.file('sink.properties'), { name: 'protobuf-sink', 'connector.class': 'FileStreamSink', file: sink, topics: topic });
    const w = startWorker([worker, src, snk]);
    try {
      const messages = await readTopic(broker.bootstrapServers, topic, { count: lines.length });
      const versions = await registry.versions(`${topic}-value`);
      expect(versions).toEqual([
        { version: 1, id: expect.any(Number), schemaType: 'PROTOBUF', schema: 'syntax = "proto3";\n\nmessage ConnectDefault1 {\n  string line = 1;\n}\n' },
      ]);
      const id = Buffer.alloc(4);
      id.writeInt32BE(versions[0].id);
      expect(messages[0].value!.toString('hex')).toBe(`00${id.toString('hex')}000a03666f6f`);
      const utf8 = Buffer.from(lines[1]);
      expect(messages[1].value!.toString('hex')).toBe(`00${id.toString('hex')}000a${utf8.length.toString(16).padStart(2, '0')}${utf8.toString('hex')}`);
      const expected = lines.map((l) => `Struct{line=${l}}\n`).join('');
      await untilFileHolds(sink, expected);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('fails a sink task given bytes that are not in the wire format, naming the topic, partition and offset', async () => {
    const topic = 'protobuf-malformed';
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, [{ value: 'not protobuf' }]);
    const worker = writeProperties(
      tmp.file('malformed-worker.properties'),
      testWorkerProps(broker.bootstrapServers, tmp.file('malformed.offsets'), {
        'value.converter': 'ProtobufConverter',
        'value.converter.schema.registry.url': registry.url,
      }),
    );
    const snk = writeProperties(tmp.file('malformed-sink.properties'), { name: 'malformed-sink', 'connector.class': 'FileStreamSink', file: tmp.file('malformed.sink.txt'), topics: topic });
    const w = startWorker([worker, snk]);
    try {
      const line = await w.waitForLog(/Failed to convert the value of the record at topic protobuf-malformed partition 0 offset 0/, 60000);
      expect(line).toContain('Failed to deserialize data for topic protobuf-malformed to Protobuf: Unknown magic byte!');
      expect(line).toContain('DataError');
    } finally {
      await w.stop();
    }
  });
});
