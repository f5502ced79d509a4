import { ConnectError, DataError, RetriableError } from '../../../../src/api';
import { ConsumedRecordInfo, Stage } from '../../../../src/runtime/errors/error-context';
import { OperationAbandoned, RetryWithToleranceOperator, SKIPPED, systemTime } from '../../../../src/runtime/errors/retry-with-tolerance-operator';
import { FakeTime, RecordingReporter, testOperator } from '../fakes';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const ID = { connector: 'orders-sink', task: 3 };

const consumed: ConsumedRecordInfo = {
  topic: 'orders',
  partition: 2,
  offset: 7n,
  timestamp: 1700000000000,
  key: null,
  value: Buffer.from('{not json'),
  headers: [],
};

/** An operation that throws the given errors in turn, then returns 'ok'. */
function failing(...errors: unknown[]): { op: () => string; calls: () => number } {
  let calls = 0;
  return {
    op: () => {
      calls++;
      if (calls <= errors.length) throw errors[calls - 1];
      return 'ok';
    },
    calls: () => calls,
  };
}

function setup(config: Parameters<typeof testOperator>[0] = {}): { operator: RetryWithToleranceOperator; time: FakeTime; reporter: RecordingReporter } {
  const time = new FakeTime();
  const reporter = new RecordingReporter();
  return { operator: testOperator(config, [reporter], time, ID), time, reporter };
}

describe('RetryWithToleranceOperator', () => {
  it('returns the result of an operation that succeeds, reporting nothing', async () => {
    const { operator, reporter } = setup();
    await expect(operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, () => 42)).resolves.toBe(42);
    await expect(operator.execute(Stage.TASK_PUT, 'x', async () => 'async')).resolves.toBe('async');
    expect(reporter.reports).toHaveLength(0);
    expect(operator.counters).toEqual({ recordFailures: 0, recordErrors: 0, recordsSkipped: 0, retries: 0, lastErrorTimestamp: 0 });
  });

  describe('retries', () => {
    it('does not retry with errors.retry.timeout=0 (the default)', async () => {
      const { operator, time } = setup();
      const f = failing(new RetriableError('registry unreachable'));
      await expect(operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, f.op)).rejects.toThrow('Tolerance exceeded in error handler');
      expect(f.calls()).toBe(1);
      expect(time.sleeps).toEqual([]);
    });

    it('backs off 300 ms, doubling, with the last wait cut to the deadline, then gives up', async () => {
      const { operator, time, reporter } = setup({ retryTimeoutMs: 2000 });
      const err = new RetriableError('registry unreachable');
      const f = failing(err, err, err, err, err, err);
      const start = time.now();
      await expect(operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, f.op, { consumedRecord: consumed })).rejects.toThrow('Tolerance exceeded in error handler');
      expect(time.sleeps).toEqual([300, 600, 1100]);
      expect(time.now() - start).toBe(2000);
      expect(f.calls()).toBe(4);
      expect(reporter.reports).toHaveLength(1);
      expect(reporter.reports[0].attempts).toBe(4);
      expect(operator.counters).toMatchObject({ recordFailures: 4, retries: 3, recordErrors: 1, recordsSkipped: 0, lastErrorTimestamp: start + 2000 });
    });

    it('returns the result once a retry succeeds, reporting nothing', async () => {
      const { operator, time, reporter } = setup({ retryTimeoutMs: 10000 });
      const f = failing(new RetriableError('busy'), new RetriableError('busy'));
      await expect(operator.execute(Stage.KEY_CONVERTER, JSON_CONVERTER, f.op)).resolves.toBe('ok');
      expect(time.sleeps).toEqual([300, 600]);
      expect(reporter.reports).toHaveLength(0);
      expect(operator.counters).toMatchObject({ recordFailures: 2, retries: 2, recordErrors: 0 });
    });

    it('never retries a non-retriable error', async () => {
      const { operator, time } = setup({ retryTimeoutMs: -1, tolerance: 'all' });
      const f = failing(new DataError('bad bytes'));
      await expect(operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, f.op)).resolves.toBe(SKIPPED);
      expect(f.calls()).toBe(1);
      expect(time.sleeps).toEqual([]);
    });

    it('waits at most errors.retry.delay.max.ms, a random part of it once doubling passes it', () => {
      const { operator, time } = setup({ retryDelayMaxMs: 1000 });
      time.randomValue = 0.25;
      expect([1, 2, 3, 4, 60].map((attempt) => operator.backoffMs(attempt))).toEqual([300, 600, 250, 250, 250]);
      expect(operator.backoffMs(1, time.now() + 100)).toBe(100);
    });

    it('with errors.retry.timeout=-1 retries until the task stops, then abandons without reporting', async () => {
      const { operator, time, reporter } = setup({ retryTimeoutMs: -1, retryDelayMaxMs: 5000, tolerance: 'all' });
      time.onSleep = () => {
        if (time.sleeps.length === 50) operator.triggerStop();
      };
      const f = failing(...Array.from({ length: 1000 }, () => new RetriableError('down')));
      const outcome = operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, f.op);
      await expect(outcome).rejects.toBeInstanceOf(OperationAbandoned);
      expect(f.calls()).toBe(50);
      expect(Math.max(...time.sleeps)).toBeLessThanOrEqual(5000);
      expect(reporter.reports).toHaveLength(0);
      expect(operator.counters).toMatchObject({ recordErrors: 0, recordsSkipped: 0, retries: 49 });
    });

    it('stops waiting at once when triggerStop() is called during a real backoff', async () => {
      const operator = new RetryWithToleranceOperator({
        id: ID,
        config: { tolerance: 'none', retryTimeoutMs: -1, retryDelayMaxMs: 60000, logEnable: false, logIncludeMessages: false },
        time: systemTime,
      });
      const started = Date.now();
      const outcome = operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, () => {
        throw new RetriableError('down');
      });
      setTimeout(() => operator.triggerStop(), 20);
      await expect(outcome).rejects.toBeInstanceOf(OperationAbandoned);
      expect(Date.now() - started).toBeLessThan(250); // the first backoff alone is 300 ms
    });

    it('calls beforeRetry before each new attempt and passes on what it throws', async () => {
      const { operator } = setup({ retryTimeoutMs: -1 });
      const calls: number[] = [];
      const gone = new Error('left the group');
      const f = failing(new RetriableError('a'), new RetriableError('b'), new RetriableError('c'));
      const beforeRetry = async (): Promise<void> => {
        calls.push(f.calls());
        if (calls.length === 2) throw gone;
      };
      await expect(operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, f.op, { beforeRetry })).rejects.toBe(gone);
      expect(calls).toEqual([1, 2]);
    });

    it('handleError continues an operation whose first attempt the caller made', async () => {
      const { operator, time, reporter } = setup({ retryTimeoutMs: 1000 });
      const f = failing(new RetriableError('second'));
      await expect(operator.handleError(Stage.VALUE_CONVERTER, JSON_CONVERTER, new RetriableError('first'), f.op)).resolves.toBe('ok');
      expect(time.sleeps).toEqual([300, 600]);
      expect(operator.counters).toMatchObject({ recordFailures: 2, retries: 2 });
      expect(reporter.reports).toHaveLength(0);
    });
  });

  describe('tolerance', () => {
    it.each([Stage.KEY_CONVERTER, Stage.VALUE_CONVERTER, Stage.HEADER_CONVERTER, Stage.TRANSFORMATION])(
      'errors.tolerance=all skips any error at %s and reports it with its context',
      async (stage) => {
        const { operator, time, reporter } = setup({ tolerance: 'all' });
        const err = new DataError('Converting byte[] to Kafka Connect data failed due to serialization error');
        await expect(operator.execute(stage, JSON_CONVERTER, failing(err).op, { consumedRecord: consumed })).resolves.toBe(SKIPPED);
        expect(reporter.reports).toEqual([
          { stage, executingClass: JSON_CONVERTER, error: err, consumedRecord: consumed, sourceRecord: null, connectorName: 'orders-sink', taskId: 3, attempts: 1 },
        ]);
        expect(operator.counters).toEqual({ recordFailures: 1, recordErrors: 1, recordsSkipped: 1, retries: 0, lastErrorTimestamp: time.now() });
      },
    );

    it.each([Stage.TASK_POLL, Stage.TASK_PUT, Stage.KAFKA_PRODUCE, Stage.KAFKA_CONSUME])(
      'errors.tolerance=all at %s skips a retriable error once retries are over, but never another error',
      async (stage) => {
        const { operator, reporter } = setup({ tolerance: 'all' });
        await expect(operator.execute(stage, 'C', failing(new RetriableError('later')).op)).resolves.toBe(SKIPPED);
        const fatal = new ConnectError('broken');
        const outcome = operator.execute(stage, 'C', failing(fatal).op);
        await expect(outcome).rejects.toThrow('Unhandled exception in error handler');
        await expect(outcome.catch((e: ConnectError) => e.cause)).resolves.toBe(fatal);
        expect(reporter.reports.map((r) => r.error.message)).toEqual(['later', 'broken']);
        expect(operator.counters).toMatchObject({ recordErrors: 2, recordsSkipped: 1 });
      },
    );

    it('errors.tolerance=none reports the failure, then throws "Tolerance exceeded in error handler" caused by the described error', async () => {
      const { operator, reporter } = setup();
      const err = new DataError('Unexpected character');
      const described = new DataError('Failed to convert the value of the record at topic orders partition 2 offset 7: Unexpected character', { cause: err });
      const outcome = operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, failing(err).op, { consumedRecord: consumed, describeFailure: () => described });
      const thrown = (await outcome.catch((e: unknown) => e)) as ConnectError;
      expect(thrown).toBeInstanceOf(ConnectError);
      expect(thrown.message).toBe('Tolerance exceeded in error handler');
      expect(thrown.cause).toBe(described);
      expect(reporter.reports.map((r) => r.error)).toEqual([err]);
      expect(operator.counters).toMatchObject({ recordErrors: 1, recordsSkipped: 0 });
    });

    it('errors.tolerance=none also fails on a retriable error whose retries ran out (no silent drop)', async () => {
      const { operator } = setup({ retryTimeoutMs: 500 });
      const outcome = operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, () => {
        throw new RetriableError('registry unreachable');
      });
      await expect(outcome).rejects.toThrow('Tolerance exceeded in error handler');
    });

    it('executeFailed reports an error that already happened and tolerates it only with errors.tolerance=all', async () => {
      const all = setup({ tolerance: 'all' });
      const sendError = new ConnectError('Message too large');
      await expect(all.operator.executeFailed(Stage.KAFKA_PRODUCE, 'W', sendError, { consumedRecord: consumed })).resolves.toBeUndefined();
      expect(all.reporter.reports[0]).toMatchObject({ stage: Stage.KAFKA_PRODUCE, executingClass: 'W', error: sendError, attempts: 1 });
      expect(all.operator.counters).toMatchObject({ recordErrors: 1, recordsSkipped: 1 });

      const none = setup();
      await expect(none.operator.executeFailed(Stage.KAFKA_PRODUCE, 'W', sendError)).rejects.toThrow('Tolerance exceeded in error handler');
      expect(none.reporter.reports).toHaveLength(1);
    });
  });

  describe('reporters', () => {
    it('fails the skip when a reporter could not take the error, so no record is dropped unreported', async () => {
      const { operator, reporter } = setup({ tolerance: 'all' });
      reporter.failures.push(new Error('dead letter queue unreachable'));
      const outcome = operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, failing(new DataError('bad')).op);
      await expect(outcome).rejects.toThrow('Failed to report an error of stage VALUE_CONVERTER: dead letter queue unreachable');
      expect(operator.counters.recordsSkipped).toBe(0);
    });

    it('keeps the tolerance error when a reporter fails for a failure that is not tolerated', async () => {
      const { operator, reporter } = setup();
      reporter.failures.push(new Error('dead letter queue unreachable'));
      await expect(operator.execute(Stage.VALUE_CONVERTER, JSON_CONVERTER, failing(new DataError('bad')).op)).rejects.toThrow('Tolerance exceeded in error handler');
    });

    it('gives every reporter the failure, and close() closes them all even if one fails', async () => {
      const first = new RecordingReporter();
      const second = new RecordingReporter();
      second.close = async () => {
        second.closed = true;
        throw new Error('cannot close');
      };
      const operator = testOperator({ tolerance: 'all' }, [first, second], new FakeTime(), ID);
      await operator.execute(Stage.HEADER_CONVERTER, 'H', failing(new DataError('bad header')).op);
      expect(first.reports).toHaveLength(1);
      expect(second.reports).toHaveLength(1);
      await expect(operator.close()).resolves.toBeUndefined();
      expect(first.closed && second.closed).toBe(true);
    });
  });
});
