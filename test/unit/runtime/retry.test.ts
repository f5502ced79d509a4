import { ConnectError, RetriableError } from '../../../src/api';
import { backoffDelayMs, retry, RetryAborted, RetryClock } from '../../../src/runtime/retry';

/** A clock whose sleeps return at once and move time forward; records every wait. */
function fakeClock(random = 0.5): RetryClock & { sleeps: number[]; t: number } {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
    random: () => random,
  };
  return clock;
}

/** An operation failing with the given errors in turn, then returning 'ok'. */
function failing(...errors: unknown[]): { op: () => Promise<string>; calls(): number } {
  let calls = 0;
  return {
    op: async () => {
      calls++;
      if (calls <= errors.length) throw errors[calls - 1];
      return 'ok';
    },
    calls: () => calls,
  };
}

const backoff = { initialMs: 100, maxMs: 1000 };

describe('retry', () => {
  it('retries retriable failures with doubling waits, then returns the result', async () => {
    const clock = fakeClock();
    const f = failing(new RetriableError('a'), new RetriableError('b'), new RetriableError('c'));
    await expect(retry(f.op, { signal: new AbortController().signal, backoff, clock })).resolves.toBe('ok');
    expect(f.calls()).toBe(4);
    expect(clock.sleeps).toEqual([100, 200, 400]);
  });

  it('decides on the retriable flag alone: a non-retriable error is thrown as it is, at once', async () => {
    const clock = fakeClock();
    const fatal = new ConnectError('no');
    const f = failing(fatal);
    await expect(retry(f.op, { signal: new AbortController().signal, backoff, clock })).rejects.toBe(fatal);
    expect(f.calls()).toBe(1);
    const plain = { retriable: true, message: 'duck-typed' };
    const g = failing(plain);
    await expect(retry(g.op, { signal: new AbortController().signal, backoff, clock })).resolves.toBe('ok');
  });

  it('waits a random part of maxMs once doubling passes it, and never beyond the deadline', async () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, backoff, () => 0.25))).toEqual([100, 200, 400, 800, 250]);
    const clock = fakeClock();
    const errors = Array.from({ length: 100 }, () => new RetriableError('down'));
    const f = failing(...errors);
    const thrown = await retry(f.op, { signal: new AbortController().signal, backoff, clock, deadline: 1000 }).catch((e: unknown) => e);
    expect(f.calls()).toBe(5);
    expect(thrown).toBe(errors[4]);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('starts from a failure the caller already had (firstError) and reports every failed attempt', async () => {
    const clock = fakeClock();
    const failures: number[] = [];
    const f = failing(new RetriableError('second'));
    const result = await retry(f.op, {
      signal: new AbortController().signal,
      backoff,
      clock,
      firstError: new RetriableError('first'),
      onFailure: (_e, attempt) => failures.push(attempt),
    });
    expect(result).toBe('ok');
    expect(f.calls()).toBe(2);
    expect(failures).toEqual([1, 2]);
  });

  it('gives up with RetryAborted (or the caller\'s error) when the signal aborts during a wait', async () => {
    const controller = new AbortController();
    const clock = fakeClock();
    clock.sleep = async () => controller.abort();
    const cause = new RetriableError('down');
    const aborted = retry(failing(cause, cause).op, { signal: controller.signal, backoff, clock });
    await expect(aborted).rejects.toBeInstanceOf(RetryAborted);
    await expect(aborted).rejects.toMatchObject({ cause });
    const custom = new Error('abandoned');
    const c2 = new AbortController();
    c2.abort();
    await expect(retry(failing(cause).op, { signal: c2.signal, backoff, clock, abandon: () => custom })).rejects.toBe(custom);
  });

  it('lets beforeRetry give up (e.g. a heartbeat that failed)', async () => {
    const clock = fakeClock();
    const gone = new Error('left the group');
    const f = failing(new RetriableError('a'));
    await expect(
      retry(f.op, {
        signal: new AbortController().signal,
        backoff,
        clock,
        beforeRetry: async () => {
          throw gone;
        },
      }),
    ).rejects.toBe(gone);
    expect(f.calls()).toBe(1);
  });
});
