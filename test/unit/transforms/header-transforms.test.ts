import { ConfigError, Header, Schema, SchemaType, sourceRecord } from '../../../src/api';
import { builtinPredicates, builtinTransformations } from '../../../src/transforms';
import { DropHeaders } from '../../../src/transforms/drop-headers';
import { HasHeaderKey } from '../../../src/transforms/has-header-key';
import { InsertHeader } from '../../../src/transforms/insert-header';
import { RecordIsTombstone } from '../../../src/transforms/record-is-tombstone';

const h = (key: string, value: unknown): Header => Object.freeze({ key, schema: Schema.STRING_SCHEMA, value });
const record = (headers: Header[], value: unknown = 'v') =>
  Object.freeze(sourceRecord({ topic: 't', key: 'k', value, timestamp: 5, headers: Object.freeze(headers), sourceOffset: { position: 1 } }));

function configured<T extends { configure(p: Record<string, string>): void }>(t: T, props: Record<string, string>): T {
  t.configure(props);
  return t;
}

describe('DropHeaders', () => {
  it('removes every header with a listed name and keeps the others in order', () => {
    const input = record([h('a', 1), h('drop', 2), h('b', 3), h('drop', 4), h('also', 5)]);
    const out = configured(new DropHeaders(), { headers: 'drop, also' }).apply(input);
    expect(out.headers).toEqual([h('a', 1), h('b', 3)]);
    expect(out).toEqual({ ...input, headers: out.headers });
    expect(input.headers).toHaveLength(5);
  });

  it('returns the record itself when it has none of the headers', () => {
    const input = record([h('a', 1)]);
    expect(configured(new DropHeaders(), { headers: 'x' }).apply(input)).toBe(input);
  });

  it('needs a non-empty list', () => {
    expect(() => new DropHeaders().configure({ headers: '' })).toThrow(new ConfigError('Invalid value [] for configuration headers: Empty list'));
    expect(() => new DropHeaders().configure({})).toThrow(new ConfigError('Missing required configuration "headers" which has no default value.'));
  });
});

describe('InsertHeader', () => {
  it.each([
    ['inserted-value', Schema.STRING_SCHEMA, 'inserted-value'],
    ['1', Schema.INT8_SCHEMA, 1],
    ['true', Schema.BOOLEAN_SCHEMA, true],
    ['', Schema.STRING_SCHEMA, ''],
  ])("appends the literal %j typed by Kafka's Values.parseString", (literal, schema, value) => {
    const input = record([h('existing', 'x')]);
    const out = configured(new InsertHeader(), { header: 'inserted', 'value.literal': literal }).apply(input);
    expect(out.headers).toEqual([h('existing', 'x'), { key: 'inserted', schema, value }]);
    expect(out).toEqual({ ...input, headers: out.headers });
    expect(input.headers).toHaveLength(1);
  });

  it('infers arrays, and null as a header without schema or value', () => {
    const array = configured(new InsertHeader(), { header: 'a', 'value.literal': '[1,2]' }).apply(record([])).headers[0];
    expect(array.schema?.type).toBe(SchemaType.ARRAY);
    expect(array.value).toEqual([1, 2]);
    expect(configured(new InsertHeader(), { header: 'n', 'value.literal': 'null' }).apply(record([])).headers[0]).toEqual({ key: 'n', schema: null, value: null });
  });

  it('adds a second header when one of the same name exists', () => {
    const out = configured(new InsertHeader(), { header: 'existing', 'value.literal': 'inserted-value' }).apply(record([h('existing', 'x')]));
    expect(out.headers.map((x) => x.value)).toEqual(['x', 'inserted-value']);
  });

  it('needs both keys', () => {
    expect(() => new InsertHeader().configure({ 'value.literal': '1' })).toThrow(new ConfigError('Missing required configuration "header" which has no default value.'));
    expect(() => new InsertHeader().configure({ header: 'h' })).toThrow(new ConfigError('Missing required configuration "value.literal" which has no default value.'));
  });
});

describe('HasHeaderKey', () => {
  it('is true when at least one header has the name', () => {
    const p = configured(new HasHeaderKey(), { name: 'trace' });
    expect(p.test(record([h('a', 1), h('trace', null)]))).toBe(true);
    expect(p.test(record([h('Trace', 1)]))).toBe(false);
    expect(p.test(record([]))).toBe(false);
  });

  it("needs a non-empty name (Kafka's wording)", () => {
    expect(() => new HasHeaderKey().configure({ name: '' })).toThrow(new ConfigError('Invalid value  for configuration name: String must be non-empty'));
    expect(() => new HasHeaderKey().configure({})).toThrow(new ConfigError('Missing required configuration "name" which has no default value.'));
  });
});

describe('RecordIsTombstone', () => {
  it('is true only for a null value, whatever the key', () => {
    const p = configured(new RecordIsTombstone(), {});
    expect(p.config().names()).toEqual([]);
    expect(p.test(record([], null))).toBe(true);
    expect(p.test(record([], ''))).toBe(false);
    expect(p.test(record([], 0))).toBe(false);
  });
});

describe('registration', () => {
  it.each([
    ['org.apache.kafka.connect.transforms.DropHeaders', 'DropHeaders'],
    ['org.apache.kafka.connect.transforms.InsertHeader', 'InsertHeader'],
  ])('%s as %s', (className, alias) => {
    expect(builtinTransformations.find((p) => p.className === className)?.aliases).toEqual([alias]);
  });

  it.each([
    ['org.apache.kafka.connect.transforms.predicates.HasHeaderKey', 'HasHeaderKey', HasHeaderKey],
    ['org.apache.kafka.connect.transforms.predicates.RecordIsTombstone', 'RecordIsTombstone', RecordIsTombstone],
  ])('%s as %s', (className, alias, type) => {
    const plugin = builtinPredicates.find((p) => p.className === className);
    expect(plugin?.aliases).toEqual([alias]);
    expect(plugin?.create()).toBeInstanceOf(type);
  });
});
