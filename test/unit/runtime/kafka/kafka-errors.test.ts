import { describeKafkaError, isRetriableKafkaError } from '../../../../src/runtime/kafka/kafka-errors';

/** An error shaped like kafkajs's: a name, an optional retriable flag and an optional originalError. */
function kafkaError(name: string, message: string, extra: { retriable?: boolean; originalError?: unknown } = {}): Error {
  const err = new Error(message) as Error & { retriable?: boolean; originalError?: unknown };
  err.name = name;
  Object.assign(err, extra);
  return err;
}

describe('isRetriableKafkaError', () => {
  it('follows the retriable flag', () => {
    expect(isRetriableKafkaError(kafkaError('KafkaJSProtocolError', 'Leader not available', { retriable: true }))).toBe(true);
    expect(isRetriableKafkaError(kafkaError('KafkaJSProtocolError', 'Message too large', { retriable: false }))).toBe(false);
  });

  it('knows retriable kafkajs error names', () => {
    expect(isRetriableKafkaError(kafkaError('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED'))).toBe(true);
    expect(isRetriableKafkaError(kafkaError('KafkaJSRequestTimeoutError', 'Request timed out'))).toBe(true);
    expect(isRetriableKafkaError(kafkaError('KafkaJSNonRetriableError', 'nope'))).toBe(false);
    expect(isRetriableKafkaError(new TypeError('x is not a function'))).toBe(false);
  });

  it('looks through non-retriable wrappers at originalError and cause', () => {
    const refused = kafkaError('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    const exhausted = kafkaError('KafkaJSNumberOfRetriesExceeded', 'Number of retries exceeded', { retriable: false, originalError: refused });
    expect(isRetriableKafkaError(exhausted)).toBe(true);
    expect(isRetriableKafkaError(new Error('Failed to send', { cause: exhausted }))).toBe(true);
    expect(isRetriableKafkaError(new Error('Failed to send', { cause: new Error('bad record') }))).toBe(false);
  });

  it('is false for non-errors and does not loop on cyclic causes', () => {
    expect(isRetriableKafkaError('Connection refused')).toBe(false);
    expect(isRetriableKafkaError(null)).toBe(false);
    expect(isRetriableKafkaError({ retriable: true })).toBe(false);
    const cyclic = kafkaError('KafkaJSError', 'loop');
    (cyclic as Error & { originalError?: unknown }).originalError = cyclic;
    expect(isRetriableKafkaError(cyclic)).toBe(false);
  });
});

describe('describeKafkaError', () => {
  it('joins the nested messages from the outside in', () => {
    const refused = kafkaError('KafkaJSConnectionError', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    const exhausted = kafkaError('KafkaJSNumberOfRetriesExceeded', 'Number of retries exceeded', { originalError: refused });
    expect(describeKafkaError(exhausted)).toBe('Number of retries exceeded: Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    expect(describeKafkaError(new Error('outer', { cause: new Error('inner') }))).toBe('outer: inner');
  });

  it('does not repeat a message a wrapper copied from its cause', () => {
    const inner = kafkaError('KafkaJSProtocolError', 'This server does not host this topic-partition');
    const wrapper = kafkaError('KafkaJSNonRetriableError', 'This server does not host this topic-partition', { originalError: inner });
    expect(describeKafkaError(wrapper)).toBe('This server does not host this topic-partition');
    const cyclic = kafkaError('KafkaJSError', 'loop');
    (cyclic as Error & { originalError?: unknown }).originalError = cyclic;
    expect(describeKafkaError(cyclic)).toBe('loop');
  });

  it('prints non-errors as strings', () => {
    expect(describeKafkaError('plain text')).toBe('plain text');
    expect(describeKafkaError(undefined)).toBe('undefined');
  });
});
