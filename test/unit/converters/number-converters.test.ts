import { Converter, DataError, HeaderConverter, Schema } from '../../../src/api';
import { DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from '../../../src/converters';

/* Expected bytes are what Kafka's ShortSerializer, IntegerSerializer, LongSerializer, FloatSerializer
   and DoubleSerializer write: big-endian two's complement and IEEE 754. */

const TOPIC = 'topic';
type NumberConverter = Converter & HeaderConverter;

const cases: Array<[string, () => NumberConverter, Schema, Array<[unknown, string, unknown?]>]> = [
  ['ShortConverter', () => new ShortConverter(), Schema.OPTIONAL_INT16_SCHEMA, [
    [-32768, '8000'],
    [-1, 'ffff'],
    [0, '0000'],
    [123, '007b'],
    [32767, '7fff'],
  ]],
  ['IntegerConverter', () => new IntegerConverter(), Schema.OPTIONAL_INT32_SCHEMA, [
    [1, '00000001'],
    [-1, 'ffffffff'],
    [-2147483648, '80000000'],
    [2147483647, '7fffffff'],
    [123456789, '075bcd15'],
    [7n, '00000007', 7],
  ]],
  ['LongConverter', () => new LongConverter(), Schema.OPTIONAL_INT64_SCHEMA, [
    [2n ** 63n - 1n, '7fffffffffffffff'],
    [-(2n ** 63n), '8000000000000000'],
    [-1n, 'ffffffffffffffff'],
    [42, '000000000000002a', 42n], // a safe-integer number is accepted and reads back as bigint
    [Number.MAX_SAFE_INTEGER, '001fffffffffffff', 9007199254740991n],
  ]],
  ['FloatConverter', () => new FloatConverter(), Schema.OPTIONAL_FLOAT32_SCHEMA, [
    [1.5, '3fc00000'],
    [-2, 'c0000000'],
    [0.1, '3dcccccd', Math.fround(0.1)],
    [-0, '80000000'],
    [Infinity, '7f800000'],
    [NaN, '7fc00000'],
  ]],
  ['DoubleConverter', () => new DoubleConverter(), Schema.OPTIONAL_FLOAT64_SCHEMA, [
    [10, '4024000000000000'],
    [-2.5, 'c004000000000000'],
    [0.1, '3fb999999999999a'],
    [Number.MAX_VALUE, '7fefffffffffffff'],
    [-Infinity, 'fff0000000000000'],
  ]],
];

describe.each(cases)('%s', (name, create, schema, samples) => {
  const converter = create();
  converter.configure({}, false);

  it.each(samples)('writes %p as %s and reads it back, as data and as a header', (value, hex, readBack = value) => {
    const bytes = Buffer.from(hex, 'hex');
    expect(converter.fromConnectData(TOPIC, [], schema, value)).toEqual(bytes);
    expect(converter.fromConnectData(TOPIC, [], null, value)).toEqual(bytes);
    expect(converter.toConnectData(TOPIC, [], bytes)).toEqual({ schema, value: readBack });
    expect(converter.fromConnectHeader(TOPIC, 'h', schema, value)).toEqual(bytes);
    expect(converter.toConnectHeader(TOPIC, 'h', bytes)).toEqual({ schema, value: readBack });
  });

  it('converts null to null, reading it with the optional schema', () => {
    expect(converter.fromConnectData(TOPIC, [], schema, null)).toBeNull();
    expect(converter.fromConnectHeader(TOPIC, 'h', null, undefined)).toBeNull();
    expect(converter.toConnectData(TOPIC, [], null)).toEqual({ schema, value: null });
    expect(converter.toConnectHeader(TOPIC, 'h', null)).toEqual({ schema, value: null });
  });

  it('refuses bytes of the wrong size, naming the topic', () => {
    expect(() => converter.toConnectData('orders', [], Buffer.alloc(10))).toThrow(DataError);
    expect(() => converter.toConnectHeader('orders', 'h', Buffer.alloc(3))).toThrow(/for topic orders: Size of data received by \w*Deserializer is not \d$/);
  });

  it('refuses a value that is not a number, and a schema of another type', () => {
    expect(() => converter.fromConnectData(TOPIC, [], schema, 'not a valid number')).toThrow(DataError);
    expect(() => converter.fromConnectHeader(TOPIC, 'h', null, 'not a valid number')).toThrow(/^Failed to serialize to \w+ \(was string "not a valid number"\)/);
    expect(() => converter.fromConnectData(TOPIC, [], Schema.STRING_SCHEMA, 1)).toThrow(
      `(was schema type STRING): ${name} requires schema type ${schema.type} or no schema`,
    );
  });
});

describe("Kafka's messages", () => {
  it('names the Java type and the deserializer as Kafka does', () => {
    expect(() => new IntegerConverter().toConnectData('t', [], Buffer.alloc(2))).toThrow(
      new DataError('Failed to deserialize integer for topic t: Size of data received by IntegerDeserializer is not 4'),
    );
    expect(() => new ShortConverter().toConnectData('t', [], Buffer.alloc(4))).toThrow('Failed to deserialize short for topic t: Size of data received by ShortDeserializer is not 2');
    expect(() => new LongConverter().toConnectData('t', [], Buffer.alloc(4))).toThrow('Failed to deserialize long for topic t: Size of data received by LongDeserializer is not 8');
    expect(() => new FloatConverter().toConnectData('t', [], Buffer.alloc(8))).toThrow('Failed to deserialize float for topic t: Size of data received by Deserializer is not 4');
    expect(() => new DoubleConverter().toConnectData('t', [], Buffer.alloc(4))).toThrow('Failed to deserialize double for topic t: Size of data received by Deserializer is not 8');
    expect(() => new IntegerConverter().fromConnectData('t', [], Schema.INT64_SCHEMA, 1n)).toThrow(
      new DataError('Failed to serialize to integer (was schema type INT64): IntegerConverter requires schema type INT32 or no schema'),
    );
  });

  it('refuses integers that do not fit, and fractions for integer types', () => {
    expect(() => new ShortConverter().fromConnectData('t', [], null, 40000)).toThrow(
      new DataError('Failed to serialize to short (was number 40000): not an integer between -32768 and 32767'),
    );
    expect(() => new IntegerConverter().fromConnectData('t', [], null, 1.5)).toThrow('Failed to serialize to integer (was number 1.5)');
    expect(() => new IntegerConverter().fromConnectData('t', [], null, 2n ** 31n)).toThrow('Failed to serialize to integer (was bigint 2147483648)');
    expect(() => new LongConverter().fromConnectData('t', [], null, 2n ** 63n)).toThrow('Failed to serialize to long (was bigint 9223372036854775808)');
    expect(() => new LongConverter().fromConnectData('t', [], null, 2 ** 60)).toThrow(/numbers must be safe integers; use a bigint/);
    expect(() => new DoubleConverter().fromConnectData('t', [], null, 1n)).toThrow('Failed to serialize to double (was bigint 1): DoubleConverter needs a number');
    expect(() => new FloatConverter().fromConnectData('t', [], null, new Date(0))).toThrow('Failed to serialize to float (was Date)');
  });

  it('ignores configuration, as Kafka does', () => {
    const c = new LongConverter();
    c.configure({ 'anything.at.all': 'x' }, true);
    expect(c.fromConnectData('t', [], null, 1n)).toEqual(Buffer.from('0000000000000001', 'hex'));
  });
});
