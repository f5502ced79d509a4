import { ConfigError, DataError } from '../../../../src/api';
import { DeadLetterQueueReporter } from '../../../../src/runtime/errors/dead-letter-queue-reporter';
import { ErrorContext, Stage } from '../../../../src/runtime/errors/error-context';
import { FakeProducer, RecordingLogger } from '../fakes';

function context(): ErrorContext {
  return {
    stage: Stage.VALUE_CONVERTER,
    executingClass: 'org.apache.kafka.connect.json.JsonConverter',
    error: new DataError('bad'),
    consumedRecord: { topic: 'orders', partition: 0, offset: 5n, timestamp: 1, key: null, value: Buffer.from('x'), headers: [] },
    sourceRecord: null,
    connectorName: 'snk',
    taskId: 0,
    attempts: 1,
  };
}

describe('dead letter queue counters (task-error-metrics deadletterqueue-produce-*)', () => {
  it('count every record written to the queue, and those that could not be', async () => {
    const producer = new FakeProducer({ autoAck: true, deliveryTimeoutMs: 1000 });
    const reporter = new DeadLetterQueueReporter({
      config: { topic: 'dlq', replicationFactor: 1, contextHeadersEnabled: false },
      connectorName: 'snk',
      taskId: 0,
      producer,
      ensureTopic: async () => 'exists',
      logger: new RecordingLogger(),
      retryBackoffMs: 1,
    });
    await reporter.report(context());
    await reporter.report(context());
    expect([reporter.produceRequests, reporter.produceFailures]).toEqual([2, 0]);
    producer.failures.push(new ConfigError('not retriable'));
    await expect(reporter.report(context())).rejects.toThrow(/dead letter queue topic dlq/);
    expect([reporter.produceRequests, reporter.produceFailures]).toEqual([3, 1]);
    await reporter.close();
  });
});
