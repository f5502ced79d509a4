import { ConnectDate, DataError, HeaderConverter, RetriableError, Schema, SchemaType } from '../../../src/api';
import { JsonConverter, LongConverter, SimpleHeaderConverter } from '../../../src/converters';
import { WorkerSinkTask } from '../../../src/runtime/worker-sink-task';
import { RetryWithToleranceOperator } from '../../../src/runtime/errors/retry-with-tolerance-operator';
import { batch, deferred, FakeConsumer, RecordingLogger, RecordingSinkTask, settle, testOperator, waitFor } from './fakes';

interface Harness {
  worker: WorkerSinkTask;
  task: RecordingSinkTask;
  consumer: FakeConsumer;
  events: string[];
  logger: RecordingLogger;
}

const running: WorkerSinkTask[] = [];

function jsonConverter(isKey: boolean): JsonConverter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': 'true' }, isKey);
  return c;
}

const json = (text: string): Buffer => Buffer.from(text, 'utf8');
const stringEnvelope = (s: string): Buffer => json(`{"schema":{"type":"string","optional":false},"payload":${JSON.stringify(s)}}`);

/** Starts a sink task over a fake consumer and waits until the consumer was started. */
async function startTask(options: { flushIntervalMs?: number; headerConverter?: HeaderConverter; operator?: RetryWithToleranceOperator } = {}): Promise<Harness> {
  const events: string[] = [];
  const task = new RecordingSinkTask(events);
  const consumer = new FakeConsumer(events);
  const logger = new RecordingLogger();
  const worker = new WorkerSinkTask({
    id: { connector: 'sink', task: 0 },
    task,
    props: { topics: 'orders' },
    subscription: { topics: ['orders'], regex: null },
    keyConverter: jsonConverter(true),
    valueConverter: jsonConverter(false),
    headerConverter: options.headerConverter ?? new SimpleHeaderConverter(),
    consumer,
    offsetFlushIntervalMs: options.flushIntervalMs ?? 60000,
    logger,
    operator: options.operator ?? testOperator({}, [], undefined, { connector: 'sink', task: 0 }),
  });
  running.push(worker);
  worker.start();
  await waitFor(() => consumer.handlers !== null, 'the consumer to start');
  return { worker, task, consumer, events, logger };
}

afterEach(async () => {
  for (const w of running.splice(0)) {
    await w.stop();
    await w.awaitStop(2000);
  }
});

describe('WorkerSinkTask', () => {
  it('converts records with the JsonConverter and hands them to put() with their Kafka coordinates', async () => {
    const { task, consumer } = await startTask();
    expect(consumer.subscription).toEqual({ topics: ['orders'], regex: null });
    await consumer.assign([{ topic: 'orders', partition: 3 }]);
    await consumer.deliver(
      batch('orders', 3, 41, [stringEnvelope('hello'), json('{"schema":{"type":"int32","optional":false},"payload":7}')], [json('{"schema":null,"payload":"k"}'), null]),
    );

    expect(task.batches).toHaveLength(1);
    const [first, second] = task.batches[0];
    expect(first).toMatchObject({ topic: 'orders', kafkaPartition: 3, kafkaOffset: 41n, key: 'k', keySchema: null, value: 'hello', timestamp: 1700000000000, timestampType: 'CreateTime' });
    expect(first.valueSchema?.type).toBe(SchemaType.STRING);
    expect(second).toMatchObject({ kafkaOffset: 42n, key: null, value: 7 });
    expect(second.valueSchema?.type).toBe(SchemaType.INT32);
  });

  it('calls open() with the assignment before the first put()', async () => {
    const { consumer, events } = await startTask();
    await consumer.assign([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
    ]);
    await consumer.deliver(batch('orders', 1, 0, [stringEnvelope('a')]));
    expect(events).toEqual(['start', 'open orders-0,orders-1', 'put']);
  });

  it('commits the last offset + 1, and only after flush() returned', async () => {
    const { task, consumer, events } = await startTask({ flushIntervalMs: 5 });
    const gate = deferred();
    task.flushGate = gate.promise;
    await consumer.assign([{ topic: 'orders', partition: 0 }]);
    await consumer.deliver(batch('orders', 0, 10, [stringEnvelope('a'), stringEnvelope('b'), stringEnvelope('c')]));

    await waitFor(() => task.flushed.length === 1, 'flush()');
    await settle();
    expect(consumer.commits).toHaveLength(0);
    gate.resolve();
    await waitFor(() => consumer.commits.length === 1, 'the commit');

    expect(consumer.commits[0]).toEqual([{ topic: 'orders', partition: 0, offset: 13n }]);
    expect([...task.flushed[0].values()].map((v) => v.offset.offset)).toEqual([13n]);
    expect(events.indexOf('flush')).toBeLessThan(events.indexOf('commit'));
  });

  it('does not commit again when nothing was consumed since the last commit', async () => {
    const { task, consumer } = await startTask({ flushIntervalMs: 5 });
    await consumer.assign([{ topic: 'orders', partition: 0 }]);
    await consumer.deliver(batch('orders', 0, 0, [stringEnvelope('a')]));
    await waitFor(() => consumer.commits.length === 1, 'the commit');
    await new Promise((resolve) => setTimeout(resolve, 30)); // several intervals
    expect(consumer.commits).toHaveLength(1);
    expect(task.flushed).toHaveLength(1);
  });

  it('reads each header with the header converter (SimpleHeaderConverter by default)', async () => {
    const { task, consumer } = await startTask();
    await consumer.assign([{ topic: 'orders', partition: 0 }]);
    const b = batch('orders', 0, 0, [stringEnvelope('x')]);
    b.messages[0].headers = [
      ['count', Buffer.from('42')],
      ['big', Buffer.from('9223372036854775807')],
      ['ok', Buffer.from('true')],
      ['day', Buffer.from('2024-02-29')],
      ['tags', Buffer.from('["x","y"]')],
      ['text', Buffer.from('hello, world')],
      ['none', null],
    ];
    await consumer.deliver(b);

    const headers = task.batches[0][0].headers;
    expect(headers.map((h) => [h.key, h.schema, h.value])).toEqual([
      ['count', Schema.INT8_SCHEMA, 42],
      ['big', Schema.INT64_SCHEMA, 9223372036854775807n],
      ['ok', Schema.BOOLEAN_SCHEMA, true],
      ['day', ConnectDate.SCHEMA, new Date(Date.UTC(2024, 1, 29))],
      ['tags', expect.objectContaining({ type: SchemaType.ARRAY, valueSchema: Schema.STRING_SCHEMA }), ['x', 'y']],
      ['text', Schema.STRING_SCHEMA, 'hello, world'],
      ['none', null, null],
    ]);
  });

  it('uses a configured header converter, and fails naming the header and record when it refuses the bytes', async () => {
    const { worker, task, consumer } = await startTask({ headerConverter: new LongConverter() });
    await consumer.assign([{ topic: 'orders', partition: 0 }]);
    const good = batch('orders', 0, 0, [stringEnvelope('x')]);
    good.messages[0].headers = [['id', Buffer.from('000000000000002a', 'hex')]];
    await consumer.deliver(good);
    expect(task.batches[0][0].headers).toEqual([{ key: 'id', schema: Schema.OPTIONAL_INT64_SCHEMA, value: 42n }]);

    const bad = batch('orders', 0, 1, [stringEnvelope('y')]);
    bad.messages[0].headers = [['id', Buffer.from('2a', 'hex')]];
    await consumer.deliver(bad);
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(worker.error?.message).toBe('Tolerance exceeded in error handler');
    expect(worker.error?.cause).toBeInstanceOf(DataError);
    expect((worker.error?.cause as Error).message).toBe(
      'Failed to convert header id of the record at topic orders partition 0 offset 1: Failed to deserialize long for topic orders: Size of data received by LongDeserializer is not 8',
    );
    expect(task.batches).toHaveLength(1);
  });

  it('fails (errors.tolerance=none) naming topic, partition and offset on malformed bytes, committing nothing of that batch', async () => {
    const { worker, task, consumer, events } = await startTask({ flushIntervalMs: 5 });
    await consumer.assign([{ topic: 'orders', partition: 2 }]);
    await consumer.deliver(batch('orders', 2, 5, [stringEnvelope('ok')]));
    await waitFor(() => consumer.commits.length === 1, 'the first commit');

    await consumer.deliver(batch('orders', 2, 6, [stringEnvelope('fine'), json('{"schema": not json')]));
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(await worker.awaitStop(2000)).toBe(true);

    expect(worker.error?.message).toBe('Tolerance exceeded in error handler');
    expect(worker.error?.cause).toBeInstanceOf(DataError);
    expect((worker.error?.cause as Error).message).toMatch(/^Failed to convert the value of the record at topic orders partition 2 offset 7: /);
    expect(task.batches).toHaveLength(1); // the bad batch never reached put()
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 2, offset: 6n }]]);
    expect(events).toContain('stop');
    expect(events[events.length - 1]).toBe('consumer.close');
  });

  it('redelivers the same batch after a RetriableError from put(), then commits it', async () => {
    const { worker, task, consumer, logger } = await startTask({ flushIntervalMs: 5 });
    task.putFailures.push(new RetriableError('target is busy'));
    await consumer.assign([{ topic: 'orders', partition: 0 }]);
    await consumer.deliver(batch('orders', 0, 0, [stringEnvelope('a'), stringEnvelope('b')]));

    expect(task.batches).toHaveLength(2);
    expect(task.batches[1]).toBe(task.batches[0]);
    expect(worker.state).toBe('RUNNING');
    expect(logger.messages('warn').some((m) => m.includes('redelivering'))).toBe(true);
    await waitFor(() => consumer.commits.length === 1, 'the commit');
    expect(consumer.commits[0]).toEqual([{ topic: 'orders', partition: 0, offset: 2n }]);
  });

  // Regression: a stop while put() is being retried abandons that batch (not a task failure) and
  // still commits the batches put before it, as Kafka's WorkerSinkTask does.
  it('a stop during put() retries abandons the batch, ends STOPPED and commits earlier batches', async () => {
    const { worker, task, consumer } = await startTask();
    await consumer.assign([{ topic: 'orders', partition: 0 }]);
    await consumer.deliver(batch('orders', 0, 0, [stringEnvelope('a')]));
    for (let i = 0; i < 100; i++) task.putFailures.push(new RetriableError('target is down'));
    const retried = consumer.deliver(batch('orders', 0, 1, [stringEnvelope('b')]));
    await waitFor(() => task.batches.length >= 2, 'the failing put');

    await worker.stop();
    expect(await worker.awaitStop(2000)).toBe(true);
    await retried;
    expect(worker.state).toBe('STOPPED');
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 0, offset: 1n }]]);
  });

  it('fails on a non-retriable error from put() without committing', async () => {
    const { worker, task, consumer } = await startTask({ flushIntervalMs: 5 });
    task.putFailures.push(new Error('constraint violated'));
    await consumer.assign([{ topic: 'orders', partition: 0 }]);
    await consumer.deliver(batch('orders', 0, 0, [stringEnvelope('a')]));
    await waitFor(() => worker.state === 'FAILED', 'the task to fail');
    expect(await worker.awaitStop(2000)).toBe(true);
    expect(worker.error?.message).toBe('constraint violated');
    expect(task.batches).toHaveLength(1);
    expect(consumer.commits).toHaveLength(0);
  });

  it('commits on request from the task at the next batch', async () => {
    const { task, consumer } = await startTask();
    await consumer.assign([{ topic: 'orders', partition: 0 }]);
    task.context?.requestCommit();
    await consumer.deliver(batch('orders', 0, 4, [stringEnvelope('a')]));
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 0, offset: 5n }]]);
  });

  it('at stop: stops the consumer, flushes, commits, closes, stops the task, disconnects', async () => {
    const { worker, consumer, events } = await startTask();
    await consumer.assign([{ topic: 'orders', partition: 0 }]);
    await consumer.deliver(batch('orders', 0, 0, [stringEnvelope('a'), stringEnvelope('b')]));

    await worker.stop();
    expect(await worker.awaitStop(2000)).toBe(true);
    expect(worker.state).toBe('STOPPED');
    // Kafka's closing commit: preCommit (flush), close, commit; then stop; then the consumer.
    expect(events).toEqual(['start', 'open orders-0', 'put', 'consumer.pause', 'flush', 'close orders-0', 'commit', 'stop', 'consumer.close']);
    expect(consumer.commits).toEqual([[{ topic: 'orders', partition: 0, offset: 2n }]]);
  });

  it('on revocation flushes, closes and commits the revoked partitions, then opens the new ones', async () => {
    const { task, consumer, events } = await startTask();
    await consumer.assign([{ topic: 'orders', partition: 0 }]);
    await consumer.deliver(batch('orders', 0, 0, [stringEnvelope('a')]));
    await consumer.revokeAll();
    await consumer.assign([{ topic: 'orders', partition: 1 }]);
    await consumer.deliver(batch('orders', 1, 0, [stringEnvelope('b')]));

    expect(events).toEqual(['start', 'open orders-0', 'put', 'flush', 'close orders-0', 'commit', 'open orders-1', 'put']);
    expect(consumer.commits[0]).toEqual([{ topic: 'orders', partition: 0, offset: 1n }]);
    expect(task.context?.assignment()).toEqual([{ topic: 'orders', partition: 1 }]);
  });
});
