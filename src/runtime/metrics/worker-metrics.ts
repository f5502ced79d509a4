import { Counter, Gauge, Registry } from 'prom-client';
import type { MetricsEndpoint } from '../herder/herder';
import type { Worker } from '../worker';
import { ALL_METRICS, MetricDefinition, prometheusName, STATUS_METRICS, STATUS_VALUES, TASK_METRICS, WORKER_CONNECTOR_METRICS, WORKER_METRICS } from './metric-definitions';

/** What the collector reads from the worker (the Worker itself in the CLI). */
export type MetricsWorker = Pick<Worker, 'metricsView' | 'startups' | 'retiredCounters'>;

type Labels = Record<string, string | number>;
/** One scrape's values for one metric: label sets and numbers. */
type Samples = Array<[Labels, number]>;

/**
 * The worker's metrics in Prometheus' text format, in a Registry of its own (never prom-client's
 * global one). Nothing is computed until a scrape: then each metric reads the worker's connectors
 * and the plain counters on its live tasks. Tasks that stopped or were restarted drop out, and a
 * restarted task counts from zero again, as Kafka's task metric groups do.
 */
export function createWorkerMetrics(worker: MetricsWorker, options: { now?: () => number } = {}): MetricsEndpoint {
  const now = options.now ?? Date.now;
  const registry = new Registry();
  let scrape: Map<MetricDefinition, Samples> = new Map();

  for (const def of ALL_METRICS) {
    const config = {
      name: prometheusName(def.group, def.attribute),
      help: `${def.group} ${def.attribute}: ${def.help}`,
      labelNames: [...def.labels],
      registers: [registry],
    };
    if (def.type === 'counter') {
      new Counter({
        ...config,
        collect(this: Counter) {
          this.reset();
          for (const [labels, value] of scrape.get(def) ?? []) this.inc(labels, value);
        },
      });
    } else {
      new Gauge({
        ...config,
        collect(this: Gauge) {
          this.reset();
          for (const [labels, value] of scrape.get(def) ?? []) this.set(labels, value);
        },
      });
    }
  }

  return {
    contentType: registry.contentType,
    async text() {
      scrape = readWorker(worker, now());
      try {
        return await registry.metrics();
      } finally {
        scrape = new Map();
      }
    },
  };
}

function share(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function readWorker(worker: MetricsWorker, nowMs: number): Map<MetricDefinition, Samples> {
  const out = new Map<MetricDefinition, Samples>();
  const add = (def: MetricDefinition, labels: Labels, value: number): void => {
    let samples = out.get(def);
    if (!samples) out.set(def, (samples = []));
    samples.push([labels, value]);
  };
  const connectors = worker.metricsView();
  const [connectorStatus, taskStatus] = STATUS_METRICS;
  let taskCount = 0;
  for (const c of connectors) {
    for (const s of STATUS_VALUES) add(connectorStatus, { connector: c.name, status: s }, c.state.toLowerCase() === s ? 1 : 0);
    const byState: Record<string, number> = { total: c.tasks.length, running: 0, paused: 0, failed: 0, unassigned: 0 };
    for (const t of c.tasks) {
      taskCount++;
      const state = t.state.toLowerCase();
      if (state in byState) byState[state]++;
      const labels = { connector: c.name, task: t.id.task };
      for (const s of STATUS_VALUES) add(taskStatus, { ...labels, status: s }, state === s ? 1 : 0);
      for (const def of TASK_METRICS) {
        if (def.kind !== undefined && def.kind !== c.kind) continue;
        const carried = def.type === 'counter' ? worker.retiredCounters.carried(c.name, t.id.task, def.attribute) : 0;
        add(def, labels, def.read(t, nowMs) + carried);
      }
    }
    for (const def of WORKER_CONNECTOR_METRICS) add(def, { connector: c.name }, byState[def.attribute.replace(/^connector-|-task-count$/g, '')]);
  }
  const { connectorAttempts, connectorFailures, taskAttempts, taskFailures } = worker.startups;
  const workerValues: Record<string, number> = {
    'connector-count': connectors.filter((c) => c.state === 'RUNNING' || c.state === 'PAUSED').length,
    'task-count': taskCount,
    'connector-startup-attempts-total': connectorAttempts,
    'connector-startup-success-total': connectorAttempts - connectorFailures,
    'connector-startup-failure-total': connectorFailures,
    'task-startup-attempts-total': taskAttempts,
    'task-startup-success-total': taskAttempts - taskFailures,
    'task-startup-failure-total': taskFailures,
    'connector-startup-success-percentage': share(connectorAttempts - connectorFailures, connectorAttempts),
    'connector-startup-failure-percentage': share(connectorFailures, connectorAttempts),
    'task-startup-success-percentage': share(taskAttempts - taskFailures, taskAttempts),
    'task-startup-failure-percentage': share(taskFailures, taskAttempts),
  };
  for (const def of WORKER_METRICS) add(def, {}, workerValues[def.attribute]);
  return out;
}
