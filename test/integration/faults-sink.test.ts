import * as fs from 'fs';
import { Kafka, logLevel } from 'kafkajs';
import { produce } from '../harness/kcat';
import { eventually, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * A FileStreamSink worker under broker faults: a 15 s outage (longer than the group session
 * timeout, so the member is evicted and must rejoin) and injected fetch errors. Every record
 * produced must reach the sink file; duplicates (at-least-once) are counted and reported.
 */
describe('sink task under broker faults', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  const FETCH = 1;
  const NOT_LEADER_OR_FOLLOWER = 6;
  const REQUEST_TIMED_OUT = 7;
  const TRANSPORT_DROP = -195;

  beforeAll(() => {
    if (!broker.isMock) throw new Error('these tests inject faults: they need the mock broker (unset KAFKA_BOOTSTRAP_SERVERS)');
  });

  function setup(name: string) {
    const sink = tmp.file(`${name}.sink.txt`);
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`)),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const conn = writeProperties(tmp.file(`${name}.properties`), { name, 'connector.class': 'FileStreamSink', file: sink, topics: name });
    return { sink, args: [worker, conn] };
  }

  const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} ${i}`);
  const sinkLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(0, -1) : []);
  const duplicates = (values: string[]) => values.length - new Set(values).size;

  async function waitForSink(file: string, expected: string[], timeoutMs = 60000): Promise<string[]> {
    let lines: string[] = [];
    await eventually(
      () => {
        lines = sinkLines(file);
        const seen = new Set(lines);
        return expected.every((l) => seen.has(l));
      },
      timeoutMs,
      () => `${lines.length} lines in the sink file; missing e.g. ${JSON.stringify(expected.filter((l) => !lines.includes(l)).slice(0, 5))}`,
    );
    return lines;
  }

  /** The offset group connect-<name> has committed for partition 0 of topic (-1: none). */
  async function committedOffset(name: string, topic: string): Promise<number> {
    const admin = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId: `connect-${name}`, topics: [topic] });
      return Number(entry.partitions.find((p) => p.partition === 0)?.offset ?? -1);
    } finally {
      await admin.disconnect();
    }
  }

  async function stopAndReport(w: WorkerProcess): Promise<number | null> {
    const code = await w.stop();
    if (code !== 0) process.stderr.write(`worker stderr tail:\n${w.stderr().slice(-4000)}\n`);
    return code;
  }

  it('keeps the sink running through a 15 s outage and writes every record produced before and after it', async () => {
    const topic = 'sink-outage';
    await broker.createTopic(topic, 1);
    const { sink, args } = setup(topic);
    const before = numbered('before', 300);
    const after = numbered('after', 300);
    await produce(broker.bootstrapServers, topic, before.map((value) => ({ value })));
    const w = startWorker(args);
    try {
      await waitForSink(sink, before);
      // Committed before the outage, so a redelivery afterwards would be the outage's doing.
      await eventually(async () => (await committedOffset(topic, topic)) === before.length, 30000, () => 'the first records were not committed');
      await broker.brokerDown();
      try {
        await new Promise((r) => setTimeout(r, 15000));
        expect(w.proc.exitCode).toBeNull();
      } finally {
        await broker.brokerUp();
      }
      const upAt = Date.now();
      await produce(broker.bootstrapServers, topic, after.map((value) => ({ value })));
      const lines = await waitForSink(sink, [...before, ...after]);
      process.stdout.write(
        `[faults] sink through a 15 s outage: ${lines.length} lines written for ${before.length + after.length} records, ` +
          `${duplicates(lines)} duplicate(s); all written ${Date.now() - upAt} ms after the broker came back\n`,
      );
      expect([...new Set(lines)]).toEqual([...before, ...after]);
      expect(w.proc.exitCode).toBeNull();
    } finally {
      expect(await stopAndReport(w)).toBe(0);
    }
  });

  it('retries injected fetch errors and writes every record', async () => {
    const topic = 'sink-fetch-errors';
    await broker.createTopic(topic, 1);
    const { sink, args } = setup(topic);
    const first = numbered('first', 200);
    const second = numbered('second', 200);
    await produce(broker.bootstrapServers, topic, first.map((value) => ({ value })));
    const w = startWorker(args);
    try {
      await waitForSink(sink, first);
      // kafkajs restarts the consumer on some of these, which then rejoins the group (~6 s each on the
      // mock broker, which ignores LeaveGroup).
      const errors = [NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, TRANSPORT_DROP, NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT];
      await broker.pushRequestErrors(FETCH, errors);
      await produce(broker.bootstrapServers, topic, second.map((value) => ({ value })));
      const lines = await waitForSink(sink, [...first, ...second]);
      process.stdout.write(`[faults] ${errors.length} injected fetch errors: ${lines.length} lines written for ${first.length + second.length} records, ${duplicates(lines)} duplicate(s)\n`);
      // The injected errors were met (kafkajs logs each failed Fetch response).
      expect(w.stderr()).toMatch(/Response Fetch\(key: 1/);
      expect([...new Set(lines)]).toEqual([...first, ...second]);
      expect(w.proc.exitCode).toBeNull();
    } finally {
      expect(await stopAndReport(w)).toBe(0);
    }
  });
});
