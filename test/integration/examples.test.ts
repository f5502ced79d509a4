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
    // Short enough that a sink restarted at once resumes within seconds on a broker that ignores
    // LeaveGroup (the test broker), as the restart below checks.
    expect(workerProps['consumer.session.timeout.ms']).toBe('6000');
    expect(workerProps['consumer.heartbeat.interval.ms']).toBe('2000');
    const worker = writeProperties(tmp.file('worker.properties'), {
      ...workerProps,
      'bootstrap.servers': broker.bootstrapServers,
      'offset.storage.file.filename': tmp.file('connect.offsets'),
    });
    const source = loadConfigFile(path.join(examples, 'file-source.properties'));
    await broker.createTopic(source.topic, 1);
    fs.writeFileSync(tmp.file(source.file), 'from the example\n');
    const args = [worker, path.join(examples, 'file-source.properties'), path.join(examples, 'file-sink.properties')];
    const sinkFile = tmp.file(loadConfigFile(path.join(examples, 'file-sink.properties')).file);
    const w = startWorker(args, { cwd: tmp.dir });
    try {
      const [m] = await readTopic(broker.bootstrapServers, source.topic, { count: 1 });
      expect(m.value?.toString()).toBe('{"schema":{"type":"string","optional":false},"payload":"from the example"}');
      await eventually(() => fs.existsSync(sinkFile) && fs.readFileSync(sinkFile, 'utf8') === 'from the example\n', 30000, () => 'sink file not written');
    } finally {
      expect(await w.stop()).toBe(0);
    }

    // Restarted at once, the sink gets its partition back after the old member's session (6 s)
    // rather than the 45 s default, on a broker that ignores LeaveGroup.
    const again = startWorker(args, { cwd: tmp.dir });
    try {
      fs.appendFileSync(tmp.file(source.file), 'after the restart\n');
      await eventually(
        () => fs.readFileSync(sinkFile, 'utf8') === 'from the example\nafter the restart\n',
        20000,
        () => `sink file after restart: ${JSON.stringify(fs.readFileSync(sinkFile, 'utf8'))}`,
      );
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 90_000);

  it('file-source-transforms.properties runs as shipped: structured, keyed and rerouted records', async () => {
    const examples = path.join(ROOT, 'examples');
    const workerProps = loadConfigFile(path.join(examples, 'worker.properties'));
    const worker = writeProperties(tmp.file('transforms-worker.properties'), {
      ...workerProps,
      'bootstrap.servers': broker.bootstrapServers,
      'offset.storage.file.filename': tmp.file('transforms.offsets'),
    });
    const connectorFile = path.join(examples, 'file-source-transforms.properties');
    const source = loadConfigFile(connectorFile);
    expect(source.topic).toBe('connect-test-raw');
    await broker.createTopic('connect-test-structured', 1);
    const dir = fs.mkdtempSync(path.join(tmp.dir, 'transforms-'));
    fs.writeFileSync(path.join(dir, source.file), 'first line\n');
    const w = startWorker([worker, connectorFile], { cwd: dir });
    try {
      const [m] = await readTopic(broker.bootstrapServers, 'connect-test-structured', { count: 1 });
      const key = JSON.parse(m.key!.toString()) as { payload: unknown };
      const value = JSON.parse(m.value!.toString()) as { schema: { fields: Array<{ field: string }> }; payload: unknown };
      expect(key.payload).toEqual({ line: 'first line' });
      expect(value.schema.fields.map((f) => f.field)).toEqual(['line', 'origin']);
      expect(value.payload).toEqual({ line: 'first line', origin: 'example' });
    } finally {
      expect(await w.stop()).toBe(0);
    }
  }, 60_000);
});
