import { ConnectError, SourceTaskProgress } from '../api';
import type { SinkOnceTarget } from './sink-once-target';
import { TaskRecordCounts, TaskState, WorkerTask } from './worker-task';

export interface TaskStatus {
  connector: string;
  task: number;
  state: TaskState;
  error: ConnectError | null;
  /** Ended by itself (input ended, or caught up in a --once run); its state is STOPPED. */
  finished: boolean;
}

/** A connector's records and progress over all its tasks, for the progress display and the run summary. */
export interface ConnectorReport {
  name: string;
  kind: 'source' | 'sink';
  counts: TaskRecordCounts;
  /** Summed over the tasks that report progress in the same unit; null when none does. */
  progress: SourceTaskProgress | null;
  tasks: TaskStatus[];
  /** Failed: the connector or a task failed; finished: every task finished; else running (or stopped). */
  outcome: 'running' | 'finished' | 'failed' | 'stopped';
  startedAt: number;
}

/** A connector's state and its tasks' as the worker sees them (the herder's status comes from it). */
export interface ConnectorStatus {
  state: 'RUNNING' | 'PAUSED' | 'FAILED' | 'STOPPED';
  error: ConnectError | null;
  kind: 'source' | 'sink';
  tasks: TaskStatus[];
}


/**
 * A connector's records over its current tasks plus those it retired (stopped or restarted), and
 * its progress: summed over the tasks that report it in the same unit (null when none does); for a
 * --once sink, how far through the backlog its topics had at start.
 */
export function connectorCounts(tasks: readonly WorkerTask[], retired: TaskRecordCounts, onceTarget: SinkOnceTarget | null): { counts: TaskRecordCounts; progress: SourceTaskProgress | null } {
  const counts: TaskRecordCounts = { ...retired };
  let progress: SourceTaskProgress | null = null;
  for (const t of tasks) {
    const n = t.counts();
    counts.read += n.read;
    counts.written += n.written;
    counts.skipped += n.skipped;
    counts.failed += n.failed;
    const p = t.progress();
    if (p && (!progress || progress.unit === p.unit)) {
      progress = progress ? { unit: p.unit, done: progress.done + p.done, total: progress.total === null || p.total === null ? null : progress.total + p.total } : p;
    }
  }
  if (onceTarget) progress = { done: Math.min(counts.read, onceTarget.backlogSize), total: onceTarget.backlogSize, unit: 'records' };
  return { counts, progress };
}

/** Adds a task's counts to a connector's retired counts. */
export function addCounts(into: TaskRecordCounts, n: TaskRecordCounts): void {
  into.read += n.read;
  into.written += n.written;
  into.skipped += n.skipped;
  into.failed += n.failed;
}
