import * as fs from 'fs';
import * as path from 'path';
import { readTopic } from '../harness/kcat';
import { eventually, ROOT, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

interface EveryTypeFixture {
  EXPECTED_JSON: string;
  EXPECTED_SINK_LINE: string;
}
const PLUGIN_DIR = path.join(ROOT, 'test', 'fixtures', 'plugins', 'every-type-source');
// The golden strings and where each part comes from: test/fixtures/plugins/every-type-source/every-type.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { EXPECTED_JSON, EXPECTED_SINK_LINE } = require(path.join(PLUGIN_DIR, 'every-type.js')) as EveryTypeFixture;

/**
 * One record with a field of every Connect type and logical type, from the EveryTypeSource test plugin
 * (loaded through plugin.path) through the real CLI: the bytes in Kafka must be Apache Kafka's
 * JsonConverter output byte for byte, and a FileStreamSink reading them back with JsonConverter must
 * print Kafka's text form of the struct.
 */
describe('JsonConverter with every type, through the CLI', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('writes Kafka-identical JSON for a struct of every type, and the sink prints Struct{...}', async () => {
    const topic = 'every-type';
    await broker.createTopic(topic, 1);
    const sinkFile = tmp.file('every-type.sink.txt');
    const worker = writeProperties(
      tmp.file('worker.properties'),
      testWorkerProps(broker.bootstrapServers, tmp.file('offsets'), {
        'plugin.path': PLUGIN_DIR,
        'value.converter.schemas.enable': 'true',
      }),
    );
    const source = writeProperties(tmp.file('source.properties'), { name: 'every-type-source', 'connector.class': 'EveryTypeSource', topic });
    const sink = writeProperties(tmp.file('sink.properties'), {
      name: 'every-type-sink',
      'connector.class': 'FileStreamSink',
      file: sinkFile,
      topics: topic,
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    });
    const w = startWorker([worker, source, sink]);
    try {
      const [message] = await readTopic(broker.bootstrapServers, topic, { count: 1 });
      expect(message.key).toBeNull();
      expect(message.value?.toString('utf8')).toBe(EXPECTED_JSON);
      expect(message.value?.equals(Buffer.from(EXPECTED_JSON, 'utf8'))).toBe(true);
      await eventually(() => fs.existsSync(sinkFile) && fs.readFileSync(sinkFile, 'utf8').endsWith('\n'), 30000, () =>
        `sink file: ${fs.existsSync(sinkFile) ? JSON.stringify(fs.readFileSync(sinkFile, 'utf8')) : '(missing)'}; stderr:\n${w.stderr().slice(-3000)}`,
      );
      expect(fs.readFileSync(sinkFile, 'utf8')).toBe(`${EXPECTED_SINK_LINE}\n`);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });
});
