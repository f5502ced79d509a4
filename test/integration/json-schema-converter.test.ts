import * as fs from 'fs';
import { produce, readTopic } from '../harness/kcat';
import { useBroker, useTempDir, useSchemaRegistry } from './helpers/suite';
import { startWorker, testWorkerProps, writeProperties, untilFileHolds } from './helpers/worker-process';

/**
 * io.confluent.connect.json.JsonSchemaConverter through the real CLI, with the test Schema Registry:
 * FileStreamSource lines hoisted into a struct field `line` (HoistField$Value) are written as
 * 00 <schema id> {"line":"..."}, the schema registered as JSON under <topic>-value; a FileStreamSink
 * with the same converter reads them back as Struct{line=...}.
 */
describe('JsonSchemaConverter', () => {
  const broker = useBroker();
  const tmp = useTempDir();
  const registry = useSchemaRegistry();

  const worker = (name: string) =>
    writeProperties(
      tmp.file(`${name}-worker.properties`),
      testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`), {
        'value.converter': 'io.confluent.connect.json.JsonSchemaConverter',
        'value.converter.schema.registry.url': registry.url,
      }),
    );

  it('FileStreamSource + HoistField$Value writes 00 <id> {"line":"foo"} and registers JSON under <topic>-value; FileStreamSink writes Struct{line=foo}', async () => {
    const topic = 'json-schema-lines';
    await broker.createTopic(topic, 1);
    const source = tmp.file('lines.txt');
    const sink = tmp.file('lines.sink.txt');
    const lines = ['foo', 'ünï "quoted"'];
    fs.writeFileSync(source, lines.map((l) => l + '\n').join(''));
    const src = writeProperties(tmp.file('lines-source.properties'), {
      name: 'json-schema-source',
      'connector.class': 'FileStreamSource',
      file: source,
      topic,
      transforms: 'hoist',
      'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
      'transforms.hoist.field': 'line',
    });
    const snk = writeProperties(tmp.file('lines-sink.properties'), { name: 'json-schema-sink', 'connector.class': 'FileStreamSink', file: sink, topics: topic });
    const w = startWorker([worker('lines'), src, snk]);
    try {
      const messages = await readTopic(broker.bootstrapServers, topic, { count: lines.length });
      const versions = await registry.versions(`${topic}-value`);
      expect(versions).toEqual([{ version: 1, id: expect.any(Number), schema: '{"type":"object","properties":{"line":{"type":"string","connect.index":0}}}', schemaType: 'JSON' }]);
      const header = Buffer.alloc(5);
      header.writeInt32BE(versions[0].id, 1);
      expect(messages[0].value!.toString('hex')).toBe(Buffer.concat([header, Buffer.from('{"line":"foo"}')]).toString('hex'));
      expect(messages[1].value!.subarray(5).toString()).toBe('{"line":"ünï \\"quoted\\""}');
      const expected = 'Struct{line=foo}\nStruct{line=ünï "quoted"}\n';
      await untilFileHolds(sink, expected);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('fails a sink task given bytes that are not in the wire format, naming the topic, partition and offset', async () => {
    const topic = 'json-schema-malformed';
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, [{ value: '{"line":"plain json"}' }]);
    const snk = writeProperties(tmp.file('malformed-sink.properties'), { name: 'malformed-sink', 'connector.class': 'FileStreamSink', file: tmp.file('malformed.sink.txt'), topics: topic });
    const w = startWorker([worker('malformed'), snk]);
    try {
      const line = await w.waitForLog(/Failed to convert the value of the record at topic json-schema-malformed partition 0 offset 0/, 60000);
      expect(line).toContain('Converting byte[] to Kafka Connect data failed due to serialization error of topic json-schema-malformed: Unknown magic byte!');
      expect(line).toContain('DataError');
    } finally {
      await w.stop();
    }
    expect(fs.existsSync(tmp.file('malformed.sink.txt')) ? fs.readFileSync(tmp.file('malformed.sink.txt'), 'utf8') : '').toBe('');
  });
});
