import * as fs from 'fs';
import { produce, readTopic } from '../harness/kcat';
import { eventually, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

describe('stdin, stdout and connector isolation', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  const worker = (name: string, extra: Record<string, string | number> = {}) =>
    writeProperties(tmp.file(`${name}-worker.properties`), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`)),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      ...extra,
    });

  it('FileStreamSource without file reads stdin into the topic', async () => {
    const topic = 'from-stdin';
    await broker.createTopic(topic, 1);
    const conn = writeProperties(tmp.file('stdin.properties'), { name: 'stdin-source', 'connector.class': 'FileStreamSource', topic });
    const w = startWorker([worker('stdin'), conn], { stdin: 'pipe' });
    try {
      w.proc.stdin!.write('first\r\nsecond\n');
      w.proc.stdin!.end('third\n');
      const messages = await readTopic(broker.bootstrapServers, topic, { count: 3 });
      expect(messages.map((m) => m.value?.toString())).toEqual(['first', 'second', 'third']);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('FileStreamSink without file writes the topic to stdout, logs stay on stderr', async () => {
    const topic = 'to-stdout';
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, [{ value: 'alpha' }, { value: 'beta' }, { value: 'gamma ✓' }]);
    const conn = writeProperties(tmp.file('stdout.properties'), { name: 'stdout-sink', 'connector.class': 'FileStreamSink', topics: topic });
    const w = startWorker([worker('stdout'), conn]);
    try {
      await eventually(() => w.stdout().toString('utf8') === 'alpha\nbeta\ngamma ✓\n', 30000, () => JSON.stringify(w.stdout().toString()));
    } finally {
      expect(await w.stop()).toBe(0);
    }
    expect(w.stderr()).toContain('"connector":"stdout-sink"');
  });

  it('two connectors run independently; a failing task does not stop the other', async () => {
    const bad = 'not-json';
    const good = 'still-flowing';
    await broker.createTopic(bad, 1);
    await broker.createTopic(good, 1);
    await produce(broker.bootstrapServers, bad, [{ value: 'this is { not JSON' }]);
    const source = tmp.file('iso.txt');
    fs.writeFileSync(source, 'a\n');
    const w1 = worker('iso', {
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    });
    const failing = writeProperties(tmp.file('failing.properties'), { name: 'json-sink', 'connector.class': 'FileStreamSink', topics: bad, file: tmp.file('never.txt') });
    const healthy = writeProperties(tmp.file('healthy.properties'), {
      name: 'healthy-source',
      'connector.class': 'FileStreamSource',
      topic: good,
      file: source,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const w = startWorker([w1, failing, healthy]);
    try {
      const failure = await w.waitForLog(/"connector":"json-sink".*Task threw an uncaught and unrecoverable exception/, 60000);
      expect(failure).toContain('"task":0');
      expect(w.stderr()).toMatch(/Failed to convert the value of the record at topic not-json partition 0 offset 0/);
      fs.appendFileSync(source, 'b\n');
      const messages = await readTopic(broker.bootstrapServers, good, { count: 2 });
      expect(messages.map((m) => m.value?.toString())).toEqual(['a', 'b']);
    } finally {
      // Exit 3: shut down cleanly, but a task had failed.
      expect(await w.stop()).toBe(3);
    }
  });

  it('stays up until a signal when its only task has failed, then exits 3', async () => {
    const topic = 'only-failing';
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, [{ value: 'not { json' }]);
    const conn = writeProperties(tmp.file('only-failing.properties'), {
      name: 'only-failing-sink',
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: tmp.file('only-failing.txt'),
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    });
    const w = startWorker([worker('only-failing'), conn]);
    await w.waitForLog(/"connector":"only-failing-sink".*Task threw an uncaught and unrecoverable exception/, 60000);
    await new Promise((r) => setTimeout(r, 2000));
    expect(w.proc.exitCode).toBeNull();
    expect(await w.stop()).toBe(3);
    expect(w.stderr()).toMatch(/Task only-failing-sink-0 had failed: .*topic only-failing partition 0 offset 0/);
  });
});
