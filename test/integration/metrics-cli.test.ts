import * as fs from 'fs';
import { highWatermark } from '../harness/kcat';
import { parseExposition, ParsedMetric, valueOf } from '../unit/runtime/metrics/parse-exposition';
import { useBroker, useTempDir } from './helpers/suite';
import { eventually, freePort, startWorker, testWorkerProps, untilFileHolds, WorkerProcess, writeProperties } from './helpers/worker-process';


/** GET /metrics from the real CLI (npm run build first), parsed with a Prometheus text parser. */
describe('GET /metrics through the CLI', () => {
  const broker = useBroker();
  const tmp = useTempDir('cs-metrics-');
  let worker: WorkerProcess | null = null;
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });

  it('counts what reached Kafka: source-record-write-total equals the topic, sink read/send totals equal what the sink wrote', async () => {
    const topic = 'metrics-lines';
    await broker.createTopic(topic, 1);
    const lines = Array.from({ length: 250 }, (_, i) => `line-${i}`);
    const input = tmp.file('input.txt');
    fs.writeFileSync(input, lines.join('\n') + '\n');
    const output = tmp.file('output.txt');
    const string = { 'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' };
    const source = writeProperties(tmp.file('source.properties'), { name: 'm-source', 'connector.class': 'FileStreamSource', file: input, topic, ...string });
    const sink = writeProperties(tmp.file('sink.properties'), { name: 'm-sink', 'connector.class': 'FileStreamSink', file: output, topics: topic, ...string });
    const port = await freePort();
    const workerFile = writeProperties(tmp.file('worker.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('offsets'), { listeners: `http://127.0.0.1:${port}` }));
    worker = startWorker([workerFile, source, sink]);
    await worker.waitForLog(/REST API listening on http:\/\/127\.0\.0\.1:\d+/, 60_000);
    const base = `http://127.0.0.1:${port}`;

    await untilFileHolds(output, lines.join('\n') + '\n', 90_000, () => worker!.stderr().slice(-2000));
    const inTopic = await highWatermark(broker.bootstrapServers, topic, 0);
    expect(inTopic).toBe(lines.length);

    let metrics = new Map<string, ParsedMetric>();
    let contentType = '';
    const scrape = async (): Promise<void> => {
      const res = await fetch(`${base}/metrics`);
      expect(res.status).toBe(200);
      contentType = res.headers.get('content-type') ?? '';
      metrics = parseExposition(await res.text());
    };
    // The sink's put() and its counters may trail the file by a moment; the source's are final once the topic holds everything.
    await eventually(
      async () => {
        await scrape();
        return valueOf(metrics, 'kafka_connect_sink_task_metrics_sink_record_send_total', { connector: 'm-sink', task: '0' }) === lines.length;
      },
      30_000,
      () => JSON.stringify([...metrics.entries()].filter(([n]) => n.includes('sink_task'))),
    );
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const source0 = { connector: 'm-source', task: '0' };
    const sink0 = { connector: 'm-sink', task: '0' };
    expect(valueOf(metrics, 'kafka_connect_source_task_metrics_source_record_write_total', source0)).toBe(inTopic);
    expect(valueOf(metrics, 'kafka_connect_source_task_metrics_source_record_poll_total', source0)).toBe(inTopic);
    expect(valueOf(metrics, 'kafka_connect_source_task_metrics_source_record_active_count', source0)).toBe(0);
    expect(valueOf(metrics, 'kafka_connect_sink_task_metrics_sink_record_read_total', sink0)).toBe(inTopic);
    expect(valueOf(metrics, 'kafka_connect_sink_task_metrics_partition_count', sink0)).toBe(1);
    // Measured from each fetched batch's high watermark: between 0 (caught up) and the whole topic.
    const lag = valueOf(metrics, 'kafka_connect_sink_task_metrics_sink_record_lag_max', sink0)!;
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThan(inTopic);
    expect(valueOf(metrics, 'kafka_connect_task_error_metrics_total_record_errors', sink0)).toBe(0);
    expect(valueOf(metrics, 'kafka_connect_connector_metrics_status', { connector: 'm-source', status: 'running' })).toBe(1);
    expect(valueOf(metrics, 'kafka_connect_connector_task_metrics_status', { ...sink0, status: 'running' })).toBe(1);
    expect(valueOf(metrics, 'kafka_connect_connect_worker_metrics_connector_count')).toBe(2);
    expect(valueOf(metrics, 'kafka_connect_connect_worker_metrics_task_count')).toBe(2);
    expect(valueOf(metrics, 'kafka_connect_connect_worker_metrics_task_startup_success_total')).toBe(2);
    expect(metrics.get('kafka_connect_source_task_metrics_source_record_write_total')?.type).toBe('counter');

    // The sink commits on its interval (offset.flush.interval.ms=500): the completion counter moves.
    await eventually(
      async () => {
        await scrape();
        return (valueOf(metrics, 'kafka_connect_sink_task_metrics_offset_commit_completion_total', sink0) ?? 0) >= 1;
      },
      30_000,
      () => 'no completed sink offset commit in /metrics',
    );
  }, 180_000);

  it('acceptance: after stop, PATCH offsets to position 0 and resume, source-record-write-total still equals the records in the topic', async () => {
    const topic = 'metrics-reread';
    await broker.createTopic(topic, 1);
    const input = tmp.file('reread.txt');
    fs.writeFileSync(input, 'a\nb\nc\n');
    const source = writeProperties(tmp.file('reread.properties'), {
      name: 'm-reread',
      'connector.class': 'FileStreamSource',
      file: input,
      topic,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const port = await freePort();
    const workerFile = writeProperties(tmp.file('worker-reread.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('offsets-reread'), { listeners: `http://127.0.0.1:${port}` }));
    worker = startWorker([workerFile, source]);
    await worker.waitForLog(/REST API listening on http:\/\/127\.0\.0\.1:\d+/, 60_000);
    const base = `http://127.0.0.1:${port}`;
    const writeTotal = async (): Promise<number | undefined> =>
      valueOf(parseExposition(await (await fetch(`${base}/metrics`)).text()), 'kafka_connect_source_task_metrics_source_record_write_total', { connector: 'm-reread', task: '0' });
    const inTopic = (): Promise<number> => highWatermark(broker.bootstrapServers, topic, 0);
    await eventually(async () => (await inTopic()) === 3 && (await writeTotal()) === 3, 60_000, () => worker!.stderr().slice(-2000));

    const put = async (path: string, method = 'PUT', body?: unknown): Promise<number> =>
      (await fetch(base + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined })).status;
    expect(await put('/connectors/m-reread/stop')).toBe(204);
    await eventually(async () => ((await (await fetch(`${base}/connectors/m-reread/status`)).json()) as { connector: { state: string } }).connector.state === 'STOPPED', 30_000, () => worker!.stderr().slice(-2000));
    expect(await put('/connectors/m-reread/offsets', 'PATCH', { offsets: [{ partition: { filename: input }, offset: { position: 0 } }] })).toBe(200);
    expect(await put('/connectors/m-reread/resume')).toBe(202);

    // The file is read again from its start: 6 records in the topic, and the total counts both task instances.
    await eventually(async () => (await inTopic()) === 6 && (await writeTotal()) === 6, 60_000, () => `topic or /metrics write total not at 6\n${worker!.stderr().slice(-2000)}`);
    expect(await writeTotal()).toBe(await inTopic());
  }, 180_000);
});
