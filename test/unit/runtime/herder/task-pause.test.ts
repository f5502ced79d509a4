import { RetriableError } from '../../../../src/api';
import { SimpleHeaderConverter, StringConverter } from '../../../../src/converters';
import { OffsetStorageWriter, StoreOffsetReader } from '../../../../src/runtime/offset-storage-writer';
import { WorkerSinkTask } from '../../../../src/runtime/worker-sink-task';
import { WorkerSourceTask } from '../../../../src/runtime/worker-source-task';
import { WorkerTask } from '../../../../src/runtime/worker-task';
import { batch, FakeConsumer, FakeProducer, MemoryOffsetStore, record, RecordingLogger, RecordingSinkTask, ScriptedSourceTask, testOperator, waitFor } from '../fakes';

const running: WorkerTask[] = [];

function converter(isKey: boolean): StringConverter {
  const c = new StringConverter();
  c.configure({}, isKey);
  return c;
}

function sourceTask(paused: boolean) {
  const task = new ScriptedSourceTask();
  const producer = new FakeProducer();
  const store = new MemoryOffsetStore();
  const worker = new WorkerSourceTask({
    id: { connector: 'src', task: 0 },
    task,
    props: {},
    keyConverter: converter(true),
    valueConverter: converter(false),
    headerConverter: new SimpleHeaderConverter(),
    producer,
    offsetReader: new StoreOffsetReader(store, 'src'),
    offsetWriter: new OffsetStorageWriter(store, 'src'),
    offsetFlushIntervalMs: 5,
    offsetFlushTimeoutMs: 1000,
    logger: new RecordingLogger(),
    operator: testOperator({}, [], undefined, { connector: 'src', task: 0 }),
  });
  if (paused) worker.pause();
  running.push(worker);
  worker.start();
  return { worker, task, producer, store };
}

afterEach(async () => {
  for (const w of running.splice(0)) {
    await w.stop();
    await w.awaitStop(2000);
  }
});

describe('WorkerSourceTask paused', () => {
  it('created paused: PAUSED, started, never polled until resumed', async () => {
    const { worker, task, producer } = sourceTask(true);
    expect(worker.state).toBe('PAUSED');
    await waitFor(() => task.context !== null, 'the task started');
    task.push([record('out', 'a', 1)]);
    await new Promise((r) => setTimeout(r, 30));
    expect(task.polls).toBe(0);
    worker.resume();
    expect(worker.state).toBe('RUNNING');
    await waitFor(() => producer.sends.length === 1, 'the record sent after resume');
    producer.ackAll();
  });

  it('keeps committing the offsets of what was sent before the pause, once Kafka acknowledges it', async () => {
    const { worker, task, producer, store } = sourceTask(false);
    task.push([record('out', 'a', 1), record('out', 'b', 2)]);
    await waitFor(() => producer.sends.length === 1, 'the batch sent');
    worker.pause();
    expect(store.get('src', { filename: 'a.txt' })).toBeNull();
    producer.ack(0);
    await waitFor(() => store.get('src', { filename: 'a.txt' }) !== null, 'the offsets flushed while paused');
    expect(store.get('src', { filename: 'a.txt' })).toEqual({ position: 2 });
    expect(worker.state).toBe('PAUSED');
  });

  it('a poll() waiting when the task is paused: its records are held until resume, nothing is sent while PAUSED', async () => {
    const { worker, task, producer, store } = sourceTask(false);
    await waitFor(() => task.polls === 1, 'the task waiting in poll()');
    worker.pause();
    // FileStreamSource waits in poll() for new lines: they may arrive long after the pause.
    task.push([record('out', 'late', 1)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(producer.sends.length).toBe(0);
    expect(worker.state).toBe('PAUSED');
    worker.resume();
    await waitFor(() => producer.sends.length === 1, 'the held record sent after resume');
    producer.ackAll();
    await waitFor(() => store.get('src', { filename: 'a.txt' }) !== null, 'its offset flushed');
  });

  it('a stop while such records are held drops them unsent and commits no offset for them', async () => {
    const { worker, task, producer, store } = sourceTask(false);
    await waitFor(() => task.polls === 1, 'the task waiting in poll()');
    worker.pause();
    task.push([record('out', 'late', 1)]);
    await new Promise((r) => setTimeout(r, 30));
    await worker.stop();
    expect(await worker.awaitStop(1000)).toBe(true);
    expect(producer.sends.length).toBe(0);
    expect(store.get('src', { filename: 'a.txt' })).toBeNull();
  });

  it('a stop while paused ends the task', async () => {
    const { worker } = sourceTask(true);
    await worker.stop();
    expect(await worker.awaitStop(1000)).toBe(true);
    expect(worker.state).toBe('STOPPED');
  });
});

describe('WorkerSinkTask paused', () => {
  it('a put() retried during the pause leaves the partitions paused', async () => {
    const task = new RecordingSinkTask();
    const consumer = new FakeConsumer();
    const worker = new WorkerSinkTask({
      id: { connector: 'snk', task: 0 },
      task,
      props: {},
      subscription: { topics: ['in'], regex: null },
      keyConverter: converter(true),
      valueConverter: converter(false),
      headerConverter: new SimpleHeaderConverter(),
      consumer,
      offsetFlushIntervalMs: 60000,
      logger: new RecordingLogger(),
      operator: testOperator({}, [], undefined, { connector: 'snk', task: 0 }),
      putRetryBackoff: { initialMs: 20, maxMs: 20 },
    });
    running.push(worker);
    worker.start();
    await waitFor(() => consumer.listener !== null, 'the consumer started');
    await consumer.assign([{ topic: 'in', partition: 0 }]);
    task.putFailures.push(new RetriableError('busy'));
    const delivered = consumer.deliver(batch('in', 0, 0, [Buffer.from('a')]));
    await waitFor(() => consumer.paused.has('in-0'), 'paused for the put retry');
    worker.pause();
    expect(await delivered).toBe(true);
    expect([...consumer.paused]).toEqual(['in-0']);
    worker.resume();
    expect([...consumer.paused]).toEqual([]);
  });
});
