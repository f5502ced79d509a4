import { DataError } from '../../../../src/api';
import { SchemaRegistryClient } from '../../../../src/converters/schema-registry/schema-registry-client';
import { WorkerThreadHttp } from '../../../../src/converters/schema-registry/sync-http';
import { readSchemaId, wireHeader } from '../../../../src/converters/schema-registry/wire-format';
import { startSchemaRegistry, TestSchemaRegistry } from '../../../harness/schema-registry';

describe('SchemaRegistryClient with Protobuf and JSON Schema schemas', () => {
  let registry: TestSchemaRegistry;
  let client: SchemaRegistryClient;
  beforeAll(async () => {
    registry = await startSchemaRegistry();
  });
  afterAll(async () => {
    await registry.stop();
  });
  beforeEach(() => {
    client = new SchemaRegistryClient({ urls: [registry.url], credentialsSource: 'URL', userInfo: null, timeoutMs: 10000, transport: WorkerThreadHttp.instance() });
  });

  it('registers with schemaType and references as Confluent\'s client sends them, and reads them back by id', async () => {
    const dep = client.register('dep.proto', { schema: 'syntax = "proto3";\nmessage Dep { string a = 1; }\n', schemaType: 'PROTOBUF', references: [] });
    const proto = 'syntax = "proto3";\nimport "dep.proto";\nmessage Line { string line = 1; Dep dep = 2; }\n';
    const id = client.register('lines-value', { schema: proto, schemaType: 'PROTOBUF', references: [{ name: 'dep.proto', subject: 'dep.proto', version: 1 }] });
    expect(id).not.toBe(dep);
    const bodies = (await registry.requests()).filter((r) => r.method === 'POST').map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies[0]).toEqual({ schema: 'syntax = "proto3";\nmessage Dep { string a = 1; }\n', schemaType: 'PROTOBUF' });
    expect(bodies[1]).toEqual({ schema: proto, schemaType: 'PROTOBUF', references: [{ name: 'dep.proto', subject: 'dep.proto', version: 1 }] });
    const fresh = new SchemaRegistryClient({ urls: [registry.url], credentialsSource: 'URL', userInfo: null, timeoutMs: 10000, transport: WorkerThreadHttp.instance() });
    expect(fresh.schemaById(id, 'PROTOBUF')).toEqual({ schema: proto, schemaType: 'PROTOBUF', references: [{ name: 'dep.proto', subject: 'dep.proto', version: 1 }] });
    expect(fresh.schemaByVersion('dep.proto', 1)).toMatchObject({ id: dep, version: 1, schemaType: 'PROTOBUF' });
  });

  it('refuses a schema of another format than the converter reads, naming both', async () => {
    const id = await registry.register('json-value', '{"type":"object","title":"Line"}', 'JSON');
    expect(() => client.schemaById(id, 'PROTOBUF')).toThrow(new DataError(`Schema id ${id} is a JSON schema, not Protobuf`));
    expect(() => client.schemaById(id)).toThrow(`Schema id ${id} is a JSON schema, not Avro`);
    expect(client.schemaById(id, 'JSON').schema).toBe('{"type":"object","title":"Line"}');
  });

  it('keeps an Avro string schema and a JSON Schema with the same text apart', async () => {
    const text = '{"type":"string"}';
    const avro = client.register('same-text', text);
    const json = client.register('same-text-json', { schema: text, schemaType: 'JSON', references: [] });
    expect(avro).not.toBe(json);
    expect(client.lookup('same-text-json', { schema: text, schemaType: 'JSON', references: [] })).toMatchObject({ id: json, version: 1, schemaType: 'JSON' });
  });
});

describe('Confluent wire format header', () => {
  it('is magic byte 0 and the id big-endian, and refuses anything else', () => {
    expect([...wireHeader(258)]).toEqual([0, 0, 0, 1, 2]);
    expect(readSchemaId(Buffer.from([0, 0, 0, 1, 2, 9]))).toBe(258);
    expect(() => readSchemaId(Buffer.from([1, 0, 0, 0, 1]))).toThrow(new DataError('Unknown magic byte!'));
    expect(() => readSchemaId(Buffer.from([0, 0]))).toThrow('Unknown magic byte!');
  });
});
