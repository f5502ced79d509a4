import { ConnectError, DataError } from '../../../src/api';
import { LongConverter } from '../../../src/converters';
import { Stage } from '../../../src/runtime/errors/error-context';
import { ErrorHandlingConfig } from '../../../src/runtime/errors/error-handling-config';
import { OperatorTime, systemTime } from '../../../src/runtime/errors/retry-with-tolerance-operator';
import { WorkerSinkTask } from '../../../src/runtime/worker-sink-task';
import { batch, FakeConsumer, FakeTime, PickyConverter, RecordingLogger, RecordingReporter, RecordingSinkTask, testOperator, waitFor } from './fakes';

const running: WorkerSinkTask[] = [];
const text = (s: string): Buffer => Buffer.from(s, 'utf8');

async function startTask(errors: Partial<ErrorHandlingConfig>, options: { time?: OperatorTime; longHeaders?: boolean; errant?: boolean } = {}) {
  const task = new RecordingSinkTask();
  const consumer = new FakeConsumer();
  const reporter = new RecordingReporter();
  const valueConverter = new PickyConverter();
  const worker = new WorkerSinkTask({
    id: { connector: 'sink', task: 0 },
    task,
    props: { topics: 'orders' },
    subscription: { topics: ['orders'], regex: null },
    keyConverter: new PickyConverter(),
    valueConverter,
    headerConverter: options.longHeaders ? new LongConverter() : new PickyConverter(),
    consumer,
    offsetFlushIntervalMs: 5,
    logger: new RecordingLogger(),
    operator: testOperator(errors, [reporter], options.time ?? new FakeTime(), { connector: 'sink', task: 0 }),
    converterClasses: { key: 'test.PickyConverter', value: 'test.PickyConverter', header: 'org.apache.kafka.connect.converters.LongConverter' },
    errantRecordReporting: options.errant ?? false,
  });
  running.push(worker);
  worker.start();
  await waitFor(() => consumer.handlers !== null, 'the consumer to start');
  await consumer.assign([{ topic: 'orders', partition: 2 }]);
  return { worker, task, consumer, reporter, valueConverter };
}

afterEach(async () => {
  for (const w of running.splice(0)) {
    await w.stop();
    await w.awaitStop(2000);
  }
});

describe('WorkerSinkTask error handling', () => {
  it('errors.tolerance=all: a malformed record among good ones is skipped, the good ones reach put(), the commit moves past it', async () => {
    const { worker, task, consumer, reporter } = await startTask({ tolerance: 'all' });
    await consumer.deliver(batch('orders', 2, 5, [text('a'), text('bad'), text('c')]));

    expect(task.batches).toHaveLength(1);
    expect(task.batches[0].map((r) => [r.value, r.kafkaOffset])).toEqual([
      ['a', 5n],
      ['c', 7n],
    ]);
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0]).toMatchObject({
      stage: Stage.VALUE_CONVERTER,
      executingClass: 'test.PickyConverter',
      sourceRecord: null,
      connectorName: 'sink',
      taskId: 0,
      consumedRecord: { topic: 'orders', partition: 2, offset: 6n, timestamp: 1700000000001, key: null, value: text('bad'), headers: [] },
    });
    await waitFor(() => consumer.commits.length === 1, 'the commit');
    expect(consumer.commits[0]).toEqual([{ topic: 'orders', partition: 2, offset: 8n }]);
    expect(worker.state).toBe('RUNNING');
  });

  it('errors.tolerance=all: a batch of only malformed records is not put but is committed', async () => {
    const { task, consumer } = await startTask({ tolerance: 'all' });
    await consumer.deliver(batch('orders', 2, 0, [text('bad'), text('bad')]));
    expect(task.batches).toHaveLength(0);
    await waitFor(() => consumer.commits.length === 1, 'the commit');
    expect(consumer.commits[0]).toEqual([{ topic: 'orders', partition: 2, offset: 2n }]);
  });

  it('errors.tolerance=all: a header that cannot be converted skips its record (stage HEADER_CONVERTER)', async () => {
    const { task, consumer, reporter } = await startTask({ tolerance: 'all' }, { longHeaders: true });
    const b = batch('orders', 2, 0, [text('a'), text('b')]);
    b.messages[0].headers = [['id', Buffer.from('2a', 'hex')]];
    await consumer.deliver(b);
    expect(task.batches[0].map((r) => r.value)).toEqual(['b']);
    expect(reporter.reports.map((r) => [r.stage, r.executingClass])).toEqual([[Stage.HEADER_CONVERTER, 'org.apache.kafka.connect.converters.LongConverter']]);
  });

  it('errors.tolerance=none: the task fails naming topic, partition and offset, and nothing of the batch is put or committed', async () => {
    const { worker, task, consumer, reporter } = await startTask({});
    await consumer.deliver(batch('orders', 2, 5, [text('a'), text('bad')]));
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(worker.error?.message).toBe('Tolerance exceeded in error handler');
    expect(worker.error?.cause).toBeInstanceOf(DataError);
    expect((worker.error?.cause as Error).message).toBe("Failed to convert the value of the record at topic orders partition 2 offset 6: PickyConverter refuses 'bad' for topic orders");
    expect(reporter.reports).toHaveLength(1);
    expect(task.batches).toHaveLength(0);
    expect(consumer.commits).toHaveLength(0);
  });

  it('retries a retriable conversion error within errors.retry.timeout, then puts the record', async () => {
    const time = new FakeTime();
    const { task, consumer, reporter, valueConverter } = await startTask({ retryTimeoutMs: 5000 }, { time });
    valueConverter.retriableFailures = 3;
    await consumer.deliver(batch('orders', 2, 0, [text('flaky')]));
    expect(task.batches[0].map((r) => r.value)).toEqual(['flaky']);
    expect(time.sleeps).toEqual([300, 600, 1200]);
    expect(reporter.reports).toHaveLength(0);
  });

  it('a stop while a conversion is being retried abandons the batch: STOPPED, not put, not committed', async () => {
    const { worker, task, consumer, reporter, valueConverter } = await startTask({ retryTimeoutMs: -1, retryDelayMaxMs: 20 }, { time: systemTime });
    await consumer.deliver(batch('orders', 2, 0, [text('a')]));
    valueConverter.retriableFailures = Number.MAX_SAFE_INTEGER;
    const delivery = consumer.deliver(batch('orders', 2, 1, [text('flaky')]));
    await waitFor(() => valueConverter.calls >= 4, 'a few attempts');
    await worker.stop();
    expect(await worker.awaitStop(2000)).toBe(true);
    await delivery;
    expect(worker.state).toBe('STOPPED');
    expect(task.batches).toHaveLength(1);
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 2, offset: 1n }]]);
    expect(reporter.reports).toHaveLength(0);
    expect(reporter.closed).toBe(true);
  });

  it('a rebalance while a conversion is being retried abandons the batch: not a failure, not put, not committed, and nothing reported', async () => {
    const { worker, task, consumer, reporter, valueConverter } = await startTask({ retryTimeoutMs: -1, retryDelayMaxMs: 20 }, { time: systemTime });
    await consumer.deliver(batch('orders', 2, 0, [text('a')]));
    valueConverter.retriableFailures = Number.MAX_SAFE_INTEGER;
    const delivery = consumer.deliver(batch('orders', 2, 1, [text('flaky')]));
    await waitFor(() => valueConverter.calls >= 4, 'a few attempts');
    expect(consumer.abortBatch()).toBe(true);
    expect(await delivery).toBe(false);
    expect(worker.state).toBe('RUNNING');
    await consumer.revokeAll();
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 2, offset: 1n }]]);
    expect(task.batches).toHaveLength(1);
    expect(reporter.reports).toHaveLength(0);
  });

  it('errant record reporter (KIP-610): a record the task reports reaches the reporters with its original bytes at stage TASK_PUT, before the commit', async () => {
    const { task, consumer, reporter } = await startTask({ tolerance: 'all' }, { errant: true });
    const errant = task.context!.errantRecordReporter!();
    expect(errant).not.toBeNull();
    const reported: Promise<void>[] = [];
    const originalPut = task.put.bind(task);
    task.put = (records) => {
      for (const r of records) if (r.value === 'c') reported.push(errant!.report(r, new DataError('the target refused c')));
      return originalPut(records);
    };
    await consumer.deliver(batch('orders', 2, 5, [text('a'), text('c')]));
    await Promise.all(reported);
    expect(reporter.reports).toHaveLength(1);
    expect(reporter.reports[0]).toMatchObject({ stage: Stage.TASK_PUT, executingClass: 'org.apache.kafka.connect.sink.SinkTask' });
    expect(reporter.reports[0].consumedRecord).toMatchObject({ topic: 'orders', partition: 2, offset: 6n });
    expect(reporter.reports[0].consumedRecord!.value).toEqual(text('c'));
    await waitFor(() => consumer.commits.length > 0, 'a commit');
    expect(consumer.commits[0]).toEqual([{ topic: 'orders', partition: 2, offset: 7n }]);
  });

  it.each([
    ['errors.tolerance=all and the dead letter queue refuses the write', { tolerance: 'all' as const }, true],
    ['errors.tolerance=none', {}, false],
  ])('a record reported through the errant record reporter fails the task before any commit passes it (%s)', async (_what, errors, dlqFails) => {
    const { worker, task, consumer, reporter } = await startTask(errors, { errant: true });
    if (dlqFails) reporter.failures.push(new ConnectError('Failed to write to the dead letter queue topic dlq: not authorized'));
    const errant = task.context!.errantRecordReporter!()!;
    const originalPut = task.put.bind(task);
    task.put = (records) => {
      // Connectors often do not await report(): the runtime must still notice its failure.
      for (const r of records) if (r.value === 'c') void errant.report(r, new DataError('the target refused c')).catch(() => undefined);
      return originalPut(records);
    };
    await consumer.deliver(batch('orders', 2, 5, [text('a'), text('c')]));
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(await worker.awaitStop(2000)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20)); // several flush intervals
    expect(consumer.commits).toEqual([]);
    expect(worker.error?.message).toMatch(/errant record/);
  });

  it('offers no errant record reporter when neither a dead letter queue nor error logging is configured', async () => {
    const { task } = await startTask({ tolerance: 'all' });
    expect(task.context!.errantRecordReporter!()).toBeNull();
  });
});
