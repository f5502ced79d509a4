import { ConfigError, sourceRecord } from '../../../src/api';
import { builtinPredicates } from '../../../src/transforms';
import { TopicNameMatches } from '../../../src/transforms/topic-name-matches';

function predicate(pattern: string): TopicNameMatches {
  const p = new TopicNameMatches();
  p.configure({ pattern });
  return p;
}

describe('TopicNameMatches', () => {
  it('is true only when the whole topic matches the Java pattern', () => {
    const p = predicate('my-prefix-.*');
    expect(p.test(sourceRecord({ topic: 'my-prefix-orders', value: 1 }))).toBe(true);
    expect(p.test(sourceRecord({ topic: 'other-my-prefix-orders', value: 1 }))).toBe(false);
    expect(predicate('orders').test(sourceRecord({ topic: 'orders-2', value: 1 }))).toBe(false);
    expect(predicate('(?i)ORDERS|audit\\p{Digit}+').test(sourceRecord({ topic: 'orders', value: 1 }))).toBe(true);
    expect(predicate('(?i)ORDERS|audit\\p{Digit}+').test(sourceRecord({ topic: 'audit42', value: 1 }))).toBe(true);
    expect(predicate('[a-z&&[^x]]+').test(sourceRecord({ topic: 'tax', value: 1 }))).toBe(false);
  });

  it('does not look at or change anything but the topic', () => {
    const record = Object.freeze(sourceRecord({ topic: 'a', value: null, headers: Object.freeze([]) }));
    expect(predicate('a').test(record)).toBe(true);
  });

  it.each([
    [{}, 'Missing required configuration "pattern" which has no default value.'],
    [{ pattern: '' }, 'Invalid value  for configuration pattern: String must be non-empty'],
    [{ pattern: '[' }, /^Invalid value \[ for configuration pattern: Invalid regex: Unclosed character class near index \d+$/],
    [{ pattern: '(?>x)' }, /^Invalid value \(\?>x\) for configuration pattern: Invalid regex: Atomic groups/],
  ])('refuses %j naming pattern', (props, message) => {
    const p = new TopicNameMatches();
    expect(() => p.configure(props as Record<string, string>)).toThrow(ConfigError);
    expect(() => p.configure(props as Record<string, string>)).toThrow(message);
  });

  it('is registered under the Kafka class name and alias', () => {
    const plugin = builtinPredicates.find((p) => p.className === 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches');
    expect(plugin?.aliases).toEqual(['TopicNameMatches']);
    expect(plugin?.create()).toBeInstanceOf(TopicNameMatches);
  });
});
