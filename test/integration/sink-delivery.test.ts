import * as fs from 'fs';
import * as path from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { produce } from '../harness/kcat';
import { eventually, ROOT, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

const PLUGIN_DIR = path.join(ROOT, 'test', 'fixtures', 'plugins', 'flaky-flush-sink');

/**
 * The sink delivery contract through the real CLI and broker: a flush that fails loses nothing
 * (the runtime rewinds and delivers again), and a worker killed with kill -9 while another worker
 * shares its connector's consumer group loses nothing either (at least once across the two).
 */
describe('sink delivery guarantees', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} ${i}`);
  const fileLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(0, -1) : []);
  const missingFrom = (lines: string[], expected: string[]) => {
    const seen = new Set(lines);
    return expected.filter((l) => !seen.has(l));
  };

  async function committed(group: string, topic: string): Promise<number[]> {
    const admin = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return entry.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
    } finally {
      await admin.disconnect();
    }
  }

  async function stopped(w: WorkerProcess): Promise<number | null> {
    const code = await w.stop();
    if (code !== 0) process.stderr.write(`worker stderr tail:\n${w.stderr().slice(-4000)}\n`);
    return code;
  }

  it('a sink whose flush fails once gets the dropped records again: every record arrives and the commit covers them all', async () => {
    const topic = 'flaky-flush';
    await broker.createTopic(topic, 1);
    const out = tmp.file('flaky.txt');
    const worker = writeProperties(tmp.file('flaky-worker.properties'), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file('flaky.offsets')),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'plugin.path': PLUGIN_DIR,
    });
    const conn = writeProperties(tmp.file('flaky.properties'), { name: 'flaky', 'connector.class': 'FlakyFlushSink', file: out, topics: topic });
    const first = numbered('first', 300);
    const second = numbered('second', 300);
    await produce(broker.bootstrapServers, topic, first.map((value) => ({ value })));
    const w = startWorker([worker, conn]);
    try {
      await w.waitForLog(/FlakyFlushSink: flush failed on purpose/, 60000);
      await produce(broker.bootstrapServers, topic, second.map((value) => ({ value })));
      let lines: string[] = [];
      await eventually(
        () => missingFrom((lines = fileLines(out)), [...first, ...second]).length === 0,
        60000,
        () => `${lines.length} lines written; missing e.g. ${JSON.stringify(missingFrom(lines, [...first, ...second]).slice(0, 5))}`,
      );
      expect(w.proc.exitCode).toBeNull();
      expect(w.stderr()).toMatch(/Offset commit failed, rewinding to last committed offsets: FlakyFlushSink: flush failed on purpose/);
    } finally {
      expect(await stopped(w)).toBe(0);
    }
    expect(await committed('connect-flaky', topic)).toEqual([600]);
    expect(missingFrom(fileLines(out), [...first, ...second])).toEqual([]);
  });

  it('a put() taking longer than the session timeout, then retried, keeps the member in the group: one assignment, every record once', async () => {
    const topic = 'slow-target';
    await broker.createTopic(topic, 1);
    const out = tmp.file('slow.txt');
    const worker = writeProperties(tmp.file('slow-worker.properties'), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file('slow.offsets')), // session.timeout.ms=6000
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'plugin.path': PLUGIN_DIR,
    });
    const conn = writeProperties(tmp.file('slow.properties'), { name: 'slow', 'connector.class': 'SlowTargetSink', file: out, topics: topic, 'block.put.ms': 9000, 'retry.put.ms': 12000 });
    const records = numbered('slow', 100);
    await produce(broker.bootstrapServers, topic, records.map((value) => ({ value })));
    const w = startWorker([worker, conn]);
    try {
      await w.waitForLog(/put\(\) failed with a retriable error/, 30000);
      let lines: string[] = [];
      await eventually(() => missingFrom((lines = fileLines(out)), records).length === 0, 60000, () => `${lines.length} lines written`);
      expect(lines).toEqual(records);
      const log = w.stderr();
      expect(log.match(/Partitions assigned/g)).toHaveLength(1);
      expect(log).not.toMatch(/Partitions (lost|revoked)|must rejoin/);
    } finally {
      expect(await stopped(w)).toBe(0);
    }
  });

  it('two workers share a sink connector; one is killed with kill -9 mid-stream, the other takes over: every record is in one of the two files', async () => {
    const topic = 'shared-sink';
    await broker.createTopic(topic, 4);
    const files = [tmp.file('shared-a.txt'), tmp.file('shared-b.txt')];
    const args = ['a', 'b'].map((id, i) => [
      writeProperties(tmp.file(`shared-${id}-worker.properties`), {
        ...testWorkerProps(broker.bootstrapServers, tmp.file(`shared-${id}.offsets`)),
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'offset.flush.interval.ms': 300,
      }),
      writeProperties(tmp.file(`shared-${id}.properties`), { name: 'shared', 'connector.class': 'FileStreamSink', file: files[i], topics: topic }),
    ]);
    const union = () => [...fileLines(files[0]), ...fileLines(files[1])];
    const expected: string[] = [];
    const send = async (prefix: string, count: number) => {
      const values = numbered(prefix, count);
      expected.push(...values);
      await produce(broker.bootstrapServers, topic, values.map((value) => ({ value })));
    };

    await send('before', 400);
    const a = startWorker(args[0]);
    let b: WorkerProcess | null = null;
    try {
      await a.waitForLog(/Partitions assigned: (shared-sink-\d(, )?){4}"/, 60000);
      await eventually(() => fileLines(files[0]).length > 0, 30000, () => 'worker A wrote nothing');
      // The second member joins only once the first has its assignment (see TEST-BROKER.md).
      b = startWorker(args[1]);
      await b.waitForLog(/Partitions assigned: shared-sink-\d/, 60000);
      for (let i = 0; i < 5; i++) await send(`during ${i}`, 200);
      await eventually(() => fileLines(files[1]).length > 0, 30000, () => 'worker B wrote nothing');
      await a.stop('SIGKILL');
      for (let i = 0; i < 3; i++) await send(`after ${i}`, 200);
      let lines: string[] = [];
      await eventually(
        () => missingFrom((lines = union()), expected).length === 0,
        90000,
        () => `${lines.length} lines in the two files; missing ${missingFrom(lines, expected).length}, e.g. ${JSON.stringify(missingFrom(lines, expected).slice(0, 5))}`,
      );
      process.stdout.write(
        `[sink-delivery] kill -9 with two workers: ${expected.length} records, ${fileLines(files[0]).length} + ${fileLines(files[1]).length} lines written, ` +
          `${lines.length - new Set(lines).size} duplicate(s)\n`,
      );
      expect(b.proc.exitCode).toBeNull();
    } finally {
      await a.stop('SIGKILL');
      if (b) expect(await stopped(b)).toBe(0);
    }
    expect(missingFrom(union(), expected)).toEqual([]);
  });
});
