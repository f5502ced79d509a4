import { ConnectError, RetriableError, SourceTaskProgress } from '../../../src/api';
import { StringConverter, SimpleHeaderConverter } from '../../../src/converters';
import { OffsetStorageWriter, StoreOffsetReader } from '../../../src/runtime/offset-storage-writer';
import { WorkerSourceTask } from '../../../src/runtime/worker-source-task';
import { FakeProducer, MemoryOffsetStore, record, RecordingLogger, ScriptedSourceTask, settle, testOperator, waitFor } from './fakes';

/** How a source task ends by itself: SourceTask.ended() always, caughtUp() only in a --once run. */
const CONNECTOR = 'src';
const PARTITION = { filename: 'a.txt' };

class EndingSourceTask extends ScriptedSourceTask {
  endedNow = false;
  caughtUpNow = false;
  stops = 0;
  progressValue: SourceTaskProgress | null = null;
  ended(): boolean {
    return this.endedNow;
  }
  caughtUp(): boolean {
    return this.caughtUpNow;
  }
  progress(): SourceTaskProgress | null {
    if (this.progressValue === null) throw new Error('cannot say');
    return this.progressValue;
  }
  override stop(): void {
    this.stops++;
    super.stop();
  }
}

function start(options: { endWhenCaughtUp?: boolean; producer?: FakeProducer; store?: MemoryOffsetStore } = {}) {
  const task = new EndingSourceTask();
  const producer = options.producer ?? new FakeProducer({ autoAck: true });
  const store = options.store ?? new MemoryOffsetStore();
  const converter = (isKey: boolean) => {
    const c = new StringConverter();
    c.configure({}, isKey);
    return c;
  };
  const worker = new WorkerSourceTask({
    id: { connector: CONNECTOR, task: 0 },
    task,
    props: {},
    keyConverter: converter(true),
    valueConverter: converter(false),
    headerConverter: new SimpleHeaderConverter(),
    producer,
    offsetReader: new StoreOffsetReader(store, CONNECTOR),
    offsetWriter: new OffsetStorageWriter(store, CONNECTOR),
    // Never on its own during a test: only the finishing flush writes offsets.
    offsetFlushIntervalMs: 600_000,
    offsetFlushTimeoutMs: 1000,
    logger: new RecordingLogger(),
    operator: testOperator({}, [], undefined, { connector: CONNECTOR, task: 0 }),
    endWhenCaughtUp: options.endWhenCaughtUp,
  });
  worker.start();
  return { worker, task, producer, store };
}

describe('WorkerSourceTask ending by itself', () => {
  it('ended(): sends the last batch, waits for its acknowledgement, flushes its offset, calls commit() and stop() once, and finishes', async () => {
    const producer = new FakeProducer();
    const { worker, task, store } = start({ producer });
    task.push([record('lines', 'a', 1)]);
    await waitFor(() => producer.sends.length === 1, 'the first send');
    task.endedNow = true;
    task.push([record('lines', 'b', 2), record('lines', 'c', 3)]);
    producer.ack(0);
    await waitFor(() => producer.sends.length === 2, 'the last send');
    await settle();
    // Not finished while the last batch is unacknowledged, and nothing flushed yet.
    expect(worker.finished).toBe(false);
    expect(store.get(CONNECTOR, PARTITION)).toBeNull();
    producer.ack(1);
    await worker.settled;
    expect(worker.finished).toBe(true);
    expect(store.get(CONNECTOR, PARTITION)).toEqual({ position: 3 });
    expect(task.commits).toBeGreaterThanOrEqual(1);
    expect(await worker.awaitStop(1000)).toBe(true);
    expect(worker.state).toBe('STOPPED');
    const polls = task.polls;
    await worker.stop();
    expect(task.stops).toBe(1);
    expect(task.polls).toBe(polls);
    expect(worker.counts()).toEqual({ read: 3, written: 3, skipped: 0, failed: 0 });
  });

  it('caughtUp() ends the task only in a --once run', async () => {
    const normal = start();
    normal.task.caughtUpNow = true;
    normal.task.push([record('lines', 'a', 1)]);
    normal.task.push([]);
    await waitFor(() => normal.task.polls >= 3, 'more polls');
    expect(normal.worker.finished).toBe(false);
    await normal.worker.stop();
    expect(await normal.worker.awaitStop(1000)).toBe(true);
    expect(normal.worker.finished).toBe(false);

    const once = start({ endWhenCaughtUp: true });
    once.task.push([record('lines', 'a', 1)]);
    await waitFor(() => once.producer.sends.length === 1, 'the send');
    once.task.caughtUpNow = true;
    once.task.push([]);
    await once.worker.settled;
    expect(once.worker.finished).toBe(true);
    expect(once.store.get(CONNECTOR, PARTITION)).toEqual({ position: 1 });
  });

  it('a poll that failed with a retriable error is not taken as caught up', async () => {
    const { worker, task } = start({ endWhenCaughtUp: true });
    task.caughtUpNow = true;
    task.push(new RetriableError('source busy'));
    await waitFor(() => task.polls >= 1, 'the failed poll');
    await settle();
    expect(worker.finished).toBe(false);
    await worker.stop();
    await worker.awaitStop(5000);
    expect(worker.finished).toBe(false);
  });

  it('a failed final offset flush fails the task instead of finishing it', async () => {
    const store = new MemoryOffsetStore();
    store.failures.push(new ConnectError('disk full'));
    const { worker, task } = start({ store });
    task.endedNow = true;
    task.push([record('lines', 'a', 1)]);
    await worker.settled;
    expect(worker.state).toBe('FAILED');
    expect(worker.finished).toBe(false);
    expect(worker.error?.message).toMatch(/disk full/);
  });

  it('progress() passes the task\'s report through, and null when it throws', async () => {
    const { worker, task } = start();
    expect(worker.progress()).toBeNull();
    task.progressValue = { done: 10, total: 40, unit: 'bytes' };
    expect(worker.progress()).toEqual({ done: 10, total: 40, unit: 'bytes' });
    await worker.stop();
    await worker.awaitStop(1000);
  });
});
