import { DataError, Schema, SchemaBuilder, Struct } from '../../../../src/api';
import { ProtobufConverter } from '../../../../src/converters/protobuf';
import { startSchemaRegistry, TestSchemaRegistry } from '../../../harness/schema-registry';
import { expectError } from '../avro/expect-error';

/** Schemas that import other registered schemas, and writing without registering. */
describe('ProtobufConverter with references and existing schemas', () => {
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

  function header(id: number, indexes: number[]): Buffer {
    const h = Buffer.alloc(5);
    h.writeInt32BE(id, 1);
    return Buffer.concat([h, Buffer.from(indexes)]);
  }

  it('resolves an import through the schema references (fetched by subject and version)', async () => {
    await registry.register('acme/address.proto', 'syntax = "proto3";\npackage acme;\n\nmessage Address {\n  string city = 1;\n}\n', 'PROTOBUF');
    const id = await registry.register(
      'people-value',
      'syntax = "proto3";\npackage acme;\n\nimport "acme/address.proto";\nimport "google/protobuf/timestamp.proto";\n\nmessage Person {\n  string name = 1;\n  acme.Address home = 2;\n  google.protobuf.Timestamp born = 3;\n}\n',
      'PROTOBUF',
      [{ name: 'acme/address.proto', subject: 'acme/address.proto', version: 1 }],
    );
    // name "Ann", home {city "Oslo"}, born {seconds 1}
    const payload = Buffer.from('0a03416e6e' + '12060a044f736c6f' + '1a020801', 'hex');
    const back = converter().toConnectData('people', [], Buffer.concat([header(id, [0]), payload]));
    expect(String(back.value)).toBe('Struct{name=Ann,home=Struct{city=Oslo},born=Thu Jan 01 00:00:01 UTC 1970}');
    const calls = (await registry.requests()).map((r) => `${r.method} ${r.path}`);
    expect(calls).toContain('GET /subjects/acme%2Faddress.proto/versions/1');
  });

  it('names an import that is neither a reference nor a well-known type', async () => {
    const id = await registry.register('orphan-value', 'syntax = "proto3";\n\nimport "nowhere/x.proto";\n\nmessage O {\n  string a = 1;\n}\n', 'PROTOBUF');
    expectError(
      () => converter().toConnectData('orphan', [], Buffer.concat([header(id, [0]), Buffer.from('0a0161', 'hex')])),
      DataError,
      `Failed to deserialize data for topic orphan to Protobuf: Schema id ${id} imports nowhere/x.proto, which is neither among its references nor a well-known type`,
    );
  });

  it('refuses an Avro schema id and a message index path the schema does not have', async () => {
    const avroId = await registry.register('avro-value', '"string"');
    expectError(() => converter().toConnectData('avro', [], header(avroId, [0])), DataError, new RegExp(`Schema id ${avroId} is a AVRO schema, not`));
    const id = await registry.register('short-value', 'syntax = "proto3";\n\nmessage Only {\n  string a = 1;\n}\n', 'PROTOBUF');
    expectError(() => converter().toConnectData('short', [], header(id, [2, 4])), DataError, `Failed to deserialize data for topic short to Protobuf: Schema id ${id} has no message at index path [2]`);
  });

  it('with auto.register.schemas=false looks the schema up, or writes with the latest version (use.latest.version)', async () => {
    const schema = SchemaBuilder.struct().name('Line').field('line', Schema.STRING_SCHEMA).build();
    const value = new Struct(schema).put('line', 'foo');
    expectError(() => converter({ 'auto.register.schemas': 'false' }).fromConnectData('lookup', [], schema, value), DataError, /Failed to serialize Protobuf data from topic lookup: .*lookup-value/);
    const id = await registry.register('lookup-value', 'syntax = "proto3";\n\nmessage Line {\n  string line = 1;\n}\n', 'PROTOBUF');
    expect(converter({ 'auto.register.schemas': 'false' }).fromConnectData('lookup', [], schema, value)!.readInt32BE(1)).toBe(id);

    const latest = await registry.register('latest-value', 'syntax = "proto3";\n\nmessage Other {\n  int32 x = 1;\n}\n\nmessage Line {\n  int32 n = 7;\n  string line = 2;\n}\n', 'PROTOBUF');
    const bytes = converter({ 'auto.register.schemas': 'false', 'use.latest.version': 'true' }).fromConnectData('latest', [], schema, value)!;
    expect(bytes.readInt32BE(1)).toBe(latest);
    expect(bytes.subarray(5).toString('hex')).toBe('0202' + '1203666f6f');
  });
});
