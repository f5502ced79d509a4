import * as fsp from 'fs/promises';
import * as os from 'os';
import * as path from 'path';
import { ConnectError, Converter, DataError, HeaderConverter, Schema, SchemaBuilder } from '../../../src/api';
import { IntegerConverter, JsonConverter, SimpleHeaderConverter, StringConverter } from '../../../src/converters';
import { OffsetStorageWriter, StoreOffsetReader } from '../../../src/runtime/offset-storage-writer';
import { WorkerSourceTask } from '../../../src/runtime/worker-source-task';
import { FileOffsetBackingStore } from '../../../src/storage/file-offset-backing-store';
import { OffsetBackingStore } from '../../../src/storage/offset-backing-store';
import { RetryWithToleranceOperator } from '../../../src/runtime/errors/retry-with-tolerance-operator';
import { RetryClock } from '../../../src/runtime/retry';
import { FakeProducer, FakeTime, MemoryOffsetStore, record, RecordingLogger, ScriptedSourceTask, settle, testOperator, waitFor } from './fakes';

const CONNECTOR = 'src';
const PARTITION = { filename: 'a.txt' };

interface Harness {
  worker: WorkerSourceTask;
  task: ScriptedSourceTask;
  producer: FakeProducer;
  store: OffsetBackingStore;
  writer: OffsetStorageWriter;
  logger: RecordingLogger;
}

const running: Harness[] = [];

function stringConverter(isKey: boolean): Converter {
  const c = new StringConverter();
  c.configure({}, isKey);
  return c;
}

function startTask(
  options: {
    producer?: FakeProducer;
    store?: OffsetBackingStore;
    valueConverter?: Converter;
    headerConverter?: HeaderConverter;
    flushIntervalMs?: number;
    operator?: RetryWithToleranceOperator;
    task?: ScriptedSourceTask;
    clock?: RetryClock;
  } = {},
): Harness {
  const task = options.task ?? new ScriptedSourceTask();
  const producer = options.producer ?? new FakeProducer();
  const store = options.store ?? new MemoryOffsetStore();
  const writer = new OffsetStorageWriter(store, CONNECTOR);
  const logger = new RecordingLogger();
  const worker = new WorkerSourceTask({
    id: { connector: CONNECTOR, task: 0 },
    task,
    props: {},
    keyConverter: stringConverter(true),
    valueConverter: options.valueConverter ?? stringConverter(false),
    headerConverter: options.headerConverter ?? new SimpleHeaderConverter(),
    producer,
    offsetReader: new StoreOffsetReader(store, CONNECTOR),
    offsetWriter: writer,
    offsetFlushIntervalMs: options.flushIntervalMs ?? 5,
    offsetFlushTimeoutMs: 1000,
    logger,
    operator: options.operator ?? testOperator({}, [], undefined, { connector: CONNECTOR, task: 0 }),
    clock: options.clock,
  });
  const harness = { worker, task, producer, store, writer, logger };
  running.push(harness);
  worker.start();
  return harness;
}

afterEach(async () => {
  for (const h of running.splice(0)) {
    h.producer.ackAll();
    await h.worker.stop();
    await h.worker.awaitStop(2000);
  }
});

const sentValues = (producer: FakeProducer, index: number): string[] => producer.sends[index].records.map((r) => String(r.value));

describe('WorkerSourceTask', () => {
  it('writes an offset to the store only after the producer acknowledged its record', async () => {
    const { task, producer, store, writer } = startTask();
    task.push([record('lines', 'one', 1)]);
    await waitFor(() => producer.sends.length === 1, 'the send');

    // Several flush intervals pass while the send is pending, and an explicit flush finds nothing.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(await writer.flush(1000)).toBe(0);
    expect(store.get(CONNECTOR, PARTITION)).toBeNull();

    producer.ack(0);
    await waitFor(() => store.get(CONNECTOR, PARTITION) !== null, 'the offset to be flushed');
    expect(store.get(CONNECTOR, PARTITION)).toEqual({ position: 1 });
    expect(task.commits).toBeGreaterThanOrEqual(1);
  });

  it('sends batches in poll order, one at a time', async () => {
    const { task, producer } = startTask();
    task.push([record('lines', 'a', 1), record('lines', 'b', 2)]);
    task.push([record('lines', 'c', 3)]);
    task.push([record('lines', 'd', 4)]);

    await waitFor(() => producer.sends.length === 1 && task.polls >= 2, 'the first send and the second poll');
    await settle();
    expect(producer.sends).toHaveLength(1);

    producer.ack(0);
    await waitFor(() => producer.sends.length === 2, 'the second send');
    await settle();
    expect(producer.sends).toHaveLength(2);

    producer.ack(1);
    await waitFor(() => producer.sends.length === 3, 'the third send');
    producer.ack(2);

    expect([0, 1, 2].map((i) => sentValues(producer, i))).toEqual([['a', 'b'], ['c'], ['d']]);
    expect(producer.maxInFlight).toBe(1);
    expect(producer.sends[0].records[0]).toMatchObject({ topic: 'lines', partition: null, key: null, timestamp: null, headers: [] });
    expect(Buffer.isBuffer(producer.sends[0].records[0].value)).toBe(true);
  });

  it('retries a retriable send error with the same records, then records the offsets once', async () => {
    const producer = new FakeProducer({ autoAck: true });
    producer.failures.push(new ConnectError('Failed to send 2 record(s) to Kafka: Connection error', { retriable: true }));
    const store = new MemoryOffsetStore();
    const { task, logger } = startTask({ producer, store });
    const records = [record('lines', 'a', 1), record('lines', 'b', 2)];
    task.push(records);

    await waitFor(() => store.get(CONNECTOR, PARTITION) !== null, 'the offset after the retry');
    expect(producer.sends).toHaveLength(2);
    expect(producer.sends[1].records).toEqual(producer.sends[0].records);
    expect(store.get(CONNECTOR, PARTITION)).toEqual({ position: 2 });
    expect(store.setCalls).toEqual([[{ connector: CONNECTOR, partition: PARTITION, offset: { position: 2 } }]]);
    expect(task.committedRecords.map((c) => c.record)).toEqual(records);
    expect(logger.messages('warn').some((m) => m.includes('retrying'))).toBe(true);
  });

  it('fails on a non-retriable send error, keeps the error and stores no offset of the failed batch', async () => {
    const { worker, task, producer, store } = startTask();
    task.push([record('lines', 'a', 1)]);
    await waitFor(() => producer.sends.length === 1, 'the first send');
    producer.ack(0);
    await waitFor(() => store.get(CONNECTOR, PARTITION) !== null, 'the first offset');

    task.push([record('lines', 'b', 2)]);
    await waitFor(() => producer.sends.length === 2, 'the second send');
    const cause = new ConnectError('Failed to send 1 record(s) to Kafka: Message too large');
    producer.fail(cause, 1);
    task.push([record('lines', 'c', 3)]); // the loop notices the failure before sending this one

    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(worker.error).toBe(cause);
    expect(producer.sends).toHaveLength(2);
    expect(store.get(CONNECTOR, PARTITION)).toEqual({ position: 1 });
    expect(task.committedRecords.map((c) => c.record.value)).toEqual(['a']);
    await worker.awaitStop(2000);
    expect(producer.disconnected).toBe(true);
  });

  // Regression: a fatal send error fails the task even when the source has gone quiet (Kafka's
  // WorkerSourceTask checks the send error on every loop pass).
  it('fails on a non-retriable send error even when later polls return nothing', async () => {
    const { worker, task, producer } = startTask();
    task.push([record('lines', 'a', 1)]);
    await waitFor(() => producer.sends.length === 1, 'the send');
    producer.fail(new ConnectError('Failed to send 1 record(s) to Kafka: Message too large'), 0);
    task.push([]); // empty polls keep the loop turning
    await waitFor(() => worker.state === 'FAILED', 'the task to fail', 300);
  });

  it('ends the loop when stopped during a pending poll, and the final flush writes acknowledged offsets', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'source-task-'));
    try {
      const file = path.join(dir, 'connect.offsets');
      const store = new FileOffsetBackingStore(file);
      await store.start();
      const producer = new FakeProducer({ autoAck: true });
      const { worker, task } = startTask({ store, producer, flushIntervalMs: 60000 });
      task.push([record('lines', 'a', 7)]);
      await waitFor(() => task.committedRecords.length === 1 && task.polls >= 2, 'the ack and the next (pending) poll');
      expect(store.get(CONNECTOR, PARTITION)).toBeNull();

      await worker.stop();
      expect(await worker.awaitStop(2000)).toBe(true);
      expect(worker.state).toBe('STOPPED');
      expect(task.stopped).toBe(true);
      expect(task.commits).toBe(1);
      expect(producer.disconnected).toBe(true);

      const reopened = new FileOffsetBackingStore(file);
      await reopened.start();
      expect(reopened.get(CONNECTOR, PARTITION)).toEqual({ position: 7 });
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('fails (errors.tolerance=none) with a DataError naming the topic when a record cannot be converted, sending nothing', async () => {
    const valueConverter = new JsonConverter();
    valueConverter.configure({ 'schemas.enable': 'false' }, false);
    const { worker, task, producer, store } = startTask({ valueConverter });
    task.push([{ ...record('orders', 'ignored', 1), valueSchema: Schema.INT32_SCHEMA, value: 'not a number' }]);

    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(worker.error?.message).toBe('Tolerance exceeded in error handler');
    const cause = worker.error?.cause as Error;
    expect(cause).toBeInstanceOf(DataError);
    expect(cause.message).toMatch(/^Failed to convert the value of a record for topic orders: /);
    expect(producer.sends).toHaveLength(0);
    expect(store.get(CONNECTOR, PARTITION)).toBeNull();
  });

  it('writes each header with the header converter (SimpleHeaderConverter by default)', async () => {
    const { task, producer } = startTask({ producer: new FakeProducer({ autoAck: true }) });
    const tags = SchemaBuilder.array(Schema.STRING_SCHEMA).build();
    task.push([
      {
        ...record('lines', 'a', 1),
        headers: [
          { key: 'count', schema: Schema.INT32_SCHEMA, value: 42 },
          { key: 'ratio', schema: Schema.FLOAT64_SCHEMA, value: 10 },
          { key: 'ok', schema: Schema.BOOLEAN_SCHEMA, value: true },
          { key: 'tags', schema: tags, value: ['x', 'y'] },
          { key: 'note', schema: Schema.OPTIONAL_STRING_SCHEMA, value: null },
        ],
      },
    ]);
    await waitFor(() => producer.sends.length === 1, 'the send');
    expect(producer.sends[0].records[0].headers.map(([k, v]) => [k, v === null ? null : v.toString('utf8')])).toEqual([
      ['count', '42'],
      ['ratio', '10.0'],
      ['ok', 'true'],
      ['tags', '["x","y"]'],
      ['note', null],
    ]);
  });

  it('uses a configured header converter, and fails naming the header when it refuses a value', async () => {
    const headerConverter = new IntegerConverter();
    const { worker, task, producer } = startTask({ producer: new FakeProducer({ autoAck: true }), headerConverter });
    task.push([{ ...record('lines', 'a', 1), headers: [{ key: 'n', schema: Schema.INT32_SCHEMA, value: -1 }] }]);
    await waitFor(() => producer.sends.length === 1, 'the send');
    expect(producer.sends[0].records[0].headers).toEqual([['n', Buffer.from('ffffffff', 'hex')]]);

    task.push([{ ...record('lines', 'b', 2), headers: [{ key: 'bad', schema: null, value: 'text' }] }]);
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(worker.error?.message).toBe('Tolerance exceeded in error handler');
    expect(worker.error?.cause).toBeInstanceOf(DataError);
    expect((worker.error?.cause as Error).message).toMatch(/^Failed to convert header bad of a record for topic lines: Failed to serialize to integer/);
    expect(producer.sends).toHaveLength(1);
  });

  it('calls commitRecord for each acknowledged record, in order, only after the ack', async () => {
    const { task, producer } = startTask();
    const first = [record('lines', 'a', 1), record('lines', 'b', 2)];
    const second = [record('lines', 'c', 3)];
    task.push(first);
    task.push(second);

    await waitFor(() => producer.sends.length === 1, 'the first send');
    await settle();
    expect(task.committedRecords).toHaveLength(0);
    producer.ack(0);
    await waitFor(() => producer.sends.length === 2, 'the second send');
    producer.ack(1);
    await waitFor(() => task.committedRecords.length === 3, 'three commitRecord calls');

    expect(task.committedRecords.map((c) => c.record)).toEqual([...first, ...second]);
    expect(task.committedRecords.map((c) => c.metadata)).toEqual([
      { topic: 'lines', partition: 0, offset: 0n },
      { topic: 'lines', partition: 0, offset: 1n },
      { topic: 'lines', partition: 0, offset: 100n },
    ]);
  });

  it('sends records without a source partition or offset but stores nothing for them', async () => {
    const store = new MemoryOffsetStore();
    const producer = new FakeProducer({ autoAck: true });
    const { task, writer } = startTask({ store, producer });
    task.push([record('lines', 'x', null), record('lines', 'y', null)]);

    await waitFor(() => task.committedRecords.length === 2, 'both acks');
    await new Promise((resolve) => setTimeout(resolve, 20)); // a few flush intervals
    expect(sentValues(producer, 0)).toEqual(['x', 'y']);
    expect(writer.hasPending()).toBe(false);
    expect(store.setCalls).toHaveLength(0);
    expect(store.size).toBe(0);
  });

  it('gives the task its context with an offset reader over the store', async () => {
    const store = new MemoryOffsetStore();
    await store.set([{ connector: CONNECTOR, partition: PARTITION, offset: { position: 42 } }]);
    const { task } = startTask({ store });
    await waitFor(() => task.polls >= 1, 'the first poll');
    expect(task.context?.connectorName).toBe(CONNECTOR);
    expect(task.context?.taskId).toBe(0);
    expect(task.context?.offsetStorageReader.offset({ filename: 'a.txt' })).toEqual({ position: 42 });
    expect(task.context?.offsetStorageReader.offset({ filename: 'b.txt' })).toBeNull();
  });

  // Regression: a poll() that resolves without awaiting anything kept the loop on the microtask
  // queue, so no timer, I/O callback or signal handler ever ran again.
  it('yields to the event loop between polls that return nothing at once: timers fire and stop() works', async () => {
    const LIMIT = 200_000;
    class SpinningSourceTask extends ScriptedSourceTask {
      async poll(): Promise<null> {
        this.polls++;
        // Past LIMIT, wait for real so that a starving loop lets the test report instead of hanging.
        if (this.polls > LIMIT) await new Promise((resolve) => setTimeout(resolve, 5));
        return null;
      }
    }
    const task = new SpinningSourceTask();
    let pollsWhenTimerFired = -1;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        pollsWhenTimerFired = task.polls;
        resolve();
      }, 1),
    );
    const { worker } = startTask({ task });
    await timer;
    expect(pollsWhenTimerFired).toBeLessThan(LIMIT);
    await worker.stop();
    expect(await worker.awaitStop(2000)).toBe(true);
    expect(worker.state).toBe('STOPPED');
    expect(task.polls).toBeLessThan(LIMIT);
  });

  it('yields now and then even when every poll returns records at once and sends complete at once', async () => {
    const LIMIT = 20_000;
    class EndlessSourceTask extends ScriptedSourceTask {
      async poll() {
        this.polls++;
        if (this.polls > LIMIT) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return null;
        }
        return [record('lines', 'x', this.polls)];
      }
    }
    const task = new EndlessSourceTask();
    const producer = new FakeProducer({ autoAck: true });
    let pollsWhenTimerFired = -1;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        pollsWhenTimerFired = task.polls;
        resolve();
      }, 1),
    );
    const { worker } = startTask({ task, producer });
    await timer;
    expect(pollsWhenTimerFired).toBeLessThan(LIMIT);
    await worker.stop();
    expect(await worker.awaitStop(2000)).toBe(true);
    expect(worker.state).toBe('STOPPED');
  });

  it('retries a retriable send error with exponential backoff until delivery.timeout.ms, then fails with it', async () => {
    const producer = new FakeProducer({ autoAck: true, deliveryTimeoutMs: 1000 });
    const failure = (n: number) => new ConnectError(`Failed to send 1 record(s) to Kafka: broker down (${n})`, { retriable: true });
    for (let n = 1; n <= 20; n++) producer.failures.push(failure(n));
    const clock = new FakeTime();
    const store = new MemoryOffsetStore();
    const { worker, task, logger } = startTask({ producer, store, clock });
    task.push([record('lines', 'a', 1)]);
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    // 100 + 200 + 400 = 700 ms waited; the next wait is cut to the 300 ms left; then the deadline has passed.
    expect(clock.sleeps).toEqual([100, 200, 400, 300]);
    expect(worker.error?.message).toBe('Failed to send 1 record(s) to Kafka: broker down (5)');
    expect(logger.messages('warn').filter((m) => /Failed to send records to Kafka, retrying in \d+ ms/.test(m))).toHaveLength(4);
    expect(store.get(CONNECTOR, PARTITION)).toBeNull();
    expect(task.committedRecords).toEqual([]);
  });

  it('a stop while a send is being retried ends the task STOPPED without recording that batch', async () => {
    const producer = new FakeProducer({ autoAck: true });
    for (let n = 0; n < 50; n++) producer.failures.push(new ConnectError('Failed to send 1 record(s) to Kafka: broker down', { retriable: true }));
    const clock = new FakeTime();
    const store = new MemoryOffsetStore();
    const { worker, task } = startTask({ producer, store, clock });
    clock.onSleep = () => {
      if (clock.sleeps.length === 3) void worker.stop();
    };
    task.push([record('lines', 'a', 1)]);
    expect(await worker.awaitStop(2000)).toBe(true);
    expect(worker.state).toBe('STOPPED');
    expect(producer.sends.length).toBeGreaterThanOrEqual(3);
    expect(store.get(CONNECTOR, PARTITION)).toBeNull();
    expect(task.committedRecords).toEqual([]);
    expect(producer.disconnected).toBe(true);
  });

  it('retries connecting the producer while the error is retriable, logging each attempt', async () => {
    const producer = new FakeProducer({ autoAck: true });
    producer.connectFailures.push(
      new ConnectError('Failed to connect the producer: Connection error', { retriable: true }),
      new ConnectError('Failed to connect the producer: Connection error', { retriable: true }),
    );
    const clock = new FakeTime();
    const { task, logger } = startTask({ producer, clock });
    task.push([record('lines', 'a', 1)]);
    await waitFor(() => task.committedRecords.length === 1, 'the record after the connect retries');
    expect(producer.connectCalls).toBe(3);
    expect(clock.sleeps).toEqual([100, 200]);
    expect(logger.messages('warn').filter((m) => m.includes('Failed to connect the producer, retrying in'))).toHaveLength(2);
  });
});
