import { ConfigError, ConnectTimestamp, Schema, SchemaBuilder, Struct } from '../../../src/api';
import { applyUnchanged, sinkRecord, srcRecord, struct, transform } from './field-test-helpers';

const ALL = {
  'topic.field': 'topic_field!',
  'partition.field': 'partition_field',
  'timestamp.field': 'timestamp_field?',
  'static.field': 'instance_id',
  'static.value': 'my-instance-id',
};

describe('InsertField', () => {
  const simple = SchemaBuilder.struct().name('name').version(1).doc('doc').field('magic', Schema.OPTIONAL_INT64_SCHEMA).build();

  it('with a schema: copies name/version/doc and adds the fields in Kafka order with their optionality (Kafka example)', () => {
    const t = transform('InsertField$Value', ALL);
    const rec = srcRecord({ kafkaPartition: 0, valueSchema: simple, value: struct(simple, { magic: 42n }), timestamp: 789 });
    const out = applyUnchanged(t, rec)!;
    const schema = out.valueSchema!;
    expect([schema.name, schema.version, schema.doc]).toEqual(['name', 1, 'doc']);
    expect(schema.fields.map((f) => f.name)).toEqual(['magic', 'topic_field', 'partition_field', 'timestamp_field', 'instance_id']);
    expect(schema.field('magic')!.schema).toBe(Schema.OPTIONAL_INT64_SCHEMA);
    expect(schema.field('topic_field')!.schema).toBe(Schema.STRING_SCHEMA);
    expect(schema.field('partition_field')!.schema).toBe(Schema.OPTIONAL_INT32_SCHEMA);
    expect(schema.field('timestamp_field')!.schema.equals(ConnectTimestamp.builder().optional().build())).toBe(true);
    expect(schema.field('instance_id')!.schema).toBe(Schema.OPTIONAL_STRING_SCHEMA);
    const value = out.value as Struct;
    expect(value.get('magic')).toBe(42n);
    expect(value.get('topic_field')).toBe('test');
    expect(value.get('partition_field')).toBe(0);
    expect(value.get('timestamp_field')).toEqual(new Date(789));
    expect(value.get('instance_id')).toBe('my-instance-id');
    expect(out.sourcePartition).toBe(rec.sourcePartition);

    const again = t.apply(srcRecord({ kafkaPartition: 1, valueSchema: simple, value: new Struct(simple) }))!;
    expect(again.valueSchema).toBe(out.valueSchema);
  });

  it('schemaless: adds entries to a copy of the Map (Kafka example)', () => {
    const value = new Map<string, unknown>([['magic', 42n]]);
    const out = applyUnchanged(transform('InsertField$Value', ALL), srcRecord({ kafkaPartition: 0, value, timestamp: 123 }))!;
    expect(out.valueSchema).toBeNull();
    expect(out.value).toEqual(
      new Map<string, unknown>([
        ['magic', 42n],
        ['topic_field', 'test'],
        ['partition_field', 0],
        ['timestamp_field', 123n],
        ['instance_id', 'my-instance-id'],
      ]),
    );
  });

  it('leaves out the partition and timestamp when the record has none', () => {
    const out = transform('InsertField$Value', ALL).apply(srcRecord({ value: new Map() }))!;
    expect([...(out.value as Map<string, unknown>).keys()]).toEqual(['topic_field', 'instance_id']);
    const withSchema = transform('InsertField$Value', ALL).apply(srcRecord({ valueSchema: simple, value: new Struct(simple) }))!;
    expect((withSchema.value as Struct).get('partition_field')).toBeNull();
    expect((withSchema.value as Struct).get('timestamp_field')).toBeNull();
  });

  it('offset.field: the Kafka offset of a sink record; a source record fails', () => {
    const t = transform('InsertField$Value', { 'offset.field': 'off!' });
    const out = t.apply(sinkRecord({ valueSchema: simple, value: new Struct(simple), kafkaOffset: 1234n }))!;
    expect(out.valueSchema!.field('off')!.schema).toBe(Schema.INT64_SCHEMA);
    expect((out.value as Struct).get('off')).toBe(1234n);
    expect((t.apply(sinkRecord({ value: new Map(), kafkaOffset: 5n }))!.value as Map<string, unknown>).get('off')).toBe(5n);
    expect(() => t.apply(srcRecord({ value: new Map() }))).toThrow(
      'Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord',
    );
  });

  it('works on keys', () => {
    const out = transform('InsertField$Key', { 'static.field': 's', 'static.value': 'v' }).apply(sinkRecord({ key: new Map(), value: 'x' }))!;
    expect(out.key).toEqual(new Map([['s', 'v']]));
    expect(out.value).toBe('x');
  });

  it('passes tombstones through unchanged (with or without a schema)', () => {
    const t = transform('InsertField$Value', ALL);
    const a = srcRecord({ value: null });
    const b = srcRecord({ valueSchema: simple, value: null });
    expect(t.apply(a)).toBe(a);
    expect(t.apply(b)).toBe(b);
  });

  it('replace.null.with.default applies to the copied fields', () => {
    const schema = SchemaBuilder.struct().field('d', SchemaBuilder.int32().optional().defaultValue(7).build()).build();
    const value = struct(schema, { d: null });
    const withDefault = transform('InsertField$Value', { 'topic.field': 't' }).apply(sinkRecord({ valueSchema: schema, value }))!;
    expect((withDefault.value as Struct).getWithoutDefault('d')).toBe(7);
    const without = transform('InsertField$Value', { 'topic.field': 't', 'replace.null.with.default': 'false' }).apply(sinkRecord({ valueSchema: schema, value }))!;
    expect((without.value as Struct).getWithoutDefault('d')).toBeNull();
  });

  it('requires a Struct or Map', () => {
    const t = transform('InsertField$Value', { 'topic.field': 't' });
    expect(() => t.apply(sinkRecord({ value: 'text' }))).toThrow('Only Map objects supported in absence of schema for [field insertion], found: java.lang.String');
    expect(() => t.apply(sinkRecord({ valueSchema: Schema.STRING_SCHEMA, value: 'text' }))).toThrow(
      'Only Struct objects supported for [field insertion], found: java.lang.String',
    );
  });

  it('an existing field with the inserted name fails with a schema and is overwritten without one', () => {
    const t = transform('InsertField$Value', { 'topic.field': 'magic' });
    expect(() => t.apply(sinkRecord({ valueSchema: simple, value: new Struct(simple) }))).toThrow('Cannot create field because of field name duplication magic');
    expect(t.apply(sinkRecord({ value: new Map([['magic', 1]]) }))!.value).toEqual(new Map([['magic', 'test']]));
  });

  it('validates its config', () => {
    expect(() => transform('InsertField$Value', {})).toThrow(ConfigError);
    expect(() => transform('InsertField$Value', {})).toThrow(/^No field insertion configured/);
    expect(() => transform('InsertField$Value', { 'static.field': 'x' })).toThrow(
      new ConfigError('Invalid value null for configuration static.value: No value specified for static field: x'),
    );
    expect(() => transform('InsertField$Value', { 'topic.field': 't', 'replace.null.with.default': 'maybe' })).toThrow(
      'Invalid value maybe for configuration replace.null.with.default: Expected value to be either true or false',
    );
  });
});
