import type { WorkerTask } from '../worker-task';

/** Kafka Connect's metric groups (the JMX `type=` of each MBean). */
export type MetricGroup = 'connect-worker-metrics' | 'connector-metrics' | 'connector-task-metrics' | 'source-task-metrics' | 'sink-task-metrics' | 'task-error-metrics';

/** The states a status metric reports, lower case as Kafka's status attributes are. */
export const STATUS_VALUES = ['unassigned', 'running', 'paused', 'failed', 'stopped'] as const;

/** One metric: its Kafka group and attribute, and how it is exposed. */
export interface MetricDefinition {
  readonly group: MetricGroup;
  /** Kafka's attribute name, e.g. source-record-poll-total. */
  readonly attribute: string;
  readonly type: 'counter' | 'gauge';
  readonly labels: readonly string[];
  readonly help: string;
}

/** A per-task metric: read from the task object at scrape time. `kind` limits it to source or sink tasks. */
export interface TaskMetricDefinition extends MetricDefinition {
  readonly kind?: 'source' | 'sink';
  read(task: WorkerTask, nowMs: number): number;
}

/**
 * The Prometheus name, as the Prometheus JMX exporter names an MBean attribute with its default
 * rule: `<domain>_<type>_<attribute>`, every `-` and `.` as `_` (kafka.connect:type=source-task-metrics,
 * attribute source-record-poll-total -> kafka_connect_source_task_metrics_source_record_poll_total);
 * the MBean's other keys (connector, task) become labels.
 */
export function prometheusName(group: MetricGroup, attribute: string): string {
  return `kafka_connect_${group}_${attribute}`.replace(/[-.]/g, '_');
}

const TASK = ['connector', 'task'] as const;

function percentage(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** The reporters' own counts: LogReporter.logged, DeadLetterQueueReporter.produceRequests/-Failures (read by name: the worker loads neither module for this). */
type ReporterCounts = { logged?: number; produceRequests?: number; produceFailures?: number };

function reporterSum(task: WorkerTask, read: (r: ReporterCounts) => number): number {
  const reporters = task.errorHandler?.reporters ?? [];
  let sum = 0;
  for (const r of reporters) sum += read(r as ReporterCounts);
  return sum;
}

const task = (group: MetricGroup, attribute: string, type: 'counter' | 'gauge', help: string, read: TaskMetricDefinition['read'], kind?: 'source' | 'sink'): TaskMetricDefinition => ({
  group,
  attribute,
  type,
  labels: TASK,
  help,
  read,
  kind,
});

/** Every per-task metric but the status, in the README's order. */
export const TASK_METRICS: readonly TaskMetricDefinition[] = [
  task('connector-task-metrics', 'running-ratio', 'gauge', 'Fraction of its life so far the task spent running.', (t, now) => t.metrics.ratios(now).running),
  task('connector-task-metrics', 'pause-ratio', 'gauge', 'Fraction of its life so far the task spent paused.', (t, now) => t.metrics.ratios(now).paused),
  task('connector-task-metrics', 'offset-commit-avg-time-ms', 'gauge', 'Average time of an offset commit, in ms, over the sample window.', (t, now) => t.metrics.offsetCommitTime.avg(now)),
  task('connector-task-metrics', 'offset-commit-max-time-ms', 'gauge', 'Longest offset commit, in ms, over the sample window.', (t, now) => t.metrics.offsetCommitTime.max(now)),
  task('connector-task-metrics', 'offset-commit-success-percentage', 'gauge', 'Share of offset commits that succeeded (0..1).', (t) => percentage(t.metrics.offsetCommitSuccesses, t.metrics.offsetCommitSuccesses + t.metrics.offsetCommitFailures)),
  task('connector-task-metrics', 'offset-commit-failure-percentage', 'gauge', 'Share of offset commits that failed (0..1).', (t) => percentage(t.metrics.offsetCommitFailures, t.metrics.offsetCommitSuccesses + t.metrics.offsetCommitFailures)),
  task('connector-task-metrics', 'batch-size-avg', 'gauge', 'Average records per batch (polled, or fetched from Kafka) over the sample window.', (t, now) => t.metrics.batchSize.avg(now)),
  task('connector-task-metrics', 'batch-size-max', 'gauge', 'Largest batch over the sample window.', (t, now) => t.metrics.batchSize.max(now)),
  task('source-task-metrics', 'source-record-poll-total', 'counter', 'Records returned by SourceTask.poll() (before transforms).', (t) => t.counts().read, 'source'),
  task('source-task-metrics', 'source-record-write-total', 'counter', 'Records after transforms that Kafka acknowledged.', (t) => t.counts().written, 'source'),
  task('source-task-metrics', 'poll-batch-avg-time-ms', 'gauge', 'Average time of a poll() that returned records, in ms, over the sample window.', (t, now) => t.metrics.pollBatchTime.avg(now), 'source'),
  task('source-task-metrics', 'poll-batch-max-time-ms', 'gauge', 'Longest poll() that returned records, in ms, over the sample window.', (t, now) => t.metrics.pollBatchTime.max(now), 'source'),
  task('source-task-metrics', 'source-record-active-count', 'gauge', 'Records polled but not yet acknowledged by Kafka (or dropped).', (t) => t.counts().read - t.metrics.sourceRecordsCompleted, 'source'),
  task('sink-task-metrics', 'sink-record-read-total', 'counter', 'Records read from Kafka (before transforms).', (t) => t.counts().read, 'sink'),
  task('sink-task-metrics', 'sink-record-send-total', 'counter', 'Records after transforms given to SinkTask.put().', (t) => t.counts().written, 'sink'),
  task('sink-task-metrics', 'put-batch-avg-time-ms', 'gauge', 'Average time of a put() batch (retries included), in ms, over the sample window.', (t, now) => t.metrics.putBatchTime.avg(now), 'sink'),
  task('sink-task-metrics', 'put-batch-max-time-ms', 'gauge', 'Longest put() batch, in ms, over the sample window.', (t, now) => t.metrics.putBatchTime.max(now), 'sink'),
  task('sink-task-metrics', 'sink-record-lag-max', 'gauge', 'Most records a fetched batch was behind its partition\'s high watermark, over the sample window.', (t, now) => t.metrics.sinkRecordLag.max(now), 'sink'),
  task('sink-task-metrics', 'offset-commit-completion-total', 'counter', 'Offset commits that completed.', (t) => t.metrics.offsetCommitCompletions, 'sink'),
  task('sink-task-metrics', 'offset-commit-skip-total', 'counter', 'Offset commits skipped: nothing committable, or the group was rebalancing.', (t) => t.metrics.offsetCommitSkips, 'sink'),
  task('sink-task-metrics', 'offset-commit-seq-no', 'gauge', 'Sequence number of the latest offset commit.', (t) => t.metrics.offsetCommitSeqNo, 'sink'),
  task('sink-task-metrics', 'partition-count', 'gauge', 'Partitions assigned to the task now.', (t) => t.metrics.partitionCount, 'sink'),
  task('task-error-metrics', 'total-record-failures', 'counter', 'Failed attempts of a record operation, retried or not.', (t) => t.errorHandler?.counters.recordFailures ?? 0),
  task('task-error-metrics', 'total-record-errors', 'counter', 'Record operations that failed for good, tolerated or not.', (t) => t.errorHandler?.counters.recordErrors ?? 0),
  task('task-error-metrics', 'total-records-skipped', 'counter', 'Records skipped because errors.tolerance=all tolerated their failure.', (t) => t.errorHandler?.counters.recordsSkipped ?? 0),
  task('task-error-metrics', 'total-retries', 'counter', 'Retries of failed record operations.', (t) => t.errorHandler?.counters.retries ?? 0),
  task('task-error-metrics', 'total-errors-logged', 'counter', 'Errors written to the log (errors.log.enable=true).', (t) => reporterSum(t, (r) => r.logged ?? 0)),
  task('task-error-metrics', 'deadletterqueue-produce-requests', 'counter', 'Records written (or attempted) to the dead letter queue.', (t) => reporterSum(t, (r) => r.produceRequests ?? 0), 'sink'),
  task('task-error-metrics', 'deadletterqueue-produce-failures', 'counter', 'Records that could not be written to the dead letter queue.', (t) => reporterSum(t, (r) => r.produceFailures ?? 0), 'sink'),
  task('task-error-metrics', 'last-error-timestamp', 'gauge', 'When the last record operation failed for good, ms since the epoch (0: never).', (t) => t.errorHandler?.counters.lastErrorTimestamp ?? 0),
];

/** The status metrics: one series per state, 1 for the current one and 0 for the others. */
export const STATUS_METRICS: readonly MetricDefinition[] = [
  { group: 'connector-metrics', attribute: 'status', type: 'gauge', labels: ['connector', 'status'], help: 'Connector status: 1 for its current state (unassigned, running, paused, failed, stopped), 0 for the others.' },
  { group: 'connector-task-metrics', attribute: 'status', type: 'gauge', labels: ['connector', 'task', 'status'], help: 'Task status: 1 for its current state (unassigned, running, paused, failed, stopped), 0 for the others.' },
];

/** The worker's totals, read from the Worker (see worker-metrics.ts). */
export const WORKER_METRICS: readonly MetricDefinition[] = [
  ['connector-count', 'gauge', 'Connectors running or paused on this worker.'],
  ['task-count', 'gauge', 'Tasks on this worker.'],
  ['connector-startup-attempts-total', 'counter', 'Connector starts attempted.'],
  ['connector-startup-success-total', 'counter', 'Connector starts that succeeded.'],
  ['connector-startup-failure-total', 'counter', 'Connector starts that failed.'],
  ['connector-startup-success-percentage', 'gauge', 'Share of connector starts that succeeded (0..1).'],
  ['connector-startup-failure-percentage', 'gauge', 'Share of connector starts that failed (0..1).'],
  ['task-startup-attempts-total', 'counter', 'Task starts attempted.'],
  ['task-startup-success-total', 'counter', 'Task starts that succeeded.'],
  ['task-startup-failure-total', 'counter', 'Task starts that failed.'],
  ['task-startup-success-percentage', 'gauge', 'Share of task starts that succeeded (0..1).'],
  ['task-startup-failure-percentage', 'gauge', 'Share of task starts that failed (0..1).'],
].map(([attribute, type, help]) => ({ group: 'connect-worker-metrics' as const, attribute, type: type as 'counter' | 'gauge', labels: [], help }));

/** connect-worker-metrics per connector: its tasks by state. */
export const WORKER_CONNECTOR_METRICS: readonly MetricDefinition[] = [
  ['connector-total-task-count', 'Tasks of the connector.'],
  ['connector-running-task-count', 'Running tasks of the connector.'],
  ['connector-paused-task-count', 'Paused tasks of the connector.'],
  ['connector-failed-task-count', 'Failed tasks of the connector.'],
  ['connector-unassigned-task-count', 'Tasks of the connector not started yet.'],
].map(([attribute, help]) => ({ group: 'connect-worker-metrics' as const, attribute, type: 'gauge' as const, labels: ['connector'], help }));

export const ALL_METRICS: readonly MetricDefinition[] = [...WORKER_METRICS, ...WORKER_CONNECTOR_METRICS, ...STATUS_METRICS, ...TASK_METRICS];

/** The README's metric table, generated from the definitions above (a test checks README against it). */
export function metricsReference(): string {
  const rows = ALL_METRICS.map((m) => `| \`${prometheusName(m.group, m.attribute)}\` | ${m.type} | ${m.labels.join(', ') || '-'} | ${m.group} ${m.attribute}: ${m.help}${'kind' in m && m.kind ? ` (${m.kind} tasks)` : ''} |`);
  return ['| name | type | labels | Kafka metric: meaning |', '|---|---|---|---|', ...rows].join('\n');
}
