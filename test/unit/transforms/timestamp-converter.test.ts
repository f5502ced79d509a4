import { ConnectDate, DataError, ConnectTime, ConnectTimestamp, Schema, SchemaBuilder, SchemaType, Struct } from '../../../src/api';
import { applyChecked, configured, expectValues, record, struct } from './time-cast-test-helpers';

const FORMAT = 'yyyy MM dd HH mm ss SSS z';
/** 1970-01-02T00:00:01.234Z, Kafka's DATE_PLUS_TIME. */
const DATE_PLUS_TIME = new Date(86_401_234);
const DATE_PLUS_TIME_STRING = '1970 01 02 00 00 01 234 UTC';
const DATE = new Date(86_400_000);
const TIME = new Date(1234);

const converter = (props: Record<string, string>) => configured('TimestampConverter$Value', props);
const convert = (props: Record<string, string>, valueSchema: Schema | null, value: unknown) => applyChecked(converter(props), record({ valueSchema, value }))!;

describe('TimestampConverter configuration', () => {
  it.each([
    [{}, 'Missing required configuration "target.type" which has no default value.'],
    [{ 'target.type': 'invalid' }, 'Invalid value invalid for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp'],
    [{ 'target.type': 'unix', 'unix.precision': 'invalid' }, 'Invalid value invalid for configuration unix.precision: String must be one of: nanoseconds, microseconds, milliseconds, seconds'],
    [{ 'target.type': 'string' }, 'Invalid value  for configuration format: TimestampConverter requires format option to be specified when using string timestamps'],
    [{ 'target.type': 'string', format: ' ' }, 'TimestampConverter requires format option to be specified when using string timestamps'],
    [
      { 'target.type': 'string', format: 'bad-format' },
      "Invalid value bad-format for configuration format: TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: bad-format (Illegal pattern character 'b')",
    ],
    [{ 'target.type': 'unix', format: "yyyy'" }, 'Unterminated quote'],
  ])('rejects %p', (props, message) => {
    expect(() => converter(props as Record<string, string>)).toThrow(message);
  });

  it('accepts every unix precision and declares Kafka keys', () => {
    for (const p of ['seconds', 'milliseconds', 'microseconds', 'nanoseconds']) expect(() => converter({ 'target.type': 'unix', 'unix.precision': p })).not.toThrow();
    expect(converter({ 'target.type': 'unix' }).config().names()).toEqual(['field', 'target.type', 'format', 'unix.precision', 'replace.null.with.default']);
  });
});

describe('TimestampConverter without schema', () => {
  it.each([
    ['Timestamp', DATE_PLUS_TIME],
    ['Date', DATE],
    ['Time', TIME],
    ['unix', 86_401_234n],
    ['string', DATE_PLUS_TIME_STRING],
  ])('converts a Date to %s', (target, expected) => {
    const out = convert({ 'target.type': target, format: FORMAT }, null, DATE_PLUS_TIME);
    expect(out.valueSchema).toBeNull();
    expectValues(out.value, expected);
  });

  it('reads unix numbers (bigint or whole JS numbers) and strings', () => {
    expectValues(convert({ 'target.type': 'Timestamp' }, null, 86_401_234n).value, DATE_PLUS_TIME);
    expectValues(convert({ 'target.type': 'Timestamp' }, null, 86_401_234).value, DATE_PLUS_TIME);
    expectValues(convert({ 'target.type': 'Timestamp', format: FORMAT }, null, DATE_PLUS_TIME_STRING).value, DATE_PLUS_TIME);
  });

  it.each([
    ['microseconds', 86_401_234_000n],
    ['nanoseconds', 86_401_234_000_000n],
    ['seconds', 86_401n],
    ['milliseconds', 86_401_234n],
  ])('writes unix time in %s (Kafka testSchemalessStringToUnix_*)', (precision, expected) => {
    expect(convert({ 'target.type': 'unix', 'unix.precision': precision, format: FORMAT }, null, DATE_PLUS_TIME_STRING).value).toBe(expected);
  });

  it('saturates unix output at the long range as TimeUnit does', () => {
    expect(convert({ 'target.type': 'unix', 'unix.precision': 'nanoseconds' }, null, new Date(8.64e15)).value).toBe(9223372036854775807n);
  });

  it('converts a map field and leaves the input map alone (Kafka testSchemalessFieldConversion)', () => {
    const map = new Map<string, unknown>([
      ['ts', DATE_PLUS_TIME],
      ['other', 'x'],
    ]);
    const out = convert({ 'target.type': 'Date', field: 'ts' }, null, map);
    expectValues(out.value, new Map<string, unknown>([['ts', DATE], ['other', 'x']]));
    expect(map.get('ts')).toBe(DATE_PLUS_TIME);
  });

  it('adds a missing map field as null, as Kafka does', () => {
    expectValues(convert({ 'target.type': 'Date', field: 'ts' }, null, new Map([['other', 1]])).value, new Map<string, unknown>([['other', 1], ['ts', null]]));
  });

  it('passes null values (tombstones) through unchanged', () => {
    const tombstone = record({ value: null });
    expect(converter({ 'target.type': 'unix' }).apply(tombstone)).toBe(tombstone);
    expect(converter({ 'target.type': 'unix', field: 'ts' }).apply(tombstone)).toBe(tombstone);
  });

  it('fails on values it cannot read, with Kafka\'s messages', () => {
    expect(() => convert({ 'target.type': 'unix' }, null, 1.5)).toThrow('TimestampConverter does not support class java.lang.Double objects as timestamps');
    expect(() => convert({ 'target.type': 'unix' }, null, true)).toThrow('TimestampConverter does not support class java.lang.Boolean objects as timestamps');
    expect(() => convert({ 'target.type': 'unix', field: 'ts' }, null, 'x')).toThrow('Only Map objects supported in absence of schema for [converting timestamp formats], found: java.lang.String');
    expect(() => convert({ 'target.type': 'unix', format: 'yyyy-MM-dd' }, null, 'garbage')).toThrow('Could not parse timestamp: value (garbage) does not match pattern (yyyy-MM-dd)');
    expect(() => convert({ 'target.type': 'unix' }, null, new Date(NaN))).toThrow(new DataError('Expected Timestamp to be a valid date, but found an invalid Date'));
  });

  it('converts the key with TimestampConverter$Key (Kafka testKey)', () => {
    const input = record({ key: DATE_PLUS_TIME, value: 'v' });
    const out = applyChecked(configured('TimestampConverter$Key', { 'target.type': 'Timestamp' }), input)!;
    expect(out.keySchema).toBeNull();
    expectValues(out.key, DATE_PLUS_TIME);
    expect(out.value).toBe('v');
  });
});

describe('TimestampConverter with a schema', () => {
  it.each([
    ['Timestamp', ConnectTimestamp.SCHEMA, DATE_PLUS_TIME],
    ['Date', ConnectDate.SCHEMA, DATE],
    ['Time', ConnectTime.SCHEMA, TIME],
    ['unix', Schema.INT64_SCHEMA, 86_401_234n],
    ['string', Schema.STRING_SCHEMA, DATE_PLUS_TIME_STRING],
  ])('converts a Timestamp to %s', (target, schema, expected) => {
    const out = convert({ 'target.type': target, format: FORMAT }, ConnectTimestamp.SCHEMA, DATE_PLUS_TIME);
    expect(out.valueSchema).toBe(schema);
    expectValues(out.value, expected);
  });

  it.each([
    ['Date', ConnectDate.SCHEMA, DATE, DATE],
    ['Time', ConnectTime.SCHEMA, TIME, TIME],
    ['INT64 bigint', Schema.INT64_SCHEMA, 86_401_234n, DATE_PLUS_TIME],
    ['INT64 number', Schema.INT64_SCHEMA, 86_401_234, DATE_PLUS_TIME],
    ['STRING', Schema.STRING_SCHEMA, DATE_PLUS_TIME_STRING, DATE_PLUS_TIME],
  ])('reads %s as a Timestamp', (_label, schema, value, expected) => {
    const out = convert({ 'target.type': 'Timestamp', format: FORMAT }, schema, value);
    expect(out.valueSchema).toBe(ConnectTimestamp.SCHEMA);
    expectValues(out.value, expected);
  });

  it('keeps optionality and converts null to null (Kafka testWithSchemaNullValueTo*)', () => {
    const out = convert({ 'target.type': 'string', format: FORMAT }, SchemaBuilder.int64().optional().build(), null);
    expect(out.valueSchema).toBe(Schema.OPTIONAL_STRING_SCHEMA);
    expect(out.value).toBeNull();
    expect(convert({ 'target.type': 'Date' }, ConnectTimestamp.builder().optional().build(), null).valueSchema).toMatchObject({ name: ConnectDate.LOGICAL_NAME, optional: true });
  });

  it('rejects a schema that is no timestamp', () => {
    expect(() => convert({ 'target.type': 'unix' }, Schema.INT32_SCHEMA, 5)).toThrow('Schema Schema{INT32} does not correspond to a known timestamp type format');
  });

  describe('on a struct field', () => {
    const schema = SchemaBuilder.struct().name('evt').version(2).field('ts', Schema.INT64_SCHEMA).field('other', Schema.STRING_SCHEMA).build();

    it('converts the field and keeps the other fields (Kafka testWithSchemaFieldConversion)', () => {
      const input = record({ valueSchema: schema, value: struct(schema, { ts: 86_401_234n, other: 'test' }) });
      const out = applyChecked(converter({ 'target.type': 'Timestamp', field: 'ts' }), input)!;
      const expectedSchema = SchemaBuilder.struct().name('evt').version(2).field('ts', ConnectTimestamp.SCHEMA).field('other', Schema.STRING_SCHEMA).build();
      expect(out.valueSchema!.equals(expectedSchema)).toBe(true);
      expectValues((out.value as Struct).get('ts'), DATE_PLUS_TIME);
      expect((out.value as Struct).get('other')).toBe('test');
    });

    it.each([
      ['microseconds', 86_401_234_123n, DATE_PLUS_TIME],
      ['nanoseconds', 86_401_234_123_456n, DATE_PLUS_TIME],
      ['seconds', 86_401n, new Date(86_401_000)],
    ])('reads unix %s, dropping sub-millisecond digits', (precision, ts, expected) => {
      const out = convert({ 'target.type': 'Timestamp', field: 'ts', 'unix.precision': precision }, schema, struct(schema, { ts, other: 'x' }));
      expectValues((out.value as Struct).get('ts'), expected);
    });

    it('derives the schema once per input schema', () => {
      const t = converter({ 'target.type': 'Date', field: 'ts' });
      const a = t.apply(record({ valueSchema: schema, value: struct(schema, { ts: 1n, other: 'a' }) }))!;
      const b = t.apply(record({ valueSchema: schema, value: struct(schema, { ts: 2n, other: 'b' }) }))!;
      expect(b.valueSchema).toBe(a.valueSchema);
    });

    it('keeps the struct optional and a null struct null', () => {
      const optional = SchemaBuilder.struct().field('ts', Schema.OPTIONAL_INT64_SCHEMA).optional().build();
      const out = convert({ 'target.type': 'string', format: FORMAT, field: 'ts' }, optional, null);
      expect(out.valueSchema).toMatchObject({ optional: true });
      expect(out.valueSchema!.field('ts')!.schema).toBe(Schema.OPTIONAL_STRING_SCHEMA);
      expect(out.value).toBeNull();
      const withNull = convert({ 'target.type': 'string', format: FORMAT, field: 'ts' }, optional, struct(optional, {}));
      expect((withNull.value as Struct).get('ts')).toBeNull();
    });

    it.each([
      ['true', new Date(0)],
      ['false', null],
    ])('reads a null field with a default as the default when replace.null.with.default=%s', (replace, expected) => {
      const withDefault = SchemaBuilder.struct().field('ts', ConnectTimestamp.builder().optional().defaultValue(new Date(0)).build()).build();
      const out = convert({ 'target.type': 'Timestamp', field: 'ts', 'replace.null.with.default': replace }, withDefault, struct(withDefault, { ts: null }));
      expectValues((out.value as Struct).getWithoutDefault('ts'), expected);
    });

    it('converts the default of a struct schema too', () => {
      const base = SchemaBuilder.struct().field('ts', Schema.INT64_SCHEMA).build();
      // SchemaBuilder cannot give a struct schema a struct default (its own schema differs by that default); Kafka's can.
      const withDefault = new Schema(SchemaType.STRUCT, { fields: base.fields, optional: true, defaultValue: struct(base, { ts: 86_400_000n }) });
      const out = convert({ 'target.type': 'Date', field: 'ts' }, withDefault, struct(base, { ts: 5n }));
      expectValues((out.valueSchema!.defaultValue as Struct).get('ts'), DATE);
    });

    it('needs a struct', () => {
      expect(() => convert({ 'target.type': 'Date', field: 'ts' }, Schema.INT64_SCHEMA, 5n)).toThrow('Only Struct objects supported for [converting timestamp formats], found: java.lang.Long');
    });
  });
});

describe('TimestampConverter string formats (goldens from Java SimpleDateFormat in UTC)', () => {
  it.each([
    ["yyyy-MM-dd'T'HH:mm:ss.SSSZ", 1_700_000_000_123, '2023-11-14T22:13:20.123+0000'],
    ['yyyyMMdd', 1_735_689_599_999, '20241231'],
    ['yyyy-MM-dd HH:mm:ss', 951_782_400_000, '2000-02-29 00:00:00'],
    ['EEE, d MMM yyyy HH:mm:ss Z', 86_400_001, 'Fri, 2 Jan 1970 00:00:00 +0000'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", 1_700_000_000_123, '2023-11-14T22:13:20.123Z'],
  ])('formats with %s', (format, millis, expected) => {
    expect(convert({ 'target.type': 'string', format }, ConnectTimestamp.SCHEMA, new Date(millis)).value).toBe(expected);
  });

  it.each([
    ["yyyy-MM-dd'T'HH:mm:ss.SSSZ", '2023-11-14T22:13:20.123+0000', 1_700_000_000_123n],
    ['yyyyMMdd', '20241231', 1_735_603_200_000n],
    ['yyyy-MM-dd HH:mm:ss', '2000-02-29 00:00:00', 951_782_400_000n],
    ['EEE, d MMM yyyy HH:mm:ss Z', 'Fri, 2 Jan 1970 00:00:00 +0000', 86_400_000n],
    ["yyyy-MM-dd'T'HH:mm:ss.SSSXXX", '2023-11-14T22:13:20.123Z', 1_700_000_000_123n],
  ])('parses with %s', (format, text, expected) => {
    expect(convert({ 'target.type': 'unix', format }, Schema.STRING_SCHEMA, text).value).toBe(expected);
  });

  it('applies the zone written in the text', () => {
    expect(convert({ 'target.type': 'unix', format: "yyyy-MM-dd'T'HH:mm:ssZ" }, Schema.STRING_SCHEMA, '1970-01-01T01:00:00+0100').value).toBe(0n);
  });

  it('writes the Date type at midnight UTC and Time on the epoch day', () => {
    const out = convert({ 'target.type': 'Time' }, Schema.INT64_SCHEMA, -1n);
    expectValues(out.value, new Date(86_399_999));
    expect(out.valueSchema!.type).toBe(SchemaType.INT32);
    expectValues(convert({ 'target.type': 'Date' }, Schema.INT64_SCHEMA, -1n).value, new Date(-86_400_000));
  });
});
