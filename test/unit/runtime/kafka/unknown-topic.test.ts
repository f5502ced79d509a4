// eslint-disable-next-line @typescript-eslint/no-require-imports
const { KafkaJSProtocolError, KafkaJSNumberOfRetriesExceeded, KafkaJSConnectionError } = require('kafkajs/src/errors');
import { isUnknownTopic } from '../../../../src/runtime/kafka/kafka-client-factory';

/** --once sinks treat a subscribed topic that does not exist as having no partitions; other errors fail the start. */
describe('isUnknownTopic', () => {
  const unknown = () => new KafkaJSProtocolError({ type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3, retriable: true, message: 'This server does not host this topic-partition' });

  it('sees UNKNOWN_TOPIC_OR_PARTITION itself and wrapped by kafkajs after its retries', () => {
    expect(isUnknownTopic(unknown())).toBe(true);
    expect(isUnknownTopic(new KafkaJSNumberOfRetriesExceeded(unknown(), { retryCount: 5, retryTime: 1000 }))).toBe(true);
  });

  it('other errors are not a missing topic', () => {
    expect(isUnknownTopic(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe(false);
    expect(isUnknownTopic(new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError('x'), { retryCount: 5, retryTime: 1000 }))).toBe(false);
    expect(isUnknownTopic(null)).toBe(false);
  });
});
