import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  DataError,
  Decimal,
  NULL_SCHEMA_AND_VALUE,
  Schema,
  SchemaBuilder,
  Struct,
  valuesEqual,
} from '../../../../src/api';
import { AvroConverter } from '../../../../src/converters/avro';
import { startSchemaRegistry, TestSchemaRegistry } from '../../../harness/schema-registry';
import { expectError } from './expect-error';

/** Wire format, value translation and caching, against the test registry (test/harness/schema-registry.ts). */
describe('AvroConverter', () => {
  let registry: TestSchemaRegistry;
  beforeAll(async () => {
    registry = await startSchemaRegistry();
  });
  afterAll(async () => {
    await registry.stop();
  });

  function converter(extra: Record<string, string> = {}, isKey = false): AvroConverter {
    const c = new AvroConverter();
    c.configure({ 'schema.registry.url': registry.url, ...extra }, isKey);
    return c;
  }

  it('writes magic byte 0, the 4-byte big-endian id and the Avro binary, and registers <topic>-value', async () => {
    const bytes = converter().fromConnectData('wire', [], Schema.STRING_SCHEMA, 'hello')!;
    const [registered] = await registry.versions('wire-value');
    expect(registered).toEqual({ version: 1, id: registered.id, schema: '"string"' });
    const id = Buffer.alloc(4);
    id.writeInt32BE(registered.id);
    expect(bytes.toString('hex')).toBe(`00${id.toString('hex')}0a68656c6c6f`);
  });

  it('writes a struct exactly as Avro binary (zigzag ints, length-prefixed strings, union branch index)', async () => {
    const schema = SchemaBuilder.struct().name('t.Row').field('id', Schema.INT32_SCHEMA).field('name', Schema.STRING_SCHEMA).field('opt', Schema.OPTIONAL_STRING_SCHEMA).field('amount', Decimal.schema(2)).build();
    const c = converter();
    const a = c.fromConnectData('rows', [], schema, new Struct(schema).put('id', 1).put('name', 'ab').put('amount', BigDecimal.parse('12.34')))!;
    const b = c.fromConnectData('rows', [], schema, new Struct(schema).put('id', -1).put('name', '').put('opt', 'c').put('amount', BigDecimal.parse('-0.01')))!;
    expect(a.subarray(5).toString('hex')).toBe('02' + '046162' + '00' + '0404d2');
    expect(b.subarray(5).toString('hex')).toBe('01' + '00' + '020263' + '02ff');
  });

  it('sends the key schema to <topic>-key', async () => {
    converter({}, true).fromConnectData('keyed', [], Schema.INT64_SCHEMA, 42n);
    expect((await registry.versions('keyed-key')).map((v) => v.schema)).toEqual(['"long"']);
  });

  const inner = SchemaBuilder.struct().name('com.example.Inner').field('x', Schema.INT32_SCHEMA).build();
  const everything = SchemaBuilder.struct()
    .name('com.example.Everything')
    .version(1)
    .field('i8', Schema.INT8_SCHEMA)
    .field('i16', Schema.INT16_SCHEMA)
    .field('i32', Schema.INT32_SCHEMA)
    .field('i64', Schema.INT64_SCHEMA)
    .field('f32', Schema.FLOAT32_SCHEMA)
    .field('f64', Schema.FLOAT64_SCHEMA)
    .field('bool', Schema.BOOLEAN_SCHEMA)
    .field('str', Schema.STRING_SCHEMA)
    .field('bytes', Schema.BYTES_SCHEMA)
    .field('arr', SchemaBuilder.array(Schema.OPTIONAL_STRING_SCHEMA).build())
    .field('map', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build())
    .field('imap', SchemaBuilder.map(Schema.INT64_SCHEMA, inner).build())
    .field('inner', inner)
    .field('optInner', SchemaBuilder.struct().name('com.example.Inner').field('x', Schema.INT32_SCHEMA).optional().build())
    .field('dec', Decimal.schema(3))
    .field('date', ConnectDate.SCHEMA)
    .field('time', ConnectTime.SCHEMA)
    .field('ts', ConnectTimestamp.SCHEMA)
    .field('optNull', Schema.OPTIONAL_INT64_SCHEMA)
    .field('optSet', Schema.OPTIONAL_FLOAT64_SCHEMA)
    .field('withDefault', SchemaBuilder.string().defaultValue('dflt').build())
    .field('union', SchemaBuilder.struct().name('io.confluent.connect.avro.Union').field('int', Schema.OPTIONAL_INT32_SCHEMA).field('string', Schema.OPTIONAL_STRING_SCHEMA).build())
    .build();

  function everythingValue(): Struct {
    const unionSchema = everything.field('union')!.schema;
    return new Struct(everything)
      .put('i8', -128)
      .put('i16', 32767)
      .put('i32', -2147483648)
      .put('i64', 2n ** 63n - 1n)
      .put('f32', 1.5)
      .put('f64', Math.PI)
      .put('bool', true)
      .put('str', 'héllo ✓')
      .put('bytes', Buffer.from([0, 1, 255]))
      .put('arr', ['a', null, ''])
      .put('map', new Map([['a', 1], ['b', -2]]))
      .put('imap', new Map([[-5n, new Struct(inner).put('x', 7)]]))
      .put('inner', new Struct(inner).put('x', 3))
      .put('optInner', null)
      .put('dec', BigDecimal.parse('-12345678901234567890.123'))
      .put('date', new Date(Date.UTC(2024, 1, 29)))
      .put('time', new Date(Date.UTC(1970, 0, 1, 23, 59, 59, 999)))
      .put('ts', new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 123)))
      .put('optSet', 2.5)
      .put('union', new Struct(unionSchema).put('string', 'branch'));
  }

  it('reads back a struct with every type and logical type as written', () => {
    const c = converter();
    const value = everythingValue();
    const read = c.toConnectData('everything', [], c.fromConnectData('everything', [], everything, value));
    expect(read.schema!.equals(everything)).toBe(true);
    const struct = read.value as Struct;
    for (const field of everything.fields) {
      const expected = field.name === 'withDefault' ? 'dflt' : value.get(field.name);
      expect([field.name, valuesEqual(struct.get(field.name), expected)]).toEqual([field.name, true]);
    }
    expect(struct.get('i64')).toBe(2n ** 63n - 1n);
  });

  it('reads records another producer wrote (enum, general union, fixed, map)', async () => {
    const schema = JSON.stringify({
      type: 'record',
      name: 'Order',
      namespace: 'shop',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'status', type: { type: 'enum', name: 'Status', symbols: ['NEW', 'DONE'] } },
        { name: 'choice', type: ['int', 'string'] },
        { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 2 } },
        { name: 'attrs', type: { type: 'map', values: 'int' } },
        { name: 'note', type: ['null', 'string'], default: null },
      ],
    });
    const id = await registry.register('foreign-value', schema);
    const header = Buffer.from([0, 0, 0, 0, 0]);
    header.writeInt32BE(id, 1);
    const body = Buffer.from('06' + '02' + '02046162' + 'aabb' + '02026b0a00' + '00', 'hex');
    const read = converter().toConnectData('foreign', [], Buffer.concat([header, body]));
    const order = read.value as Struct;
    expect(read.schema!.name).toBe('shop.Order');
    expect(read.schema!.version).toBe(1);
    expect(order.get('id')).toBe(3n);
    expect(order.get('status')).toBe('DONE');
    expect((order.get('choice') as Struct).toString()).toBe('Struct{string=ab}');
    expect(order.get('hash')).toEqual(Buffer.from([0xaa, 0xbb]));
    expect(order.get('attrs')).toEqual(new Map([['k', 5]]));
    expect(order.get('note')).toBeNull();
  });

  it('asks the registry once per schema, not per record, in both directions', async () => {
    const before = await registry.requestCount();
    const writer = converter();
    const records = Array.from({ length: 200 }, () => writer.fromConnectData('cached', [], everything, everythingValue()));
    expect((await registry.requestCount()) - before).toBe(1);
    const reader = converter();
    for (const bytes of records) reader.toConnectData('cached', [], bytes);
    const requests = (await registry.requests()).slice(before).map((r) => `${r.method} ${r.path}`);
    expect(requests).toEqual(['POST /subjects/cached-value/versions', 'GET /schemas/ids/' + records[0]!.readInt32BE(1), 'POST /subjects/cached-value']);
  });

  it('gives read data the registry version as the Connect schema version when it has none of its own', () => {
    const c = converter();
    c.fromConnectData('versioned', [], Schema.BOOLEAN_SCHEMA, true);
    const v2 = SchemaBuilder.struct().field('b', Schema.BOOLEAN_SCHEMA).build();
    const read = converter().toConnectData('versioned', [], c.fromConnectData('versioned', [], v2, new Struct(v2).put('b', false)));
    expect(read.schema!.version).toBe(2);
    expect(read.schema!.equals(SchemaBuilder.struct().field('b', Schema.BOOLEAN_SCHEMA).version(2).build())).toBe(true);
  });

  it('treats null as a tombstone, and refuses null for a required schema', () => {
    const c = converter();
    expect(c.fromConnectData('nulls', [], null, null)).toBeNull();
    expect(c.fromConnectData('nulls', [], Schema.OPTIONAL_STRING_SCHEMA, null)).toBeNull();
    expectError(() => c.fromConnectData('nulls', [], Schema.STRING_SCHEMA, null), DataError, 'Failed to serialize Avro data from topic nulls: Found null value for non-optional schema');
    expect(c.toConnectData('nulls', [], null)).toBe(NULL_SCHEMA_AND_VALUE);
  });

  it('writes schemaless values as io.confluent.connect.avro.Anything and reads them back', async () => {
    const c = converter();
    const value = new Map<unknown, unknown>([
      ['list', [1, 2.5, 'x', true, null, Buffer.from([9])]],
      [7n, new Map([['nested', -3]])],
    ]);
    const read = c.toConnectData('schemaless', [], c.fromConnectData('schemaless', [], null, value));
    expect(read.schema).toBeNull();
    expect(valuesEqual(read.value, value)).toBe(true);
    expect(JSON.parse((await registry.versions('schemaless-value'))[0].schema).name).toBe('Anything');
  });

  it('fails on bytes that are not in the wire format, naming the topic', () => {
    const c = converter();
    expectError(() => c.toConnectData('bad', [], Buffer.from('not avro')), DataError, 'Failed to deserialize data for topic bad to Avro: Unknown magic byte!');
    expect(() => c.toConnectData('bad', [], Buffer.from([0, 0, 0]))).toThrow('Unknown magic byte!');
  });

  it('fails on an unknown schema id with the registry error, and on truncated data', () => {
    const c = converter();
    expect(() => c.toConnectData('bad', [], Buffer.from([0, 0, 0, 0x7f, 0xff, 2]))).toThrow(
      `Failed to deserialize data for topic bad to Avro: Error retrieving Avro value schema for id 32767: Failed to get schema id 32767 at ${registry.url}: 404 Not Found (error 40403: Schema 32767 not found)`,
    );
    const bytes = c.fromConnectData('bad', [], Schema.STRING_SCHEMA, 'truncate me')!;
    expect(() => c.toConnectData('bad', [], bytes.subarray(0, 8))).toThrow(/Error deserializing Avro message for id \d+/);
  });

  it('refuses values that do not fit the schema with a DataError naming the topic', () => {
    const schema = SchemaBuilder.struct().field('n', Schema.INT32_SCHEMA).build();
    const c = converter();
    expectError(() => c.fromConnectData('mismatch', [], Schema.INT32_SCHEMA, 'five'), DataError, 'Failed to serialize Avro data from topic mismatch: Invalid type for INT32: string');
    const other = SchemaBuilder.struct().field('m', Schema.INT32_SCHEMA).build();
    expect(() => c.fromConnectData('mismatch', [], schema, new Struct(other).put('m', 1))).toThrow('Mismatching struct schema');
    expectError(() => c.fromConnectData('mismatch', [], Schema.INT32_SCHEMA, 2 ** 40), DataError, 'Failed to serialize Avro data from topic mismatch: The value does not fit the Avro schema at (top level) (Avro int)');
    const color = SchemaBuilder.string().name('Color').parameter('io.confluent.connect.avro.Enum', 'Color').parameter('io.confluent.connect.avro.Enum.RED', 'RED').build();
    const row = SchemaBuilder.struct().field('color', color).build();
    expectError(
      () => converter({ 'enhanced.avro.schema.support': 'true' }).fromConnectData('mismatch', [], row, new Struct(row).put('color', 'BLUE')),
      DataError,
      'Failed to serialize Avro data from topic mismatch: The value does not fit the Avro schema at color (Avro enum)',
    );
  });
});
