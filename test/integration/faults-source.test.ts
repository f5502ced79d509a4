import * as fs from 'fs';
import { highWatermark, readTopic } from '../harness/kcat';
import { eventually, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * A FileStreamSource worker under broker faults injected through the mock broker: a long outage,
 * retriable produce errors, and a non-retriable one. Each test reports the duplicates it saw
 * (at-least-once allows them; a missing line is a failure).
 */
describe('source task under broker faults', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  // Produce API key, and the Kafka error codes injected below.
  const PRODUCE = 0;
  const NOT_LEADER_OR_FOLLOWER = 6;
  const REQUEST_TIMED_OUT = 7;
  const MESSAGE_TOO_LARGE = 10;
  const TOPIC_AUTHORIZATION_FAILED = 29;
  const TRANSPORT_DROP = -195;

  beforeAll(() => {
    if (!broker.isMock) throw new Error('these tests inject faults: they need the mock broker (unset KAFKA_BOOTSTRAP_SERVERS)');
  });

  function setup(name: string) {
    const source = tmp.file(`${name}.txt`);
    const offsets = tmp.file(`${name}.offsets`);
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), {
      ...testWorkerProps(broker.bootstrapServers, offsets),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const conn = writeProperties(tmp.file(`${name}.properties`), { name, 'connector.class': 'FileStreamSource', file: source, topic: name });
    return { source, offsets, args: [worker, conn] };
  }

  const numbered = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix} ${i}`);
  const append = (file: string, lines: string[]) => fs.appendFileSync(file, lines.map((l) => `${l}\n`).join(''));

  /** Every value in the (one-partition) topic, in offset order. */
  async function topicValues(topic: string): Promise<string[]> {
    const count = await highWatermark(broker.bootstrapServers, topic, 0);
    return (await readTopic(broker.bootstrapServers, topic, { count, partition: 0 })).map((m) => m.value!.toString('utf8'));
  }

  /** Waits until every expected line is in the topic; returns all values read (duplicates included). */
  async function waitForAll(topic: string, expected: string[], timeoutMs = 60000): Promise<string[]> {
    let values: string[] = [];
    await eventually(
      async () => {
        values = await topicValues(topic);
        const seen = new Set(values);
        return expected.every((l) => seen.has(l));
      },
      timeoutMs,
      () => `${values.length} records so far; missing e.g. ${JSON.stringify(expected.filter((l) => !values.includes(l)).slice(0, 5))}`,
    );
    return values;
  }

  const duplicates = (values: string[]) => values.length - new Set(values).size;

  function storedPosition(offsetsFile: string): number {
    const stored = JSON.parse(fs.readFileSync(offsetsFile, 'utf8')) as { offsets: Array<{ value: { position: number } }> };
    expect(stored.offsets).toHaveLength(1);
    return stored.offsets[0].value.position;
  }

  async function stopAndReport(w: WorkerProcess): Promise<number | null> {
    const code = await w.stop();
    if (code !== 0) process.stderr.write(`worker stderr tail:\n${w.stderr().slice(-4000)}\n`);
    return code;
  }

  it('survives a 15 s outage (longer than kafkajs retries) mid-file and delivers every line', async () => {
    const topic = 'outage-15s';
    await broker.createTopic(topic, 1);
    const { source, offsets, args } = setup(topic);
    const before = numbered('before', 2000);
    const during = numbered('during', 3000);
    const after = numbered('after', 1000);
    append(source, before);
    const beforeSize = fs.statSync(source).size;
    const w = startWorker(args);
    try {
      await waitForAll(topic, before);
      await broker.brokerDown();
      const downAt = Date.now();
      try {
        append(source, during);
        // Proof the runtime (not only kafkajs) saw the failure and keeps retrying.
        await w.waitForLog(/Failed to send records to Kafka, retrying/, 30000);
        await new Promise((r) => setTimeout(r, Math.max(0, 15000 - (Date.now() - downAt))));
        expect(w.proc.exitCode).toBeNull();
        // Lines read but not acknowledged have no offsets stored yet.
        expect(storedPosition(offsets)).toBe(beforeSize);
      } finally {
        await broker.brokerUp();
      }
      const upAt = Date.now();
      append(source, after);
      const values = await waitForAll(topic, [...before, ...during, ...after]);
      // Order within the partition survives the retries (max.in.flight.requests.per.connection=1).
      expect([...new Set(values)]).toEqual([...before, ...during, ...after]);
      process.stdout.write(
        `[faults] 15 s outage: ${values.length} records for ${before.length + during.length + after.length} lines, ` +
          `${duplicates(values)} duplicate(s); all delivered ${Date.now() - upAt} ms after the broker came back\n`,
      );
      expect(w.proc.exitCode).toBeNull();
    } finally {
      expect(await stopAndReport(w)).toBe(0);
    }
    expect(storedPosition(offsets)).toBe(fs.statSync(source).size);
  });

  it('retries injected retriable produce errors (NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, dropped connections)', async () => {
    const topic = 'produce-errors';
    await broker.createTopic(topic, 1);
    const { source, offsets, args } = setup(topic);
    const first = numbered('first', 500);
    const second = numbered('second', 2000);
    append(source, first);
    const w = startWorker(args);
    try {
      await waitForAll(topic, first);
      // More errors in a row than kafkajs's own retries (5) absorb, so the runtime's retry runs too.
      const errors = [NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, TRANSPORT_DROP, NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT, TRANSPORT_DROP, NOT_LEADER_OR_FOLLOWER, REQUEST_TIMED_OUT];
      await broker.pushRequestErrors(PRODUCE, errors);
      append(source, second);
      const values = await waitForAll(topic, [...first, ...second]);
      process.stdout.write(`[faults] ${errors.length} injected produce errors: ${values.length} records for ${first.length + second.length} lines, ${duplicates(values)} duplicate(s)\n`);
      expect(w.stderr()).toMatch(/Failed to send records to Kafka, retrying/);
      expect([...new Set(values)]).toEqual([...first, ...second]);
      expect(w.proc.exitCode).toBeNull();
    } finally {
      expect(await stopAndReport(w)).toBe(0);
    }
    expect(storedPosition(offsets)).toBe(fs.statSync(source).size);
  });

  it.each([
    { code: MESSAGE_TOO_LARGE, name: 'MESSAGE_TOO_LARGE', text: /larger than the max message size the server will accept/ },
    { code: TOPIC_AUTHORIZATION_FAILED, name: 'TOPIC_AUTHORIZATION_FAILED', text: /Not authorized to access topics/ },
  ])('fails the task on a non-retriable produce error ($name), keeps the batch out of the offsets file, and a restart re-reads it', async ({ code, text }) => {
    const topic = `produce-fatal-${code}`;
    await broker.createTopic(topic, 1);
    const { source, offsets, args } = setup(topic);
    const good = numbered('good', 100);
    const failed = numbered('failed', 100);
    append(source, good);
    const first = startWorker(args);
    let goodSize = -1;
    let exitCode: number | null;
    try {
      await waitForAll(topic, good);
      goodSize = fs.statSync(source).size;
      await eventually(() => fs.existsSync(offsets) && storedPosition(offsets) === goodSize, 30000, () => 'offsets of the first lines not flushed');
      // One error only: kafkajs does not retry it, so exactly the failing request consumes it.
      await broker.pushRequestErrors(PRODUCE, [code]);
      append(source, failed);
      await first.waitForLog(/Task threw an uncaught and unrecoverable exception/, 30000);
    } finally {
      exitCode = await first.stop();
    }
    expect(exitCode).toBe(3);
    const failure = new RegExp(`Task ${topic}-0 had failed: Failed to send \\d+ record\\(s\\) to Kafka: .*${text.source}`);
    expect(first.stderr()).toMatch(failure);
    expect(storedPosition(offsets)).toBe(goodSize);
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(good.length);

    const second = startWorker(args);
    try {
      const values = await waitForAll(topic, [...good, ...failed]);
      expect(values).toEqual([...good, ...failed]);
    } finally {
      expect(await stopAndReport(second)).toBe(0);
    }
    expect(storedPosition(offsets)).toBe(fs.statSync(source).size);
  });
});
