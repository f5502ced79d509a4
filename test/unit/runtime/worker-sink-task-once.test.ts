import { JsonConverter, SimpleHeaderConverter } from '../../../src/converters';
import { SinkOnceTarget } from '../../../src/runtime/sink-once-target';
import { WorkerSinkTask } from '../../../src/runtime/worker-sink-task';
import { batch, FakeConsumer, RecordingLogger, RecordingSinkTask, settle, testOperator, waitFor } from './fakes';

/** A sink task in a --once run: finishes once its connector committed the end offsets its topics had at start. */
function jsonConverter(isKey: boolean): JsonConverter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': 'false' }, isKey);
  return c;
}

function startTask(target: SinkOnceTarget) {
  const events: string[] = [];
  const task = new RecordingSinkTask(events);
  const consumer = new FakeConsumer(events);
  const worker = new WorkerSinkTask({
    id: { connector: 'sink', task: 0 },
    task,
    props: { topics: 'orders' },
    subscription: { topics: ['orders'], regex: null },
    keyConverter: jsonConverter(true),
    valueConverter: jsonConverter(false),
    headerConverter: new SimpleHeaderConverter(),
    consumer,
    // Never on its own during a test: the --once commit must be asked for by the task itself.
    offsetFlushIntervalMs: 600_000,
    logger: new RecordingLogger(),
    operator: testOperator({}, [], undefined, { connector: 'sink', task: 0 }),
    onceTarget: target,
  });
  worker.start();
  return { worker, task, consumer, events };
}

const afterStop: WorkerSinkTask[] = [];
afterEach(async () => {
  for (const w of afterStop.splice(0)) {
    await w.stop();
    await w.awaitStop(2000);
  }
});

const values = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(JSON.stringify(`v${i}`)));

describe('WorkerSinkTask in a --once run', () => {
  it('commits as soon as a partition reaches its end offset and finishes once every partition did', async () => {
    const target = new SinkOnceTarget([
      { topic: 'orders', partition: 0, start: 0n, end: 3n },
      { topic: 'orders', partition: 1, start: 5n, end: 7n },
      { topic: 'orders', partition: 2, start: 4n, end: 4n }, // nothing to read
    ]);
    const { worker, task, consumer } = startTask(target);
    afterStop.push(worker);
    await waitFor(() => consumer.listener !== null, 'the consumer to start');
    await consumer.assign([0, 1, 2].map((partition) => ({ topic: 'orders', partition })));
    await consumer.deliver(batch('orders', 0, 0, values(3)));
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 0, offset: 3n }]]);
    expect(worker.finished).toBe(false);
    await consumer.deliver(batch('orders', 1, 5, values(1)));
    await settle();
    expect(consumer.commits).toHaveLength(1); // partition 1 not at its end yet
    await consumer.deliver(batch('orders', 1, 6, values(1)));
    await waitFor(() => worker.finished, 'the task to finish');
    expect(await worker.awaitStop(2000)).toBe(true);
    expect(worker.state).toBe('STOPPED');
    expect(consumer.commits[1]).toEqual([{ topic: 'orders', partition: 1, offset: 7n }]);
    expect(task.batches.flat()).toHaveLength(5);
    expect(worker.counts()).toEqual({ read: 5, written: 5, skipped: 0, failed: 0 });
  });

  it('nothing to consume at start: finishes without starting the consumer', async () => {
    const target = new SinkOnceTarget([{ topic: 'orders', partition: 0, start: 10n, end: 10n }]);
    const { worker, consumer, events } = startTask(target);
    await worker.settled;
    expect(worker.finished).toBe(true);
    expect(consumer.startCalls).toBe(0);
    expect(events).toContain('stop');
  });
});

describe('SinkOnceTarget', () => {
  it('is done once every partition with a backlog has a commit at or past its end offset', () => {
    const t = new SinkOnceTarget([
      { topic: 'a', partition: 0, start: 0n, end: 2n },
      { topic: 'b', partition: 0, start: 1n, end: 1n },
    ]);
    expect(t.isDone).toBe(false);
    expect(t.backlogSize).toBe(2);
    expect(t.endOffset('b-0')).toBeUndefined();
    t.committed({ topic: 'a', partition: 0 }, 1n);
    expect(t.isDone).toBe(false);
    t.committed({ topic: 'a', partition: 0 }, 5n);
    expect(t.isDone).toBe(true);
    expect(new SinkOnceTarget([]).isDone).toBe(true);
  });
});
