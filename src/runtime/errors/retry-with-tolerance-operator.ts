import { ConnectError, SourceRecord } from '../../api';
import { RuntimeLogger, silentLogger } from '../runtime-logger';
import { backoffDelayMs, isRetriable, retry, RetryClock, systemClock } from '../retry';
import { ConnectorTaskId, taskIdString } from '../worker-task';
import { ConsumedRecordInfo, ErrorContext, ErrorReporter, Stage } from './error-context';
import { ErrorHandlingConfig, ToleranceType } from './error-handling-config';

/** The first wait before a retry; each next one doubles (Kafka's RETRIES_DELAY_MIN_MS). */
export const RETRIES_DELAY_MIN_MS = 300;

/** What execute() returns when a failure was tolerated: the caller drops the record and goes on. */
export const SKIPPED: unique symbol = Symbol('SKIPPED');
export type Skipped = typeof SKIPPED;

/** What an operation was working on: the record for the reporters, and how to describe a failure. */
export interface OperationContext {
  /** Sink side: the record as read from Kafka. */
  readonly consumedRecord?: ConsumedRecordInfo | null;
  /** Source side: the record as the task returned it. */
  readonly sourceRecord?: SourceRecord | null;
  /**
   * Wraps a final failure into the cause of the error the task fails with, e.g. to name the record's
   * topic, partition and offset. Reporters always get the operation's own error, as in Kafka.
   */
  readonly describeFailure?: (error: Error) => Error;
  /**
   * Called after each backoff, before the next attempt; may throw to give up (e.g. a sink's consumer
   * leaving the group), which execute() passes on as it is. Sinks heartbeat the group here.
   */
  readonly beforeRetry?: () => Promise<void>;
}

/** Time as the operator sees it; injected so tests control the retry schedule. */
export type OperatorTime = RetryClock;

export const systemTime: OperatorTime = systemClock;

/**
 * The task was asked to stop while an operation was waiting to be retried. Neither a failure nor a
 * skip: the record is left unprocessed and uncommitted, so it is processed again after a restart.
 */
export class OperationAbandoned extends ConnectError {}

/** Totals since the task started (Kafka's task error metrics). */
export interface ErrorHandlingCounters {
  /** Every failed attempt, retried or not (total-record-failures). */
  recordFailures: number;
  /** Operations that failed for good, tolerated or not (total-record-errors). */
  recordErrors: number;
  /** Records dropped because their failure was tolerated (total-records-skipped). */
  recordsSkipped: number;
  /** Attempts made after a retriable failure (total-retries). */
  retries: number;
  /** When the last operation failed for good, ms since the epoch; 0 if never. */
  lastErrorTimestamp: number;
}

export interface RetryWithToleranceOperatorOptions {
  id: ConnectorTaskId;
  config: ErrorHandlingConfig;
  reporters?: readonly ErrorReporter[];
  time?: OperatorTime;
  logger?: RuntimeLogger;
}

/** Stages whose every error errors.tolerance=all may skip; elsewhere only retriable errors are tolerable. */
const TOLERATES_ANY_ERROR: ReadonlySet<Stage> = new Set([Stage.KEY_CONVERTER, Stage.VALUE_CONVERTER, Stage.HEADER_CONVERTER, Stage.TRANSFORMATION]);

export { isRetriable };

function toError(err: unknown): Error {
  return err instanceof Error ? err : new ConnectError(String(err));
}

/**
 * Runs one task's per-record operations with retries and error tolerance (Kafka's
 * RetryWithToleranceOperator). A retriable failure is tried again after 300 ms, 600 ms, ... (at most
 * errors.retry.delay.max.ms) until errors.retry.timeout has passed since the first failure. A failure
 * that is final is given to every reporter; then, if errors.tolerance=all and the stage tolerates
 * that error, execute() returns SKIPPED, else it throws a ConnectError with the failure as cause.
 */
export class RetryWithToleranceOperator {
  readonly counters: ErrorHandlingCounters = { recordFailures: 0, recordErrors: 0, recordsSkipped: 0, retries: 0, lastErrorTimestamp: 0 };
  private readonly stopController = new AbortController();
  private readonly reporterList: readonly ErrorReporter[];
  private readonly time: OperatorTime;
  private readonly logger: RuntimeLogger;
  private readonly name: string;

  constructor(private readonly options: RetryWithToleranceOperatorOptions) {
    this.reporterList = options.reporters ?? [];
    this.time = options.time ?? systemTime;
    this.logger = options.logger ?? silentLogger;
    this.name = taskIdString(options.id);
  }

  /** The reporters failures go to (LogReporter, dead letter queue): their counts are task-error-metrics too. */
  get reporters(): readonly ErrorReporter[] {
    return this.reporterList;
  }

  get tolerance(): ToleranceType {
    return this.options.config.tolerance;
  }

  /** Runs op, retrying and tolerating its failure as configured. See the class comment. */
  async execute<T>(stage: Stage, executingClass: string, op: () => T | Promise<T>, operation: OperationContext = {}): Promise<T | Skipped> {
    try {
      return await op();
    } catch (err) {
      return this.handleError(stage, executingClass, err, op, operation);
    }
  }

  /**
   * Continues execute() for an operation whose first attempt the caller already made and that threw
   * `firstError`; lets hot paths try synchronously and only await on failure.
   */
  async handleError<T>(stage: Stage, executingClass: string, firstError: unknown, retryOp: () => T | Promise<T>, operation: OperationContext = {}): Promise<T | Skipped> {
    const deadline = this.options.config.retryTimeoutMs < 0 ? Number.POSITIVE_INFINITY : this.time.now() + this.options.config.retryTimeoutMs;
    let attempts = 1;
    // beforeRetry may give up (a sink leaving its group): its error passes through as it is.
    const gaveUp: { error?: unknown } = {};
    try {
      return await retry(retryOp, {
        signal: this.stopController.signal,
        backoff: { initialMs: RETRIES_DELAY_MIN_MS, maxMs: this.options.config.retryDelayMaxMs },
        deadline,
        clock: this.time,
        firstError,
        onFailure: (_err, attempt) => {
          this.counters.recordFailures++;
          attempts = attempt;
        },
        onRetry: (err, _attempt, delay) => {
          if (this.logger.isLevelEnabled('debug')) this.logger.debug(`${this.name} ${stage} failed with a retriable error; retrying in ${delay} ms: ${toError(err).message}`);
        },
        beforeRetry: async () => {
          this.counters.retries++;
          try {
            await operation.beforeRetry?.();
          } catch (err) {
            gaveUp.error = err;
            throw err;
          }
        },
        abandon: (err) => this.abandoned(stage, err),
      });
    } catch (err) {
      if (err instanceof OperationAbandoned || ('error' in gaveUp && err === gaveUp.error)) throw err;
      return this.fail(stage, executingClass, toError(err), attempts, operation);
    }
  }

  /**
   * Handles a failure of an operation that cannot be retried from here (e.g. a producer send that
   * already ran out of time): reports it, then returns if errors.tolerance=all, else throws.
   */
  async executeFailed(stage: Stage, executingClass: string, error: unknown, operation: OperationContext = {}): Promise<void> {
    this.counters.recordFailures++;
    const err = toError(error);
    this.markError();
    await this.report(this.errorContext(stage, executingClass, err, 1, operation), this.tolerance === 'all');
    if (this.tolerance !== 'all') throw new ConnectError('Tolerance exceeded in error handler', { cause: operation.describeFailure?.(err) ?? err });
    this.counters.recordsSkipped++;
  }

  /**
   * The wait before retry number `attempt` (1 for the first retry): 300 ms doubled per retry; past
   * errors.retry.delay.max.ms a random wait below that limit; never beyond the deadline.
   */
  backoffMs(attempt: number, deadline = Number.POSITIVE_INFINITY): number {
    const delay = backoffDelayMs(attempt, { initialMs: RETRIES_DELAY_MIN_MS, maxMs: this.options.config.retryDelayMaxMs }, () => this.time.random());
    return Math.max(0, Math.min(delay, deadline - this.time.now()));
  }

  /** Ends any retry wait at once; later retries are abandoned (OperationAbandoned). Idempotent. */
  triggerStop(): void {
    this.stopController.abort();
  }

  get stopping(): boolean {
    return this.stopController.signal.aborted;
  }

  /** Closes every reporter; failures are logged, never thrown. */
  async close(): Promise<void> {
    const results = await Promise.allSettled(this.reporters.map((r) => r.close()));
    for (const r of results) {
      if (r.status === 'rejected') this.logger.warn(`${this.name} Failed to close an error reporter: ${toError(r.reason).message}`, { err: r.reason });
    }
  }

  private async fail(stage: Stage, executingClass: string, error: Error, attempts: number, operation: OperationContext): Promise<Skipped> {
    this.markError();
    const tolerable = TOLERATES_ANY_ERROR.has(stage) || isRetriable(error);
    const tolerated = tolerable && this.tolerance === 'all';
    await this.report(this.errorContext(stage, executingClass, error, attempts, operation), tolerated);
    // Kafka's wording for an error this stage never tolerates, and for one errors.tolerance=none refuses.
    const cause = operation.describeFailure?.(error) ?? error;
    if (!tolerable) throw new ConnectError('Unhandled exception in error handler', { cause });
    if (!tolerated) throw new ConnectError('Tolerance exceeded in error handler', { cause });
    this.counters.recordsSkipped++;
    return SKIPPED;
  }

  private markError(): void {
    this.counters.recordErrors++;
    this.counters.lastErrorTimestamp = this.time.now();
  }

  private errorContext(stage: Stage, executingClass: string, error: Error, attempts: number, operation: OperationContext): ErrorContext {
    return {
      stage,
      executingClass,
      error,
      consumedRecord: operation.consumedRecord ?? null,
      sourceRecord: operation.sourceRecord ?? null,
      connectorName: this.options.id.connector,
      taskId: this.options.id.task,
      attempts,
    };
  }

  /**
   * Gives the failure to every reporter, as Kafka does whether or not it is tolerated. When the
   * record is skipped, a reporter that failed (e.g. a dead letter queue that could not be written)
   * fails the task rather than lose the record silently; when the task fails anyway, it is logged.
   */
  private async report(context: ErrorContext, skipping: boolean): Promise<void> {
    if (this.reporters.length === 0) return;
    const results = await Promise.allSettled(this.reporters.map((r) => r.report(context)));
    for (const r of results) {
      if (r.status === 'fulfilled') continue;
      const err = toError(r.reason);
      if (skipping) throw new ConnectError(`Failed to report an error of stage ${context.stage}: ${err.message}`, { cause: err });
      this.logger.warn(`${this.name} Failed to report an error of stage ${context.stage}: ${err.message}`, { err });
    }
  }

  private abandoned(stage: Stage, error: unknown): OperationAbandoned {
    return new OperationAbandoned(`${this.name} stopped while retrying stage ${stage}`, { cause: error });
  }
}
