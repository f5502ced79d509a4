import { ConfigError, ConnectRecord, DataError, Header, Schema, SchemaBuilder, sourceRecord, SourceRecord, Struct } from '../../../src/api';
import { builtinTransformations } from '../../../src/transforms';
import { HeaderFrom } from '../../../src/transforms/header-from';
import { KEY, RecordPart, VALUE } from '../../../src/transforms/util/record-part';

const EXISTING: Header = Object.freeze({ key: 'header1', schema: Schema.STRING_SCHEMA, value: 'existing-value' });

function transform(part: RecordPart, props: Record<string, string>): HeaderFrom {
  const t = new HeaderFrom(part);
  t.configure(props);
  return t;
}

function recordWith(part: RecordPart, schema: Schema | null, value: unknown, headers: readonly Header[] = [EXISTING]): SourceRecord {
  const base = sourceRecord({ topic: 'topic', value: 'value', key: 'key', kafkaPartition: 0, timestamp: 0, headers: Object.freeze([...headers]), sourcePartition: { foo: 'bar' }, sourceOffset: { baz: 'quxx' } });
  return Object.freeze(part.with(base, schema, value));
}

const schema = SchemaBuilder.struct()
  .name('com.example.Row')
  .version(2)
  .doc('a row')
  .field('field1', Schema.STRING_SCHEMA)
  .field('field2', Schema.OPTIONAL_STRING_SCHEMA)
  .field('field3', SchemaBuilder.int32().optional().defaultValue(7).build())
  .build();

function row(): Struct {
  return new Struct(schema).put('field1', 'field1-value').put('field2', 'field2-value');
}

describe.each([
  ['HeaderFrom$Key', KEY],
  ['HeaderFrom$Value', VALUE],
])('%s', (_name, part) => {
  it('copies a field into a header with the field schema, keeping the struct and the existing headers', () => {
    const value = row();
    const record = recordWith(part, schema, value);
    const out = transform(part, { fields: 'field1', headers: 'inserted1', operation: 'copy' }).apply(record);
    expect(out.headers).toEqual([EXISTING, { key: 'inserted1', schema: Schema.STRING_SCHEMA, value: 'field1-value' }]);
    expect(part.value(out)).toBe(value);
    expect(part.schema(out)).toBe(schema);
    expect(out.sourceOffset).toEqual({ baz: 'quxx' });
    expect(record.headers).toEqual([EXISTING]);
  });

  it('moves fields: the schema loses them (name, version, doc kept) and is derived once per input schema', () => {
    const t = transform(part, { fields: 'field1,field3', headers: 'inserted1,inserted3', operation: 'move' });
    const out = t.apply(recordWith(part, schema, row()));
    const moved = part.schema(out) as Schema;
    expect(moved.fields.map((f) => f.name)).toEqual(['field2']);
    expect([moved.name, moved.version, moved.doc, moved.optional]).toEqual(['com.example.Row', 2, 'a row', false]);
    expect((part.value(out) as Struct).get('field2')).toBe('field2-value');
    expect(out.headers.slice(1)).toEqual([
      { key: 'inserted1', schema: Schema.STRING_SCHEMA, value: 'field1-value' },
      { key: 'inserted3', schema: schema.field('field3')!.schema, value: 7 },
    ]);
    expect(part.schema(t.apply(recordWith(part, schema, row())))).toBe(moved);
  });

  it('gives null rather than the default with replace.null.with.default=false', () => {
    const out = transform(part, { fields: 'field3', headers: 'h3', operation: 'copy', 'replace.null.with.default': 'false' }).apply(recordWith(part, schema, row()));
    expect(out.headers[1]).toEqual({ key: 'h3', schema: schema.field('field3')!.schema, value: null });
  });

  it('adds a second header of the same name rather than replacing it', () => {
    const out = transform(part, { fields: 'field1', headers: 'header1', operation: 'copy' }).apply(recordWith(part, schema, row()));
    expect(out.headers.map((h) => [h.key, h.value])).toEqual([
      ['header1', 'existing-value'],
      ['header1', 'field1-value'],
    ]);
  });

  it('works without a schema on a Map: headers without schema, move removes the entries from a copy', () => {
    const map = new Map<string, unknown>([
      ['field1', 'field1-value'],
      ['field2', 'field2-value'],
    ]);
    const record = recordWith(part, null, map);
    const moved = transform(part, { fields: 'field1,missing', headers: 'inserted1,inserted2', operation: 'move' }).apply(record);
    expect([...(part.value(moved) as Map<string, unknown>)]).toEqual([['field2', 'field2-value']]);
    expect(moved.headers.slice(1)).toEqual([
      { key: 'inserted1', schema: null, value: 'field1-value' },
      { key: 'inserted2', schema: null, value: null },
    ]);
    expect(map.size).toBe(2);
    const copied = transform(part, { fields: 'field1', headers: 'inserted1', operation: 'copy' }).apply(record);
    expect(part.value(copied)).toBe(map);
  });

  it("fails on a null or non-struct key/value with Kafka's message", () => {
    const t = transform(part, { fields: 'field1', headers: 'h', operation: 'move' });
    expect(() => t.apply(recordWith(part, null, null))).toThrow(new DataError('Only Map objects supported in absence of schema for [header move], found: null'));
    expect(() => t.apply(recordWith(part, schema, 'text'))).toThrow(new DataError('Only Struct objects supported for [header move], found: java.lang.String'));
  });

  it('fails naming a field the schema does not have', () => {
    const t = transform(part, { fields: 'nope', headers: 'h', operation: 'copy' });
    expect(() => t.apply(recordWith(part, schema, row()))).toThrow(new DataError('nope is not a valid field name'));
  });
});

describe('HeaderFrom configuration', () => {
  it.each([
    [{ fields: 'a,b', headers: 'h', operation: 'copy' }, "'fields' config must have the same number of elements as 'headers' config."],
    [{ fields: 'a', headers: 'h', operation: 'swap' }, 'Invalid value swap for configuration operation: String must be one of: move, copy'],
    [{ fields: '', headers: 'h', operation: 'copy' }, 'Invalid value [] for configuration fields: Empty list'],
    [{ fields: 'a', operation: 'copy' }, 'Missing required configuration "headers" which has no default value.'],
  ])('refuses %j', (props, message) => {
    expect(() => new HeaderFrom(VALUE).configure(props)).toThrow(new ConfigError(message));
  });

  it('is registered as both Kafka variants', () => {
    for (const variant of ['Key', 'Value']) {
      const plugin = builtinTransformations.find((p) => p.className === `org.apache.kafka.connect.transforms.HeaderFrom$${variant}`);
      expect(plugin?.aliases).toEqual([`HeaderFrom$${variant}`]);
      const record: ConnectRecord = sourceRecord({ topic: 't', key: new Map([['a', 1]]), value: new Map([['a', 2]]) });
      const t = plugin!.create();
      t.configure({ fields: 'a', headers: 'h', operation: 'copy' });
      expect(t.apply(record)!.headers[0].value).toBe(variant === 'Key' ? 1 : 2);
    }
  });
});
