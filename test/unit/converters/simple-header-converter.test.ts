import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  Schema,
  SchemaAndValue,
  SchemaBuilder,
  SchemaType,
  Struct,
} from '../../../src/api';
import { SimpleHeaderConverter } from '../../../src/converters';
import { convertToString } from '../../../src/converters/convert-to-string';
import { parseString } from '../../../src/converters/parse-string';

const arrayOf = (valueSchema: Schema | null): Schema => new Schema(SchemaType.ARRAY, { valueSchema });
const mapOf = (keySchema: Schema | null, valueSchema: Schema | null): Schema => new Schema(SchemaType.MAP, { keySchema, valueSchema });
const sv = (schema: Schema | null, value: unknown): SchemaAndValue => ({ schema, value });
const str = (text: string): SchemaAndValue => sv(Schema.STRING_SCHEMA, text);

describe('parseString (Kafka Values.parseString)', () => {
  it.each<[string, SchemaAndValue]>([
    // literals
    ['', str('')],
    ['null', sv(null, null)],
    ['true', sv(Schema.BOOLEAN_SCHEMA, true)],
    [' false ', sv(Schema.BOOLEAN_SCHEMA, false)],
    ['TRUE', str('TRUE')],
    ['true}', str('true}')],
    // integers into the smallest type
    ['0', sv(Schema.INT8_SCHEMA, 0)],
    ['-128', sv(Schema.INT8_SCHEMA, -128)],
    ['127', sv(Schema.INT8_SCHEMA, 127)],
    ['+5', sv(Schema.INT8_SCHEMA, 5)],
    ['128', sv(Schema.INT16_SCHEMA, 128)],
    ['-32768', sv(Schema.INT16_SCHEMA, -32768)],
    ['32768', sv(Schema.INT32_SCHEMA, 32768)],
    ['2147483647', sv(Schema.INT32_SCHEMA, 2147483647)],
    ['2147483648', sv(Schema.INT64_SCHEMA, 2147483648n)],
    ['9223372036854775807', sv(Schema.INT64_SCHEMA, 9223372036854775807n)],
    ['-9223372036854775808', sv(Schema.INT64_SCHEMA, -9223372036854775808n)],
    // whole numbers written with a fraction or exponent are integers too
    ['1.0', sv(Schema.INT8_SCHEMA, 1)],
    ['1e2', sv(Schema.INT8_SCHEMA, 100)],
    ['-0.0', sv(Schema.INT8_SCHEMA, 0)],
    // other numbers: FLOAT32 if it fits, else FLOAT64, else Decimal
    ['1.5', sv(Schema.FLOAT32_SCHEMA, 1.5)],
    ['0.1', sv(Schema.FLOAT32_SCHEMA, Math.fround(0.1))],
    ['-3.14159', sv(Schema.FLOAT32_SCHEMA, Math.fround(-3.14159))],
    ['1e25', sv(Schema.FLOAT32_SCHEMA, Math.fround(1e25))],
    ['1.5e300', sv(Schema.FLOAT64_SCHEMA, 1.5e300)],
    ['9223372036854775808', sv(Decimal.schema(0), new BigDecimal(9223372036854775808n, 0))],
    ['123456789012345678901234', sv(Decimal.schema(0), new BigDecimal(123456789012345678901234n, 0))],
    ['1e400', sv(Decimal.schema(-400), new BigDecimal(1n, -400))],
    // dates, times and timestamps (UTC)
    ['2024-02-29', sv(ConnectDate.SCHEMA, new Date(Date.UTC(2024, 1, 29)))],
    ['12:34:56.789Z', sv(ConnectTime.SCHEMA, new Date(45296789))],
    ['12\\:34\\:56.789Z', sv(ConnectTime.SCHEMA, new Date(45296789))],
    ['2024-01-02T03:04:05.678Z', sv(ConnectTimestamp.SCHEMA, new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)))],
    ['2023-02-29', str('2023-02-29')],
    ['2024-13-01', str('2024-13-01')],
    // arrays: a common element schema, numbers widened and aligned to it
    ['[1,2,3]', sv(arrayOf(Schema.INT8_SCHEMA), [1, 2, 3])],
    ['[1, 300, 70000]', sv(arrayOf(Schema.INT32_SCHEMA), [1, 300, 70000])],
    ['[1, 2.5]', sv(arrayOf(Schema.FLOAT32_SCHEMA), [1, 2.5])],
    ['[1, 9223372036854775807]', sv(arrayOf(Schema.INT64_SCHEMA), [1n, 9223372036854775807n])],
    ['[true, false]', sv(arrayOf(Schema.BOOLEAN_SCHEMA), [true, false])],
    ['["a", "b c", " d"]', sv(arrayOf(Schema.STRING_SCHEMA), ['a', 'b c', ' d'])],
    ['["a,b", "c:d", "[e]"]', sv(arrayOf(Schema.STRING_SCHEMA), ['a,b', 'c:d', '[e]'])],
    ['["2024-01-02"]', sv(arrayOf(ConnectDate.SCHEMA), [new Date(Date.UTC(2024, 0, 2))])],
    ['[[1,2],[3]]', sv(arrayOf(arrayOf(Schema.INT8_SCHEMA)), [[1, 2], [3]])],
    ['["a", 1]', sv(arrayOf(null), ['a', 1])],
    ['[]', sv(arrayOf(null), [])],
    ['[ ]', sv(arrayOf(null), [])],
    ['[null]', sv(arrayOf(null), [null])],
    ['[1,2,]', sv(arrayOf(Schema.INT8_SCHEMA), [1, 2])],
    // maps
    ['{"a":1,"b":2}', sv(mapOf(Schema.STRING_SCHEMA, Schema.INT8_SCHEMA), new Map([['a', 1], ['b', 2]]))],
    ['{ "a" : 1.5 , "b" : 2 }', sv(mapOf(Schema.STRING_SCHEMA, Schema.FLOAT32_SCHEMA), new Map([['a', 1.5], ['b', 2]]))],
    ['{1:"x", 1000:"y"}', sv(mapOf(Schema.INT16_SCHEMA, Schema.STRING_SCHEMA), new Map([[1, 'x'], [1000, 'y']]))],
    ['{"a":[1,2],"b":[3]}', sv(mapOf(Schema.STRING_SCHEMA, arrayOf(Schema.INT8_SCHEMA)), new Map([['a', [1, 2]], ['b', [3]]]))],
    ['{"a":{"b":true}}', sv(mapOf(Schema.STRING_SCHEMA, mapOf(Schema.STRING_SCHEMA, Schema.BOOLEAN_SCHEMA)), new Map([['a', new Map([['b', true]])]]))],
    ['{"a":null}', sv(mapOf(Schema.STRING_SCHEMA, null), new Map([['a', null]]))],
    ['{}', sv(mapOf(null, null), new Map())],
    // Kafka's quirks, kept: backslashes stay in quoted strings; null beside values is no array
    ['["a\\"b"]', sv(arrayOf(Schema.STRING_SCHEMA), ['a\\"b'])],
    ['[1, null]', str('[1, null]')],
    // anything else is the whole text as a STRING
    ['hello', str('hello')],
    ['hello, world', str('hello, world')],
    ['  ', str('  ')],
    ['-abc', str('-abc')],
    ['1abc', str('1abc')],
    ['0x1F', str('0x1F')],
    ['NaN', str('NaN')],
    ['[1,2', str('[1,2')],
    ['[a,b]', str('[a,b]')],
    ['{"a" 1}', str('{"a" 1}')],
    ['{null:1}', str('{null:1}')],
    ['[,1]', str('[,1]')],
    // deliberately unlike Kafka: the value must use the whole text
    ['12,34', str('12,34')],
    ['[1,2] and more', str('[1,2] and more')],
    ['12:34', str('12:34')],
  ])('%p', (text, expected) => {
    const actual = parseString(text);
    expect(actual.value).toEqual(expected.value);
    expect(actual.schema).toEqual(expected.schema);
  });

  it('reads null as the null schema and value', () => {
    expect(parseString(null)).toEqual({ schema: null, value: null });
  });

  it('reads FLOAT32 at float precision, as BigDecimal.floatValue()', () => {
    expect(parseString('3.4028235e38').value).toBe(Math.fround(3.4028235e38));
    expect(parseString('3.5e38')).toEqual(sv(Schema.FLOAT64_SCHEMA, 3.5e38)); // beyond a float
  });
});

describe('convertToString (Kafka Values.convertToString)', () => {
  const struct = new Struct(
    SchemaBuilder.struct().field('id', Schema.INT32_SCHEMA).field('name', Schema.STRING_SCHEMA).field('note', Schema.OPTIONAL_STRING_SCHEMA).field('score', Schema.FLOAT64_SCHEMA).build(),
  )
    .put('id', 1)
    .put('name', 'a"b\\c')
    .put('score', 2);

  it.each<[string, Schema | null, unknown, string]>([
    ['a string as it is', Schema.STRING_SCHEMA, 'a "quoted" string', 'a "quoted" string'],
    ['an integer', Schema.INT32_SCHEMA, 42, '42'],
    ['a schemaless integer', null, -7, '-7'],
    ['a FLOAT64 as Java prints it', Schema.FLOAT64_SCHEMA, 10, '10.0'],
    ['a FLOAT32 at float precision', Schema.FLOAT32_SCHEMA, Math.fround(0.1), '0.1'],
    ['a schemaless fraction', null, 0.5, '0.5'],
    ['an INT64 bigint', Schema.INT64_SCHEMA, 9223372036854775807n, '9223372036854775807'],
    ['a boolean', Schema.BOOLEAN_SCHEMA, false, 'false'],
    ['bytes as base64', Schema.BYTES_SCHEMA, Buffer.from([1, 2, 3]), 'AQID'],
    ['a decimal', Decimal.schema(2), new BigDecimal(1230n, 2), '12.30'],
    ['a date at midnight', ConnectDate.SCHEMA, new Date(Date.UTC(2024, 1, 29)), '2024-02-29'],
    ['a time on the first day', ConnectTime.SCHEMA, new Date(45296789), '12:34:56.789Z'],
    ['a timestamp', ConnectTimestamp.SCHEMA, new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), '2024-01-02T03:04:05.678Z'],
    ['an array of strings, quoted', SchemaBuilder.array(Schema.STRING_SCHEMA).build(), ['x', 'y'], '["x","y"]'],
    ['an array of FLOAT64', SchemaBuilder.array(Schema.FLOAT64_SCHEMA).build(), [1, 2.5], '[1.0,2.5]'],
    ['a map', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(), new Map([['a', 1], ['b', 2]]), '{"a":1,"b":2}'],
    ['nested bytes, quoted', null, new Map([['k', [Buffer.from([1, 2, 3]), null]]]), '{"k":["AQID",null]}'],
    ['a struct with every field', null, struct, '{"id":1,"name":"a\\"b\\\\c","note":null,"score":2.0}'],
  ])('writes %s', (_what, schema, value, expected) => {
    expect(convertToString(schema, value)).toBe(expected);
  });

  it('refuses values Connect has no type for', () => {
    expect(() => convertToString(null, { a: 1 })).toThrow('Failed to serialize unexpected value type Object');
  });
});

describe('SimpleHeaderConverter', () => {
  const c = new SimpleHeaderConverter();
  c.configure({});
  const roundTrip = (schema: Schema | null, value: unknown): SchemaAndValue => c.toConnectHeader('t', 'h', c.fromConnectHeader('t', 'h', schema, value));

  it('writes the text form as UTF-8, and null as null', () => {
    expect(c.fromConnectHeader('t', 'h', Schema.STRING_SCHEMA, 'héllo')).toEqual(Buffer.from('héllo', 'utf8'));
    expect(c.fromConnectHeader('t', 'h', Schema.INT64_SCHEMA, 42n)).toEqual(Buffer.from('42'));
    expect(c.fromConnectHeader('t', 'h', SchemaBuilder.array(Schema.INT32_SCHEMA).build(), [1, 2])).toEqual(Buffer.from('[1,2]'));
    expect(c.fromConnectHeader('t', 'h', Schema.OPTIONAL_STRING_SCHEMA, null)).toBeNull();
    expect(c.fromConnectHeader('t', 'h', Schema.STRING_SCHEMA, 'a\ud800')).toEqual(Buffer.from('a?')); // as Java's getBytes(UTF_8)
  });

  it('reads bytes by inferring the schema, and null as the null schema and value', () => {
    expect(c.toConnectHeader('t', 'h', null)).toEqual({ schema: null, value: null });
    expect(c.toConnectHeader('t', 'h', Buffer.alloc(0))).toEqual(str(''));
    expect(c.toConnectHeader('t', 'h', Buffer.from('1000'))).toEqual(sv(Schema.INT16_SCHEMA, 1000));
    expect(c.toConnectHeader('t', 'h', Buffer.from([0x61, 0xff]))).toEqual(str('a\ufffd'));
  });

  it('round-trips values whose type the text shows', () => {
    expect(roundTrip(Schema.STRING_SCHEMA, 'plain text')).toEqual(str('plain text'));
    expect(roundTrip(Schema.INT32_SCHEMA, 42)).toEqual(sv(Schema.INT8_SCHEMA, 42));
    expect(roundTrip(Schema.INT64_SCHEMA, -5000000000n)).toEqual(sv(Schema.INT64_SCHEMA, -5000000000n));
    expect(roundTrip(Schema.FLOAT64_SCHEMA, 2.5)).toEqual(sv(Schema.FLOAT32_SCHEMA, 2.5));
    expect(roundTrip(Schema.BOOLEAN_SCHEMA, true)).toEqual(sv(Schema.BOOLEAN_SCHEMA, true));
    const day = new Date(Date.UTC(2020, 5, 1));
    expect(roundTrip(ConnectDate.SCHEMA, day)).toEqual(sv(ConnectDate.SCHEMA, day));
    const instant = new Date(Date.UTC(2020, 5, 1, 8, 30, 0, 125));
    expect(roundTrip(ConnectTimestamp.SCHEMA, instant)).toEqual(sv(ConnectTimestamp.SCHEMA, instant));
    const tags = roundTrip(SchemaBuilder.array(Schema.STRING_SCHEMA).build(), ['a', 'b, c']);
    expect(tags).toEqual(sv(SchemaBuilder.array(Schema.STRING_SCHEMA).build(), ['a', 'b, c']));
    const counts = new Map([['x', 1], ['y', 100000]]);
    expect(roundTrip(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(), counts)).toEqual(
      sv(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build(), counts),
    );
  });
});
