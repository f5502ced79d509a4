import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal, Schema, SchemaBuilder, Struct } from '../../../src/api';
import { JsonConverter } from '../../../src/converters/json-converter';
import { JsonDataCodec } from '../../../src/converters/json-data-codec';
import { schemaToJson } from '../../../src/converters/json-schema-codec';

/*
 * The compiled writers and readers (json-compiled-writer.ts, json-compiled-reader.ts) are fast paths
 * of the generic codec: for every input they must give the generic result, byte for byte, value for
 * value, error message for error message. Reading: a converter that has just read an envelope with
 * the same schema reads the next one's payload with the compiled reader; a fresh converter parses the
 * whole envelope the generic way. Writing: the converter's bytes against the generic codec's text.
 */

const TOPIC = 'fast';

const POINT = SchemaBuilder.struct().name('Point').field('x', Schema.INT32_SCHEMA).field('label', Schema.OPTIONAL_STRING_SCHEMA).build();
const SCHEMA = SchemaBuilder.struct()
  .name('Every')
  .field('id', Schema.INT64_SCHEMA)
  .field('i8', Schema.OPTIONAL_INT8_SCHEMA)
  .field('i16', SchemaBuilder.int16().optional().defaultValue(7).build())
  .field('i32', Schema.OPTIONAL_INT32_SCHEMA)
  .field('f32', Schema.OPTIONAL_FLOAT32_SCHEMA)
  .field('f64', Schema.OPTIONAL_FLOAT64_SCHEMA)
  .field('flag', Schema.OPTIONAL_BOOLEAN_SCHEMA)
  .field('text', Schema.OPTIONAL_STRING_SCHEMA)
  .field('raw', Schema.OPTIONAL_BYTES_SCHEMA)
  .field('longs', SchemaBuilder.array(Schema.INT64_SCHEMA).optional().build())
  .field('points', SchemaBuilder.array(POINT).optional().build())
  .field('byName', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).optional().build())
  .field('byNumber', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).optional().build())
  .field('amount', Decimal.builder(2).optional().build())
  .field('day', ConnectDate.builder().optional().build())
  .field('time', ConnectTime.builder().optional().build())
  .field('at', ConnectTimestamp.builder().optional().build())
  .build();

const SCHEMA_TEXT = schemaToJson(SCHEMA, (s, v) => new JsonDataCodec({ replaceNullWithDefault: true, decimalFormat: 'BASE64' }).toJson(s, v));
const envelope = (payload: string) => `{"schema":${SCHEMA_TEXT},"payload":${payload}}`;
const FULL =
  '{"id":9223372036854775807,"i8":-128,"i16":300,"i32":2147483647,"f32":0.1,"f64":19.99,"flag":true,"text":"a\\"b\\u00e9\\uD83D\\uDE00","raw":"AQID",' +
  '"longs":[1,9007199254740993,-9223372036854775808],"points":[{"x":1,"label":"p"},{"x":2}],"byName":{"k":1234567890123456789},' +
  '"byNumber":[[1,"one"]],"amount":"B9Y=","day":19000,"time":3600000,"at":1700000000123}';

type Outcome = { value: unknown } | { error: string };

function outcome(read: () => unknown): Outcome {
  try {
    return { value: read() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

function converter(configs: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}

/** What the generic path says (a fresh converter) and what the warm converter's compiled reader says. */
function readBothWays(payload: string, configs: Record<string, string> = {}): [Outcome, Outcome] {
  const bytes = Buffer.from(envelope(payload), 'utf8');
  const generic = outcome(() => converter(configs).toConnectData(TOPIC, [], bytes));
  const warm = converter(configs);
  warm.toConnectData(TOPIC, [], Buffer.from(envelope('{"id":1}'), 'utf8'));
  return [generic, outcome(() => warm.toConnectData(TOPIC, [], bytes))];
}

describe('compiled reader', () => {
  it('is the path taken for a payload after an envelope of the same schema', () => {
    const compiled = jest.spyOn(JsonDataCodec.prototype, 'readerFor');
    try {
      const [generic, fast] = readBothWays(FULL);
      expect(fast).toEqual(generic);
      expect(generic).toHaveProperty('value');
      expect(compiled).toHaveBeenCalled();
    } finally {
      compiled.mockRestore();
    }
  });

  it('keeps int64 values beyond 2^53 exact, also nested in an array and a map', () => {
    const [, fast] = readBothWays(FULL);
    const value = (fast as { value: { value: Struct } }).value.value;
    expect(value.get('id')).toBe(9223372036854775807n);
    expect(value.get('longs')).toEqual([1n, 9007199254740993n, -9223372036854775808n]);
    expect(value.get('byName')).toEqual(new Map([["k", 1234567890123456789n]]));
  });

  const cases: Record<string, string> = {
    'the compact payload Kafka writes': FULL,
    'whitespace everywhere': ' { "id" : 1 , "longs" : [ 1 , 2 ] , "points" : [ { "x" : 1 } ] } ',
    'members in another order, unknown members with nested content': '{"zzz":{"a":[1,2.5,{"b":null}]},"text":"t","id":2,"i8":1}',
    'a member given twice (the last counts)': '{"id":"not a number","id":3}',
    'a member given twice, both valid': '{"id":1,"i8":1,"i8":null,"i32":5,"i32":6}',
    'a member name written with an escape': '{"\\u0069d":4,"i\\u0038":2}',
    'a member given twice, the last invalid': '{"id":3,"id":"x"}',
    'a missing required field': '{"i8":1}',
    'a missing field with a default': '{"id":1}',
    'null for a field with a default': '{"id":1,"i16":null}',
    'an empty object': '{}',
    'null payload for a required struct': 'null',
    'a payload that is not an object': '[1]',
    'a truncated payload': '{"id":1,',
    'content after the payload': '{"id":1} x',
    'an empty payload': ' ',
    'a byte order mark before the payload (only the whole message may start with one)': '\uFEFF{"id":1}',
    'a decimal literal in an int32 field': '{"id":1,"i32":1.0}',
    'an exponent in an int64 field': '{"id":1e2}',
    'minus zero in an int field and a float field': '{"id":-0,"i32":-0,"f64":-0,"f32":-0.0}',
    'an int64 out of range': '{"id":9223372036854775808}',
    'an int8 out of range': '{"id":1,"i8":128}',
    'leading zeros': '{"id":007,"i32":-01}',
    'a 1001-digit number in an unknown member': `{"id":1,"big":${'9'.repeat(1001)}}`,
    'nesting deeper than 1000 levels in an unknown member': `{"id":1,"deep":${'['.repeat(1000)}${']'.repeat(1000)}}`,
    'float32 halfway literals': '{"id":1,"f32":1.00000005960464477539062,"f64":1e400}',
    'NaN and Infinity as strings': '{"id":1,"f32":"NaN","f64":"-Infinity"}',
    'an unescaped control character': '{"id":1,"text":"a\u0001b"}',
    'a bad escape': '{"id":1,"text":"\\x"}',
    'a lone surrogate escape': '{"id":1,"text":"\\uD800"}',
    'a decimal as a number, keeping its scale': '{"id":1,"amount":19.990}',
    'a decimal as an integer': '{"id":1,"amount":5}',
    'decimal base64 with bits past the last byte': '{"id":1,"amount":"B9Z="}',
    'decimal base64 without padding': '{"id":1,"amount":"B9Y"}',
    'decimal base64 empty': '{"id":1,"amount":""}',
    'decimal base64 of six bytes, negative': '{"id":1,"amount":"gAAAAAAA"}',
    'decimal base64 of nine bytes': '{"id":1,"amount":"AQIDBAUGBwgJ"}',
    'decimal base64 with a bad character': '{"id":1,"amount":"B9*="}',
    'a date out of int32 range': '{"id":1,"day":2147483648}',
    'a time out of range': '{"id":1,"time":86400000}',
    'a timestamp as a decimal literal': '{"id":1,"at":1.5}',
    'timestamps at and beyond the range of a JS Date': '{"id":1,"at":-8640000000000000}',
    'a timestamp beyond the range of a JS Date': '{"id":1,"at":8640000000000001}',
    'nulls for logical, float and boolean fields': '{"id":1,"amount":null,"at":null,"f32":null,"f64":null,"i32":null,"flag":null}',
    'a number for a boolean field': '{"id":1,"flag":1}',
    'a float32 from an integer literal and a long one': '{"id":1,"f32":16777217,"f64":123456789012345678901234567890}',
    'a map with non-string keys as an object': '{"id":1,"byNumber":{"1":"one"}}',
    'a map entry of the wrong length': '{"id":1,"byNumber":[[1]]}',
    'a struct in an array with a wrong field type': '{"id":1,"points":[{"x":"1"}]}',
    'an array that is an object': '{"id":1,"longs":{"a":1}}',
    'true spelled wrong': '{"id":1,"flag":tru}',
    'bytes that are not base64': '{"id":1,"raw":"***"}',
  };
  it.each(Object.entries(cases))('gives the generic result for %s', (_, payload) => {
    const [generic, fast] = readBothWays(payload);
    expect(fast).toEqual(generic);
  });

  it('gives the generic result for a struct of more than 31 fields, some missing, one given twice', () => {
    const builder = SchemaBuilder.struct();
    for (let i = 0; i < 40; i++) builder.field(`f${i}`, i % 2 === 0 ? Schema.INT32_SCHEMA : SchemaBuilder.string().optional().defaultValue('d').build());
    const wide = builder.build();
    const text = schemaToJson(wide, (s, v) => new JsonDataCodec({ replaceNullWithDefault: true, decimalFormat: 'BASE64' }).toJson(s, v));
    const members = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? `"f${i}":${i}` : i % 3 === 0 ? `"f${i}":"s"` : null)).filter((m) => m !== null);
    for (const payload of [`{${members.join(',')},"f0":-1}`, `{${members.slice(1).join(',')}}`]) {
      const bytes = Buffer.from(`{"schema":${text},"payload":${payload}}`, 'utf8');
      const generic = outcome(() => converter().toConnectData(TOPIC, [], bytes));
      const warm = converter();
      outcome(() => warm.toConnectData(TOPIC, [], Buffer.from(`{"schema":${text},"payload":{}}`, 'utf8')));
      expect(outcome(() => warm.toConnectData(TOPIC, [], bytes))).toEqual(generic);
    }
    const bytes = Buffer.from(`{"schema":${text},"payload":{${members.join(',')},"f0":-1}}`, 'utf8');
    expect((converter().toConnectData(TOPIC, [], bytes).value as Struct).get('f0')).toBe(-1);
  });

  it('gives the generic result with replace.null.with.default=false', () => {
    const [generic, fast] = readBothWays('{"id":1,"i16":null}', { 'replace.null.with.default': 'false' });
    expect(fast).toEqual(generic);
    expect((fast as { value: { value: Struct } }).value.value.getWithoutDefault('i16')).toBeNull();
  });

  it('gives the generic error for a payload that is not UTF-8 after a matching prefix', () => {
    const bytes = Buffer.concat([Buffer.from(envelope('{"id":1,"text":"'), 'utf8'), Buffer.from([0xc3, 0x28]), Buffer.from('"}}')]);
    const generic = outcome(() => converter().toConnectData(TOPIC, [], bytes));
    const warm = converter();
    warm.toConnectData(TOPIC, [], Buffer.from(envelope('{"id":1}'), 'utf8'));
    expect(outcome(() => warm.toConnectData(TOPIC, [], bytes))).toEqual(generic);
    expect(generic).toHaveProperty('error');
  });
});

describe('compiled writer', () => {
  const codec = new JsonDataCodec({ replaceNullWithDefault: true, decimalFormat: 'BASE64' });

  function writeBothWays(value: unknown): [Outcome, Outcome] {
    const generic = outcome(() => `{"schema":${SCHEMA_TEXT},"payload":${codec.toJson(SCHEMA, value)}}`);
    // The second record of a schema object is written by the compiled writer (the first by the generic one).
    const warm = converter();
    warm.fromConnectData(TOPIC, [], SCHEMA, new Struct(SCHEMA).put('id', 1n));
    const fast = outcome(() => warm.fromConnectData(TOPIC, [], SCHEMA, value)!.toString('utf8'));
    const prefix = `Converting Kafka Connect data to byte[] failed for topic ${TOPIC}: `;
    return [generic, 'error' in fast ? { error: fast.error.replace(prefix, '') } : fast];
  }

  const full = () =>
    new Struct(SCHEMA)
      .put('id', 9223372036854775807n)
      .put('i8', -128)
      .put('i32', 5)
      .put('f32', 0.1)
      .put('f64', 1e-7)
      .put('flag', false)
      .put('text', 'a"b\\\u0001é😀')
      .put('raw', Buffer.from([1, 2, 3]))
      .put('longs', [1n, -9007199254740993n])
      .put('points', [new Struct(POINT).put('x', 1), new Struct(POINT).put('x', 2).put('label', 'p')])
      .put('byName', new Map([['k', 1n]]))
      .put('byNumber', new Map([[1, 'one']]))
      .put('amount', new BigDecimal(-140737488355328n, 2))
      .put('day', new Date(86400000 * 19000))
      .put('time', new Date(3600000))
      .put('at', new Date(-1));

  const values: Record<string, () => unknown> = {
    'every field set': full,
    'only the required field (defaults written)': () => new Struct(SCHEMA).put('id', 1n),
    'an int64 as a safe number': () => new Struct(SCHEMA).put('id', 2 ** 53 - 1),
    'large and tiny doubles and floats': () => full().put('f64', 1.5e300).put('f32', 3.4e38),
    'non-finite floats': () => full().put('f64', NaN).put('f32', -Infinity),
    'a decimal beyond six bytes': () => full().put('amount', new BigDecimal(2n ** 47n, 2)),
    'a decimal of the wrong scale': () => full().put('amount', new BigDecimal(5n, 3)),
    'a struct of an equal but distinct schema': () => {
      const copy = new Struct(SchemaBuilder.struct().name('Every').build());
      return copy;
    },
    'something that is not a struct': () => ({ id: 1 }),
    'null for the required struct': () => null,
  };
  it('is the path taken from the second record of a schema object on', () => {
    const compiled = jest.spyOn(JsonDataCodec.prototype, 'compiledWriterFor');
    try {
      const c = converter();
      c.fromConnectData(TOPIC, [], SCHEMA, full());
      expect(compiled).not.toHaveBeenCalled();
      c.fromConnectData(TOPIC, [], SCHEMA, full());
      expect(compiled).toHaveBeenCalledWith(SCHEMA);
    } finally {
      compiled.mockRestore();
    }
  });

  it.each(Object.entries(values))('writes what the generic path writes for %s', (_, make) => {
    const [generic, fast] = writeBothWays(make());
    expect(fast).toEqual(generic);
  });

  it('writes what the generic path writes with decimal.format=NUMERIC and replace.null.with.default=false', () => {
    const numeric = new JsonDataCodec({ replaceNullWithDefault: false, decimalFormat: 'NUMERIC' });
    const value = full().put('i16', null);
    const c = converter({ 'decimal.format': 'numeric', 'replace.null.with.default': 'false' });
    c.fromConnectData(TOPIC, [], SCHEMA, value);
    const bytes = c.fromConnectData(TOPIC, [], SCHEMA, value)!;
    const schemaText = schemaToJson(SCHEMA, (s, v) => numeric.toJson(s, v));
    expect(bytes.toString('utf8')).toBe(`{"schema":${schemaText},"payload":${numeric.toJson(SCHEMA, value)}}`);
  });
});
