import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal, Schema, SchemaBuilder, Struct } from '../../../../src/api';
import { ProtobufConverter } from '../../../../src/converters/protobuf';
import { startSchemaRegistry, TestSchemaRegistry } from '../../../harness/schema-registry';

/** Every Connect type through ProtobufConverter and the test registry, and the .proto text registered for it. */
describe('ProtobufConverter round trips', () => {
  let registry: TestSchemaRegistry;
  beforeAll(async () => {
    registry = await startSchemaRegistry();
  });
  afterAll(async () => {
    await registry.stop();
  });

  function converter(extra: Record<string, string> = {}): ProtobufConverter {
    const c = new ProtobufConverter();
    c.configure({ 'schema.registry.url': registry.url, ...extra }, false);
    return c;
  }

  const inner = SchemaBuilder.struct().name('Inner').field('ok', Schema.BOOLEAN_SCHEMA).build();
  const every = SchemaBuilder.struct()
    .field('int8', Schema.INT8_SCHEMA)
    .field('int16', Schema.INT16_SCHEMA)
    .field('int32', Schema.INT32_SCHEMA)
    .field('int64', Schema.INT64_SCHEMA)
    .field('float32', Schema.FLOAT32_SCHEMA)
    .field('float64', Schema.FLOAT64_SCHEMA)
    .field('boolean', Schema.BOOLEAN_SCHEMA)
    .field('string', Schema.OPTIONAL_STRING_SCHEMA)
    .field('bytes', Schema.BYTES_SCHEMA)
    .field('array', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
    .field('map', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
    .field('mapIntKeys', SchemaBuilder.map(Schema.INT64_SCHEMA, Schema.STRING_SCHEMA).build())
    .field('inner', inner)
    .field('decimal', Decimal.builder(2).parameter('connect.decimal.precision', '8').build())
    .field('date', ConnectDate.SCHEMA)
    .field('time', ConnectTime.SCHEMA)
    .field('timestamp', ConnectTimestamp.SCHEMA)
    .build();

  const GOLDEN =
    'syntax = "proto3";\n\nimport "confluent/meta.proto";\nimport "confluent/type/decimal.proto";\nimport "google/type/date.proto";\nimport "google/type/timeofday.proto";\nimport "google/protobuf/timestamp.proto";\n\n' +
    'message ConnectDefault1 {\n' +
    '  int32 int8 = 1 [(confluent.field_meta) = {\n    params: [\n      {\n        key: "connect.type",\n        value: "int8"\n      }\n    ]\n  }];\n' +
    '  int32 int16 = 2 [(confluent.field_meta) = {\n    params: [\n      {\n        key: "connect.type",\n        value: "int16"\n      }\n    ]\n  }];\n' +
    '  int32 int32 = 3;\n  int64 int64 = 4;\n  float float32 = 5;\n  double float64 = 6;\n  bool boolean = 7;\n  string string = 8;\n  bytes bytes = 9;\n' +
    '  repeated string array = 10;\n  repeated ConnectDefault2Entry map = 11;\n  repeated ConnectDefault3Entry mapIntKeys = 12;\n  Inner inner = 13;\n' +
    '  confluent.type.Decimal decimal = 14 [(confluent.field_meta) = {\n    params: [\n      {\n        key: "precision",\n        value: "8"\n      },\n      {\n        key: "scale",\n        value: "2"\n      }\n    ]\n  }];\n' +
    '  google.type.Date date = 15;\n  google.type.TimeOfDay time = 16;\n  google.protobuf.Timestamp timestamp = 17;\n\n' +
    '  message ConnectDefault2Entry {\n    string key = 1;\n    int32 value = 2;\n  }\n' +
    '  message ConnectDefault3Entry {\n    int64 key = 1;\n    string value = 2;\n  }\n' +
    '  message Inner {\n    bool ok = 1;\n  }\n}\n';

  it('registers the .proto Confluent writes for a struct of every Connect type, and reads every value back', async () => {
    const value = new Struct(every)
      .put('int8', -8)
      .put('int16', 1600)
      .put('int32', -2147483648)
      .put('int64', 9007199254740993n)
      .put('float32', 1.5)
      .put('float64', -0.1)
      .put('boolean', true)
      .put('string', 'ünï')
      .put('bytes', Buffer.from([0, 255]))
      .put('array', ['a', 'b'])
      .put('map', new Map([['x', 1], ['y', 0]]))
      .put('mapIntKeys', new Map([[-1n, 'minus one']]))
      .put('inner', new Struct(inner).put('ok', true))
      .put('decimal', new BigDecimal(-12345n, 2))
      .put('date', new Date(Date.UTC(2024, 1, 29)))
      .put('time', new Date(13 * 3600000 + 5 * 60000 + 7000 + 123))
      .put('timestamp', new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 999)));
    const bytes = converter().fromConnectData('every', [], every, value)!;
    const [registered] = await registry.versions('every-value');
    expect(registered.schema).toBe(GOLDEN);
    expect(registered.schemaType).toBe('PROTOBUF');
    expect(registered.references ?? []).toEqual([]);

    const back = converter().toConnectData('every', [], bytes);
    expect(String(back.value)).toBe(
      'Struct{int8=-8,int16=1600,int32=-2147483648,int64=9007199254740993,float32=1.5,float64=-0.1,boolean=true,string=ünï,bytes=AP8=,array=[a, b],map={x=1, y=0},mapIntKeys={-1=minus one},inner=Struct{ok=true},decimal=-123.45,date=Thu Feb 29 00:00:00 UTC 2024,time=Thu Jan 01 13:05:07 UTC 1970,timestamp=Wed Dec 31 23:59:59 UTC 1969}',
    );
    const s = back.schema!;
    expect(s.fields.map((f) => `${f.name}:${f.schema.type}${f.schema.name ? `(${f.schema.name})` : ''}`)).toEqual([
      'int8:INT8', 'int16:INT16', 'int32:INT32', 'int64:INT64', 'float32:FLOAT32', 'float64:FLOAT64', 'boolean:BOOLEAN', 'string:STRING', 'bytes:BYTES',
      'array:ARRAY', 'map:MAP(connect_default2)', 'mapIntKeys:MAP(connect_default3)', 'inner:STRUCT(Inner)',
      'decimal:BYTES(org.apache.kafka.connect.data.Decimal)', 'date:INT32(org.apache.kafka.connect.data.Date)', 'time:INT32(org.apache.kafka.connect.data.Time)', 'timestamp:INT64(org.apache.kafka.connect.data.Timestamp)',
    ]);
    expect(s.field('decimal')!.schema.parameters).toEqual({ scale: '2', 'connect.decimal.precision': '8', 'io.confluent.connect.protobuf.Tag': '14' });
    expect((back.value as Struct).get('float32')).toBe(1.5);
    // Written back with the schema read, the bytes are the same (the field numbers come from the Tag parameters).
    expect(converter().fromConnectData('every-again', [], s, back.value)!.subarray(5)).toEqual(bytes.subarray(5));
  });

  it('leaves proto3 defaults out of the bytes and reads them back as the defaults', () => {
    const schema = SchemaBuilder.struct().field('n', Schema.INT32_SCHEMA).field('s', Schema.OPTIONAL_STRING_SCHEMA).field('z', Schema.STRING_SCHEMA).build();
    const c = converter();
    const bytes = c.fromConnectData('defaults', [], schema, new Struct(schema).put('n', 0).put('z', '0'))!;
    expect(bytes.subarray(6).toString('hex')).toBe('1a0130');
    expect(String(c.toConnectData('defaults', [], bytes).value)).toBe('Struct{n=0,s=,z=0}');

    // -0.0 is not the default: protoc's code writes it (its bits are not zero).
    const doubles = SchemaBuilder.struct().name('D').field('d', Schema.FLOAT64_SCHEMA).field('l', Schema.INT64_SCHEMA).build();
    expect(c.fromConnectData('doubles', [], doubles, new Struct(doubles).put('d', -0).put('l', 0n))!.subarray(6).toString('hex')).toBe('090000000000000080');
    expect(c.fromConnectData('doubles', [], doubles, new Struct(doubles).put('d', 0).put('l', -(2n ** 63n)))!.subarray(6).toString('hex')).toBe('1080808080808080808001');
    expect(String(c.toConnectData('doubles', [], c.fromConnectData('doubles', [], doubles, new Struct(doubles).put('d', 0).put('l', -(2n ** 63n)))!).value)).toBe('Struct{d=0.0,l=-9223372036854775808}');
  });

  it('writes Connect enums (io.confluent.connect.protobuf.Enum parameters) and oneofs, and reads them back as Confluent does', async () => {
    const status = SchemaBuilder.string()
      .name('Status')
      .parameter('io.confluent.connect.protobuf.Enum', 'Status')
      .parameter('io.confluent.connect.protobuf.Enum.ACTIVE', '0')
      .parameter('io.confluent.connect.protobuf.Enum.GONE', '1')
      .optional()
      .build();
    const union = SchemaBuilder.struct()
      .name('io.confluent.connect.protobuf.Union.choice')
      .field('text', SchemaBuilder.string().optional().parameter('io.confluent.connect.protobuf.Tag', '3').build())
      .field('number', SchemaBuilder.int32().optional().parameter('io.confluent.connect.protobuf.Tag', '4').build())
      .optional()
      .build();
    const schema = SchemaBuilder.struct().name('Order').field('status', status).field('choice_0', union).build();
    const value = new Struct(schema).put('status', 'GONE').put('choice_0', new Struct(union).put('number', 7));
    const bytes = converter().fromConnectData('enums', [], schema, value)!;
    const [registered] = await registry.versions('enums-value');
    expect(registered.schema).toBe(
      'syntax = "proto3";\n\nmessage Order {\n  Status status = 1;\n\n  oneof choice {\n    string text = 3;\n    int32 number = 4;\n  }\n\n  enum Status {\n    ACTIVE = 0;\n    GONE = 1;\n  }\n}\n',
    );
    expect(bytes.subarray(6).toString('hex')).toBe('0801' + '2007');
    const back = converter().toConnectData('enums', [], bytes);
    expect(String(back.value)).toBe('Struct{choice_0=Struct{number=7},status=GONE}');
    expect(back.schema!.field('choice_0')!.schema.name).toBe('io.confluent.connect.protobuf.Union.choice');
    expect(back.schema!.field('status')!.schema.parameters).toEqual({
      'io.confluent.connect.protobuf.Enum': 'Status',
      'io.confluent.connect.protobuf.Enum.ACTIVE': '0',
      'io.confluent.connect.protobuf.Enum.GONE': '1',
      'io.confluent.connect.protobuf.Tag': '1',
    });
    expect(String(converter({ 'int.for.enums': 'true', 'generate.index.for.unions': 'false' }).toConnectData('enums', [], bytes).value)).toBe('Struct{choice=Struct{number=7},status=1}');
  });

  it('keeps nulls with wrapper.for.nullables and optional.for.nullables', async () => {
    const schema = SchemaBuilder.struct().name('N').field('s', Schema.OPTIONAL_STRING_SCHEMA).field('i', Schema.OPTIONAL_INT64_SCHEMA).build();
    const value = new Struct(schema).put('i', 0n);
    const wrapped = converter({ 'wrapper.for.nullables': 'true' });
    const bytes = wrapped.fromConnectData('wrapped', [], schema, value)!;
    expect((await registry.versions('wrapped-value'))[0].schema).toBe(
      'syntax = "proto3";\n\nimport "google/protobuf/wrappers.proto";\n\nmessage N {\n  google.protobuf.StringValue s = 1;\n  google.protobuf.Int64Value i = 2;\n}\n',
    );
    expect(String(wrapped.toConnectData('wrapped', [], bytes).value)).toBe('Struct{i=0}');
    const optional = converter({ 'optional.for.nullables': 'true' });
    const bytes2 = optional.fromConnectData('optional', [], schema, value)!;
    expect((await registry.versions('optional-value'))[0].schema).toBe('syntax = "proto3";\n\nmessage N {\n  optional string s = 1;\n  optional int64 i = 2;\n}\n');
    expect(bytes2.subarray(6).toString('hex')).toBe('1000');
    expect(String(optional.toConnectData('optional', [], bytes2).value)).toBe('Struct{i=0}');
  });

  it('writes a primitive as its google.protobuf wrapper message (the wrappers file, index path of the message) and reads it back as the primitive', async () => {
    const bytes = converter().fromConnectData('raw', [], Schema.STRING_SCHEMA, 'hi')!;
    expect(bytes.subarray(5).toString('hex')).toBe('020e' + '0a026869');
    expect((await registry.versions('raw-value'))[0].schema).toContain('message StringValue {\n  string value = 1;\n}\n');
    expect(converter().toConnectData('raw', [], bytes).value).toBe('hi');
    expect(String(converter({ 'wrapper.for.raw.primitives': 'false' }).toConnectData('raw', [], bytes).value)).toBe('Struct{value=hi}');
  });
});
