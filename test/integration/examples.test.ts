import * as fs from 'fs';
import * as path from 'path';
import { readTopic } from '../harness/kcat';
import { loadConfigFile } from '../../src/cli/config-files';
import { eventually, ROOT, startWorker, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * House rule: every plugin's example config is parsed, started and stopped. The connector files in
 * examples/ are used unchanged (their relative file names resolve in the worker's working
 * directory); only the worker file's broker address and offsets path are pointed at the test's.
 */
describe('examples/', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('worker.properties, file-source.properties and file-sink.properties run as shipped', async () => {
    const examples = path.join(ROOT, 'examples');
    const workerProps = loadConfigFile(path.join(examples, 'worker.properties'));
    expect(workerProps['bootstrap.servers']).toBe('localhost:9092');
    const worker = writeProperties(tmp.file('worker.properties'), {
      ...workerProps,
      'bootstrap.servers': broker.bootstrapServers,
      'offset.storage.file.filename': tmp.file('connect.offsets'),
      'consumer.session.timeout.ms': 6000,
      'consumer.heartbeat.interval.ms': 2000,
    });
    const source = loadConfigFile(path.join(examples, 'file-source.properties'));
    await broker.createTopic(source.topic, 1);
    fs.writeFileSync(tmp.file(source.file), 'from the example\n');
    const w = startWorker([worker, path.join(examples, 'file-source.properties'), path.join(examples, 'file-sink.properties')], { cwd: tmp.dir });
    try {
      const [m] = await readTopic(broker.bootstrapServers, source.topic, { count: 1 });
      expect(m.value?.toString()).toBe('{"schema":{"type":"string","optional":false},"payload":"from the example"}');
      const sinkFile = tmp.file(loadConfigFile(path.join(examples, 'file-sink.properties')).file);
      await eventually(() => fs.existsSync(sinkFile) && fs.readFileSync(sinkFile, 'utf8') === 'from the example\n', 30000, () => 'sink file not written');
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });
});
