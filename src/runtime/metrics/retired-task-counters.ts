import type { WorkerTask } from '../worker-task';
import type * as MetricDefinitionsModule from './metric-definitions';

let counters: readonly MetricDefinitionsModule.TaskMetricDefinition[] | null = null;

/** The task counters, with their definitions loaded at the first task that stops, not at start-up (issue 12). */
function taskCounters(): readonly MetricDefinitionsModule.TaskMetricDefinition[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  counters ??= (require('./metric-definitions') as typeof MetricDefinitionsModule).TASK_METRICS.filter((d) => d.type === 'counter');
  return counters;
}

/**
 * The counter totals of task instances that were stopped or replaced (restart, stop then resume,
 * reconfiguration), per connector and task number, so that a task's `*_total` series keep counting
 * across its instances in this process: after a stop, an offsets reset and a resume,
 * source-record-write-total still equals what the connector's task wrote to Kafka. (Kafka drops a
 * task's metrics with its instance; Prometheus copes with either, but totals that match the topics
 * are what an operator checks.) Forgotten when the connector is deleted.
 */
export class RetiredTaskCounters {
  private readonly totals = new Map<string, Float64Array>();

  /** Adds the counters of a task instance that has stopped for good. */
  retire(task: WorkerTask, nowMs = Date.now()): void {
    const key = `${task.id.connector}\u0000${task.id.task}`;
    const defs = taskCounters();
    let sums = this.totals.get(key);
    if (!sums) this.totals.set(key, (sums = new Float64Array(defs.length)));
    for (let i = 0; i < defs.length; i++) sums[i] += defs[i].read(task, nowMs) || 0;
  }

  /** What retired instances of this task counted for the counter `attribute`; 0 if none. */
  carried(connector: string, task: number, attribute: string): number {
    const sums = this.totals.get(`${connector}\u0000${task}`);
    if (!sums) return 0;
    const i = taskCounters().findIndex((d) => d.attribute === attribute);
    return i < 0 ? 0 : sums[i];
  }

  forget(connector: string): void {
    for (const key of this.totals.keys()) if (key.startsWith(`${connector}\u0000`)) this.totals.delete(key);
  }
}
