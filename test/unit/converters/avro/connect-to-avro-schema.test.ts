import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, Schema, SchemaBuilder } from '../../../../src/api';
import { AvroDataOptions, DEFAULT_AVRO_DATA_OPTIONS } from '../../../../src/converters/avro/avro-constants';
import { writeAvroSchema } from '../../../../src/converters/avro/avro-schema-json';
import { connectToAvroSchema } from '../../../../src/converters/avro/connect-to-avro-schema';

/**
 * Connect -> Avro schema text. The expected strings are what Confluent's AvroData.fromConnectSchema
 * produces, printed by Avro's Java Schema.toString() (the text the registry stores): property order,
 * namespaces written only where they change, a named type repeated by name.
 */
const avro = (schema: Schema, options: Partial<AvroDataOptions> = {}) => writeAvroSchema(connectToAvroSchema(schema, { ...DEFAULT_AVRO_DATA_OPTIONS, ...options }));

describe('Connect -> Avro schema (AvroData.fromConnectSchema)', () => {
  it('maps primitives, keeping INT8/INT16 in connect.type', () => {
    expect(avro(Schema.INT8_SCHEMA)).toBe('{"type":"int","connect.type":"int8"}');
    expect(avro(Schema.INT16_SCHEMA)).toBe('{"type":"int","connect.type":"int16"}');
    expect(avro(Schema.INT32_SCHEMA)).toBe('"int"');
    expect(avro(Schema.INT64_SCHEMA)).toBe('"long"');
    expect(avro(Schema.FLOAT32_SCHEMA)).toBe('"float"');
    expect(avro(Schema.FLOAT64_SCHEMA)).toBe('"double"');
    expect(avro(Schema.BOOLEAN_SCHEMA)).toBe('"boolean"');
    expect(avro(Schema.STRING_SCHEMA)).toBe('"string"');
    expect(avro(Schema.BYTES_SCHEMA)).toBe('"bytes"');
  });

  it('makes optional schemas unions with null first, or second when there is a default', () => {
    expect(avro(Schema.OPTIONAL_STRING_SCHEMA)).toBe('["null","string"]');
    expect(avro(Schema.OPTIONAL_INT8_SCHEMA)).toBe('["null",{"type":"int","connect.type":"int8"}]');
    expect(avro(SchemaBuilder.string().optional().defaultValue('x').build())).toBe('[{"type":"string","connect.default":"x"},"null"]');
  });

  it('maps arrays, string-keyed maps, and other maps as arrays of MapEntry records', () => {
    expect(avro(SchemaBuilder.array(Schema.INT32_SCHEMA).build())).toBe('{"type":"array","items":"int"}');
    expect(avro(SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build())).toBe('{"type":"map","values":"long"}');
    expect(avro(SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())).toBe(
      '{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}',
    );
    expect(avro(SchemaBuilder.map(Schema.OPTIONAL_STRING_SCHEMA, Schema.STRING_SCHEMA).build())).toBe(
      '{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":["null","string"],"default":null},{"name":"value","type":"string"}]}}',
    );
  });

  it('names unnamed structs ConnectDefault, ConnectDefault2, ... in io.confluent.connect.avro', () => {
    const inner = SchemaBuilder.struct().field('b', Schema.STRING_SCHEMA).build();
    const outer = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).field('inner', inner).build();
    expect(avro(outer)).toBe(
      '{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[{"name":"a","type":"int"},' +
        '{"name":"inner","type":{"type":"record","name":"ConnectDefault2","fields":[{"name":"b","type":"string"}]}}]}',
    );
  });

  it('keeps the Connect name, version, doc and parameters in connect.* properties', () => {
    const user = SchemaBuilder.struct().name('com.example.User').version(3).doc('A user').field('id', Schema.INT64_SCHEMA).field('email', Schema.OPTIONAL_STRING_SCHEMA).build();
    expect(avro(user)).toBe(
      '{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"email","type":["null","string"],"default":null}],' +
        '"connect.doc":"A user","connect.version":3,"connect.name":"com.example.User"}',
    );
    const named = SchemaBuilder.string().name('com.x.Name').version(2).doc('d').parameter('k', 'v').build();
    expect(avro(named)).toBe('{"type":"string","connect.doc":"d","connect.version":2,"connect.parameters":{"k":"v"},"connect.name":"com.x.Name"}');
    expect(avro(SchemaBuilder.struct().name('Plain').field('x', Schema.INT32_SCHEMA).build())).toBe('{"type":"record","name":"Plain","fields":[{"name":"x","type":"int"}],"connect.name":"Plain"}');
  });

  it('writes the logical types as Confluent does (decimal precision 64 unless connect.decimal.precision)', () => {
    expect(avro(Decimal.schema(2))).toBe(
      '{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    );
    expect(avro(Decimal.builder(2).parameter('connect.decimal.precision', '10').build())).toBe(
      '{"type":"bytes","scale":2,"precision":10,"connect.version":1,"connect.parameters":{"scale":"2","connect.decimal.precision":"10"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    );
    expect(avro(ConnectDate.SCHEMA)).toBe('{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}');
    expect(avro(ConnectTime.SCHEMA)).toBe('{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}');
    expect(avro(ConnectTimestamp.SCHEMA)).toBe('{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}');
  });

  it('writes defaults both as the field default and as connect.default, numbers in Java form', () => {
    const schema = SchemaBuilder.struct()
      .field('n', SchemaBuilder.int32().defaultValue(5).build())
      .field('l', SchemaBuilder.int64().defaultValue(2n ** 62n).build())
      .field('d', SchemaBuilder.float64().defaultValue(1).build())
      .field('b', SchemaBuilder.bytes().defaultValue(Buffer.from([0x41, 0xff])).build())
      .build();
    expect(avro(schema)).toBe(
      '{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[' +
        '{"name":"n","type":{"type":"int","connect.default":5},"default":5},' +
        '{"name":"l","type":{"type":"long","connect.default":4611686018427387904},"default":4611686018427387904},' +
        '{"name":"d","type":{"type":"double","connect.default":1.0},"default":1.0},' +
        '{"name":"b","type":{"type":"bytes","connect.default":"A\u00ff"},"default":"A\u00ff"}]}',
    );
  });

  it('defines a struct used twice once, then refers to it by name', () => {
    const address = SchemaBuilder.struct().name('com.example.Address').field('city', Schema.STRING_SCHEMA).build();
    const person = SchemaBuilder.struct().name('com.example.Person').field('home', address).field('work', address).build();
    expect(avro(person)).toBe(
      '{"type":"record","name":"Person","namespace":"com.example","fields":[' +
        '{"name":"home","type":{"type":"record","name":"Address","fields":[{"name":"city","type":"string"}],"connect.name":"com.example.Address"}},' +
        '{"name":"work","type":"Address"}],"connect.name":"com.example.Person"}',
    );
  });

  it('leaves the connect.* properties out with connect.meta.data=false', () => {
    expect(avro(Schema.INT8_SCHEMA, { connectMetaData: false })).toBe('"int"');
    expect(avro(Decimal.schema(2), { connectMetaData: false })).toBe('{"type":"bytes","scale":2,"precision":64,"logicalType":"decimal"}');
    const user = SchemaBuilder.struct().name('com.example.User').version(1).field('id', Schema.INT64_SCHEMA).build();
    expect(avro(user, { connectMetaData: false })).toBe('{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"}]}');
  });

  it('turns io.confluent.connect.avro.Union structs back into unions', () => {
    const union = SchemaBuilder.struct().name('io.confluent.connect.avro.Union').optional().field('int', Schema.OPTIONAL_INT32_SCHEMA).field('string', Schema.OPTIONAL_STRING_SCHEMA).build();
    expect(avro(union)).toBe('["null","int","string"]');
  });

  it('writes enums read from Avro back as enums only with enhanced.avro.schema.support', () => {
    const color = SchemaBuilder.string()
      .name('com.example.Color')
      .parameter('io.confluent.connect.avro.Enum', 'com.example.Color')
      .parameter('io.confluent.connect.avro.Enum.RED', 'RED')
      .parameter('io.confluent.connect.avro.Enum.GREEN', 'GREEN')
      .build();
    const params = '"connect.parameters":{"io.confluent.connect.avro.Enum":"com.example.Color","io.confluent.connect.avro.Enum.RED":"RED","io.confluent.connect.avro.Enum.GREEN":"GREEN"}';
    expect(avro(color)).toBe(`{"type":"string",${params},"connect.name":"com.example.Color"}`);
    expect(avro(color, { enhancedSchemaSupport: true })).toBe(`{"type":"enum","name":"Color","namespace":"com.example","symbols":["RED","GREEN"],${params},"connect.name":"com.example.Color"}`);
  });

  it('copies parameters named avro* into Avro properties, and keeps Avro docs kept in parameters', () => {
    expect(avro(SchemaBuilder.string().parameter('avro.java.string', 'String').build())).toBe('{"type":"string","connect.parameters":{"avro.java.string":"String"},"avro.java.string":"String"}');
    const documented = SchemaBuilder.struct()
      .name('r.Doc')
      .parameter('io.confluent.connect.avro.record.doc', 'record doc')
      .parameter('io.confluent.connect.avro.field.doc.x', 'field doc')
      .field('x', Schema.INT32_SCHEMA)
      .build();
    expect(avro(documented)).toBe(
      '{"type":"record","name":"Doc","namespace":"r","doc":"record doc","fields":[{"name":"x","type":"int","doc":"field doc"}],' +
        '"connect.parameters":{"io.confluent.connect.avro.record.doc":"record doc","io.confluent.connect.avro.field.doc.x":"field doc"},"connect.name":"r.Doc"}',
    );
  });

  it('makes an optional struct field a union with the record, default null', () => {
    const outer = SchemaBuilder.struct().name('O').field('p', SchemaBuilder.struct().name('P').field('x', Schema.INT32_SCHEMA).optional().build()).build();
    expect(avro(outer)).toBe(
      '{"type":"record","name":"O","fields":[{"name":"p","type":["null",{"type":"record","name":"P","fields":[{"name":"x","type":"int"}],"connect.name":"P"}],"default":null}],"connect.name":"O"}',
    );
  });
});
