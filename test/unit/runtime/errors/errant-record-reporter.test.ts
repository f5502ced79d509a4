import { ConnectError, DataError, HeaderConverter, NULL_SCHEMA_AND_VALUE, SinkRecord } from '../../../../src/api';
import { StringConverter } from '../../../../src/converters/string-converter';
import { ConsumedRecordInfo, Stage } from '../../../../src/runtime/errors/error-context';
import {
  ErrantFailure,
  reconvertedRecord,
  SINK_TASK_CLASS,
  WorkerErrantRecordReporter,
} from '../../../../src/runtime/errors/errant-record-reporter';
import { deferred, Deferred, settle } from '../fakes';

function sinkRecord(topic: string, partition: number, offset: number, value: unknown = 'v'): SinkRecord {
  return {
    topic,
    kafkaPartition: partition,
    kafkaOffset: BigInt(offset),
    keySchema: null,
    key: null,
    valueSchema: null,
    value,
    timestamp: 1700000000000,
    timestampType: 'CreateTime',
    headers: [],
  };
}

function original(record: SinkRecord): ConsumedRecordInfo {
  return {
    topic: record.topic,
    partition: record.kafkaPartition,
    offset: record.kafkaOffset,
    timestamp: record.timestamp ?? -1,
    key: null,
    value: Buffer.from(`raw ${String(record.value)}`),
    headers: [],
  };
}

function setup(executingClass?: string) {
  const failures: Array<{ failure: ErrantFailure; result: Deferred<void> }> = [];
  const reporter = new WorkerErrantRecordReporter({
    originalRecord: original,
    executeFailed: (failure) => {
      const result = deferred<void>();
      failures.push({ failure, result });
      return result.promise;
    },
    executingClass,
  });
  return { reporter, failures };
}

describe('WorkerErrantRecordReporter', () => {
  it('routes a report through error handling at stage TASK_PUT with the original bytes', async () => {
    const { reporter, failures } = setup();
    const error = new DataError('row too wide');
    const report = reporter.report(sinkRecord('t', 1, 5, 'x'), error);
    expect(failures).toHaveLength(1);
    const { failure } = failures[0];
    expect(failure.stage).toBe(Stage.TASK_PUT);
    expect(failure.executingClass).toBe(SINK_TASK_CLASS);
    expect(failure.error).toBe(error);
    expect(failure.consumedRecord.value).toEqual(Buffer.from('raw x'));
    expect(failure.consumedRecord.offset).toBe(5n);
    failures[0].result.resolve();
    await expect(report).resolves.toBeUndefined();
    expect(reporter.pendingCount).toBe(0);
  });

  it('uses the executing class it is given', () => {
    const { reporter, failures } = setup('org.example.MySinkTask');
    void reporter.report(sinkRecord('t', 0, 0), new Error('x'));
    expect(failures[0].failure.executingClass).toBe('org.example.MySinkTask');
  });

  it('awaitFutures waits for the reports of the given partitions only', async () => {
    const { reporter, failures } = setup();
    void reporter.report(sinkRecord('t', 0, 1), new Error('a'));
    void reporter.report(sinkRecord('t', 1, 1), new Error('b'));
    let done = false;
    const waiting = reporter.awaitFutures([{ topic: 't', partition: 0 }]).then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    failures[0].result.resolve();
    await waiting;
    expect(done).toBe(true);
    expect(reporter.pendingCount).toBe(1); // t-1 still pending
    failures[1].result.resolve();
    await reporter.awaitFutures();
    expect(reporter.pendingCount).toBe(0);
  });

  it('a failed report the task ignored fails awaitFutures, once, without an unhandled rejection', async () => {
    const { reporter, failures } = setup();
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      void reporter.report(sinkRecord('t', 0, 1), new Error('a'));
      void reporter.report(sinkRecord('t', 0, 2), new Error('b'));
      const cause = new ConnectError('Tolerance exceeded in error handler');
      failures[0].result.reject(cause);
      failures[1].result.resolve();
      await settle();
      const err = await reporter.awaitFutures([{ topic: 't', partition: 0 }]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectError);
      expect((err as Error).message).toBe('Failed to report 1 errant record(s) of the sink task: Tolerance exceeded in error handler');
      expect((err as ConnectError).cause).toBe(cause);
      await expect(reporter.awaitFutures()).resolves.toBeUndefined();
      await new Promise((r) => setImmediate(r));
      expect(unhandled).not.toHaveBeenCalled();
    } finally {
      process.off('unhandledRejection', unhandled);
    }
  });

  it('the promise returned to the task rejects too', async () => {
    const { reporter, failures } = setup();
    const report = reporter.report(sinkRecord('t', 0, 1), new Error('a'));
    failures[0].result.reject(new ConnectError('DLQ down'));
    await expect(report).rejects.toThrow('DLQ down');
  });

  it('maybeThrowAsyncError throws once a report failed, awaited or not; a failure of a cancelled partition does not count', async () => {
    const { reporter, failures } = setup();
    void reporter.report(sinkRecord('t', 0, 1), new DataError('x')).catch(() => undefined);
    void reporter.report(sinkRecord('t', 1, 1), new DataError('y')).catch(() => undefined);
    reporter.maybeThrowAsyncError(); // nothing settled yet
    reporter.cancelFutures([{ topic: 't', partition: 1 }]);
    failures[1].result.reject(new ConnectError('revoked partition: no longer ours'));
    await settle();
    expect(() => reporter.maybeThrowAsyncError()).not.toThrow();
    failures[0].result.reject(new ConnectError('dead letter queue refused the write'));
    await settle();
    expect(() => reporter.maybeThrowAsyncError()).toThrow('Failed to report an errant record of the sink task: dead letter queue refused the write');
  });

  it('cancelFutures forgets revoked partitions', async () => {
    const { reporter } = setup();
    void reporter.report(sinkRecord('t', 0, 1), new Error('a'));
    reporter.cancelFutures([{ topic: 't', partition: 0 }]);
    expect(reporter.pendingCount).toBe(0);
    await expect(reporter.awaitFutures()).resolves.toBeUndefined();
  });

  it('rejects, without tracking, when the record cannot be mapped back', async () => {
    const reporter = new WorkerErrantRecordReporter({
      originalRecord: () => {
        throw new DataError('cannot convert');
      },
      executeFailed: async () => undefined,
    });
    await expect(reporter.report(sinkRecord('t', 0, 1), new Error('a'))).rejects.toThrow('cannot convert');
    expect(reporter.pendingCount).toBe(0);
  });
});

describe('reconvertedRecord', () => {
  it("converts a record the task built with the task's converters", () => {
    const converter = new StringConverter();
    converter.configure({}, false);
    const header: HeaderConverter = {
      configure: () => undefined,
      fromConnectHeader: (_topic, _key, _schema, value) => Buffer.from(`h:${String(value)}`),
      toConnectHeader: () => NULL_SCHEMA_AND_VALUE,
    };
    const record: SinkRecord = { ...sinkRecord('t', 2, 7, 'value'), key: 'key', headers: [{ key: 'n', schema: null, value: 1 }] };
    const info = reconvertedRecord(record, { key: converter, value: converter, header });
    expect(info).toEqual({
      topic: 't',
      partition: 2,
      offset: 7n,
      timestamp: 1700000000000,
      key: Buffer.from('key'),
      value: Buffer.from('value'),
      headers: [['n', Buffer.from('h:1')]],
    });
  });
});
