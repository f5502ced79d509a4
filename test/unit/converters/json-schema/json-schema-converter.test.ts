import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { BigDecimal, ConfigError, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, RetriableError, Schema, SchemaBuilder, Struct } from '../../../../src/api';
import { JsonSchemaConverter } from '../../../../src/converters/json-schema';
import { startSchemaRegistry, TestSchemaRegistry } from '../../../harness/schema-registry';
import { expectError } from '../avro/expect-error';

/** JsonSchemaConverter against the test Schema Registry: wire bytes, registrations, round trips, other producers, failures. */
describe('JsonSchemaConverter', () => {
  let registry: TestSchemaRegistry;
  let closedUrl: string;
  beforeAll(async () => {
    registry = await startSchemaRegistry();
    const server = http.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    closedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((r) => server.close(r));
  });
  afterAll(async () => {
    await registry.stop();
  });

  function converter(extra: Record<string, string> = {}, isKey = false): JsonSchemaConverter {
    const c = new JsonSchemaConverter();
    c.configure({ 'schema.registry.url': registry.url, ...extra }, isKey);
    return c;
  }
  const header = (id: number) => {
    const h = Buffer.alloc(5);
    h.writeInt32BE(id, 1);
    return h;
  };

  it('acceptance: Struct{line=foo} on topic t is 00 <id> {"line":"foo"}, registered as JSON under t-value, and reads back', async () => {
    const schema = SchemaBuilder.struct().field('line', Schema.STRING_SCHEMA).build();
    const bytes = converter().fromConnectData('t', [], schema, new Struct(schema).put('line', 'foo'))!;
    const [version] = await registry.versions('t-value');
    expect(version).toEqual({ version: 1, id: expect.any(Number), schema: '{"type":"object","properties":{"line":{"type":"string","connect.index":0}}}', schemaType: 'JSON' });
    expect(bytes.toString('hex')).toBe(Buffer.concat([header(version.id), Buffer.from('{"line":"foo"}')]).toString('hex'));

    const back = converter().toConnectData('t', [], bytes);
    expect(back.value).toBeInstanceOf(Struct);
    expect(String(back.value)).toBe('Struct{line=foo}');
    expect(back.schema!.fields.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([['line', 'STRING', false]]);
    expect(back.schema!.version).toBe(1);
  });

  const everything = SchemaBuilder.struct()
    .name('com.example.Everything')
    .field('i8', Schema.INT8_SCHEMA)
    .field('i16', Schema.INT16_SCHEMA)
    .field('i32', Schema.INT32_SCHEMA)
    .field('i64', Schema.INT64_SCHEMA)
    .field('f32', Schema.FLOAT32_SCHEMA)
    .field('f64', Schema.FLOAT64_SCHEMA)
    .field('bool', Schema.BOOLEAN_SCHEMA)
    .field('str', Schema.STRING_SCHEMA)
    .field('bytes', Schema.BYTES_SCHEMA)
    .field('array', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
    .field('smap', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build())
    .field('imap', SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA).build())
    .field('inner', SchemaBuilder.struct().name('com.example.Inner').field('x', Schema.INT64_SCHEMA).optional().build())
    .field('ostr', Schema.OPTIONAL_STRING_SCHEMA)
    .field('dec', Decimal.schema(2))
    .field('date', ConnectDate.SCHEMA)
    .field('time', ConnectTime.SCHEMA)
    .field('ts', ConnectTimestamp.SCHEMA)
    .build();
  const inner = everything.field('inner')!.schema;
  const anEverything = () =>
    new Struct(everything)
      .put('i8', -128)
      .put('i16', 32767)
      .put('i32', -2147483648)
      .put('i64', 9223372036854775807n)
      .put('f32', 0.1)
      .put('f64', 1e21)
      .put('bool', true)
      .put('str', 'ünï "q"')
      .put('bytes', Buffer.from([0, 1, 255]))
      .put('array', ['a', 'b'])
      .put('smap', new Map([['k', -1n]]))
      .put('imap', new Map([[7, 'seven']]))
      .put('inner', new Struct(inner).put('x', 5n))
      .put('dec', new BigDecimal(156n, 2))
      .put('date', new Date(Date.UTC(2024, 1, 29)))
      .put('time', new Date(1234))
      .put('ts', new Date(1700000000123));

  it('writes every Connect type with JsonConverter number formatting, and reads the same struct back', () => {
    const c = converter();
    const bytes = c.fromConnectData('every', [], everything, anEverything())!;
    expect(bytes.subarray(5).toString()).toBe(
      '{"i8":-128,"i16":32767,"i32":-2147483648,"i64":9223372036854775807,"f32":0.1,"f64":1.0E21,"bool":true,"str":"ünï \\"q\\"",' +
        '"bytes":"AAH/","array":["a","b"],"smap":{"k":-1},"imap":[{"key":7,"value":"seven"}],"inner":{"x":5},"ostr":null,' +
        '"dec":"AJw=","date":19782,"time":1234,"ts":1700000000123}',
    );
    const back = converter().toConnectData('every', [], bytes);
    const expected = anEverything();
    // Same values; the schema read back is the registry's (version 1), field by field the same types.
    const value = back.value as Struct;
    for (const f of everything.fields) {
      const got = value.get(f.name);
      const want = expected.get(f.name);
      if (f.name === 'inner') expect(String(got)).toBe('Struct{x=5}');
      else if (f.name === 'f32') expect(Math.fround(got as number)).toBe(Math.fround(0.1));
      else expect([f.name, got]).toEqual([f.name, want]);
    }
    expect(back.schema!.fields.map((f) => `${f.name}:${f.schema.type}${f.schema.optional ? '?' : ''}${f.schema.name ? `(${f.schema.name})` : ''}`)).toEqual(
      everything.fields.map((f) => `${f.name}:${f.schema.type}${f.schema.optional ? '?' : ''}${f.schema.name ? `(${f.schema.name})` : ''}`),
    );
  });

  it.each([
    ['INT8', Schema.INT8_SCHEMA, 12, '12'],
    ['INT16', Schema.INT16_SCHEMA, -300, '-300'],
    ['INT32', Schema.INT32_SCHEMA, 70000, '70000'],
    ['INT64', Schema.INT64_SCHEMA, -9223372036854775808n, '-9223372036854775808'],
    ['FLOAT32', Schema.FLOAT32_SCHEMA, 1.5, '1.5'],
    ['FLOAT64', Schema.FLOAT64_SCHEMA, 1e-7, '1.0E-7'],
    ['BOOLEAN', Schema.BOOLEAN_SCHEMA, false, 'false'],
    ['STRING', Schema.STRING_SCHEMA, 'x', '"x"'],
    ['BYTES', Schema.BYTES_SCHEMA, Buffer.from('hi'), '"aGk="'],
    ['ARRAY', SchemaBuilder.array(Schema.OPTIONAL_INT32_SCHEMA).build(), [1, null], '[1,null]'],
    ['MAP', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.BOOLEAN_SCHEMA).build(), new Map([['a', true]]), '{"a":true}'],
    ['Decimal NUMERIC', Decimal.schema(3), new BigDecimal(-1500n, 3), '-1.500', { 'decimal.format': 'NUMERIC' }],
    ['Date', ConnectDate.SCHEMA, new Date(86400000 * 3), '3'],
  ] as [string, Schema, unknown, string, Record<string, string>?][])('round trip of %s', (name, schema, value, payload, extra = {}) => {
    const topic = `rt-${name.replace(/ /g, '-')}`;
    const bytes = converter(extra).fromConnectData(topic, [], schema, value)!;
    expect(bytes.subarray(5).toString()).toBe(payload);
    const back = converter(extra).toConnectData(topic, [], bytes);
    expect(back.schema!.type).toBe(schema.type);
    expect(back.schema!.name).toBe(schema.name);
    expect(back.value).toEqual(value);
  });

  it('reads a record written by another producer: a hand-written schema (no connect.* annotations) and payload', async () => {
    const schema = JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'Order',
      type: 'object',
      properties: {
        id: { type: 'integer' },
        price: { type: 'number' },
        tags: { type: 'array', items: { type: 'string' } },
        note: { oneOf: [{ type: 'null' }, { type: 'string' }] },
        status: { type: 'string', enum: ['NEW', 'PAID'] },
        customer: { $ref: '#/definitions/Customer' },
      },
      required: ['id'],
      definitions: { Customer: { type: 'object', properties: { name: { type: 'string' } } } },
    });
    const id = await registry.register('orders-value', schema, 'JSON');
    const payload = '{"id": 12345678901234567, "price": 9.5, "tags": ["a"], "note": null, "status": "PAID", "customer": {"name": "Ann"}}';
    const back = converter().toConnectData('orders', [], Buffer.concat([header(id), Buffer.from(payload)]));
    expect(back.schema!.name).toBe('Order');
    expect(back.schema!.fields.map((f) => `${f.name}:${f.schema.type}${f.schema.optional ? '?' : ''}`)).toEqual([
      'id:INT64',
      'price:FLOAT64',
      'tags:ARRAY',
      'note:STRING?',
      'status:STRING',
      'customer:STRUCT',
    ]);
    expect(String(back.value)).toBe('Struct{id=12345678901234567,price=9.5,tags=[a],status=PAID,customer=Struct{name=Ann}}');
    expect((back.value as Struct).get('id')).toBe(12345678901234567n);
  });

  it('resolves a $ref to a referenced subject through the registry', async () => {
    const addressId = await registry.register('address', JSON.stringify({ type: 'object', title: 'Address', properties: { city: { type: 'string' } } }), 'JSON');
    expect(addressId).toBeGreaterThan(0);
    const id = await registry.register(
      'people-value',
      JSON.stringify({ type: 'object', properties: { name: { type: 'string' }, home: { $ref: 'address.json' } } }),
      'JSON',
      [{ name: 'address.json', subject: 'address', version: 1 }],
    );
    const back = converter().toConnectData('people', [], Buffer.concat([header(id), Buffer.from('{"name":"Bo","home":{"city":"Oslo"}}')]));
    expect(String(back.value)).toBe('Struct{name=Bo,home=Struct{city=Oslo}}');
    expect(back.schema!.field('home')!.schema.name).toBe('Address');
  });

  it('asks the registry once per schema and once per id', async () => {
    const schema = SchemaBuilder.struct().field('n', Schema.INT32_SCHEMA).build();
    const before = await registry.requestCount();
    const c = converter();
    const r = converter();
    for (let i = 0; i < 5; i++) r.toConnectData('once', [], c.fromConnectData('once', [], schema, new Struct(schema).put('n', i))!);
    const calls = (await registry.requests()).slice(before).map((q) => `${q.method} ${q.path}`);
    expect(calls).toEqual(['POST /subjects/once-value/versions', expect.stringMatching(/^GET \/schemas\/ids\/\d+$/), 'POST /subjects/once-value']);
    expect(JSON.parse((await registry.requests())[before].body)).toEqual({ schema: '{"type":"object","properties":{"n":{"type":"integer","connect.index":0,"connect.type":"int32"}}}', schemaType: 'JSON' });
  });

  it('auto.register.schemas=false looks the schema up; use.latest.version takes the latest id', async () => {
    const schema = SchemaBuilder.struct().field('a', Schema.STRING_SCHEMA).build();
    const text = '{"type":"object","properties":{"a":{"type":"string","connect.index":0}}}';
    expectError(() => converter({ 'auto.register.schemas': 'false' }).fromConnectData('lookup', [], schema, new Struct(schema).put('a', 'x')), DataError, /^Converting Kafka Connect data to byte\[\] failed due to serialization error of topic lookup: Failed to look up schema under subject lookup-value at .*: 404/);
    const id = await registry.register('lookup-value', text, 'JSON');
    expect(converter({ 'auto.register.schemas': 'false' }).fromConnectData('lookup', [], schema, new Struct(schema).put('a', 'x'))!.readInt32BE(1)).toBe(id);
    const latest = await registry.register('lookup-value', '{"type":"object"}', 'JSON');
    expect(converter({ 'auto.register.schemas': 'false', 'use.latest.version': 'true' }).fromConnectData('lookup', [], schema, new Struct(schema).put('a', 'x'))!.readInt32BE(1)).toBe(latest);
  });

  it('RecordNameStrategy registers under the title', async () => {
    const schema = SchemaBuilder.struct().name('com.example.Titled').field('a', Schema.STRING_SCHEMA).build();
    converter({ 'value.subject.name.strategy': 'RecordNameStrategy' }).fromConnectData('x', [], schema, new Struct(schema).put('a', 'b'));
    expect(await registry.subjects()).toContain('com.example.Titled');
    expectError(
      () => converter({ 'value.subject.name.strategy': 'RecordNameStrategy' }).fromConnectData('x', [], Schema.STRING_SCHEMA, 'b'),
      DataError,
      'Converting Kafka Connect data to byte[] failed due to serialization error of topic x: In configuration value.subject.name.strategy = io.confluent.kafka.serializers.subject.RecordNameStrategy, the message value must only be a JSON Schema with a title',
    );
  });

  describe('json.fail.invalid.schema', () => {
    it('off (default): a payload that does not match its schema is read as far as it converts', async () => {
      const id = await registry.register('loose-value', '{"type":"object","properties":{"a":{"type":"string","maxLength":2}}}', 'JSON');
      expect(String(converter().toConnectData('loose', [], Buffer.concat([header(id), Buffer.from('{"a":"long"}')])).value)).toBe('Struct{a=long}');
    });

    it('on: a DataError naming the topic and the first violation, reading and writing', async () => {
      const id = await registry.register('strict-value', '{"type":"object","properties":{"a":{"type":"string","maxLength":2}}}', 'JSON');
      expectError(
        () => converter({ 'json.fail.invalid.schema': 'true' }).toConnectData('strict', [], Buffer.concat([header(id), Buffer.from('{"a":"long"}')])),
        DataError,
        `Converting byte[] to Kafka Connect data failed due to serialization error of topic strict: The value with schema id ${id} does not match its JSON Schema at /a: must NOT have more than 2 characters {"limit":2}`,
      );
      const schema = SchemaBuilder.struct().field('a', Schema.STRING_SCHEMA).build();
      const latestWriter = converter({ 'json.fail.invalid.schema': 'true', 'auto.register.schemas': 'false', 'use.latest.version': 'true' });
      expectError(
        () => latestWriter.fromConnectData('strict', [], schema, new Struct(schema).put('a', 'long')),
        DataError,
        'Converting Kafka Connect data to byte[] failed due to serialization error of topic strict: The value does not match its JSON Schema at /a: must NOT have more than 2 characters {"limit":2}',
      );
      expect(latestWriter.fromConnectData('strict', [], schema, new Struct(schema).put('a', 'ok'))!.subarray(5).toString()).toBe('{"a":"ok"}');
    });
  });

  describe('failures', () => {
    it('wrong magic byte', () => {
      expectError(() => converter().toConnectData('bad', [], Buffer.from('{"a":1}')), DataError, 'Converting byte[] to Kafka Connect data failed due to serialization error of topic bad: Unknown magic byte!');
    });

    it('unknown schema id', () => {
      expectError(
        () => converter().toConnectData('bad', [], Buffer.concat([header(99999), Buffer.from('{}')])),
        DataError,
        /^Converting byte\[\] to Kafka Connect data failed due to serialization error of topic bad: Error retrieving JSON Schema value schema for id 99999: Failed to get schema id 99999 at .*: 404 Not Found \(error 40403: /,
      );
    });

    it('a schema id of another format', async () => {
      const id = await registry.register('avro-value', '"string"');
      expectError(() => converter().toConnectData('bad', [], Buffer.concat([header(id), Buffer.from('"x"')])), DataError, new RegExp(`Schema id ${id} is a AVRO schema, not JSON Schema$`));
    });

    it('invalid JSON payload', async () => {
      const id = await registry.register('broken-value', '{"type":"string"}', 'JSON');
      expectError(() => converter().toConnectData('broken', [], Buffer.concat([header(id), Buffer.from('{"a":')])), DataError, /^Converting byte\[\] to Kafka Connect data failed due to serialization error of topic broken: The payload after schema id \d+ is not valid JSON: /);
    });

    it('a value that does not fit its Connect schema', () => {
      expectError(() => converter().fromConnectData('t', [], Schema.INT32_SCHEMA, 'x'), DataError, /^Converting Kafka Connect data to byte\[\] failed due to serialization error of topic t: /);
    });

    it('registry down: RetriableError, both ways', async () => {
      const down = new JsonSchemaConverter();
      down.configure({ 'schema.registry.url': closedUrl }, false);
      const err = expectError(() => down.fromConnectData('down', [], Schema.STRING_SCHEMA, 'x'), RetriableError, /^Converting Kafka Connect data to byte\[\] failed due to serialization error of topic down: Failed to register schema for subject down-value: no schema registry could be reached/);
      expect((err as RetriableError).retriable).toBe(true);
      expectError(() => down.toConnectData('down', [], Buffer.concat([header(1), Buffer.from('"x"')])), RetriableError, /Error retrieving JSON Schema value schema for id 1: Failed to get schema id 1: no schema registry could be reached/);
    });

    it('nulls: tombstones pass through; a required schema refuses null; a schemaless value is refused by name', () => {
      const c = converter();
      expect(c.fromConnectData('n', [], Schema.OPTIONAL_STRING_SCHEMA, null)).toBeNull();
      expect(c.fromConnectData('n', [], null, null)).toBeNull();
      expect(c.toConnectData('n', [], null)).toEqual({ schema: null, value: null });
      expectError(() => c.fromConnectData('n', [], Schema.STRING_SCHEMA, null), DataError, /topic n: null value for a required STRING schema/);
      expectError(() => c.fromConnectData('n', [], null, 'x'), DataError, /topic n: the value has no Connect schema, and JSON Schema data needs one/);
    });

    it('configuration: schema.registry.url is required and decimal.format is checked', () => {
      expectError(() => new JsonSchemaConverter().configure({}, false), ConfigError, /schema.registry.url/);
      expectError(() => converter({ 'decimal.format': 'TEXT' }), ConfigError, /decimal.format/);
    });
  });
});
