import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, Schema, SchemaBuilder } from '../../../../src/api';
import { JsonDataCodec } from '../../../../src/converters/json-data-codec';
import { connectToJsonSchema } from '../../../../src/converters/json-schema';
import { ConnectToJsonSchemaOptions } from '../../../../src/converters/json-schema/connect-to-json-schema';

const codec = new JsonDataCodec({ replaceNullWithDefault: true, decimalFormat: 'BASE64' });
const options = (extra: Partial<ConnectToJsonSchemaOptions> = {}): ConnectToJsonSchemaOptions => ({
  allowAdditionalProperties: true,
  decimalFormat: 'BASE64',
  defaultJson: (s, v) => codec.toJson(s, v),
  ...extra,
});
const text = (schema: Schema, extra: Partial<ConnectToJsonSchemaOptions> = {}) => JSON.parse(connectToJsonSchema(schema, options(extra)));

/**
 * Expected schemas are Confluent's JsonSchemaDataTest expectations (Everit schemas built in the test)
 * written out as the JSON text Confluent registers.
 */
describe('connectToJsonSchema (Confluent JsonSchemaData.fromConnectSchema)', () => {
  it('acceptance: a struct with one string field line (HoistField, no name)', () => {
    const schema = SchemaBuilder.struct().field('line', Schema.STRING_SCHEMA).build();
    expect(connectToJsonSchema(schema, options())).toBe('{"type":"object","properties":{"line":{"type":"string","connect.index":0}}}');
  });

  it('a struct with every Connect type: golden text', () => {
    const schema = SchemaBuilder.struct()
      .name('com.example.Everything')
      .version(2)
      .doc('all the types')
      .field('i8', Schema.INT8_SCHEMA)
      .field('i16', Schema.INT16_SCHEMA)
      .field('i32', Schema.INT32_SCHEMA)
      .field('i64', Schema.INT64_SCHEMA)
      .field('f32', Schema.FLOAT32_SCHEMA)
      .field('f64', Schema.FLOAT64_SCHEMA)
      .field('bool', Schema.BOOLEAN_SCHEMA)
      .field('str', Schema.STRING_SCHEMA)
      .field('bytes', Schema.BYTES_SCHEMA)
      .field('array', SchemaBuilder.array(Schema.INT32_SCHEMA).build())
      .field('smap', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
      .field('imap', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.INT32_SCHEMA).build())
      .field('inner', SchemaBuilder.struct().name('com.example.Inner').field('x', Schema.INT64_SCHEMA).optional().build())
      .field('ostr', Schema.OPTIONAL_STRING_SCHEMA)
      .field('dec', Decimal.schema(2))
      .field('date', ConnectDate.SCHEMA)
      .field('time', ConnectTime.SCHEMA)
      .field('ts', ConnectTimestamp.SCHEMA)
      .build();
    expect(connectToJsonSchema(schema, options())).toBe(
      '{"title":"com.example.Everything","description":"all the types","type":"object","properties":{' +
        '"i8":{"type":"integer","connect.index":0,"connect.type":"int8"},' +
        '"i16":{"type":"integer","connect.index":1,"connect.type":"int16"},' +
        '"i32":{"type":"integer","connect.index":2,"connect.type":"int32"},' +
        '"i64":{"type":"integer","connect.index":3,"connect.type":"int64"},' +
        '"f32":{"type":"number","connect.index":4,"connect.type":"float32"},' +
        '"f64":{"type":"number","connect.index":5,"connect.type":"float64"},' +
        '"bool":{"type":"boolean","connect.index":6},' +
        '"str":{"type":"string","connect.index":7},' +
        '"bytes":{"type":"string","connect.index":8,"connect.type":"bytes"},' +
        '"array":{"type":"array","items":{"type":"integer","connect.type":"int32"},"connect.index":9},' +
        '"smap":{"type":"object","additionalProperties":{"type":"integer","connect.type":"int32"},"connect.index":10,"connect.type":"map"},' +
        '"imap":{"type":"array","items":{"type":"object","properties":{' +
        '"key":{"type":"integer","connect.index":0,"connect.type":"int32"},' +
        '"value":{"type":"integer","connect.index":1,"connect.type":"int32"}}},"connect.index":11,"connect.type":"map"},' +
        '"inner":{"oneOf":[{"type":"null"},{"title":"com.example.Inner","type":"object","properties":{"x":{"type":"integer","connect.index":0,"connect.type":"int64"}}}],"connect.index":12},' +
        '"ostr":{"oneOf":[{"type":"null"},{"type":"string"}],"connect.index":13},' +
        '"dec":{"title":"org.apache.kafka.connect.data.Decimal","type":"string","connect.version":1,"connect.index":14,"connect.type":"bytes","connect.parameters":{"scale":"2"}},' +
        '"date":{"title":"org.apache.kafka.connect.data.Date","type":"integer","connect.version":1,"connect.index":15,"connect.type":"int32"},' +
        '"time":{"title":"org.apache.kafka.connect.data.Time","type":"integer","connect.version":1,"connect.index":16,"connect.type":"int32"},' +
        '"ts":{"title":"org.apache.kafka.connect.data.Timestamp","type":"integer","connect.version":1,"connect.index":17,"connect.type":"int64"}' +
        '},"connect.version":2}',
    );
  });

  // JsonSchemaDataTest.testFromConnectMapWithOptionalKey
  it('a map with an optional string key is an array of key/value objects, the key nullable', () => {
    expect(text(SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.INT32_SCHEMA).build())).toEqual({
      type: 'array',
      items: {
        type: 'object',
        properties: {
          key: { oneOf: [{ type: 'null' }, { type: 'string' }], 'connect.index': 0 },
          value: { type: 'integer', 'connect.index': 1, 'connect.type': 'int32' },
        },
      },
      'connect.type': 'map',
    });
  });

  // testFromConnectNumericDecimal, testFromConnectTimestampWithDefault
  it('NUMERIC decimals are numbers; defaults are written in the payload format', () => {
    expect(text(Decimal.schema(2), { decimalFormat: 'NUMERIC' })).toEqual({
      title: 'org.apache.kafka.connect.data.Decimal',
      type: 'number',
      'connect.version': 1,
      'connect.type': 'bytes',
      'connect.parameters': { scale: '2' },
    });
    const ts = ConnectTimestamp.builder().defaultValue(new Date(0)).build();
    expect(connectToJsonSchema(ts, options())).toBe('{"title":"org.apache.kafka.connect.data.Timestamp","default":0,"type":"integer","connect.version":1,"connect.type":"int64"}');
  });

  it('object.additional.properties=false closes struct objects', () => {
    const schema = SchemaBuilder.struct().field('a', Schema.BOOLEAN_SCHEMA).build();
    expect(connectToJsonSchema(schema, options({ allowAdditionalProperties: false }))).toBe('{"type":"object","properties":{"a":{"type":"boolean","connect.index":0}},"additionalProperties":false}');
  });

  // testFromConnectEnum, testFromConnectUnion
  it('enums and oneOf unions', () => {
    const e = SchemaBuilder.string()
      .parameter('io.confluent.connect.json.Enum', '')
      .parameter('io.confluent.connect.json.Enum.one', 'one')
      .parameter('io.confluent.connect.json.Enum.two', 'two')
      .build();
    expect(text(e)).toEqual({ enum: ['one', 'two'] });
    const union = SchemaBuilder.struct()
      .name('io.confluent.connect.json.OneOf')
      .field('io.confluent.connect.json.OneOf.field.0', Schema.OPTIONAL_INT8_SCHEMA)
      .field('io.confluent.connect.json.OneOf.field.1', Schema.OPTIONAL_STRING_SCHEMA)
      .build();
    expect(text(union)).toEqual({ oneOf: [{ type: 'integer', 'connect.index': 0, 'connect.type': 'int8' }, { type: 'string', 'connect.index': 1 }] });
  });
});
