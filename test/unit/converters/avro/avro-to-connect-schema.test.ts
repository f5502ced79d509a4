import { ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Schema, SchemaBuilder } from '../../../../src/api';
import { AvroDataOptions, DEFAULT_AVRO_DATA_OPTIONS } from '../../../../src/converters/avro/avro-constants';
import { writeAvroSchema } from '../../../../src/converters/avro/avro-schema-json';
import { avroToConnectSchema } from '../../../../src/converters/avro/avro-to-connect-schema';
import { connectToAvroSchema } from '../../../../src/converters/avro/connect-to-avro-schema';

const options = (o: Partial<AvroDataOptions> = {}) => ({ ...DEFAULT_AVRO_DATA_OPTIONS, ...o });
const toConnect = (text: string, version: number | null = null, o: Partial<AvroDataOptions> = {}) => avroToConnectSchema(JSON.parse(text), options(o), version);
const roundTrip = (schema: Schema) => toConnect(writeAvroSchema(connectToAvroSchema(schema, options())));

/** Avro -> Connect schema, as Confluent's AvroData.toConnectSchema. */
describe('Avro -> Connect schema (AvroData.toConnectSchema)', () => {
  const address = SchemaBuilder.struct().name('com.example.Address').field('city', Schema.STRING_SCHEMA).build();
  const schemas: Array<[string, Schema]> = [
    ['INT8', Schema.INT8_SCHEMA],
    ['INT16', Schema.INT16_SCHEMA],
    ['INT32', Schema.INT32_SCHEMA],
    ['INT64', Schema.INT64_SCHEMA],
    ['FLOAT32', Schema.FLOAT32_SCHEMA],
    ['FLOAT64', Schema.FLOAT64_SCHEMA],
    ['BOOLEAN', Schema.BOOLEAN_SCHEMA],
    ['STRING', Schema.STRING_SCHEMA],
    ['BYTES', Schema.BYTES_SCHEMA],
    ['optional', Schema.OPTIONAL_INT16_SCHEMA],
    ['optional with default', SchemaBuilder.string().optional().defaultValue('x').build()],
    ['array', SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build()],
    ['string map', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build()],
    ['int map', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build()],
    ['named string', SchemaBuilder.string().name('com.x.Name').version(2).doc('d').parameter('k', 'v').build()],
    ['Decimal', Decimal.schema(2)],
    ['Decimal with precision', Decimal.builder(4).parameter('connect.decimal.precision', '10').build()],
    ['Date', ConnectDate.SCHEMA],
    ['Time', ConnectTime.SCHEMA],
    ['Timestamp', ConnectTimestamp.SCHEMA],
    [
      'struct',
      SchemaBuilder.struct()
        .name('com.example.Person')
        .version(4)
        .doc('someone')
        .field('id', Schema.INT64_SCHEMA)
        .field('home', address)
        .field('work', address)
        .field('n', SchemaBuilder.int32().defaultValue(5).build())
        .field('nick', Schema.OPTIONAL_STRING_SCHEMA)
        .field('inner', SchemaBuilder.struct().field('x', Schema.FLOAT32_SCHEMA).optional().build())
        .build(),
    ],
    ['union', SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('int', Schema.OPTIONAL_INT32_SCHEMA).field('string', Schema.OPTIONAL_STRING_SCHEMA).build()],
  ];

  it.each(schemas)('gives back the Connect schema written: %s', (_name, schema) => {
    const back = roundTrip(schema);
    expect(back.equals(schema)).toBe(true);
  });

  it('reads a record written by another producer', () => {
    const text = JSON.stringify({
      type: 'record',
      name: 'Order',
      namespace: 'shop',
      doc: 'An order',
      fields: [
        { name: 'id', type: 'long', doc: 'key' },
        { name: 'qty', type: 'int', default: 1 },
        { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'DONE'] } },
        { name: 'note', type: ['null', 'string'], default: null },
        { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
        { name: 'tags', type: { type: 'array', items: 'string' } },
        { name: 'attrs', type: { type: 'map', values: 'int' } },
        { name: 'choice', type: ['int', 'string', 'Status'] },
        { name: 'hash', type: { type: 'fixed', name: 'MD5', size: 16 } },
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
      ],
    });
    const expected = SchemaBuilder.struct()
      .name('shop.Order')
      .version(3)
      .parameter('io.confluent.connect.avro.record.doc', 'An order')
      .parameter('io.confluent.connect.avro.field.doc.id', 'key')
      .field('id', Schema.INT64_SCHEMA)
      .field('qty', SchemaBuilder.int32().defaultValue(1).parameter('io.confluent.connect.avro.field.default', 'true').build())
      .field('status', status().build())
      .field('note', Schema.OPTIONAL_STRING_SCHEMA)
      .field('amount', Decimal.builder(2).parameter('connect.decimal.precision', '9').build())
      .field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
      .field('attrs', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
      .field(
        'choice',
        SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('int', Schema.OPTIONAL_INT32_SCHEMA).field('string', Schema.OPTIONAL_STRING_SCHEMA).field('Status', status().optional().build()).build(),
      )
      .field('hash', SchemaBuilder.bytes().name('shop.MD5').parameter('connect.fixed.size', '16').build())
      .field('ts', ConnectTimestamp.SCHEMA)
      .field('day', ConnectDate.SCHEMA)
      .build();
    const actual = toConnect(text, 3);
    actual.fields.forEach((f, i) => expect([f.name, f.schema]).toEqual([expected.fields[i].name, expected.fields[i].schema]));
    expect(actual.equals(expected)).toBe(true);
  });

  it('names union members by full name with enhanced.avro.schema.support', () => {
    const union = toConnect('["null","int",{"type":"record","name":"a.B","fields":[]}]', null, { enhancedSchemaSupport: true });
    expect(union.optional).toBe(true);
    expect(union.fields.map((f) => f.name)).toEqual(['int', 'a.B']);
  });

  it('applies the registry version to the top-level schema only, unless connect.version is set', () => {
    expect(toConnect('"string"', 7).version).toBe(7);
    expect(toConnect('{"type":"string","connect.version":2}', 7).version).toBe(2);
    expect(toConnect('["null","string"]', 7).version).toBeNull();
    const record = toConnect('{"type":"record","name":"R","fields":[{"name":"s","type":"string"}]}', 7);
    expect([record.version, record.field('s')!.schema.version]).toEqual([7, null]);
  });

  it('treats ConnectDefault names as unnamed and reads connect.doc, connect.parameters and connect.default', () => {
    const schema = toConnect('{"type":"record","name":"ConnectDefault2","namespace":"io.confluent.connect.avro","fields":[{"name":"x","type":{"type":"int","connect.doc":"d","connect.parameters":{"p":"q"},"connect.default":3}}]}');
    expect(schema.name).toBeNull();
    expect(schema.field('x')!.schema.equals(SchemaBuilder.int32().doc('d').parameter('p', 'q').defaultValue(3).build())).toBe(true);
  });

  it('ignores the connect.* properties with connect.meta.data=false', () => {
    const schema = toConnect('{"type":"int","connect.type":"int8","connect.doc":"d","connect.parameters":{"p":"q"}}', null, { connectMetaData: false });
    expect(schema.equals(Schema.INT8_SCHEMA)).toBe(true);
  });

  it('rejects what Connect cannot represent', () => {
    expect(() => toConnect('"null"')).toThrow(new DataError('Standalone null schemas are not supported by this converter'));
    expect(() => toConnect('{"type":"int","connect.type":"int99"}')).toThrow('Connect type annotation for Avro int field is null');
    expect(() => toConnect('{"type":"record","name":"L","fields":[{"name":"next","type":["null","L"]}]}')).toThrow('Recursive Avro schemas are not supported (L)');
    expect(() => toConnect('{"type":"string","connect.version":"1"}')).toThrow('Invalid Connect version found: "1"');
  });
});

function status(): SchemaBuilder {
  return SchemaBuilder.string()
    .name('shop.Status')
    .parameter('io.confluent.connect.avro.Enum', 'shop.Status')
    .parameter('io.confluent.connect.avro.Enum.NEW', 'NEW')
    .parameter('io.confluent.connect.avro.Enum.DONE', 'DONE');
}
