import { ConfigError } from '../../../../src/api';
import { dlqConfigDef, parseDeadLetterQueueConfig, validateDeadLetterQueueTopic } from '../../../../src/runtime/errors/dlq-config';

describe('dead letter queue config', () => {
  it("has Kafka's keys and defaults", () => {
    expect(dlqConfigDef.names()).toEqual([
      'errors.deadletterqueue.topic.name',
      'errors.deadletterqueue.topic.replication.factor',
      'errors.deadletterqueue.context.headers.enable',
    ]);
    expect(parseDeadLetterQueueConfig({})).toEqual({ topic: '', replicationFactor: 3, contextHeadersEnabled: false });
  });

  it('parses the keys and trims the topic name, as Kafka does', () => {
    expect(
      parseDeadLetterQueueConfig({
        'errors.deadletterqueue.topic.name': ' dlq-orders ',
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'TRUE',
        topics: 'ignored',
      }),
    ).toEqual({ topic: 'dlq-orders', replicationFactor: 1, contextHeadersEnabled: true });
  });

  it('refuses a replication factor outside the SHORT range and bad booleans, naming key and value', () => {
    expect(() => parseDeadLetterQueueConfig({ 'errors.deadletterqueue.topic.replication.factor': '40000' })).toThrow(
      new ConfigError('Invalid value 40000 for configuration errors.deadletterqueue.topic.replication.factor: Not a number of type SHORT'),
    );
    expect(() => parseDeadLetterQueueConfig({ 'errors.deadletterqueue.context.headers.enable': 'yes' })).toThrow(
      'Invalid value yes for configuration errors.deadletterqueue.context.headers.enable: Expected value to be either true or false',
    );
  });

  it('refuses a DLQ topic the connector consumes, in Kafka\'s words', () => {
    const dlq = { topic: 'dlq', replicationFactor: 3, contextHeadersEnabled: false };
    expect(() => validateDeadLetterQueueTopic(dlq, { topics: ['a', 'dlq'], regex: null }, { topics: 'a,dlq' })).toThrow(
      "Invalid value a,dlq for configuration topics: The DLQ topic 'dlq' may not be included in the list of topics ('topics=[a, dlq]') consumed by the connector",
    );
    expect(() => validateDeadLetterQueueTopic(dlq, { topics: [], regex: /^(?:d.*)$/ }, { regex: 'd.*' })).toThrow(
      "Invalid value d.* for configuration topics.regex: The DLQ topic 'dlq' may not be matched by the regex for the topics ('topics.regex=d.*') consumed by the connector",
    );
    expect(() => validateDeadLetterQueueTopic(dlq, { topics: ['a'], regex: null })).not.toThrow();
    expect(() => validateDeadLetterQueueTopic({ ...dlq, topic: '' }, { topics: [''], regex: /.*/ })).not.toThrow();
  });
});
