import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal, Schema, SchemaBuilder, SchemaType, Struct } from '../../../src/api';
import { applyChecked, configured, expectValues, record, sinkRecord, struct } from './time-cast-test-helpers';

const castValue = (spec: string, extra: Record<string, string> = {}) => configured('Cast$Value', { spec, ...extra });
const castKey = (spec: string) => configured('Cast$Key', { spec });

/** Casts one value with a schema as the whole record value and returns the new value. */
function castWhole(spec: string, schema: Schema, value: unknown): unknown {
  return applyChecked(castValue(spec), record({ valueSchema: schema, value }))!.value;
}

describe('Cast configuration', () => {
  it.each([
    ['', 'Invalid value  for configuration spec: Must specify at least one field to cast.'],
    ['foo:faketype', 'Invalid value foo:faketype for configuration spec: Invalid type found in casting spec: faketype'],
    ['foo:array', 'Invalid value foo:array for configuration spec: Cast transformation does not support casting to ARRAY; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]'],
    ['array', 'Invalid value array for configuration spec: Cast transformation does not support casting to ARRAY; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]'],
    ['foo:bytes', 'Invalid value foo:bytes for configuration spec: Cast transformation does not support casting to BYTES; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]'],
    ['foo:int8:extra', 'Invalid value foo:int8:extra for configuration spec: Invalid rename mapping: foo:int8:extra'],
    ['foo:int8,int32', 'Invalid value foo:int8,int32 for configuration spec: Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec'],
    ['foo:', 'Invalid value foo: for configuration spec: Invalid type found in casting spec: foo'],
  ])('rejects spec %p', (spec, message) => {
    expect(() => castValue(spec)).toThrow(message);
  });

  it('requires spec and parses replace.null.with.default as a boolean', () => {
    expect(() => configured('Cast$Value', {})).toThrow('Missing required configuration "spec" which has no default value.');
    expect(() => castValue('int8', { 'replace.null.with.default': 'maybe' })).toThrow('Invalid value maybe for configuration replace.null.with.default');
  });

  it('accepts types in any case with blanks around them', () => {
    expect(castWhole(' INT16 ', Schema.INT32_SCHEMA, 7)).toBe(7);
    const schema = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).build();
    const out = applyChecked(castValue(' a : Float64 '), record({ valueSchema: schema, value: struct(schema, { a: 1 }) }))!;
    expect(out.valueSchema!.field('a')!.schema.type).toBe(SchemaType.FLOAT64);
  });

  it('is registered under Kafka class names and aliases', () => {
    expect(castKey('int8').config().names()).toEqual(['spec', 'replace.null.with.default']);
  });
});

describe('Cast of a whole key or value', () => {
  it('leaves null keys and values (tombstones) alone, with or without schema', () => {
    for (const r of [record({ valueSchema: Schema.OPTIONAL_INT32_SCHEMA }), record(), sinkRecord({ keySchema: Schema.OPTIONAL_INT32_SCHEMA })]) {
      expect(castValue('int8').apply(r)).toBe(r);
      expect(castKey('int8').apply(r)).toBe(r);
    }
  });

  it('casts the key with a schema and keeps everything else (Kafka castWholeRecordKeyWithSchema)', () => {
    const input = record({ keySchema: Schema.INT32_SCHEMA, key: 42, valueSchema: Schema.STRING_SCHEMA, value: 'v', timestamp: 5 });
    const out = applyChecked(castKey('int8'), input)!;
    expect(out.keySchema!.type).toBe(SchemaType.INT8);
    expect(out.key).toBe(42);
    expect(out).toMatchObject({ value: 'v', valueSchema: Schema.STRING_SCHEMA, timestamp: 5, sourceOffset: { position: 1 } });
  });

  it.each([
    ['int8', 42],
    ['int16', 42],
    ['int32', 42],
    ['int64', 42n],
    ['float32', 42],
    ['float64', 42],
    ['boolean', true],
    ['string', '42'],
  ])('casts int32 42 to %s with and without a schema', (type, expected) => {
    expect(castWhole(type, Schema.INT32_SCHEMA, 42)).toEqual(expected);
    const out = applyChecked(castValue(type), record({ value: 42 }))!;
    expect(out.valueSchema).toBeNull();
    expect(out.value).toEqual(expected);
  });

  it('casts 0 to false', () => {
    expect(castWhole('boolean', Schema.INT32_SCHEMA, 0)).toBe(false);
  });

  it('narrows integers as Java casts do', () => {
    expect(castWhole('int8', Schema.INT32_SCHEMA, 300)).toBe(44);
    expect(castWhole('int16', Schema.INT32_SCHEMA, 70000)).toBe(4464);
    expect(castWhole('int32', Schema.INT64_SCHEMA, (1n << 40n) | 5n)).toBe(5);
    expect(castWhole('int8', Schema.INT64_SCHEMA, -129)).toBe(127);
  });

  it('narrows floating point as Java does (saturating to int first, NaN is 0)', () => {
    expect(castWhole('int8', Schema.FLOAT64_SCHEMA, 1e10)).toBe(-1);
    expect(castWhole('int32', Schema.FLOAT64_SCHEMA, -1.5)).toBe(-1);
    expect(castWhole('int32', Schema.FLOAT64_SCHEMA, NaN)).toBe(0);
    expect(castWhole('int64', Schema.FLOAT32_SCHEMA, Math.fround(3.4e38))).toBe(9223372036854775807n);
    expect(castWhole('int16', Schema.FLOAT64_SCHEMA, -1e30)).toBe(0);
    expect(castWhole('boolean', Schema.FLOAT64_SCHEMA, 0.5)).toBe(false);
  });

  it('widens to float as Java does', () => {
    expect(castWhole('float32', Schema.INT64_SCHEMA, 16777217n)).toBe(16777216);
    expect(castWhole('float64', Schema.FLOAT32_SCHEMA, Math.fround(1.1))).toBe(1.100000023841858);
    expect(castWhole('float32', Schema.INT64_SCHEMA, 9223372036854775807n)).toBe(Math.fround(9.223372e18));
  });

  it('casts decimals through BigDecimal.intValue / longValue / floatValue', () => {
    const decimal = (text: string) => {
      const value = BigDecimal.parse(text);
      return [Decimal.schema(value.scale), value] as const;
    };
    expect(castWhole('int32', ...decimal('2147483648'))).toBe(-2147483648);
    expect(castWhole('int8', ...decimal('-300.7'))).toBe(-44);
    expect(castWhole('boolean', ...decimal('1.5'))).toBe(true);
    expect(castWhole('boolean', ...decimal('0.5'))).toBe(false);
    expect(castWhole('boolean', ...decimal('18446744073709551616'))).toBe(false);
    expect(castWhole('float32', ...decimal('0.1'))).toBe(Math.fround(0.1));
    expect(castWhole('string', ...decimal('1982'))).toBe('1982');
    expect(castWhole('string', ...decimal('0.0000001'))).toBe('1E-7');
  });

  it('prints numbers as Java does when casting to string', () => {
    expect(castWhole('string', Schema.FLOAT32_SCHEMA, Math.fround(0.1))).toBe('0.1');
    expect(castWhole('string', Schema.FLOAT32_SCHEMA, Math.fround(1e10))).toBe('1.0E10');
    expect(castWhole('string', Schema.FLOAT64_SCHEMA, 1e7)).toBe('1.0E7');
    expect(castWhole('string', Schema.FLOAT64_SCHEMA, 10)).toBe('10.0');
    expect(castWhole('string', Schema.FLOAT64_SCHEMA, 123456789)).toBe('1.23456789E8');
    expect(castWhole('string', Schema.FLOAT64_SCHEMA, 1e-4)).toBe('1.0E-4');
    expect(castWhole('string', Schema.FLOAT64_SCHEMA, Math.fround(0.1))).toBe('0.10000000149011612');
    expect(castWhole('string', Schema.INT64_SCHEMA, 9223372036854775807n)).toBe('9223372036854775807');
    expect(castWhole('string', Schema.BOOLEAN_SCHEMA, false)).toBe('false');
    expect(applyChecked(castValue('string'), record({ value: 2.5 }))!.value).toBe('2.5');
  });

  it('casts bytes to base64 text and nothing else', () => {
    const bytes = Buffer.from([0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10]);
    expect(castWhole('string', Schema.BYTES_SCHEMA, bytes)).toBe('/ty6mHZUMhA=');
    expect(() => castWhole('int8', Schema.BYTES_SCHEMA, bytes)).toThrow('Unexpected type in Cast transformation: class [B');
  });

  it('prints Date, Time and Timestamp in ISO 8601 as Kafka Values.dateFormatFor (UTC)', () => {
    expect(castWhole('string', ConnectDate.SCHEMA, new Date(86_400_000))).toBe('1970-01-02');
    expect(castWhole('string', ConnectTime.SCHEMA, new Date(3_600_000))).toBe('01:00:00.000Z');
    expect(castWhole('string', ConnectTimestamp.SCHEMA, new Date(86_400_001))).toBe('1970-01-02T00:00:00.001Z');
    expect(castWhole('string', ConnectTimestamp.SCHEMA, new Date(1_700_000_000_123))).toBe('2023-11-14T22:13:20.123Z');
    // Kafka picks the format from the instant alone: a timestamp at midnight prints as a date, one before the epoch's second day as a time.
    expect(castWhole('string', ConnectTimestamp.SCHEMA, new Date(1_704_067_200_000))).toBe('2024-01-01');
    expect(castWhole('string', ConnectTimestamp.SCHEMA, new Date(-1))).toBe('23:59:59.999Z');
  });

  it('parses strings as Integer.parseInt, Float.parseFloat, Boolean.parseBoolean do', () => {
    expect(castWhole('int8', Schema.STRING_SCHEMA, '+12')).toBe(12);
    expect(castWhole('int64', Schema.STRING_SCHEMA, '9223372036854775807')).toBe(9223372036854775807n);
    expect(castWhole('float32', Schema.STRING_SCHEMA, ' 1.5f ')).toBe(1.5);
    expect(castWhole('float32', Schema.STRING_SCHEMA, '16777217')).toBe(16777216);
    expect(castWhole('float64', Schema.STRING_SCHEMA, '1e400')).toBe(Infinity);
    expect(castWhole('float64', Schema.STRING_SCHEMA, '.5')).toBe(0.5);
    expect(castWhole('float64', Schema.STRING_SCHEMA, 'NaN')).toBeNaN();
    expect(castWhole('boolean', Schema.STRING_SCHEMA, 'TRUE')).toBe(true);
    expect(castWhole('boolean', Schema.STRING_SCHEMA, 'yes')).toBe(false);
  });

  it.each([
    ['int8', '128'],
    ['int8', ' 12'],
    ['int32', '1.0'],
    ['int64', 'abc'],
    ['float64', '1,5'],
    ['float32', ''],
    ['float32', 'NaNf'],
    ['float64', '1e'],
  ])('fails to cast %s from %p with Kafka\'s message', (type, text) => {
    expect(() => castWhole(type, Schema.STRING_SCHEMA, text)).toThrow(`Value (${text}) was out of range for requested data type`);
  });

  it('casts Date, Time and Timestamp to numbers through their Connect encoding (Kafka castLogicalToPrimitive)', () => {
    expect(castWhole('int32', ConnectDate.SCHEMA, new Date(86_400_000))).toBe(1);
    expect(castWhole('int64', ConnectTimestamp.SCHEMA, new Date(0))).toBe(0n);
    expect(castWhole('int64', ConnectTime.SCHEMA, new Date(1))).toBe(1n);
    expect(castWhole('float64', ConnectTimestamp.SCHEMA, new Date(8.64e15))).toBe(8.64e15);
  });

  it('rejects values Cast cannot read', () => {
    expect(() => applyChecked(castValue('int8'), record({ value: new Map([['a', 1]]) }))).toThrow(
      'Cast transformation does not support casting from MAP; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]',
    );
    expect(() => applyChecked(castValue('int8'), record({ value: new Date(0) }))).toThrow(
      "Cast transformation was passed a value of type class java.util.Date which is not supported by Connect's data API",
    );
    const schema = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).build();
    expect(() => castWhole('int8', schema, struct(schema, { a: 1 }))).toThrow('Cast transformation does not support casting from STRUCT');
  });

  it('copies name, version, doc and optionality, and casts the schema default (Kafka castWholeRecordDefaultValue)', () => {
    const schema = SchemaBuilder.int64().name('n').version(3).doc('d').optional().defaultValue(-42n).build();
    const out = applyChecked(castValue('int32'), record({ valueSchema: schema, value: 42n }))!;
    expect(out.value).toBe(42);
    expect(out.valueSchema).toMatchObject({ type: SchemaType.INT32, name: 'n', version: 3, doc: 'd', optional: true, defaultValue: -42 });
  });
});

describe('Cast of fields', () => {
  const schema = SchemaBuilder.struct()
    .name('row')
    .field('int8', Schema.INT8_SCHEMA)
    .field('int16', Schema.OPTIONAL_INT16_SCHEMA)
    .field('int32', SchemaBuilder.int32().defaultValue(2).build())
    .field('int64', Schema.INT64_SCHEMA)
    .field('float32', Schema.FLOAT32_SCHEMA)
    .field('float64', SchemaBuilder.float64().defaultValue(-1.125).build())
    .field('boolean', Schema.BOOLEAN_SCHEMA)
    .field('string', Schema.STRING_SCHEMA)
    .field('bigdecimal', Decimal.schema(0))
    .field('date', ConnectDate.SCHEMA)
    .field('optional', Schema.OPTIONAL_FLOAT32_SCHEMA)
    .field('timestamp', ConnectTimestamp.SCHEMA)
    .field('bytes', Schema.BYTES_SCHEMA)
    .build();
  const spec = 'int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,string:int32,bigdecimal:string,date:string,optional:int32,bytes:string';
  const value = () =>
    struct(schema, {
      int8: 8,
      int16: 16,
      int32: 32,
      int64: 64n,
      float32: 32,
      float64: -64,
      boolean: true,
      string: '42',
      bigdecimal: new BigDecimal(42n, 0),
      date: new Date(86_400_000),
      timestamp: new Date(0),
      bytes: Buffer.from([0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10]),
    });

  it('casts struct fields and their schemas (Kafka castFieldsWithSchema)', () => {
    const input = record({ valueSchema: schema, value: value() });
    const out = applyChecked(castValue(spec), input)!;
    const s = out.value as Struct;
    expect(s.schema).toBe(out.valueSchema);
    const got = Object.fromEntries(schema.fields.map((f) => [f.name, s.get(f.name)]));
    expect(got).toEqual({
      int8: 8,
      int16: 16,
      int32: 32n,
      int64: true,
      float32: 32,
      float64: true,
      boolean: 1,
      string: 42,
      bigdecimal: '42',
      date: '1970-01-02',
      optional: null,
      timestamp: new Date(0),
      bytes: '/ty6mHZUMhA=',
    });
    const types = Object.fromEntries(s.schema.fields.map((f) => [f.name, f.schema.type]));
    expect(types).toEqual({
      int8: 'INT16',
      int16: 'INT32',
      int32: 'INT64',
      int64: 'BOOLEAN',
      float32: 'FLOAT64',
      float64: 'BOOLEAN',
      boolean: 'INT8',
      string: 'INT32',
      bigdecimal: 'STRING',
      date: 'STRING',
      optional: 'INT32',
      timestamp: 'INT64',
      bytes: 'STRING',
    });
    expect(s.schema.name).toBe('row');
    expect(s.schema.field('int16')!.schema.optional).toBe(true);
    expect(s.schema.field('optional')!.schema.optional).toBe(true);
    expect(s.schema.field('int32')!.schema.defaultValue).toBe(2n);
    expect(s.schema.field('float64')!.schema.defaultValue).toBe(true);
    expect(s.schema.field('timestamp')!.schema).toBe(ConnectTimestamp.SCHEMA);
  });

  it('derives the schema once per input schema', () => {
    const t = castValue(spec);
    const a = t.apply(record({ valueSchema: schema, value: value() }))!;
    const b = t.apply(record({ valueSchema: schema, value: value() }))!;
    expect(b.valueSchema).toBe(a.valueSchema);
  });

  it('casts fields of a schemaless map, adding missing ones as null (Kafka castFieldsSchemaless)', () => {
    const map = new Map<string, unknown>([
      ['int8', 8],
      ['int32', 32],
      ['float64', -64.5],
      ['boolean', true],
      ['string', '42'],
      ['other', 'x'],
    ]);
    const out = applyChecked(castValue('int8:int16,int32:int64,float64:boolean,boolean:int8,string:int32,missing:string'), record({ value: map }))!;
    expect(out.valueSchema).toBeNull();
    expectValues(
      out.value,
      new Map<string, unknown>([
        ['int8', 8],
        ['int32', 32n],
        ['float64', true],
        ['boolean', 1],
        ['string', 42],
        ['other', 'x'],
        ['missing', null],
      ]),
    );
    expect(map.has('missing')).toBe(false);
  });

  it('needs a map without a schema and a struct with one', () => {
    expect(() => castValue('a:int8').apply(record({ value: 'text' }))).toThrow('Only Map objects supported in absence of schema for [cast types], found: java.lang.String');
    expect(() => castValue('a:int8').apply(record({ valueSchema: Schema.STRING_SCHEMA, value: 'text' }))).toThrow('Only Struct objects supported for [cast types], found: java.lang.String');
  });

  it.each([
    ['true', '42'],
    ['false', null],
  ])('reads a null field with a default as the default when replace.null.with.default=%s', (replace, expected) => {
    const withDefault = SchemaBuilder.struct().field('magic', SchemaBuilder.int32().optional().defaultValue(42).build()).build();
    const out = applyChecked(castValue('magic:string', { 'replace.null.with.default': replace }), record({ valueSchema: withDefault, value: struct(withDefault, { magic: null }) }))!;
    expect(out.valueSchema!.field('magic')!.schema).toMatchObject({ type: SchemaType.STRING, optional: true, defaultValue: '42' });
    expect((out.value as Struct).getWithoutDefault('magic')).toBe(expected);
  });

  it('casts key fields with Cast$Key and leaves the value alone', () => {
    const keySchema = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).build();
    const input = record({ keySchema, key: struct(keySchema, { id: 7n }), value: 'v' });
    const out = applyChecked(castKey('id:string'), input)!;
    expect((out.key as Struct).get('id')).toBe('7');
    expect(out.value).toBe('v');
  });
});
