import { ConfigError, DataError, Schema, SchemaBuilder, Struct } from '../../../src/api';
import { applyUnchanged, sinkRecord, srcRecord, struct, transform } from './field-test-helpers';

describe('ValueToKey', () => {
  const valueSchema = SchemaBuilder.struct()
    .field('a', Schema.INT32_SCHEMA)
    .field('b', Schema.INT32_SCHEMA)
    .field('c', Schema.INT32_SCHEMA)
    .field('d', SchemaBuilder.int32().optional().defaultValue(9).build())
    .build();

  it('schemaless: the key is a Map of the listed fields (Kafka example)', () => {
    const value = new Map<string, unknown>([['a', 1], ['b', 2], ['c', 3]]);
    const out = applyUnchanged(transform('ValueToKey', { fields: 'a,b' }), sinkRecord({ value }))!;
    expect(out.keySchema).toBeNull();
    expect(out.key).toEqual(new Map([['a', 1], ['b', 2]]));
    expect(out.value).toBe(value);
  });

  it('schemaless: a missing field becomes null', () => {
    const out = transform('ValueToKey', { fields: 'zz' }).apply(sinkRecord({ value: new Map([['a', 1]]) }))!;
    expect(out.key).toEqual(new Map([['zz', null]]));
  });

  it('with a schema: the key is a Struct of the listed fields in the listed order, unnamed', () => {
    const value = struct(valueSchema, { a: 1, b: 2, c: 3 });
    const out = applyUnchanged(transform('ValueToKey', { fields: 'b,a' }), srcRecord({ valueSchema, value }))!;
    expect(out.keySchema).toEqual(SchemaBuilder.struct().field('b', Schema.INT32_SCHEMA).field('a', Schema.INT32_SCHEMA).build());
    expect((out.key as Struct).toString()).toBe('Struct{b=2,a=1}');
    expect(out.value).toBe(value);
    expect(out.valueSchema).toBe(valueSchema);
  });

  it('replace.null.with.default decides whether an unset field with a default is copied as its default', () => {
    const value = struct(valueSchema, { a: 1, b: 2, c: 3 });
    expect((transform('ValueToKey', { fields: 'd' }).apply(sinkRecord({ valueSchema, value }))!.key as Struct).getWithoutDefault('d')).toBe(9);
    const kept = transform('ValueToKey', { fields: 'd', 'replace.null.with.default': 'false' }).apply(sinkRecord({ valueSchema, value }))!;
    expect((kept.key as Struct).getWithoutDefault('d')).toBeNull();
  });

  it('caches the key schema per value schema', () => {
    const t = transform('ValueToKey', { fields: 'a' });
    const a = t.apply(sinkRecord({ valueSchema, value: struct(valueSchema, { a: 1, b: 2, c: 3 }) }))!;
    const b = t.apply(sinkRecord({ valueSchema, value: struct(valueSchema, { a: 4, b: 5, c: 6 }) }))!;
    expect(b.keySchema).toBe(a.keySchema);
  });

  it('fails for a field the schema lacks, and for tombstones and non-Map values (Kafka messages)', () => {
    const value = struct(valueSchema, { a: 1, b: 2, c: 3 });
    expect(() => transform('ValueToKey', { fields: 'x' }).apply(sinkRecord({ valueSchema, value }))).toThrow(new DataError('Field does not exist: x'));
    expect(() => transform('ValueToKey', { fields: 'a' }).apply(sinkRecord({ value: null }))).toThrow(
      'Only Map objects supported in absence of schema for [copying fields from value to key], found: null',
    );
    expect(() => transform('ValueToKey', { fields: 'a' }).apply(sinkRecord({ valueSchema: Schema.STRING_SCHEMA, value: 'x' }))).toThrow(
      'Only Struct objects supported for [copying fields from value to key], found: java.lang.String',
    );
  });

  it('validates fields', () => {
    expect(() => transform('ValueToKey', {})).toThrow('Missing required configuration "fields" which has no default value.');
    expect(() => transform('ValueToKey', { fields: '' })).toThrow(new ConfigError('Invalid value [] for configuration fields: Empty list'));
  });
});
