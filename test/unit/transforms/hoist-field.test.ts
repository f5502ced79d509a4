import { ConfigError, Schema, SchemaBuilder, Struct } from '../../../src/api';
import { applyUnchanged, sinkRecord, srcRecord, struct, transform } from './field-test-helpers';

describe('HoistField', () => {
  it('wraps a schemaless key in a Map (Kafka example)', () => {
    const out = applyUnchanged(transform('HoistField$Key', { field: 'magic' }), sinkRecord({ key: 42 }))!;
    expect(out.keySchema).toBeNull();
    expect(out.key).toEqual(new Map([['magic', 42]]));
  });

  it('wraps a value with a schema in a Struct whose schema is required and unnamed', () => {
    const t = transform('HoistField$Value', { field: 'line' });
    const out = applyUnchanged(t, srcRecord({ valueSchema: Schema.STRING_SCHEMA, value: 'hello' }))!;
    expect(out.valueSchema).toEqual(SchemaBuilder.struct().field('line', Schema.STRING_SCHEMA).build());
    expect(out.valueSchema!.optional).toBe(false);
    expect(out.valueSchema!.name).toBeNull();
    expect((out.value as Struct).get('line')).toBe('hello');
  });

  it('hoists a Struct (kept as the field value, not copied in place)', () => {
    const inner = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).build();
    const value = struct(inner, { a: 1 });
    const out = applyUnchanged(transform('HoistField$Value', { field: 'wrapped' }), sinkRecord({ valueSchema: inner, value }))!;
    expect((out.value as Struct).get('wrapped')).toBe(value);
    expect(out.valueSchema!.field('wrapped')!.schema).toBe(inner);
  });

  it('keeps the other part of the record and its metadata', () => {
    const rec = sinkRecord({ key: 'k', value: 'v', kafkaOffset: 7n, timestamp: 5 });
    const out = transform('HoistField$Value', { field: 'f' }).apply(rec)!;
    expect(out).toMatchObject({ key: 'k', kafkaOffset: 7n, timestamp: 5, topic: 'test' });
  });

  it('wraps nulls: a schemaless tombstone becomes {field: null}; a required schema refuses null', () => {
    const out = transform('HoistField$Value', { field: 'f' }).apply(sinkRecord({ value: null }))!;
    expect(out.value).toEqual(new Map([['f', null]]));
    const optional = transform('HoistField$Value', { field: 'f' }).apply(sinkRecord({ valueSchema: Schema.OPTIONAL_STRING_SCHEMA, value: null }))!;
    expect((optional.value as Struct).get('f')).toBeNull();
    expect(() => transform('HoistField$Value', { field: 'f' }).apply(sinkRecord({ valueSchema: Schema.STRING_SCHEMA, value: null }))).toThrow(
      'Invalid value: null used for required field: "f", schema type: STRING',
    );
  });

  it('derives the schema once per input schema', () => {
    const t = transform('HoistField$Key', { field: 'f' });
    const a = t.apply(sinkRecord({ keySchema: Schema.STRING_SCHEMA, key: 'a' }))!;
    const b = t.apply(sinkRecord({ keySchema: Schema.STRING_SCHEMA, key: 'b' }))!;
    expect(b.keySchema).toBe(a.keySchema);
  });

  it('requires field', () => {
    expect(() => transform('HoistField$Key', {})).toThrow(ConfigError);
    expect(() => transform('HoistField$Key', {})).toThrow('Missing required configuration "field" which has no default value.');
  });
});
