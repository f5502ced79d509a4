import { ConnectError } from '../api';

/** Time as a retry loop sees it; injected so tests control the schedule. */
export interface RetryClock {
  now(): number;
  /** Waits ms, returning early (without error) when the signal aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** A number in [0, 1), for the jitter. */
  random(): number;
}

/** Sleeps, waking early (without error) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export const systemClock: RetryClock = { now: () => Date.now(), sleep, random: () => Math.random() };

/** True when the error says trying again may succeed; the only thing retry() decides on. */
export function isRetriable(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { retriable?: unknown }).retriable === true;
}

/** Exponential backoff: initialMs, doubled per retry up to maxMs. */
export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * The wait before retry number `attempt` (1 for the first retry): initialMs doubled per retry; once
 * that passes maxMs, a random wait below maxMs (Kafka's rule in its error handler), so that many
 * loops retrying the same outage do not stay in step.
 */
export function backoffDelayMs(attempt: number, backoff: Backoff, random: () => number): number {
  const delay = backoff.initialMs * 2 ** Math.min(attempt - 1, 40);
  return delay > backoff.maxMs ? Math.floor(random() * backoff.maxMs) : delay;
}

/** The loop was stopped (its signal aborted) before the operation succeeded; `cause` is the last failure. */
export class RetryAborted extends ConnectError {}

export interface RetryOptions {
  /** Aborting ends a wait at once; retry() then throws (see abandon). */
  readonly signal: AbortSignal;
  readonly backoff: Backoff;
  /** Absolute time (clock.now()) after which a failure is final; default never. */
  readonly deadline?: number;
  readonly clock?: RetryClock;
  /** The failure of an attempt the caller already made: the loop starts with its retry. */
  readonly firstError?: unknown;
  /** Called for every failed attempt, final or not. */
  readonly onFailure?: (err: unknown, attempt: number) => void;
  /** Called before each wait, e.g. to log "retrying in N ms". */
  readonly onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
  /** Called after each wait, before the next attempt; may throw to give up (e.g. a heartbeat failing). */
  readonly beforeRetry?: () => Promise<void>;
  /** What to throw when the signal aborted; default a RetryAborted with the last failure as cause. */
  readonly abandon?: (lastError: unknown) => Error;
}

/**
 * Runs op until it succeeds; a failure whose error is retriable (and only such a failure) is tried
 * again after an exponential backoff, until the deadline passes, when the last error is thrown as it
 * is. The one retry loop of the runtime: source sends, sink puts, dead letter queue sends, the error
 * handler and the start-up reachability check all use it.
 */
export async function retry<T>(op: (attempt: number) => T | Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemClock;
  const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
  let attempt = 1;
  let error: unknown;
  if ('firstError' in options) {
    error = options.firstError;
  } else {
    try {
      return await op(attempt);
    } catch (err) {
      error = err;
    }
  }
  for (;;) {
    options.onFailure?.(error, attempt);
    if (!isRetriable(error) || clock.now() >= deadline) throw error;
    if (options.signal.aborted) throw abandoned(options, error);
    const delay = Math.max(0, Math.min(backoffDelayMs(attempt, options.backoff, () => clock.random()), deadline - clock.now()));
    options.onRetry?.(error, attempt, delay);
    await clock.sleep(delay, options.signal);
    if (options.signal.aborted) throw abandoned(options, error);
    if (options.beforeRetry) await options.beforeRetry();
    attempt++;
    try {
      return await op(attempt);
    } catch (err) {
      error = err;
    }
  }
}

function abandoned(options: RetryOptions, error: unknown): Error {
  return options.abandon ? options.abandon(error) : new RetryAborted('Stopped while retrying', { cause: error });
}
