import * as fs from 'fs';
import { Kafka, logLevel } from 'kafkajs';
import { produce } from '../harness/kcat';
import { eventually, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * Sinks scale out through Kafka's consumer groups: two connect-standalone processes running the same
 * sink connector name are members of one group, connect-<name>, and share the topic's partitions.
 * Each has its own worker file, offsets file and no REST server. When one is stopped with SIGTERM it
 * commits what it wrote and leaves; the other gets its partitions and continues from the committed
 * offsets. Kafka's sink guarantee is at least once, and that is what is asserted: every record is in
 * one of the two files, none is lost. Records written by one member after its last commit and before
 * a rebalance moved the partition are written again by the next owner (the count is printed).
 */
describe('a sink connector on two processes', () => {
  const broker = useBroker();
  const tmp = useTempDir();
  const topic = 'scale-out';
  const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} ${i}`);
  const duplicates = (lines: string[]) => lines.length - new Set(lines).size;
  const fileLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(0, -1) : []);

  async function groupOffsets(group: string): Promise<{ committed: number[]; ends: number[] }> {
    const admin = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      return {
        committed: entry.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset)),
        ends: ends.sort((a, b) => a.partition - b.partition).map((p) => Number(p.high)),
      };
    } finally {
      await admin.disconnect();
    }
  }

  it('shares the partitions, and after one process is stopped the other takes over: no record lost across the two files (at least once)', async () => {
    await broker.createTopic(topic, 4);
    const files = [tmp.file('scale-a.txt'), tmp.file('scale-b.txt')];
    const args = ['a', 'b'].map((id, i) => [
      '--no-rest',
      writeProperties(tmp.file(`scale-${id}-worker.properties`), {
        ...testWorkerProps(broker.bootstrapServers, tmp.file(`scale-${id}.offsets`)),
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      }),
      writeProperties(tmp.file(`scale-${id}.properties`), { name: 'scaled', 'connector.class': 'FileStreamSink', file: files[i], topics: topic }),
    ]);
    const expected: string[] = [];
    const send = async (prefix: string, count: number) => {
      const values = numbered(prefix, count);
      expected.push(...values);
      // Keys spread the records over the four partitions.
      await produce(broker.bootstrapServers, topic, values.map((value, i) => ({ key: `k${i}`, value })));
    };
    const union = () => [...fileLines(files[0]), ...fileLines(files[1])];
    const hasAll = () => {
      const seen = new Set(union());
      return expected.every((l) => seen.has(l));
    };
    const describeState = () => {
      const lines = union();
      const seen = new Set(lines);
      const missing = expected.filter((l) => !seen.has(l));
      return `${fileLines(files[0]).length} + ${fileLines(files[1]).length} lines; ${missing.length} missing, e.g. ${JSON.stringify(missing.slice(0, 5))}`;
    };

    await send('before', 400);
    const a = startWorker(args[0]);
    let b: WorkerProcess | null = null;
    try {
      await a.waitForLog(/Partitions assigned: (scale-out-\d(, )?){4}"/, 60000);
      await eventually(() => fileLines(files[0]).length === 400, 30000, describeState);
      // The second member joins once the first has its assignment (the test broker's quirk, TEST-BROKER.md).
      b = startWorker(args[1]);
      const bAssigned = await b.waitForLog(/Partitions assigned: scale-out-\d/, 60000);
      const bPartitions = bAssigned.match(/scale-out-\d/g) ?? [];
      expect(bPartitions.length).toBeGreaterThan(0);
      expect(bPartitions.length).toBeLessThan(4);
      for (let i = 0; i < 4; i++) await send(`shared ${i}`, 100);
      // Both members get records of their own partitions.
      await eventually(() => hasAll(), 60000, describeState);
      const aBefore = fileLines(files[0]).length;
      expect(aBefore).toBeGreaterThan(400);
      expect(fileLines(files[1]).length).toBeGreaterThan(0);

      expect(await a.stop('SIGTERM')).toBe(0);
      for (let i = 0; i < 3; i++) await send(`after ${i}`, 100);
      // B gets every partition (after the test broker's session timeout, 6 s here) and the rest of the records.
      await b.waitForLog(/Partitions assigned: (scale-out-\d(, )?){4}"/, 60000);
      await eventually(hasAll, 60000, describeState);
      expect(fileLines(files[0]).length).toBe(aBefore);
      expect(b.proc.exitCode).toBeNull();
    } finally {
      await a.stop('SIGKILL');
      if (b) {
        const code = await b.stop('SIGTERM');
        if (code !== 0) process.stderr.write(`worker B stderr tail:\n${b.stderr().slice(-4000)}\n`);
        expect(code).toBe(0);
      }
    }
    const lines = union();
    expect(new Set(lines)).toEqual(new Set(expected));
    process.stdout.write(`[sink-scale-out] ${expected.length} records, ${fileLines(files[0]).length} + ${fileLines(files[1]).length} lines, ${duplicates(lines)} delivered twice\n`);
    const { committed, ends } = await groupOffsets('connect-scaled');
    expect(committed).toEqual(ends);
  }, 240000);
});
