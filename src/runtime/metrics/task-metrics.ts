import { WindowedStat } from './windowed-stat';

/**
 * The numbers a task keeps for Kafka's connector-task-metrics, source-task-metrics and
 * sink-task-metrics groups, as plain fields the task loops add to (once per batch or commit, never
 * a lookup per record). The metrics collector reads them when /metrics is scraped. Record counts
 * (polled, written, read, sent) are the task's own record counts; error counts are its
 * RetryWithToleranceOperator's.
 */
export class TaskMetrics {
  /** connector-task-metrics batch-size-avg/-max: records per poll() batch (source) or per fetched batch (sink). */
  readonly batchSize = new WindowedStat();
  /** connector-task-metrics offset-commit-avg/max-time-ms. */
  readonly offsetCommitTime = new WindowedStat();
  /** Offset commits that succeeded / failed (offset-commit-success/failure-percentage). */
  offsetCommitSuccesses = 0;
  offsetCommitFailures = 0;

  /** source-task-metrics poll-batch-avg/max-time-ms: time in SourceTask.poll() per batch returned. */
  readonly pollBatchTime = new WindowedStat();
  /** Records polled whose offsets were recorded after Kafka acknowledged them (or they were dropped): polled minus this is source-record-active-count. */
  sourceRecordsCompleted = 0;

  /** sink-task-metrics put-batch-avg/max-time-ms: time in SinkTask.put() per batch. */
  readonly putBatchTime = new WindowedStat();
  /** sink-task-metrics offset-commit-completion-total / offset-commit-skip-total / offset-commit-seq-no. */
  offsetCommitCompletions = 0;
  offsetCommitSkips = 0;
  offsetCommitSeqNo = 0;
  /** sink-task-metrics sink-record-lag-max: records between a fetched batch's end and its partition's high watermark. */
  readonly sinkRecordLag = new WindowedStat();
  /** sink-task-metrics partition-count: partitions assigned to the task's consumer now. */
  partitionCount = 0;

  /** Time spent RUNNING and PAUSED (running-ratio, pause-ratio): ms totals up to stateSince, and the state since then. */
  runningMs = 0;
  pausedMs = 0;
  stateSince = 0;
  counting: 'running' | 'paused' | null = null;

  /** Counts time in the previous state up to now, then counts the new one (called on start, pause, resume, stop). */
  enterState(state: 'running' | 'paused' | null, nowMs: number): void {
    this.closeState(nowMs);
    this.counting = state;
  }

  /** running-ratio and pause-ratio over the task's life so far (Kafka's are over its sample window). */
  ratios(nowMs: number): { running: number; paused: number } {
    this.closeState(nowMs);
    const total = this.runningMs + this.pausedMs;
    return total === 0 ? { running: 0, paused: 0 } : { running: this.runningMs / total, paused: this.pausedMs / total };
  }

  private closeState(nowMs: number): void {
    if (this.counting === 'running') this.runningMs += nowMs - this.stateSince;
    else if (this.counting === 'paused') this.pausedMs += nowMs - this.stateSince;
    this.stateSince = nowMs;
  }
}
