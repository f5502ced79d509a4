import { SimpleHeaderConverter, StringConverter, JsonConverter } from '../../../../src/converters';
import { LogReporter } from '../../../../src/runtime/errors/log-reporter';
import { RetiredTaskCounters } from '../../../../src/runtime/metrics/retired-task-counters';
import { createWorkerMetrics, MetricsWorker } from '../../../../src/runtime/metrics/worker-metrics';
import { OffsetStorageWriter, StoreOffsetReader } from '../../../../src/runtime/offset-storage-writer';
import { WorkerSinkTask } from '../../../../src/runtime/worker-sink-task';
import { WorkerSourceTask } from '../../../../src/runtime/worker-source-task';
import { WorkerTask } from '../../../../src/runtime/worker-task';
import { batch, FakeConsumer, FakeProducer, MemoryOffsetStore, record, RecordingLogger, RecordingSinkTask, ScriptedSourceTask, testOperator, waitFor } from '../fakes';
import { parseExposition, valueOf } from './parse-exposition';

const started: WorkerTask[] = [];

afterEach(async () => {
  for (const t of started.splice(0)) {
    await t.stop();
    await t.awaitStop(2000);
  }
});

function converter<T extends { configure(c: Record<string, string>, isKey: boolean): void }>(c: T, isKey: boolean, config: Record<string, string> = {}): T {
  c.configure(config, isKey);
  return c;
}

function sourceTask(): { worker: WorkerSourceTask; task: ScriptedSourceTask; producer: FakeProducer } {
  const task = new ScriptedSourceTask();
  const producer = new FakeProducer();
  const store = new MemoryOffsetStore();
  const id = { connector: 'src', task: 0 };
  const worker = new WorkerSourceTask({
    id,
    task,
    props: {},
    keyConverter: converter(new StringConverter(), true),
    valueConverter: converter(new StringConverter(), false),
    headerConverter: new SimpleHeaderConverter(),
    producer,
    offsetReader: new StoreOffsetReader(store, 'src'),
    offsetWriter: new OffsetStorageWriter(store, 'src'),
    offsetFlushIntervalMs: 5,
    offsetFlushTimeoutMs: 1000,
    logger: new RecordingLogger(),
    operator: testOperator({}, [], undefined, id),
  });
  started.push(worker);
  worker.start();
  return { worker, task, producer };
}

async function sinkTask(): Promise<{ worker: WorkerSinkTask; consumer: FakeConsumer; task: RecordingSinkTask }> {
  const task = new RecordingSinkTask([]);
  const consumer = new FakeConsumer([]);
  const id = { connector: 'snk', task: 1 };
  const logger = new RecordingLogger();
  const worker = new WorkerSinkTask({
    id,
    task,
    props: { topics: 'orders' },
    subscription: { topics: ['orders'], regex: null },
    keyConverter: converter(new JsonConverter(), true, { 'schemas.enable': 'false' }),
    valueConverter: converter(new JsonConverter(), false, { 'schemas.enable': 'false' }),
    headerConverter: new SimpleHeaderConverter(),
    consumer,
    offsetFlushIntervalMs: 10,
    logger,
    operator: testOperator({ tolerance: 'all', logEnable: true }, [new LogReporter(id, { logEnable: true, logIncludeMessages: false }, logger)], undefined, id),
  });
  started.push(worker);
  worker.start();
  await waitFor(() => consumer.handlers !== null, 'the consumer to start');
  return { worker, consumer, task };
}

function fakeWorker(connectors: ReturnType<MetricsWorker['metricsView']>): MetricsWorker {
  return { metricsView: () => connectors, startups: { connectorAttempts: 3, connectorFailures: 1, taskAttempts: 4, taskFailures: 0 }, retiredCounters: new RetiredTaskCounters() };
}

describe('createWorkerMetrics', () => {
  it('exposes source task counters that move as records are polled and acknowledged', async () => {
    const { worker, task, producer } = sourceTask();
    const metrics = createWorkerMetrics(fakeWorker([{ name: 'src', kind: 'source', className: 'Src', state: 'RUNNING', tasks: [worker] }]));
    const before = parseExposition(await metrics.text());
    expect(valueOf(before, 'kafka_connect_source_task_metrics_source_record_poll_total', { connector: 'src', task: '0' })).toBe(0);
    expect(before.get('kafka_connect_source_task_metrics_source_record_poll_total')?.type).toBe('counter');

    task.push([record('t', 'a', 1), record('t', 'b', 2), record('t', 'c', 3)]);
    await waitFor(() => producer.sends.length === 1, 'the batch to be sent');
    let text = parseExposition(await metrics.text());
    expect(valueOf(text, 'kafka_connect_source_task_metrics_source_record_poll_total', { connector: 'src', task: '0' })).toBe(3);
    expect(valueOf(text, 'kafka_connect_source_task_metrics_source_record_write_total', { connector: 'src' })).toBe(0);
    expect(valueOf(text, 'kafka_connect_source_task_metrics_source_record_active_count', { connector: 'src' })).toBe(3);

    producer.ackAll();
    await waitFor(() => task.committedRecords.length === 3, 'the records to be acknowledged');
    text = parseExposition(await metrics.text());
    expect(valueOf(text, 'kafka_connect_source_task_metrics_source_record_write_total', { connector: 'src', task: '0' })).toBe(3);
    expect(valueOf(text, 'kafka_connect_source_task_metrics_source_record_active_count', { connector: 'src' })).toBe(0);
    expect(valueOf(text, 'kafka_connect_connector_task_metrics_batch_size_max', { connector: 'src' })).toBe(3);
    expect(valueOf(text, 'kafka_connect_source_task_metrics_poll_batch_max_time_ms', { connector: 'src' })).toBeGreaterThanOrEqual(0);
    expect(valueOf(text, 'kafka_connect_connector_task_metrics_status', { connector: 'src', task: '0', status: 'running' })).toBe(1);
    expect(valueOf(text, 'kafka_connect_connector_task_metrics_status', { connector: 'src', task: '0', status: 'failed' })).toBe(0);
    // No sink metrics for a source task.
    expect(valueOf(text, 'kafka_connect_sink_task_metrics_sink_record_read_total', { connector: 'src' })).toBeUndefined();
    await waitFor(() => worker.metrics.offsetCommitSuccesses > 0, 'an offset flush');
    text = parseExposition(await metrics.text());
    expect(valueOf(text, 'kafka_connect_connector_task_metrics_offset_commit_success_percentage', { connector: 'src' })).toBe(1);
  });

  it('exposes sink task counters: read, sent, commits, partitions and tolerated errors', async () => {
    const { worker, consumer, task } = await sinkTask();
    const metrics = createWorkerMetrics(fakeWorker([{ name: 'snk', kind: 'sink', className: 'Snk', state: 'RUNNING', tasks: [worker] }]));
    await consumer.assign([
      { topic: 'orders', partition: 0 },
      { topic: 'orders', partition: 1 },
    ]);
    await consumer.deliver({ ...batch('orders', 0, 0, [Buffer.from('1'), Buffer.from('not json'), Buffer.from('3')]), highWatermark: '10' });
    expect(task.batches.flat()).toHaveLength(2);
    await waitFor(() => consumer.commits.length > 0, 'a commit');

    const text = parseExposition(await metrics.text());
    const labels = { connector: 'snk', task: '1' };
    expect(valueOf(text, 'kafka_connect_sink_task_metrics_sink_record_read_total', labels)).toBe(3);
    expect(valueOf(text, 'kafka_connect_sink_task_metrics_sink_record_send_total', labels)).toBe(2);
    expect(valueOf(text, 'kafka_connect_sink_task_metrics_partition_count', labels)).toBe(2);
    expect(valueOf(text, 'kafka_connect_sink_task_metrics_sink_record_lag_max', labels)).toBe(7); // offsets 0..2 fetched, 10 in the partition
    expect(valueOf(text, 'kafka_connect_sink_task_metrics_offset_commit_completion_total', labels)).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'kafka_connect_sink_task_metrics_put_batch_max_time_ms', labels)).toBeGreaterThanOrEqual(0);
    expect(valueOf(text, 'kafka_connect_task_error_metrics_total_record_errors', labels)).toBe(1);
    expect(valueOf(text, 'kafka_connect_task_error_metrics_total_records_skipped', labels)).toBe(1);
    expect(valueOf(text, 'kafka_connect_task_error_metrics_total_errors_logged', labels)).toBe(1);
    expect(valueOf(text, 'kafka_connect_task_error_metrics_deadletterqueue_produce_requests', labels)).toBe(0);
    expect(valueOf(text, 'kafka_connect_task_error_metrics_last_error_timestamp', labels)).toBeGreaterThan(0);
    expect(valueOf(text, 'kafka_connect_source_task_metrics_source_record_poll_total', { connector: 'snk' })).toBeUndefined();
  });

  it('exposes worker totals and connector status as a state set', async () => {
    const { worker, task } = sourceTask();
    worker.pause();
    const metrics = createWorkerMetrics(
      fakeWorker([
        { name: 'src', kind: 'source', className: 'Src', state: 'PAUSED', tasks: [worker] },
        { name: 'gone', kind: 'sink', className: 'Snk', state: 'STOPPED', tasks: [] },
      ]),
    );
    const text = parseExposition(await metrics.text());
    expect(valueOf(text, 'kafka_connect_connect_worker_metrics_connector_count')).toBe(1);
    expect(valueOf(text, 'kafka_connect_connect_worker_metrics_task_count')).toBe(1);
    expect(valueOf(text, 'kafka_connect_connect_worker_metrics_connector_startup_success_total')).toBe(2);
    expect(valueOf(text, 'kafka_connect_connect_worker_metrics_connector_startup_failure_total')).toBe(1);
    expect(valueOf(text, 'kafka_connect_connect_worker_metrics_connector_startup_failure_percentage')).toBeCloseTo(1 / 3);
    expect(valueOf(text, 'kafka_connect_connect_worker_metrics_connector_paused_task_count', { connector: 'src' })).toBe(1);
    expect(valueOf(text, 'kafka_connect_connector_metrics_status', { connector: 'src', status: 'paused' })).toBe(1);
    expect(valueOf(text, 'kafka_connect_connector_metrics_status', { connector: 'gone', status: 'stopped' })).toBe(1);
    expect(valueOf(text, 'kafka_connect_connector_metrics_status', { connector: 'gone', status: 'running' })).toBe(0);
    expect(task.polls).toBe(0);
  });

  it('continues a task\'s totals across its instances (restart, stop then resume); gauges start afresh', async () => {
    const first = sourceTask();
    first.task.push([record('t', 'a', 1), record('t', 'b', 2)]);
    await waitFor(() => first.producer.sends.length === 1, 'the first instance to send');
    first.producer.ackAll();
    await waitFor(() => first.task.committedRecords.length === 2, 'the first instance to write');
    const retired = new RetiredTaskCounters();
    await first.worker.stop();
    await first.worker.awaitStop(2000);
    retired.retire(first.worker);
    const second = sourceTask();
    const view: ReturnType<MetricsWorker['metricsView']> = [{ name: 'src', kind: 'source', className: 'Src', state: 'RUNNING', tasks: [second.worker] }];
    const metrics = createWorkerMetrics({ metricsView: () => view, startups: { connectorAttempts: 1, connectorFailures: 0, taskAttempts: 2, taskFailures: 0 }, retiredCounters: retired });
    second.task.push([record('t', 'c', 3)]);
    await waitFor(() => second.producer.sends.length === 1, 'the second instance to send');
    second.producer.ackAll();
    await waitFor(() => second.task.committedRecords.length === 1, 'the second instance to write');
    const text = parseExposition(await metrics.text());
    expect(valueOf(text, 'kafka_connect_source_task_metrics_source_record_write_total', { connector: 'src', task: '0' })).toBe(3);
    expect(valueOf(text, 'kafka_connect_source_task_metrics_source_record_poll_total', { connector: 'src', task: '0' })).toBe(3);
    expect(valueOf(text, 'kafka_connect_connector_task_metrics_batch_size_max', { connector: 'src', task: '0' })).toBe(1);
    retired.forget('src');
    expect(valueOf(parseExposition(await metrics.text()), 'kafka_connect_source_task_metrics_source_record_write_total', { connector: 'src' })).toBe(1);
  });

  it('keeps metrics of separate workers apart (a registry per worker)', async () => {
    const a = createWorkerMetrics(fakeWorker([]));
    const b = createWorkerMetrics({ metricsView: () => [], startups: { connectorAttempts: 7, connectorFailures: 0, taskAttempts: 0, taskFailures: 0 }, retiredCounters: new RetiredTaskCounters() });
    expect(valueOf(parseExposition(await a.text()), 'kafka_connect_connect_worker_metrics_connector_startup_attempts_total')).toBe(3);
    expect(valueOf(parseExposition(await b.text()), 'kafka_connect_connect_worker_metrics_connector_startup_attempts_total')).toBe(7);
    expect(a.contentType).toMatch(/^text\/plain/);
  });
});
