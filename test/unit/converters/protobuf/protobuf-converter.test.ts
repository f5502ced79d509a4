import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, RetriableError, Schema, SchemaBuilder, Struct } from '../../../../src/api';
import { ProtobufConverter } from '../../../../src/converters/protobuf';
import { startSchemaRegistry, TestSchemaRegistry } from '../../../harness/schema-registry';
import { expectError } from '../avro/expect-error';

/** ProtobufConverter against the test Schema Registry: wire bytes, registrations, round trips and failures. */
describe('ProtobufConverter', () => {
  let registry: TestSchemaRegistry;
  beforeAll(async () => {
    registry = await startSchemaRegistry();
  });
  afterAll(async () => {
    await registry.stop();
  });

  function converter(extra: Record<string, string> = {}, isKey = false): ProtobufConverter {
    const c = new ProtobufConverter();
    c.configure({ 'schema.registry.url': registry.url, ...extra }, isKey);
    return c;
  }

  const lineSchema = SchemaBuilder.struct().field('line', Schema.STRING_SCHEMA).build();

  it('writes a hoisted line as 00 <id> 00 0a 03 66 6f 6f and registers it as PROTOBUF under <topic>-value', async () => {
    const bytes = converter().fromConnectData('t', [], lineSchema, new Struct(lineSchema).put('line', 'foo'))!;
    const versions = await registry.versions('t-value');
    expect(versions).toEqual([
      { version: 1, id: expect.any(Number), schemaType: 'PROTOBUF', schema: 'syntax = "proto3";\n\nmessage ConnectDefault1 {\n  string line = 1;\n}\n' },
    ]);
    const id = Buffer.alloc(4);
    id.writeInt32BE(versions[0].id);
    expect(bytes.toString('hex')).toBe('00' + id.toString('hex') + '000a03666f6f');

    const back = converter().toConnectData('t', [], bytes);
    expect(String(back.value)).toBe('Struct{line=foo}');
    expect(back.schema!.name).toBe('ConnectDefault1');
    expect(back.schema!.version).toBe(1);
    expect(back.schema!.field('line')!.schema.parameters).toEqual({ 'io.confluent.connect.protobuf.Tag': '1' });
    expect(back.schema!.field('line')!.schema.optional).toBe(true);
  });

  it('reads the second message of a .proto written by another producer (index path [1])', async () => {
    const proto = 'syntax = "proto3";\npackage acme;\n\nmessage First {\n  string a = 1;\n}\n\nmessage Second {\n  int64 n = 1;\n  repeated string tags = 2;\n  Inner inner = 3;\n\n  message Inner {\n    bool ok = 1;\n  }\n}\n';
    const id = await registry.register('other-value', proto, 'PROTOBUF');
    const header = Buffer.alloc(5);
    header.writeInt32BE(id, 1);
    // indexes: count 1 (zig-zag 02), index 1 (zig-zag 02); n = 300 (08 ac 02); tags ["x","yz"]; inner {ok: true}
    const payload = Buffer.from('08ac02' + '120178' + '1202797a' + '1a020801', 'hex');
    const back = converter().toConnectData('other', [], Buffer.concat([header, Buffer.from([2, 2]), payload]));
    expect(back.schema!.name).toBe('Second');
    expect(String(back.value)).toBe('Struct{n=300,tags=[x, yz],inner=Struct{ok=true}}');
    const nested = converter().toConnectData('other', [], Buffer.concat([header, Buffer.from([4, 2, 0]), Buffer.from('0801', 'hex')]));
    expect(String(nested.value)).toBe('Struct{ok=true}');
    expect(converter({ 'enhanced.protobuf.schema.support': 'true' }).toConnectData('other', [], Buffer.concat([header, Buffer.from([0]), Buffer.from('0a0162', 'hex')])).schema!.name).toBe('acme.First');
  });

  it('fails clearly on a wrong magic byte, an unknown id, and a registry that is down (retriable)', async () => {
    expectError(() => converter().toConnectData('t', [], Buffer.from('0102', 'hex')), DataError, 'Failed to deserialize data for topic t to Protobuf: Unknown magic byte!');
    expectError(() => converter().toConnectData('t', [], Buffer.from('00000003e700', 'hex')), DataError, /Failed to deserialize data for topic t to Protobuf: Error retrieving Protobuf value schema for id 999: .*40403/);
    await registry.failNext({ status: 0, drop: true }, 1);
    expectError(() => converter().fromConnectData('down', [], lineSchema, new Struct(lineSchema).put('line', 'x')), RetriableError, /Failed to serialize Protobuf data from topic down: /);
  });

  it('names the topic and field of a value that does not fit', () => {
    const schema = SchemaBuilder.struct().field('n', Schema.INT32_SCHEMA).field('s', Schema.STRING_SCHEMA).build();
    expectError(() => converter().fromConnectData('bad', [], schema, new Struct(schema).put('n', 1)), DataError, 'Failed to serialize Protobuf data from topic bad: Field s: null for a required field');
  });
});
