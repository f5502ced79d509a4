import { asConnectError, ConnectError, SourceTaskProgress } from '../api';
import { RetryWithToleranceOperator } from './errors/retry-with-tolerance-operator';
import { TaskMetrics } from './metrics/task-metrics';
import { RuntimeLogger } from './runtime-logger';
import { sleep } from './retry';

export type TaskState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'STOPPED';

/** A task's identity as Kafka names it: `<connector>-<task number>`. */
export interface ConnectorTaskId {
  readonly connector: string;
  readonly task: number;
}

export function taskIdString(id: ConnectorTaskId): string {
  return `${id.connector}-${id.task}`;
}

export { sleep };

/** Records a task handled since it started, for the progress display and the run summary. */
export interface TaskRecordCounts {
  /** Polled from the source, or fetched from Kafka. */
  read: number;
  /** Acknowledged by Kafka, or given to put(). */
  written: number;
  /** Dropped because errors.tolerance=all tolerated their failure. */
  skipped: number;
  /** Failed for good without being tolerated. */
  failed: number;
}

/**
 * Owns one task's async loop (Kafka's WorkerTask): start() launches execute(), stop() asks it to end
 * through an AbortSignal, awaitStop() waits with a bound. A failure of the loop is caught here, never
 * left floating: it becomes the task's FAILED state with its error, logged with the stack.
 */
export abstract class WorkerTask {
  private stateValue: TaskState = 'UNASSIGNED';
  private failure: ConnectError | null = null;
  private readonly controller = new AbortController();
  private loop: Promise<void> | null = null;
  private finishedValue = false;
  private settle!: () => void;
  /** Resolves once the task failed or finished by itself (never when it is merely stopped). */
  readonly settled: Promise<void> = new Promise((resolve) => (this.settle = resolve));
  /** Read and written so far; the loops add to them. */
  protected readonly recordCounts = { read: 0, written: 0 };
  /** Kafka's task metrics: plain numbers the loops add to, read when metrics are scraped. */
  readonly metrics = new TaskMetrics();

  /** `<connector>-<task>`, the prefix of the task's log lines. */
  protected readonly name: string;

  private pausedValue = false;
  private wakeFromPause: (() => void) | null = null;
  /** KIP-558: topics produced to or consumed from since the last reset. */
  private readonly topics = new Set<string>();
  /**
   * The last topic recorded: loops call recordActiveTopic only when a record's topic differs from
   * it, so tracking costs one string comparison per record.
   */
  protected lastActiveTopic: string | null = null;

  /**
   * @param operator the task's error handler: its retries are cut short when the task is asked to
   *   stop, and it (with its reporters) is closed when the loop ends.
   */
  protected constructor(
    readonly id: ConnectorTaskId,
    protected readonly logger: RuntimeLogger,
    protected readonly operator: RetryWithToleranceOperator | null = null,
  ) {
    this.name = taskIdString(id);
  }

  get state(): TaskState {
    return this.stateValue;
  }

  get error(): ConnectError | null {
    return this.failure;
  }

  /**
   * True when the task ended by itself: its input ended (SourceTask.ended()) or, in a --once run, it
   * caught up with its input and committed everything. Its state is then STOPPED.
   */
  get finished(): boolean {
    return this.finishedValue;
  }

  counts(): TaskRecordCounts {
    const errors = this.operator?.counters;
    const skipped = errors?.recordsSkipped ?? 0;
    return { read: this.recordCounts.read, written: this.recordCounts.written, skipped, failed: Math.max((errors?.recordErrors ?? 0) - skipped, 0) };
  }

  /** The task's error handler, whose counters are Kafka's task-error-metrics; null if it has none. */
  get errorHandler(): RetryWithToleranceOperator | null {
    return this.operator;
  }

  /** How far through its input the task is, when it can say (source tasks). */
  progress(): SourceTaskProgress | null {
    return null;
  }

  protected get signal(): AbortSignal {
    return this.controller.signal;
  }

  protected get stopping(): boolean {
    return this.controller.signal.aborted;
  }

  /** The task's work; returns when signal aborts (after cleaning up) or throws to fail the task. */
  protected abstract execute(signal: AbortSignal): Promise<void>;

  /** Called once when stop is requested, to wake whatever the loop is waiting on. */
  protected abstract onStopRequested(): Promise<void>;

  /** Topics this task produced to or consumed from since it started or the last reset (KIP-558). */
  activeTopics(): ReadonlySet<string> {
    return this.topics;
  }

  resetActiveTopics(): void {
    this.topics.clear();
    this.lastActiveTopic = null;
  }

  protected recordActiveTopic(topic: string): void {
    this.lastActiveTopic = topic;
    this.topics.add(topic);
  }

  get paused(): boolean {
    return this.pausedValue;
  }

  /**
   * Kafka's TargetState.PAUSED: the task stays alive but does no work (a source task stops polling
   * and keeps committing the offsets of what it sent; a sink task pauses its partitions and keeps
   * its group membership). May be called before start(). Idempotent.
   */
  pause(): void {
    if (this.pausedValue) return;
    this.pausedValue = true;
    if (this.stateValue === 'RUNNING') this.stateValue = 'PAUSED';
    if (this.loop) this.metrics.enterState('paused', Date.now());
    this.logger.info(`${this.name} Pausing task`);
    this.onPause();
  }

  /** Back to work, exactly where the task paused. Idempotent. */
  resume(): void {
    if (!this.pausedValue) return;
    this.pausedValue = false;
    if (this.stateValue === 'PAUSED') this.stateValue = 'RUNNING';
    if (this.loop) this.metrics.enterState('running', Date.now());
    this.logger.info(`${this.name} Resuming task`);
    this.onResume();
    this.wakePaused();
  }

  /** Called on pause(), e.g. to pause the consumer's partitions. */
  protected onPause(): void {}

  /** Called on resume(). */
  protected onResume(): void {}

  /** Ends the waits of awaitResumed() (on resume, and on stop). */
  private wakePaused(): void {
    const wake = this.wakeFromPause;
    this.wakeFromPause = null;
    wake?.();
  }

  /** Resolves at once when not paused, else when resumed or stopped. */
  protected awaitResumed(): Promise<void> {
    if (!this.pausedValue || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const previous = this.wakeFromPause;
      this.wakeFromPause = () => {
        previous?.();
        resolve();
      };
    });
  }

  start(): void {
    if (this.loop) return;
    this.stateValue = this.pausedValue ? 'PAUSED' : 'RUNNING';
    this.metrics.enterState(this.pausedValue ? 'paused' : 'running', Date.now());
    this.logger.info(`${taskIdString(this.id)} Executing task`);
    this.loop = this.executeThenClose(this.signal).then(
      () => {
        if (this.stateValue === 'RUNNING' || this.stateValue === 'PAUSED') this.stateValue = 'STOPPED';
        if (this.finishedValue && this.stateValue === 'STOPPED') {
          this.logger.info(`${taskIdString(this.id)} Task finished`);
          this.settle();
        } else {
          this.logger.info(`${taskIdString(this.id)} Task stopped`);
        }
      },
      (err: unknown) => this.markFailed(err),
    );
  }

  private async executeThenClose(signal: AbortSignal): Promise<void> {
    try {
      await this.execute(signal);
    } finally {
      this.metrics.enterState(null, Date.now());
      await this.operator?.close();
    }
  }

  /**
   * Called by the loop when it is about to end by itself because its work is done (input ended, or
   * caught up in a --once run): the task then counts as finished, not merely stopped.
   */
  protected markFinished(): void {
    this.finishedValue = true;
  }

  /** Marks the task failed (once) and wakes its loop, which winds down. */
  protected markFailed(err: unknown): void {
    if (this.stateValue === 'FAILED') return;
    this.failure = asConnectError(err);
    this.stateValue = 'FAILED';
    this.finishedValue = false;
    this.settle();
    this.logger.error(`${taskIdString(this.id)} Task threw an uncaught and unrecoverable exception. Task is being killed and will not recover until manually restarted`, {
      err: this.failure,
      stack: this.failure.stack,
    });
    if (!this.controller.signal.aborted) void this.stop();
  }

  /** Requests the stop; idempotent. Errors while waking the task are logged, not thrown. */
  async stop(): Promise<void> {
    if (this.controller.signal.aborted) return;
    this.controller.abort();
    this.wakePaused();
    this.operator?.triggerStop();
    try {
      await this.onStopRequested();
    } catch (err) {
      this.logger.warn(`${taskIdString(this.id)} Error while requesting the task to stop`, { err: asConnectError(err) });
    }
  }

  /** Waits for the loop to end; false if it did not within timeoutMs. */
  async awaitStop(timeoutMs: number): Promise<boolean> {
    if (!this.loop) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const ended = await Promise.race([this.loop.then(() => true), timeout]);
    clearTimeout(timer);
    return ended;
  }
}
