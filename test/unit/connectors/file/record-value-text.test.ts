import { BigDecimal, Decimal, Schema, SchemaBuilder, Struct } from '../../../../src/api';
import { recordValueText } from '../../../../connectors/file/record-value-text';

/*
 * Expected strings: what Kafka's FileStreamSinkTask prints, String.valueOf(value) (Java's toString of
 * Connect data, on a JVM in UTC), except for top-level bytes (raw UTF-8 here) and bytes inside
 * containers (base64 here, an object identity such as [B@1b6d3586 in Kafka).
 */
describe('recordValueText', () => {
  it.each<[string, unknown, Schema | null, string]>([
    ['a string as it is', 'text', Schema.STRING_SCHEMA, 'text'],
    ['null', null, Schema.OPTIONAL_STRING_SCHEMA, 'null'],
    ['undefined as null', undefined, null, 'null'],
    ['a Buffer as its UTF-8 text', Buffer.from('ünï'), Schema.BYTES_SCHEMA, 'ünï'],
    ['a Uint8Array as its UTF-8 text', new Uint8Array([0x68, 0x69]), null, 'hi'],
    ['FLOAT64 10 as Double.toString', 10, Schema.FLOAT64_SCHEMA, '10.0'],
    ['FLOAT32 0.1f as Float.toString', Math.fround(0.1), Schema.FLOAT32_SCHEMA, '0.1'],
    ['INT32 10', 10, Schema.INT32_SCHEMA, '10'],
    ['a schemaless integral number as a long', 10, null, '10'],
    ['a schemaless fraction as a double', 1.5, null, '1.5'],
    ['a boolean', false, Schema.BOOLEAN_SCHEMA, 'false'],
    ['an INT64 bigint', 9007199254740993n, Schema.INT64_SCHEMA, '9007199254740993'],
    ['a list as List.toString', [1, 'a', null], null, '[1, a, null]'],
    ['a map as Map.toString', new Map<string, unknown>([['k', 1], ['l', [2n]]]), null, '{k=1, l=[2]}'],
    ['a Decimal as BigDecimal.toString', new BigDecimal(-150n, 2), Decimal.schema(2), '-1.50'],
    ['a Timestamp as java.util.Date.toString', new Date(Date.UTC(2024, 1, 29, 13, 45, 30)), null, 'Thu Feb 29 13:45:30 UTC 2024'],
  ])('renders %s', (_, value, schema, text) => {
    expect(recordValueText(value, schema)).toBe(text);
  });

  it('renders a struct as Struct.toString, nested values by their field schemas, null fields left out', () => {
    const inner = SchemaBuilder.struct().field('x', Schema.FLOAT64_SCHEMA).field('note', Schema.OPTIONAL_STRING_SCHEMA).build();
    const schema = SchemaBuilder.struct()
      .field('id', Schema.INT64_SCHEMA)
      .field('name', Schema.STRING_SCHEMA)
      .field('inner', inner)
      .field('scores', SchemaBuilder.array(Schema.FLOAT32_SCHEMA).build())
      .field('raw', Schema.OPTIONAL_BYTES_SCHEMA)
      .build();
    const value = new Struct(schema)
      .put('id', 1n)
      .put('name', 'foo')
      .put('inner', new Struct(inner).put('x', 2))
      .put('scores', [Math.fround(0.5), 3])
      .put('raw', Buffer.from('hi'));
    expect(recordValueText(value, schema)).toBe('Struct{id=1,name=foo,inner=Struct{x=2.0},scores=[0.5, 3.0],raw=aGk=}');
    expect(recordValueText(value)).toBe('Struct{id=1,name=foo,inner=Struct{x=2.0},scores=[0.5, 3.0],raw=aGk=}'); // a struct carries its schema
  });
});
