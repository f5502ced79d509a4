import { ConfigError, SinkRecord, sourceRecord, Schema, Struct, SchemaBuilder } from '../../../src/api';
import { builtinTransformations } from '../../../src/transforms';
import { RegexRouter } from '../../../src/transforms/regex-router';

function router(regex: string, replacement: string): RegexRouter {
  const r = new RegexRouter();
  r.configure({ regex, replacement });
  return r;
}

function route(regex: string, replacement: string, topic: string): string {
  return (router(regex, replacement).apply(sourceRecord({ topic, value: null })) as { topic: string }).topic;
}

describe('RegexRouter', () => {
  it.each([
    ['foo', 'bar', 'foo', 'bar'],
    ['foo', 'bar', 'orig', 'orig'],
    ['(.*)', '$1', 'orig', 'orig'],
    ['(.*)', 'prefix-$1', 'orig', 'prefix-orig'],
    ['(.*)', '$1-suffix', 'orig', 'orig-suffix'],
    ['(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)', '$1', 'index-20160117', 'index'],
  ])("Kafka's examples: %s -> %s on %s gives %s", (regex, replacement, topic, expected) => {
    expect(route(regex, replacement, topic)).toBe(expected);
  });

  it('routes only when the whole topic matches (matches(), not find())', () => {
    expect(route('foo', 'bar', 'foobar')).toBe('foobar');
    expect(route('bar', 'x', 'foobar')).toBe('foobar');
  });

  it("replaces the first match, as Java's replaceFirst does, which need not be the whole topic", () => {
    expect(route('a|ab', 'X', 'ab')).toBe('Xb');
    expect(route('.*?', 'x-', 'orders')).toBe('x-orders');
  });

  it('reads the replacement as Java does: ${name}, \\$ and a group that did not take part', () => {
    expect(route('(?<env>\\w+)\\.(\\w+)', '${env}_$2', 'prod.orders')).toBe('prod_orders');
    expect(route('(.*)', 'cost\\$$1', 'orders')).toBe('cost$orders');
    expect(route('(a)?(b)', '[$1]$2', 'b')).toBe('[]b');
    // $& is JavaScript's whole-match pattern; Java refuses it.
    expect(() => router('(.*)', '$&')).toThrow(ConfigError);
  });

  it('keeps every other field of the record, and the record itself when the topic does not match', () => {
    const schema: Schema = SchemaBuilder.struct().field('a', Schema.STRING_SCHEMA).build();
    const value = new Struct(schema).put('a', 'x');
    const record: SinkRecord = Object.freeze({
      topic: 'db.orders',
      kafkaPartition: 3,
      keySchema: Schema.STRING_SCHEMA,
      key: 'k',
      valueSchema: schema,
      value,
      timestamp: 42,
      headers: Object.freeze([{ key: 'h', schema: Schema.STRING_SCHEMA, value: 'v' }]),
      kafkaOffset: 7n,
      timestampType: 'CreateTime' as const,
    });
    const out = router('db\\.(.*)', 'clean.$1').apply(record) as SinkRecord;
    expect(out).toEqual({ ...record, topic: 'clean.orders' });
    expect(out.value).toBe(value);
    expect(record.topic).toBe('db.orders');
    expect(router('other', 'x').apply(record)).toBe(record);
  });

  it.each([
    [{ replacement: 'x' }, 'Missing required configuration "regex" which has no default value.'],
    [{ regex: 'x' }, 'Missing required configuration "replacement" which has no default value.'],
    [{ regex: '(', replacement: 'x' }, /^Invalid value \( for configuration regex: Invalid regex: Unclosed group near index \d+$/],
    [{ regex: '(a++)', replacement: 'x' }, /^Invalid value \(a\+\+\) for configuration regex: Invalid regex: Possessive quantifiers cannot be run by the JavaScript regex engine/],
    [{ regex: '(a)', replacement: '$2' }, 'Invalid value $2 for configuration replacement: Invalid replacement for regex (a): No group 2'],
    [{ regex: 'a', replacement: 'x\\' }, 'Invalid value x\\ for configuration replacement: Invalid replacement for regex a: character to be escaped is missing'],
  ])('refuses %j naming the key', (props, message) => {
    const r = new RegexRouter();
    expect(() => r.configure(props as Record<string, string>)).toThrow(ConfigError);
    expect(() => r.configure(props as Record<string, string>)).toThrow(message);
  });

  it('declares its keys and is registered under the Kafka class name and alias', () => {
    expect(new RegexRouter().config().names()).toEqual(['regex', 'replacement']);
    const plugin = builtinTransformations.find((p) => p.className === 'org.apache.kafka.connect.transforms.RegexRouter');
    expect(plugin?.aliases).toEqual(['RegexRouter']);
    expect(plugin?.create()).toBeInstanceOf(RegexRouter);
  });
});
