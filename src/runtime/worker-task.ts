import { asConnectError, ConnectError, SourceTaskProgress } from '../api';
import { RetryWithToleranceOperator } from './errors/retry-with-tolerance-operator';
import { RuntimeLogger } from './runtime-logger';
import { sleep } from './retry';

export type TaskState = 'UNASSIGNED' | 'RUNNING' | 'FAILED' | 'STOPPED';

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

  /** `<connector>-<task>`, the prefix of the task's log lines. */
  protected readonly name: string;

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

  start(): void {
    if (this.loop) return;
    this.stateValue = 'RUNNING';
    this.logger.info(`${taskIdString(this.id)} Executing task`);
    this.loop = this.executeThenClose(this.signal).then(
      () => {
        if (this.stateValue === 'RUNNING') this.stateValue = 'STOPPED';
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
