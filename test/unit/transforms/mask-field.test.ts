import { BigDecimal, ConfigError, ConnectDate, ConnectTime, ConnectTimestamp, Decimal, Schema, SchemaBuilder, Struct } from '../../../src/api';
import { applyUnchanged, sinkRecord, struct, transform } from './field-test-helpers';

const SCHEMA = SchemaBuilder.struct()
  .field('magic', Schema.INT32_SCHEMA)
  .field('bool', Schema.BOOLEAN_SCHEMA)
  .field('byte', Schema.INT8_SCHEMA)
  .field('short', Schema.INT16_SCHEMA)
  .field('int', Schema.INT32_SCHEMA)
  .field('long', Schema.INT64_SCHEMA)
  .field('float', Schema.FLOAT32_SCHEMA)
  .field('double', Schema.FLOAT64_SCHEMA)
  .field('string', Schema.STRING_SCHEMA)
  .field('date', ConnectDate.SCHEMA)
  .field('time', ConnectTime.SCHEMA)
  .field('timestamp', ConnectTimestamp.SCHEMA)
  .field('decimal', Decimal.schema(0))
  .field('array', SchemaBuilder.array(Schema.INT32_SCHEMA).build())
  .field('map', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build())
  .field('bytes', Schema.OPTIONAL_BYTES_SCHEMA)
  .field('withDefault', SchemaBuilder.string().optional().defaultValue('default').build())
  .build();

const withSchema = (): Struct =>
  struct(SCHEMA, {
    magic: 42,
    bool: true,
    byte: 42,
    short: 42,
    int: 42,
    long: 42n,
    float: 42,
    double: 42,
    string: 'hmm',
    date: new Date(86_400_000),
    time: new Date(1000),
    timestamp: new Date(123456),
    decimal: new BigDecimal(42n, 0),
    array: [1, 2, 3],
    map: new Map([['what', 'what']]),
    withDefault: null,
  });

const schemaless = (): Map<string, unknown> =>
  new Map<string, unknown>([
    ['magic', 42],
    ['bool', true],
    ['int', 42],
    ['long', 42n],
    ['double', 42.5],
    ['string', '55.121.20.20'],
    ['date', new Date()],
    ['bigdec', new BigDecimal(420n, 1)],
    ['list', [42]],
    ['map', new Map([['key', 'value']])],
  ]);

const mask = (fields: string[], replacement?: string, part = 'MaskField$Value') =>
  transform(part, { fields: fields.join(','), 'replace.null.with.default': 'false', ...(replacement === undefined ? {} : { replacement }) });

describe('MaskField', () => {
  it('schemaless: empty values per type (Kafka example)', () => {
    const fields = [...schemaless().keys()].filter((k) => k !== 'magic');
    const out = applyUnchanged(mask(fields), sinkRecord({ value: schemaless() }))!.value as Map<string, unknown>;
    expect(out.get('magic')).toBe(42);
    expect(out.get('bool')).toBe(false);
    expect(out.get('int')).toBe(0);
    expect(out.get('long')).toBe(0n);
    expect(out.get('double')).toBe(0);
    expect(out.get('string')).toBe('');
    expect(out.get('date')).toEqual(new Date(0));
    expect(out.get('bigdec')).toEqual(new BigDecimal(0n, 0));
    expect(out.get('list')).toEqual([]);
    expect(out.get('map')).toEqual(new Map());
  });

  it('with a schema: empty values per field type, nulls stay null (Kafka example)', () => {
    const fields = SCHEMA.fields.map((f) => f.name).filter((n) => n !== 'magic');
    const out = applyUnchanged(mask(fields), sinkRecord({ valueSchema: SCHEMA, value: withSchema() }))!;
    expect(out.valueSchema).toBe(SCHEMA);
    const v = out.value as Struct;
    expect(v.get('magic')).toBe(42);
    expect([v.get('bool'), v.get('byte'), v.get('short'), v.get('int'), v.get('long'), v.get('float'), v.get('double'), v.get('string')]).toEqual([
      false, 0, 0, 0, 0n, 0, 0, '',
    ]);
    for (const f of ['date', 'time', 'timestamp']) expect(v.get(f)).toEqual(new Date(0));
    expect(v.get('decimal')).toEqual(new BigDecimal(0n, 0));
    expect(v.get('array')).toEqual([]);
    expect(v.get('map')).toEqual(new Map());
    expect(v.get('bytes')).toBeNull();
    expect(v.getWithoutDefault('withDefault')).toBeNull();
  });

  it.each<[string, string, unknown]>([
    ['byte', '123', 123],
    ['short', '123', 123],
    ['int', '123', 123],
    ['long', '123', 123n],
    ['float', '123.0', 123],
    ['double', '123.5', 123.5],
    ['string', '123', '123'],
    ['decimal', '123.0', new BigDecimal(1230n, 1)],
    ['int', '1.9', 1],
    ['int', '-1.9', -1],
    ['int', '3000000000', -1294967296],
    ['byte', '300', 44],
    ['long', '1e3', 1000n],
    ['float', '0.1', Math.fround(0.1)],
  ])('with a schema: %s with replacement %s (converted as Java does)', (field, replacement, expected) => {
    const out = mask([field], replacement).apply(sinkRecord({ valueSchema: SCHEMA, value: withSchema() }))!;
    expect((out.value as Struct).get(field)).toEqual(expected);
  });

  it.each<[string, string, unknown]>([
    ['int', '123', 123],
    ['long', '123', 123n],
    ['double', '123.0', 123],
    ['string', '123', '123'],
    ['bigdec', '123.0', new BigDecimal(1230n, 1)],
  ])('schemaless: %s with replacement %s', (field, replacement, expected) => {
    const out = mask([field], replacement).apply(sinkRecord({ value: schemaless() }))!;
    expect((out.value as Map<string, unknown>).get(field)).toEqual(expected);
  });

  it('refuses a replacement for types that take none (Kafka messages)', () => {
    const rec = sinkRecord({ valueSchema: SCHEMA, value: withSchema() });
    expect(() => mask(['time'], 'x').apply(rec)).toThrow('Cannot mask value of type class java.util.Date with custom replacement.');
    expect(() => mask(['array'], '1').apply(rec)).toThrow('Cannot mask value of type class java.util.ArrayList with custom replacement.');
    expect(() => mask(['bool'], 'false').apply(rec)).toThrow('Cannot mask value of type class java.lang.Boolean with custom replacement.');
    expect(() => mask(['map'], 'x').apply(sinkRecord({ value: schemaless() }))).toThrow('Cannot mask value of type class java.util.HashMap with custom replacement.');
  });

  it('refuses a replacement that is not a number for numeric fields (Kafka messages)', () => {
    const rec = sinkRecord({ value: schemaless() });
    expect(() => mask(['int'], 'foo').apply(rec)).toThrow('Unable to convert foo (class java.lang.String) to a number');
    expect(() => mask(['double'], 'foo').apply(rec)).toThrow('Unable to convert foo (class java.lang.String) to a number');
    expect(() => mask(['bigdec'], 'foo').apply(rec)).toThrow('Unable to convert foo (class java.lang.String) to number');
    expect(() => mask(['string', 'int'], 'foo').apply(rec)).toThrow('Unable to convert foo (class java.lang.String) to a number');
    expect(() => mask(['int'], ' 1').apply(rec)).toThrow('Unable to convert  1 (class java.lang.String) to a number');
  });

  it('refuses types without an empty value', () => {
    const rec = sinkRecord({ valueSchema: SCHEMA, value: struct(SCHEMA, { ...Object.fromEntries(SCHEMA.fields.map((f) => [f.name, withSchema().get(f.name)])), bytes: Buffer.from('x') }) });
    expect(() => mask(['bytes']).apply(rec)).toThrow('Cannot mask value of type: class [B');
    const inner = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).build();
    expect(() => mask(['s']).apply(sinkRecord({ value: new Map([['s', struct(inner, { a: 1 })]]) }))).toThrow(
      'Cannot mask value of type: class org.apache.kafka.connect.data.Struct',
    );
  });

  it('schemaless: a listed field the map lacks is added as null', () => {
    const out = mask(['nope']).apply(sinkRecord({ value: new Map([['a', 1]]) }))!;
    expect(out.value).toEqual(new Map<string, unknown>([['a', 1], ['nope', null]]));
  });

  it('works on keys', () => {
    const out = mask(['int'], undefined, 'MaskField$Key').apply(sinkRecord({ key: schemaless(), value: 'v' }))!;
    expect((out.key as Map<string, unknown>).get('int')).toBe(0);
    expect(out.value).toBe('v');
  });

  it('fails on tombstones, as Kafka does (a Struct or Map is required)', () => {
    expect(() => mask(['a']).apply(sinkRecord({ value: null }))).toThrow('Only Map objects supported in absence of schema for [mask fields], found: null');
    expect(() => mask(['a']).apply(sinkRecord({ valueSchema: SCHEMA, value: null }))).toThrow('Only Struct objects supported for [mask fields], found: null');
  });

  it('replace.null.with.default=true masks the default', () => {
    const out = transform('MaskField$Value', { fields: 'withDefault' }).apply(sinkRecord({ valueSchema: SCHEMA, value: withSchema() }))!;
    expect((out.value as Struct).getWithoutDefault('withDefault')).toBe('');
  });

  it('validates its config', () => {
    expect(() => transform('MaskField$Value', {})).toThrow('Missing required configuration "fields" which has no default value.');
    expect(() => transform('MaskField$Value', { fields: '' })).toThrow(new ConfigError('Invalid value [] for configuration fields: Empty list'));
    expect(() => transform('MaskField$Value', { fields: 'a', replacement: '' })).toThrow(new ConfigError('Invalid value  for configuration replacement: String must be non-empty'));
    expect(() => transform('MaskField$Value', { fields: 'a', replacement: ' ' })).not.toThrow();
  });
});
