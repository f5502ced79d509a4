import { ConnectError, RetriableError } from '../../../src/api';
import { SimpleHeaderConverter, StringConverter } from '../../../src/converters';
import { Stage } from '../../../src/runtime/errors/error-context';
import { ErrorHandlingConfig } from '../../../src/runtime/errors/error-handling-config';
import { OperatorTime, systemTime } from '../../../src/runtime/errors/retry-with-tolerance-operator';
import { OffsetStorageWriter, StoreOffsetReader } from '../../../src/runtime/offset-storage-writer';
import { WorkerSourceTask } from '../../../src/runtime/worker-source-task';
import { FakeProducer, FakeTime, MemoryOffsetStore, PickyConverter, record, RecordingLogger, RecordingReporter, ScriptedSourceTask, settle, testOperator, waitFor } from './fakes';

const CONNECTOR = 'src';
const PARTITION = { filename: 'a.txt' };
const running: Array<{ worker: WorkerSourceTask; producer: FakeProducer }> = [];

function startTask(errors: Partial<ErrorHandlingConfig>, options: { producer?: FakeProducer; time?: OperatorTime } = {}) {
  const task = new ScriptedSourceTask();
  const producer = options.producer ?? new FakeProducer();
  const store = new MemoryOffsetStore();
  const logger = new RecordingLogger();
  const reporter = new RecordingReporter();
  const keyConverter = new StringConverter();
  keyConverter.configure({}, true);
  const valueConverter = new PickyConverter();
  const worker = new WorkerSourceTask({
    id: { connector: CONNECTOR, task: 0 },
    task,
    props: {},
    keyConverter,
    valueConverter,
    headerConverter: new SimpleHeaderConverter(),
    producer,
    offsetReader: new StoreOffsetReader(store, CONNECTOR),
    offsetWriter: new OffsetStorageWriter(store, CONNECTOR),
    offsetFlushIntervalMs: 5,
    offsetFlushTimeoutMs: 1000,
    logger,
    operator: testOperator(errors, [reporter], options.time ?? new FakeTime(), { connector: CONNECTOR, task: 0 }),
    converterClasses: { key: 'org.apache.kafka.connect.storage.StringConverter', value: 'test.PickyConverter', header: 'org.apache.kafka.connect.storage.SimpleHeaderConverter' },
  });
  running.push({ worker, producer });
  worker.start();
  return { worker, task, producer, store, logger, reporter, valueConverter };
}

afterEach(async () => {
  for (const { worker, producer } of running.splice(0)) {
    producer.ackAll();
    await worker.stop();
    await worker.awaitStop(2000);
  }
});

const values = (producer: FakeProducer, index: number): string[] => producer.sends[index].records.map((r) => String(r.value));

describe('WorkerSourceTask error handling', () => {
  it('errors.tolerance=all: a record that fails conversion is not produced, is reported, and its offset is still stored', async () => {
    const { worker, task, producer, store, reporter } = startTask({ tolerance: 'all' });
    const bad = record('lines', 'bad', 2);
    task.push([record('lines', 'a', 1), bad, record('lines', 'c', 3)]);

    await waitFor(() => producer.sends.length === 1, 'the send');
    expect(values(producer, 0)).toEqual(['a', 'c']);
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0]).toMatchObject({ stage: Stage.VALUE_CONVERTER, executingClass: 'test.PickyConverter', sourceRecord: bad, consumedRecord: null, attempts: 1 });
    expect(reporter.reports[0].error.message).toBe("PickyConverter refuses 'bad' for topic lines");

    producer.ack(0);
    await waitFor(() => store.get(CONNECTOR, PARTITION) !== null, 'the offset');
    expect(store.get(CONNECTOR, PARTITION)).toEqual({ position: 3 });
    expect(task.committedRecords.map((c) => [c.record.value, c.metadata?.offset ?? null])).toEqual([
      ['a', 0n],
      ['bad', null],
      ['c', 1n],
    ]);
    expect(worker.state).toBe('RUNNING');
  });

  it('errors.tolerance=all: a skipped record at the end of a batch has its offset committed once the records before it are acknowledged', async () => {
    const { task, producer, store } = startTask({ tolerance: 'all' });
    task.push([record('lines', 'a', 1)]);
    await waitFor(() => producer.sends.length === 1, 'the first send');
    task.push([record('lines', 'bad', 2)]); // nothing of this batch to send
    task.push([record('lines', 'c', 3)]);
    await waitFor(() => task.polls >= 2, 'the poll of the skipped record');
    await new Promise((resolve) => setTimeout(resolve, 20)); // several flush intervals
    expect(store.get(CONNECTOR, PARTITION)).toBeNull(); // 'a' is not acknowledged yet, so 'bad' waits too

    producer.ack(0);
    await waitFor(() => producer.sends.length === 2, 'the send of c');
    await waitFor(() => store.get(CONNECTOR, PARTITION)?.position === 2, 'the offset of the skipped record');
    expect(values(producer, 1)).toEqual(['c']);
    producer.ack(1);
    await waitFor(() => store.get(CONNECTOR, PARTITION)?.position === 3, 'the offset of c');
  });

  it('errors.tolerance=all: a batch whose records are all skipped stores their offset without sending anything', async () => {
    const { task, producer, store } = startTask({ tolerance: 'all' });
    task.push([record('lines', 'bad', 4), record('lines', 'bad', 5)]);
    await waitFor(() => store.get(CONNECTOR, PARTITION) !== null, 'the offset');
    expect(store.get(CONNECTOR, PARTITION)).toEqual({ position: 5 });
    expect(producer.sends).toHaveLength(0);
    expect(task.committedRecords.map((c) => c.metadata)).toEqual([null, null]);
  });

  it('errors.tolerance=none: the task fails on the first record that cannot be converted, reporting it first', async () => {
    const { worker, task, producer, store, reporter } = startTask({});
    task.push([record('lines', 'a', 1), record('lines', 'bad', 2)]);
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(worker.error?.message).toBe('Tolerance exceeded in error handler');
    expect((worker.error?.cause as Error).message).toBe("Failed to convert the value of a record for topic lines: PickyConverter refuses 'bad' for topic lines");
    expect(reporter.reports.map((r) => r.stage)).toEqual([Stage.VALUE_CONVERTER]);
    expect(producer.sends).toHaveLength(0);
    expect(store.get(CONNECTOR, PARTITION)).toBeNull();
  });

  it('retries a retriable conversion error within errors.retry.timeout, then sends the record', async () => {
    const time = new FakeTime();
    const { task, producer, reporter, valueConverter } = startTask({ retryTimeoutMs: 10000 }, { time });
    valueConverter.retriableFailures = 2;
    task.push([record('lines', 'flaky', 1)]);
    await waitFor(() => producer.sends.length === 1, 'the send');
    expect(values(producer, 0)).toEqual(['flaky']);
    expect(time.sleeps).toEqual([300, 600]);
    expect(reporter.reports).toHaveLength(0);
  });

  it('a RetriableError from poll() is logged and polled again; it never fails the task', async () => {
    const { worker, task, producer, logger } = startTask({ retryDelayMaxMs: 1 });
    task.push(new RetriableError('source busy'));
    task.push(new RetriableError('source still busy'));
    task.push([record('lines', 'a', 1)]);
    await waitFor(() => producer.sends.length === 1, 'the send after the failed polls');
    expect(worker.state).toBe('RUNNING');
    expect(logger.messages('warn').filter((m) => m.includes('failed to poll records from SourceTask. Will retry operation'))).toHaveLength(2);
  });

  it('any other error from poll() fails the task', async () => {
    const { worker, task } = startTask({ tolerance: 'all' });
    task.push(new Error('disk gone'));
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(worker.error?.message).toBe('disk gone');
  });

  it('errors.tolerance=all: a send that failed for good drops its records (stage KAFKA_PRODUCE) and stores their offsets', async () => {
    const producer = new FakeProducer({ autoAck: true });
    producer.failures.push(new ConnectError('Failed to send 2 record(s) to Kafka: Message too large'));
    const { worker, task, store, reporter } = startTask({ tolerance: 'all' }, { producer });
    task.push([record('lines', 'a', 1), record('lines', 'b', 2)]);
    await waitFor(() => store.get(CONNECTOR, PARTITION) !== null, 'the offset');
    expect(store.get(CONNECTOR, PARTITION)).toEqual({ position: 2 });
    expect(reporter.reports.map((r) => [r.stage, r.executingClass, r.sourceRecord?.value])).toEqual([
      [Stage.KAFKA_PRODUCE, 'org.apache.kafka.connect.runtime.AbstractWorkerSourceTask', 'a'],
      [Stage.KAFKA_PRODUCE, 'org.apache.kafka.connect.runtime.AbstractWorkerSourceTask', 'b'],
    ]);
    expect(task.committedRecords.map((c) => c.metadata)).toEqual([null, null]);
    expect(worker.state).toBe('RUNNING');
  });

  it('a stop while a conversion is being retried ends the task STOPPED, storing nothing of that batch', async () => {
    const { worker, task, producer, store, reporter, valueConverter } = startTask({ retryTimeoutMs: -1, retryDelayMaxMs: 20 }, { time: systemTime });
    valueConverter.retriableFailures = Number.MAX_SAFE_INTEGER;
    task.push([record('lines', 'flaky', 1)]);
    await waitFor(() => valueConverter.calls >= 3, 'a few attempts');
    await worker.stop();
    expect(await worker.awaitStop(2000)).toBe(true);
    await settle();
    expect(worker.state).toBe('STOPPED');
    expect(producer.sends).toHaveLength(0);
    expect(store.get(CONNECTOR, PARTITION)).toBeNull();
    expect(reporter.reports).toHaveLength(0);
    expect(reporter.closed).toBe(true);
  });
});
