import { DataError } from '../../../src/api';
import { SimpleHeaderConverter, StringConverter } from '../../../src/converters';
import { Stage } from '../../../src/runtime/errors/error-context';
import { ErrorHandlingConfig } from '../../../src/runtime/errors/error-handling-config';
import { OffsetStorageWriter, StoreOffsetReader } from '../../../src/runtime/offset-storage-writer';
import { TransformationChain } from '../../../src/runtime/transformation-chain';
import { parseTransformsConfig } from '../../../src/runtime/transformation-config';
import { WorkerSinkTask } from '../../../src/runtime/worker-sink-task';
import { WorkerSourceTask } from '../../../src/runtime/worker-source-task';
import { batch, FakeConsumer, FakeProducer, FakeTime, MemoryOffsetStore, record, RecordingLogger, RecordingReporter, RecordingSinkTask, ScriptedSourceTask, testOperator, waitFor } from './fakes';
import { created, transformRegistry } from './test-transforms';

/** transforms: `suffix` appends '!' (drops 'drop', throws on 'bad'), then `route` routes to <topic>-routed. */
const CHAIN = {
  transforms: 'suffix,route',
  'transforms.suffix.type': 'com.example.transforms.Suffix',
  'transforms.suffix.suffix': '!',
  'transforms.suffix.drop': 'drop',
  'transforms.suffix.fail': 'bad',
  'transforms.route.type': 'Route',
};

function chain(): TransformationChain | null {
  return TransformationChain.create(parseTransformsConfig(CHAIN, ['suffix', 'route'], [], transformRegistry()), new RecordingLogger());
}

const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const stops: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  created.splice(0);
});

function startSource(errors: Partial<ErrorHandlingConfig>) {
  const task = new ScriptedSourceTask();
  const producer = new FakeProducer();
  const store = new MemoryOffsetStore();
  const reporter = new RecordingReporter();
  const keyConverter = new StringConverter();
  keyConverter.configure({}, true);
  const valueConverter = new StringConverter();
  valueConverter.configure({}, false);
  const worker = new WorkerSourceTask({
    id: { connector: 'src', task: 0 },
    task,
    props: {},
    keyConverter,
    valueConverter,
    headerConverter: new SimpleHeaderConverter(),
    producer,
    offsetReader: new StoreOffsetReader(store, 'src'),
    offsetWriter: new OffsetStorageWriter(store, 'src'),
    offsetFlushIntervalMs: 5,
    offsetFlushTimeoutMs: 1000,
    logger: new RecordingLogger(),
    operator: testOperator(errors, [reporter], new FakeTime(), { connector: 'src', task: 0 }),
    transformationChain: chain(),
  });
  worker.start();
  stops.push(async () => {
    producer.ackAll();
    await worker.stop();
    await worker.awaitStop(2000);
  });
  return { worker, task, producer, store, reporter };
}

describe('WorkerSourceTask with transforms', () => {
  it('produces the transformed records; a dropped record is not produced, its offset is still stored in order and commitRecord(record, null) is called', async () => {
    const { task, producer, store } = startSource({});
    task.push([record('lines', 'a', 1), record('lines', 'drop', 2), record('lines', 'c', 3)]);
    await waitFor(() => producer.sends.length === 1, 'the send');
    expect(producer.sends[0].records.map((r) => [r.topic, String(r.value)])).toEqual([
      ['lines-routed', 'a!'],
      ['lines-routed', 'c!'],
    ]);
    producer.ack(0);
    await waitFor(() => task.committedRecords.length === 3, 'commitRecord for each record');
    // commitRecord is given the record as polled (Kafka's preTransformRecord)
    expect(task.committedRecords.map((c) => [c.record.topic, c.record.value, c.metadata?.offset ?? null])).toEqual([
      ['lines', 'a', 0n],
      ['lines', 'drop', null],
      ['lines', 'c', 1n],
    ]);
    await waitFor(() => store.get('src', { filename: 'a.txt' }) !== null, 'the offset');
    expect(store.get('src', { filename: 'a.txt' })).toEqual({ position: 3 });
  });

  it('a batch whose every record is dropped sends nothing but commits its offsets', async () => {
    const { task, producer, store } = startSource({});
    task.push([record('lines', 'drop', 7)]);
    await waitFor(() => store.get('src', { filename: 'a.txt' }) !== null, 'the offset');
    expect(store.get('src', { filename: 'a.txt' })).toEqual({ position: 7 });
    expect(producer.sends).toHaveLength(0);
    expect(task.committedRecords.map((c) => c.metadata)).toEqual([null]);
  });

  it('errors.tolerance=none: a failing transform fails the task and nothing of the batch is sent', async () => {
    const { worker, task, producer, reporter } = startSource({});
    task.push([record('lines', 'a', 1), record('lines', 'bad', 2)]);
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(worker.error?.message).toBe('Tolerance exceeded in error handler');
    expect((worker.error?.cause as Error).message).toBe('Failed to transform a record for topic lines with transforms.suffix (com.example.transforms.Suffix): Suffix refuses bad');
    expect(reporter.reports.map((r) => [r.stage, r.executingClass])).toEqual([[Stage.TRANSFORMATION, 'com.example.transforms.Suffix']]);
    expect(producer.sends).toHaveLength(0);
  });

  it('errors.tolerance=all: a failing transform skips its record (reported, counted), the others go out and every offset is stored', async () => {
    const { worker, task, producer, store, reporter } = startSource({ tolerance: 'all' });
    const bad = record('lines', 'bad', 2);
    task.push([record('lines', 'a', 1), bad, record('lines', 'c', 3)]);
    await waitFor(() => producer.sends.length === 1, 'the send');
    expect(producer.sends[0].records.map((r) => String(r.value))).toEqual(['a!', 'c!']);
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0]).toMatchObject({ stage: Stage.TRANSFORMATION, executingClass: 'com.example.transforms.Suffix', sourceRecord: bad });
    producer.ack(0);
    await waitFor(() => store.get('src', { filename: 'a.txt' }) !== null, 'the offset');
    expect(store.get('src', { filename: 'a.txt' })).toEqual({ position: 3 });
    expect(worker.state).toBe('RUNNING');
    expect((worker as unknown as { operator: { counters: { recordsSkipped: number } } }).operator.counters.recordsSkipped).toBe(1);
  });

  it('closes the transforms when the task ends', async () => {
    const { worker } = startSource({});
    // the first instance is the one validation configured and closed; the second is the task's
    expect(created.filter((c) => c.kind === 'Suffix').map((c) => c.closed)).toEqual([true, false]);
    await worker.stop();
    await worker.awaitStop(2000);
    expect(created.filter((c) => c.kind === 'Suffix').map((c) => c.closed)).toEqual([true, true]);
  });
});

async function startSink(errors: Partial<ErrorHandlingConfig>, errant = false) {
  const task = new RecordingSinkTask();
  const consumer = new FakeConsumer();
  const reporter = new RecordingReporter();
  const converter = new StringConverter();
  converter.configure({}, false);
  const worker = new WorkerSinkTask({
    id: { connector: 'sink', task: 0 },
    task,
    props: { topics: 'orders' },
    subscription: { topics: ['orders'], regex: null },
    keyConverter: converter,
    valueConverter: converter,
    headerConverter: new SimpleHeaderConverter(),
    consumer,
    offsetFlushIntervalMs: 5,
    logger: new RecordingLogger(),
    operator: testOperator(errors, [reporter], new FakeTime(), { connector: 'sink', task: 0 }),
    errantRecordReporting: errant,
    transformationChain: chain(),
  });
  worker.start();
  stops.push(async () => {
    await worker.stop();
    await worker.awaitStop(2000);
  });
  await waitFor(() => consumer.handlers !== null, 'the consumer to start');
  await consumer.assign([{ topic: 'orders', partition: 2 }]);
  return { worker, task, consumer, reporter };
}

describe('WorkerSinkTask with transforms', () => {
  it('put() gets the transformed records; a dropped record counts as consumed (the commit moves past it)', async () => {
    const { task, consumer } = await startSink({});
    await consumer.deliver(batch('orders', 2, 5, [text('a'), text('drop'), text('c')]));
    expect(task.batches).toHaveLength(1);
    expect(task.batches[0].map((r) => [r.topic, r.value, r.kafkaOffset])).toEqual([
      ['orders-routed', 'a!', 5n],
      ['orders-routed', 'c!', 7n],
    ]);
    await waitFor(() => consumer.commits.length === 1, 'the commit');
    expect(consumer.commits[0]).toEqual([{ topic: 'orders', partition: 2, offset: 8n }]);
  });

  it('errors.tolerance=all: a failing transform skips its record; the reporters (the DLQ among them) get its original bytes', async () => {
    const { task, consumer, reporter } = await startSink({ tolerance: 'all' });
    await consumer.deliver(batch('orders', 2, 5, [text('a'), text('bad')], [text('k1'), text('k2')]));
    expect(task.batches[0].map((r) => r.value)).toEqual(['a!']);
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0]).toMatchObject({
      stage: Stage.TRANSFORMATION,
      executingClass: 'com.example.transforms.Suffix',
      consumedRecord: { topic: 'orders', partition: 2, offset: 6n, key: text('k2'), value: text('bad') },
    });
    await waitFor(() => consumer.commits.length === 1, 'the commit');
    expect(consumer.commits[0]).toEqual([{ topic: 'orders', partition: 2, offset: 7n }]);
  });

  it('errors.tolerance=none: a failing transform fails the task; nothing is put or committed', async () => {
    const { worker, task, consumer } = await startSink({});
    await consumer.deliver(batch('orders', 2, 5, [text('a'), text('bad')]));
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(worker.error?.message).toBe('Tolerance exceeded in error handler');
    expect(task.batches).toHaveLength(0);
    expect(consumer.commits).toHaveLength(0);
  });

  it('a transformed record reported by the task through the errant record reporter carries the original bytes', async () => {
    const { task, consumer, reporter } = await startSink({ tolerance: 'all' }, true);
    const errant = task.context!.errantRecordReporter!();
    const reported: Promise<void>[] = [];
    const put = task.put.bind(task);
    task.put = (records) => {
      for (const r of records) reported.push(errant!.report(r, new DataError('the target refused it')));
      return put(records);
    };
    await consumer.deliver(batch('orders', 2, 0, [text('a')]));
    await Promise.all(reported);
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0]).toMatchObject({ stage: Stage.TASK_PUT, consumedRecord: { topic: 'orders', offset: 0n, value: text('a') } });
  });
});
