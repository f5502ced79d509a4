import { ConnectError, PartitionOffsets, RetriableError, SinkRecord, SinkTask, SinkTaskContext, TopicPartition } from '../../../src/api';
import { StringConverter, SimpleHeaderConverter } from '../../../src/converters';
import { WorkerSinkTask } from '../../../src/runtime/worker-sink-task';
import { FileStreamSinkTask, SinkFileHandle, SinkFileOps } from '../../../connectors/file/file-stream-sink-task';
import { batch, deferred, FakeConsumer, FakeTime, RecordingLogger, RecordingSinkTask, settle, testOperator, waitFor } from './fakes';

const text = (s: string): Buffer => Buffer.from(s, 'utf8');
const values = (first: number, count: number): Buffer[] => Array.from({ length: count }, (_, i) => text(`v${first + i}`));
const P0: TopicPartition = { topic: 'orders', partition: 0 };
const P1: TopicPartition = { topic: 'orders', partition: 1 };

/**
 * A sink that buffers put() records and writes them on flush(); a flush that fails throws the
 * buffer away, as a sink whose target rejected the write would.
 */
class BufferingSinkTask implements SinkTask {
  readonly written: string[] = [];
  private buffer: string[] = [];
  flushFailures = 0;
  context: SinkTaskContext | null = null;
  /** When set, preCommit returns this instead of flushing. */
  preCommitAnswer: ((offsets: PartitionOffsets) => PartitionOffsets) | null = null;
  readonly events: string[] = [];

  version(): string {
    return 'test';
  }
  initialize(context: SinkTaskContext): void {
    this.context = context;
  }
  start(): void {}
  put(records: readonly SinkRecord[]): void {
    for (const r of records) this.buffer.push(String(r.value));
  }
  flush(): void {
    if (this.flushFailures > 0) {
      this.flushFailures--;
      this.buffer = [];
      throw new ConnectError('the target refused the write');
    }
    this.written.push(...this.buffer);
    this.buffer = [];
  }
  preCommit(offsets: PartitionOffsets): PartitionOffsets {
    if (this.preCommitAnswer) return this.preCommitAnswer(offsets);
    this.flush();
    return offsets;
  }
  close(partitions: readonly TopicPartition[]): void {
    this.events.push(`close ${partitions.map((p) => `${p.topic}-${p.partition}`).join(',')}`);
  }
  stop(): void {
    this.events.push('stop');
  }
}

const running: WorkerSinkTask[] = [];

function newWorker(task: SinkTask, consumer: FakeConsumer, options: { flushIntervalMs?: number; time?: FakeTime; logger?: RecordingLogger } = {}): WorkerSinkTask {
  const valueConverter = new StringConverter();
  valueConverter.configure({}, false);
  const keyConverter = new StringConverter();
  keyConverter.configure({}, true);
  const worker = new WorkerSinkTask({
    id: { connector: 'sink', task: 0 },
    task,
    props: { topics: 'orders' },
    subscription: { topics: ['orders'], regex: null },
    keyConverter,
    valueConverter,
    headerConverter: new SimpleHeaderConverter(),
    consumer,
    offsetFlushIntervalMs: options.flushIntervalMs ?? 60000,
    logger: options.logger ?? new RecordingLogger(),
    operator: testOperator({}, [], undefined, { connector: 'sink', task: 0 }),
    clock: options.time,
  });
  running.push(worker);
  return worker;
}

async function started(task: SinkTask, options: { flushIntervalMs?: number; time?: FakeTime } = {}) {
  const events: string[] = [];
  const consumer = new FakeConsumer(events);
  const logger = new RecordingLogger();
  const worker = newWorker(task, consumer, { ...options, logger });
  worker.start();
  await waitFor(() => consumer.listener !== null, 'the consumer to start');
  return { worker, consumer, events, logger };
}

afterEach(async () => {
  for (const w of running.splice(0)) {
    await w.stop();
    await w.awaitStop(2000);
  }
});

describe('WorkerSinkTask delivery guarantees', () => {
  it('a flush that fails once rewinds to the last committed offset: the dropped records come again and none is lost', async () => {
    const task = new BufferingSinkTask();
    const { worker, consumer, logger } = await started(task);
    await consumer.assign([P0]);
    task.context!.requestCommit();
    expect(await consumer.deliver(batch('orders', 0, 0, values(0, 3)))).toBe(true);
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 0, offset: 3n }]]);

    task.flushFailures = 1;
    task.context!.requestCommit();
    await consumer.deliver(batch('orders', 0, 3, values(3, 3)));

    // The consumer fetches from its position: where the task rewound it, else after what it fetched.
    const next = Number(consumer.seekedTo('orders', 0) ?? 6n);
    await consumer.deliver(batch('orders', 0, next, values(next, 8 - next)));
    task.context!.requestCommit();
    await consumer.deliver(batch('orders', 0, 8, values(8, 2)));

    expect(worker.state).toBe('RUNNING');
    expect(consumer.commits.map((c) => c[0].offset)).toEqual([3n, 10n]);
    expect(task.written).toEqual(values(0, 10).map(String)); // nothing lost
    expect(consumer.seekedTo('orders', 0)).toBe(3n);
    expect(logger.messages('error').some((m) => m.includes('rewinding to last committed offsets'))).toBe(true);
  });

  it('a flush failing at the interval rewinds every partition it covered, and the next commit never passes unflushed records', async () => {
    const task = new BufferingSinkTask();
    const { consumer, events } = await started(task, { flushIntervalMs: 5 });
    await consumer.assign([P0, P1]);
    await consumer.deliver(batch('orders', 0, 0, values(0, 2)));
    await consumer.deliver(batch('orders', 1, 0, values(100, 2)));
    await waitFor(() => consumer.commits.length === 1, 'the first commit');
    task.flushFailures = 1;
    await consumer.deliver(batch('orders', 0, 2, values(2, 2)));
    await consumer.deliver(batch('orders', 1, 2, values(102, 2)));
    await waitFor(() => consumer.seeks.length === 2, 'the rewind');
    await settle();
    expect(consumer.seeks).toEqual([
      { topic: 'orders', partition: 0, offset: 2n },
      { topic: 'orders', partition: 1, offset: 2n },
    ]);
    expect(consumer.commits).toHaveLength(1);
    expect(events.filter((e) => e.startsWith('seek'))).toHaveLength(2);

    // Redelivered from the rewound offsets: committed once flushed.
    await consumer.deliver(batch('orders', 0, 2, values(2, 2)));
    await consumer.deliver(batch('orders', 1, 2, values(102, 2)));
    await waitFor(() => consumer.commits.length === 2, 'the second commit');
    expect(consumer.commits[1]).toEqual([
      { topic: 'orders', partition: 0, offset: 4n },
      { topic: 'orders', partition: 1, offset: 4n },
    ]);
    expect([...task.written].sort()).toEqual(['v0', 'v1', 'v100', 'v101', 'v102', 'v103', 'v2', 'v3']);
  });

  it('FileStreamSink whose fsync fails once (the unsynced lines are lost, as after EIO): every record ends in the file at least once', async () => {
    /** A file whose written bytes become durable only on a successful sync; a failed sync drops them. */
    const durable: string[] = [];
    let unsynced = '';
    let syncFailures = 0;
    const handle: SinkFileHandle = {
      async write(buffer, offset, length) {
        unsynced += buffer.subarray(offset, offset + length).toString('utf8');
        return { bytesWritten: length };
      },
      async sync() {
        if (syncFailures > 0) {
          syncFailures--;
          unsynced = '';
          throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
        }
        durable.push(...unsynced.split('\n').slice(0, -1));
        unsynced = '';
      },
      async close() {},
    };
    const fileOps: SinkFileOps = { open: async () => handle };
    const task = new FileStreamSinkTask({ fileOps });
    const realStart = task.start.bind(task);
    task.start = () => realStart({ file: '/data/out.txt', topics: 'orders' });
    const consumer = new FakeConsumer();
    const worker = newWorker(task, consumer, { flushIntervalMs: 5 });
    worker.start();
    await waitFor(() => consumer.listener !== null, 'the consumer to start');
    await consumer.assign([P0]);

    await consumer.deliver(batch('orders', 0, 0, values(0, 3)));
    await waitFor(() => consumer.commits.length === 1, 'the first commit');
    syncFailures = 1;
    await consumer.deliver(batch('orders', 0, 3, values(3, 3)));
    await waitFor(() => consumer.seeks.length === 1, 'the rewind after the failed fsync');
    expect(durable).toEqual(values(0, 3).map(String)); // v3..v5 were lost with the failed fsync
    const next = Number(consumer.seekedTo('orders', 0));
    await consumer.deliver(batch('orders', 0, next, values(next, 8 - next)));
    await waitFor(() => consumer.commits.length === 2, 'the commit after the redelivery');
    expect(consumer.commits.map((c) => c[0].offset)).toEqual([3n, 8n]);
    expect(durable).toEqual(values(0, 8).map(String));
    expect(worker.state).toBe('RUNNING');
  });

  it('checks the offsets preCommit returns: unassigned partitions, offsets beyond what was consumed and offsets below the last commit are ignored with a warning', async () => {
    const task = new BufferingSinkTask();
    const { consumer, logger } = await started(task);
    await consumer.assign([P0, P1]);
    task.context!.requestCommit();
    await consumer.deliver(batch('orders', 0, 10, values(0, 5)));
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 0, offset: 15n }]]);

    const answer = new Map([
      ['other-7', { tp: { topic: 'other', partition: 7 }, offset: { offset: 3n } }],
      ['orders-0', { tp: P0, offset: { offset: 12n } }], // below the last commit (15)
      ['orders-1', { tp: P1, offset: { offset: 99n } }], // consumed up to 3 only
    ]);
    task.preCommitAnswer = () => answer;
    await consumer.deliver(batch('orders', 0, 15, values(5, 2)));
    task.context!.requestCommit();
    await consumer.deliver(batch('orders', 1, 0, values(10, 3)));
    expect(consumer.commits).toHaveLength(1);
    const warnings = logger.messages('warn').join('\n');
    expect(warnings).toContain('Ignoring task provided offset 3 for other-7: partition not assigned');
    expect(warnings).toContain('Ignoring task provided offset 12 for orders-0: below the last committed offset 15');
    expect(warnings).toContain('Ignoring task provided offset 99 for orders-1: not yet consumed (consumed up to 3)');

    // A task that tracks its own progress may commit less than was consumed.
    task.preCommitAnswer = () => new Map([['orders-1', { tp: P1, offset: { offset: 2n } }]]);
    task.context!.requestCommit();
    await consumer.deliver(batch('orders', 1, 3, values(13, 1)));
    expect(consumer.commits[1]).toEqual([{ topic: 'orders', partition: 1, offset: 2n }]);
  });

  it('a commit that did not happen (rebalancing, consumer not running) is not recorded: the next commit sends the same offsets again', async () => {
    const task = new RecordingSinkTask();
    const { worker, consumer, logger } = await started(task, { flushIntervalMs: 5 });
    await consumer.assign([P0]);
    consumer.commitOutcomes.push(false, new ConnectError('coordinator not available'));
    await consumer.deliver(batch('orders', 0, 0, values(0, 2)));
    await waitFor(() => consumer.commits.length === 1, 'a commit that happened');
    expect(consumer.commits[0]).toEqual([{ topic: 'orders', partition: 0, offset: 2n }]);
    expect(task.flushed.length).toBeGreaterThanOrEqual(3);
    expect(worker.state).toBe('RUNNING');
    expect(logger.messages('warn').some((m) => m.includes('Offsets not committed (interval)'))).toBe(true);
    expect(logger.messages('error').some((m) => m.includes('coordinator not available'))).toBe(true);
  });

  it('pauses the assigned partitions while put() is retried and resumes them after (the consumer keeps the membership alive)', async () => {
    const time = new FakeTime();
    const task = new RecordingSinkTask();
    const { worker, consumer, events } = await started(task, { time });
    await consumer.assign([P0, P1]);
    task.putFailures.push(new RetriableError('down'), new RetriableError('down'), new RetriableError('down'));
    let pausedDuringRetry = false;
    time.onSleep = () => {
      pausedDuringRetry = consumer.paused.has('orders-0') && consumer.paused.has('orders-1');
    };
    expect(await consumer.deliver(batch('orders', 0, 0, values(0, 1)))).toBe(true);
    expect(time.sleeps).toEqual([100, 200, 400]);
    expect(pausedDuringRetry).toBe(true);
    expect(consumer.paused.size).toBe(0);
    expect(events.filter((e) => e.startsWith('consumer.'))).toEqual(['consumer.pause', 'consumer.resume']);
    expect(task.batches).toHaveLength(4);
    expect(worker.state).toBe('RUNNING');
  });

  it('a rebalance during put() retries abandons the batch (not a failure): earlier batches are committed on revocation, the batch comes again after', async () => {
    const time = new FakeTime();
    const task = new RecordingSinkTask();
    const { worker, consumer } = await started(task, { time });
    await consumer.assign([P0]);
    await consumer.deliver(batch('orders', 0, 0, values(0, 2)));
    for (let i = 0; i < 1000; i++) task.putFailures.push(new RetriableError('database is down'));
    time.onSleep = () => {
      if (time.sleeps.length === 3) consumer.abortBatch();
    };
    expect(await consumer.deliver(batch('orders', 0, 2, values(2, 2)))).toBe(false);
    expect(worker.state).toBe('RUNNING');
    expect(consumer.paused.size).toBe(0); // resumed: the new generation fetches normally

    await consumer.revokeAll();
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 0, offset: 2n }]]);
    expect(task.events.slice(-2)).toEqual(['flush', 'close orders-0']);

    task.putFailures.length = 0;
    await consumer.assign([P0]);
    expect(await consumer.deliver(batch('orders', 0, 2, values(2, 2)))).toBe(true);
    await worker.stop();
    expect(await worker.awaitStop(2000)).toBe(true);
    expect(worker.state).toBe('STOPPED');
    expect(consumer.commits[1]).toEqual([{ topic: 'orders', partition: 0, offset: 4n }]);
  });

  it('lost partitions are closed without a flush or a commit; new ones are read from their committed offsets', async () => {
    const task = new RecordingSinkTask();
    const { consumer } = await started(task);
    await consumer.assign([P0]);
    await consumer.deliver(batch('orders', 0, 0, values(0, 2)));
    await consumer.loseAll();
    expect(task.events.slice(-1)).toEqual(['close orders-0']);
    expect(task.flushed).toHaveLength(0);
    expect(consumer.commits).toHaveLength(0);
    expect(task.context!.assignment()).toEqual([]);

    // Given again: read from the committed offset (0), so the records come again and are committed.
    await consumer.assign([P0]);
    task.context!.requestCommit();
    await consumer.deliver(batch('orders', 0, 0, values(0, 3)));
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 0, offset: 3n }]]);
  });

  it('stop() while start() is still running: no consumer starts, the task is stopped, STOPPED', async () => {
    const gate = deferred();
    const events: string[] = [];
    const task = new RecordingSinkTask(events);
    task.start = () => gate.promise.then(() => undefined);
    const consumer = new FakeConsumer(events);
    const worker = newWorker(task, consumer);
    worker.start();
    await settle();
    await worker.stop();
    gate.resolve();
    expect(await worker.awaitStop(2000)).toBe(true);
    expect(worker.state).toBe('STOPPED');
    expect(consumer.startCalls).toBe(0);
    expect(events).toEqual(['stop']);
  });

  it('a consumer that fails to start is closed, the task stopped, and the task FAILED with the cause', async () => {
    const events: string[] = [];
    const task = new RecordingSinkTask(events);
    const consumer = new FakeConsumer(events);
    consumer.startFailure = new ConnectError('subscribe failed: topic metadata not available');
    const worker = newWorker(task, consumer);
    worker.start();
    expect(await worker.awaitStop(2000)).toBe(true);
    expect(worker.state).toBe('FAILED');
    expect(worker.error?.message).toContain('subscribe failed');
    expect(events).toEqual(['start', 'stop', 'consumer.close']);
  });
});
