import { ProtobufConverter } from '../../../../src/converters/protobuf';
import { startSchemaRegistry, TestSchemaRegistry } from '../../../harness/schema-registry';

/** Records another producer wrote (bytes built by hand from a known .proto), read as Confluent's converter reads them. */
describe('ProtobufConverter reading other producers', () => {
  let registry: TestSchemaRegistry;
  let id: number;
  const PROTO =
    'syntax = "proto3";\npackage shop;\n\nimport "google/protobuf/wrappers.proto";\n\nmessage Order {\n' +
    '  map<string, int32> counts = 1;\n  map<int64, string> names = 2;\n  Kind kind = 3;\n  uint32 u = 4;\n  sint64 s = 5;\n' +
    '  google.protobuf.StringValue note = 6;\n  oneof pay {\n    string card = 7;\n    int64 cash = 8;\n  }\n\n  enum Kind {\n    NONE = 0;\n    BIG = 2;\n  }\n}\n';
  // counts {a: 5}; names {-1: x}; kind BIG; u 4294967295; s -2 (zig-zag 3); note "hi"; cash 7
  const PAYLOAD = '0a050a01611005' + '120e08ffffffffffffffffff01120178' + '1802' + '20ffffffff0f' + '2803' + '32040a026869' + '4007';
  beforeAll(async () => {
    registry = await startSchemaRegistry();
    id = await registry.register('orders-value', PROTO, 'PROTOBUF');
  });
  afterAll(async () => {
    await registry.stop();
  });

  function read(extra: Record<string, string> = {}, payload = PAYLOAD) {
    const c = new ProtobufConverter();
    c.configure({ 'schema.registry.url': registry.url, ...extra }, false);
    const header = Buffer.alloc(6);
    header.writeInt32BE(id, 1);
    return c.toConnectData('orders', [], Buffer.concat([header, Buffer.from(payload, 'hex')]));
  }

  it('reads map fields, enums, unsigned and zig-zag integers, wrapper messages and oneofs', () => {
    const { schema, value } = read();
    expect(String(value)).toBe('Struct{pay_0=Struct{cash=7},counts={a=5},names={-1=x},kind=BIG,u=4294967295,s=-2,note=Struct{value=hi}}');
    expect(schema!.name).toBe('Order');
    expect(schema!.field('counts')!.schema.name).toBe('counts');
    expect(schema!.field('u')!.schema.parameters).toEqual({ 'io.confluent.connect.protobuf.Type': 'uint32', 'io.confluent.connect.protobuf.Tag': '4' });
    expect(schema!.field('kind')!.schema.name).toBe('Kind');
    expect(schema!.field('pay_0')!.schema.name).toBe('io.confluent.connect.protobuf.Union.pay');
    expect(schema!.version).toBe(1);
  });

  it('reads wrappers as nullable primitives with wrapper.for.nullables, full names with enhanced.protobuf.schema.support', () => {
    expect(String(read({ 'wrapper.for.nullables': 'true' }).value)).toContain('note=hi');
    expect(String(read({ 'wrapper.for.nullables': 'true' }, '1802').value)).toBe('Struct{counts={},names={},kind=BIG,u=0,s=0}');
    const enhanced = read({ 'enhanced.protobuf.schema.support': 'true' }).schema!;
    expect([enhanced.name, enhanced.field('kind')!.schema.name, enhanced.field('pay_0')!.schema.name, enhanced.field('counts')!.schema.name]).toEqual([
      'shop.Order',
      'shop.Order.Kind',
      'io.confluent.connect.protobuf.Union.shop.Order.pay',
      'shop.Order.counts',
    ]);
  });
});
