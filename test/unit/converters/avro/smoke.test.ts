import { Schema, SchemaBuilder, Struct } from '../../../../src/api';
import { AvroConverter } from '../../../../src/converters/avro';
import { startSchemaRegistry, TestSchemaRegistry } from '../../../harness/schema-registry';

describe('smoke', () => {
  let registry: TestSchemaRegistry;
  beforeAll(async () => { registry = await startSchemaRegistry(); });
  afterAll(async () => { await registry.stop(); });
  it('works', async () => {
    const c = new AvroConverter();
    c.configure({ 'schema.registry.url': registry.url }, false);
    const bytes = c.fromConnectData('orders', [], Schema.STRING_SCHEMA, 'hello');
    console.log(bytes);
    console.log(c.toConnectData('orders', [], bytes));
    const s = SchemaBuilder.struct().name('com.example.User').field('id', Schema.INT64_SCHEMA).field('n', Schema.OPTIONAL_STRING_SCHEMA).build();
    const b2 = c.fromConnectData('orders', [], s, new Struct(s).put('id', 5n).put('n', 'x'));
    console.log(b2, c.toConnectData('orders', [], b2));
    console.log(await registry.requests(), await registry.versions('orders-value'));
  });
});
