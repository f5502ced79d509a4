import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ConfigError, DataError, RetriableError, Schema, SchemaBuilder, Struct } from '../../../../src/api';
import { AvroConverter } from '../../../../src/converters/avro';
import { AVRO_CONVERTER_CONFIG_DEF } from '../../../../src/converters/avro/avro-converter-config';
import { startSchemaRegistry, TestSchemaRegistry } from '../../../harness/schema-registry';
import { expectError } from './expect-error';

/** What AvroConverter asks the registry, and how registry trouble is reported. */
describe('AvroConverter and the Schema Registry', () => {
  let registry: TestSchemaRegistry;
  let secured: TestSchemaRegistry;
  let closedUrl: string;
  beforeAll(async () => {
    [registry, secured] = await Promise.all([startSchemaRegistry(), startSchemaRegistry({ basicAuth: { username: 'alice', password: 's3cret' } })]);
    // A port nothing listens on: taken, then released.
    const server = http.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    closedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((r) => server.close(r));
  });
  afterAll(async () => {
    await Promise.all([registry.stop(), secured.stop()]);
  });

  const user = SchemaBuilder.struct().name('com.example.User').field('id', Schema.INT64_SCHEMA).build();
  const aUser = () => new Struct(user).put('id', 1n);

  function converter(extra: Record<string, string> = {}, isKey = false): AvroConverter {
    const c = new AvroConverter();
    c.configure({ 'schema.registry.url': registry.url, ...extra }, isKey);
    return c;
  }

  describe('subject name strategies', () => {
    it('RecordNameStrategy registers under the record full name, TopicRecordNameStrategy under <topic>-<name>', async () => {
      converter({ 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy' }).fromConnectData('t1', [], user, aUser());
      converter({ 'value.subject.name.strategy': 'TopicRecordNameStrategy' }).fromConnectData('t1', [], user, aUser());
      converter({ 'key.subject.name.strategy': 'TopicRecordNameStrategy' }, true).fromConnectData('t2', [], user, aUser());
      const subjects = await registry.subjects();
      expect(subjects).toEqual(expect.arrayContaining(['com.example.User', 't1-com.example.User', 't2-com.example.User']));
      expect(subjects).not.toContain('t1-value');
    });

    it('refuses a non-record schema under RecordNameStrategy, as Confluent does', () => {
      expectError(
        () => converter({ 'value.subject.name.strategy': 'RecordNameStrategy' }).fromConnectData('t3', [], Schema.STRING_SCHEMA, 'x'),
        DataError,
        'Failed to serialize Avro data from topic t3: In configuration value.subject.name.strategy = io.confluent.kafka.serializers.subject.RecordNameStrategy, the message value must only be an Avro record schema',
      );
    });

    it('rejects an unknown strategy at configure()', () => {
      expectError(() => converter({ 'value.subject.name.strategy': 'com.acme.MyStrategy' }), ConfigError, /^Invalid value com.acme.MyStrategy for configuration value.subject.name.strategy: Unknown subject name strategy/);
    });
  });

  describe('basic auth', () => {
    it('sends the USER_INFO credentials and never shows the password', async () => {
      const c = new AvroConverter();
      c.configure({ 'schema.registry.url': secured.url, 'basic.auth.credentials.source': 'USER_INFO', 'basic.auth.user.info': 'alice:s3cret' }, false);
      c.fromConnectData('auth', [], Schema.STRING_SCHEMA, 'x');
      const [request] = await secured.requests();
      expect(request.authorization).toBe(`Basic ${Buffer.from('alice:s3cret').toString('base64')}`);

      const wrong = new AvroConverter();
      wrong.configure({ 'schema.registry.url': secured.url, 'basic.auth.credentials.source': 'USER_INFO', 'basic.auth.user.info': 'alice:wrong-pass' }, false);
      const err = expectError(
        () => wrong.fromConnectData('auth', [], Schema.INT32_SCHEMA, 1),
        DataError,
        `Failed to serialize Avro data from topic auth: Failed to register schema for subject auth-value at ${secured.url}: 401 Unauthorized (error 401: Unauthorized)`,
      );
      expect(err.stack).not.toContain('wrong-pass');
      expect(AVRO_CONVERTER_CONFIG_DEF.parse({ 'schema.registry.url': secured.url, 'basic.auth.user.info': 'alice:s3cret' }).logString()).toContain('basic.auth.user.info = [hidden]');
    });

    it('takes credentials from the URL by default, and leaves them out of messages', async () => {
      const withCreds = secured.url.replace('http://', 'http://alice:s3cret@');
      converter({ 'schema.registry.url': withCreds }).fromConnectData('auth-url', [], Schema.STRING_SCHEMA, 'x');
      expect((await secured.versions('auth-url-value')).length).toBe(1);
      const err = expectError(
        () => converter({ 'schema.registry.url': secured.url.replace('http://', 'http://alice:nope@') }).fromConnectData('auth-url', [], Schema.INT32_SCHEMA, 1),
        DataError,
        `Failed to serialize Avro data from topic auth-url: Failed to register schema for subject auth-url-value at ${secured.url}: 401 Unauthorized (error 401: Unauthorized)`,
      );
      expect(err.message).not.toContain('nope');
    });

    it('requires basic.auth.user.info when the source is USER_INFO', () => {
      expectError(() => converter({ 'basic.auth.credentials.source': 'USER_INFO' }), ConfigError, 'basic.auth.user.info must be provided when basic.auth.credentials.source is set to USER_INFO');
    });
  });

  describe('registry errors', () => {
    it('reports status, error_code, message, subject and URL; a 4xx is not retriable', async () => {
      await registry.failNext({ status: 409, errorCode: 409, message: 'Schema being registered is incompatible with an earlier schema for subject "conflict-value"' });
      expectError(
        () => converter().fromConnectData('conflict', [], user, aUser()),
        DataError,
        `Failed to serialize Avro data from topic conflict: Failed to register schema for subject conflict-value at ${registry.url}: 409 Conflict (error 409: Schema being registered is incompatible with an earlier schema for subject "conflict-value")`,
      );
    });

    it('makes a 5xx and an unreachable registry retriable, and tries again on the next record', async () => {
      const c = converter();
      await registry.failNext({ status: 500, errorCode: 50001, message: 'Error in the backend data store' });
      const err = expectError(() => c.fromConnectData('flaky', [], user, aUser()), RetriableError, /500 Internal Server Error \(error 50001: Error in the backend data store\)$/);
      expect((err as RetriableError).retriable).toBe(true);
      await registry.failNext({ drop: true, status: 0 });
      expectError(() => c.fromConnectData('flaky', [], user, aUser()), RetriableError, new RegExp(`Failed to register schema for subject flaky-value: no schema registry could be reached \\(${registry.url}: `));
      expect(c.fromConnectData('flaky', [], user, aUser())![0]).toBe(0);
    });

    it('fails over to the next URL when one cannot be reached, and names each when none can', async () => {
      const c = converter({ 'schema.registry.url': `${closedUrl},${registry.url}` });
      expect(c.fromConnectData('failover', [], user, aUser())).not.toBeNull();
      expect((await registry.versions('failover-value')).length).toBe(1);
      const dead = converter({ 'schema.registry.url': `${closedUrl}, ${closedUrl}/second` });
      expectError(() => dead.fromConnectData('failover', [], user, aUser()), RetriableError, new RegExp(`no schema registry could be reached \\(${closedUrl}: connect ECONNREFUSED .*; ${closedUrl}/second: connect ECONNREFUSED`));
    });

    it('gives up after http.connect.timeout.ms + http.read.timeout.ms', async () => {
      await registry.failNext({ stall: true, status: 0 });
      const started = Date.now();
      expectError(
        () => converter({ 'http.connect.timeout.ms': '100', 'http.read.timeout.ms': '150' }).fromConnectData('slow', [], user, aUser()),
        RetriableError,
        `Failed to serialize Avro data from topic slow: Failed to register schema for subject slow-value: no schema registry could be reached (${registry.url}: timed out)`,
      );
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });

  describe('auto.register.schemas=false', () => {
    it('looks the schema up under the subject instead of registering it', async () => {
      const id = await registry.register('lookup-value', '"string"');
      const before = await registry.requestCount();
      const bytes = converter({ 'auto.register.schemas': 'false' }).fromConnectData('lookup', [], Schema.STRING_SCHEMA, 'x')!;
      expect(bytes.readInt32BE(1)).toBe(id);
      expect((await registry.requests()).slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /subjects/lookup-value']);
    });

    it('fails when the subject or the schema is not registered, with the registry error', async () => {
      const c = converter({ 'auto.register.schemas': 'false' });
      expectError(
        () => c.fromConnectData('unknown', [], Schema.STRING_SCHEMA, 'x'),
        DataError,
        `Failed to serialize Avro data from topic unknown: Failed to look up schema under subject unknown-value at ${registry.url}: 404 Not Found (error 40401: Subject 'unknown-value' not found.)`,
      );
      await registry.register('other-value', '"string"');
      expectError(() => c.fromConnectData('other', [], Schema.INT32_SCHEMA, 1), DataError, /other-value at .*: 404 Not Found \(error 40403: Schema not found\)$/);
    });

    it('writes with the latest version of the subject with use.latest.version=true', async () => {
      const v1 = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"}],"connect.name":"R"}';
      const v2 = '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"b","type":["null","string"],"default":null}],"connect.name":"R"}';
      await registry.register('latest-value', v1);
      const latestId = await registry.register('latest-value', v2);
      const before = await registry.requestCount();
      const r = SchemaBuilder.struct().name('R').field('a', Schema.INT32_SCHEMA).build();
      const c = converter({ 'auto.register.schemas': 'false', 'use.latest.version': 'true' });
      const bytes = [1, 2].map((a) => c.fromConnectData('latest', [], r, new Struct(r).put('a', a))!);
      expect(bytes.map((b) => b.readInt32BE(1))).toEqual([latestId, latestId]);
      expect((await registry.requests()).slice(before).map((q) => `${q.method} ${q.path}`)).toEqual(['GET /subjects/latest-value/versions/latest']);
      const read = converter().toConnectData('latest', [], bytes[1]);
      expect((read.value as Struct).get('a')).toBe(2);
      expect((read.value as Struct).get('b')).toBeNull();
      expect(read.schema!.version).toBe(2);
    });
  });

  describe('configuration', () => {
    it('requires schema.registry.url and checks it', () => {
      expectError(() => new AvroConverter().configure({}, false), ConfigError, 'Missing required configuration "schema.registry.url" which has no default value.');
      expectError(() => converter({ 'schema.registry.url': 'localhost:8081' }), ConfigError, /schema.registry.url: only http and https URLs are supported/);
      expectError(() => converter({ 'schema.registry.url': 'http://a:b@[bad' }), ConfigError, 'Invalid value http://[hidden]@[bad for configuration schema.registry.url: not a URL');
    });
  });
});
