import { BigDecimal, ConfigError, Decimal, Schema, SchemaBuilder, Struct } from '../../../src/api';
import { applyUnchanged, sinkRecord, struct, transform } from './field-test-helpers';

describe('SetSchemaMetadata', () => {
  const schema = SchemaBuilder.struct()
    .name('old')
    .version(1)
    .doc('d')
    .field('a', SchemaBuilder.string().optional().defaultValue('dflt').build())
    .field('b', Schema.INT32_SCHEMA)
    .build();

  it('sets the name, the version or both (Kafka examples)', () => {
    const rec = sinkRecord({ valueSchema: SchemaBuilder.struct().build(), value: null });
    expect(transform('SetSchemaMetadata$Value', { 'schema.name': 'foo' }).apply(rec)!.valueSchema!.name).toBe('foo');
    expect(transform('SetSchemaMetadata$Value', { 'schema.version': '42' }).apply(rec)!.valueSchema!.version).toBe(42);
    const both = transform('SetSchemaMetadata$Value', { 'schema.name': 'foo', 'schema.version': '42' }).apply(rec)!.valueSchema!;
    expect([both.name, both.version]).toEqual(['foo', 42]);
  });

  it('copies a Struct onto the new schema, keeping everything else of the schema', () => {
    const value = struct(schema, { a: 'x', b: 2 });
    const out = applyUnchanged(transform('SetSchemaMetadata$Value', { 'schema.name': 'foo' }), sinkRecord({ valueSchema: schema, value }))!;
    const updated = out.valueSchema!;
    expect([updated.name, updated.version, updated.doc, updated.optional]).toEqual(['foo', 1, 'd', false]);
    expect(updated.fields).toBe(schema.fields);
    const copy = out.value as Struct;
    expect(copy).not.toBe(value);
    expect(copy.schema).toBe(updated);
    expect(copy.toString()).toBe('Struct{a=x,b=2}');
  });

  it('replace.null.with.default decides what a null field with a default becomes', () => {
    const value = struct(schema, { a: null, b: 2 });
    const withDefault = transform('SetSchemaMetadata$Value', { 'schema.name': 'foo' }).apply(sinkRecord({ valueSchema: schema, value }))!;
    expect((withDefault.value as Struct).getWithoutDefault('a')).toBe('dflt');
    const kept = transform('SetSchemaMetadata$Value', { 'schema.name': 'foo', 'replace.null.with.default': 'false' }).apply(sinkRecord({ valueSchema: schema, value }))!;
    expect((kept.value as Struct).getWithoutDefault('a')).toBeNull();
  });

  it('leaves a non-Struct value as it is; keeps array and map element schemas', () => {
    const arr = SchemaBuilder.array(Schema.INT32_SCHEMA).build();
    const value = [1, 2];
    const out = transform('SetSchemaMetadata$Key', { 'schema.name': 'n' }).apply(sinkRecord({ keySchema: arr, key: value }))!;
    expect(out.key).toBe(value);
    expect(out.keySchema!.valueSchema).toBe(Schema.INT32_SCHEMA);
    const map = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).build();
    const m = transform('SetSchemaMetadata$Key', { 'schema.name': 'n' }).apply(sinkRecord({ keySchema: map, key: new Map() }))!;
    expect([m.keySchema!.keySchema, m.keySchema!.valueSchema]).toEqual([Schema.STRING_SCHEMA, Schema.INT64_SCHEMA]);
  });

  it('touches only the top-level schema: a nested Decimal keeps its name and parameters', () => {
    const dec = Decimal.schema(2);
    const s = SchemaBuilder.struct().field('amount', dec).build();
    const out = transform('SetSchemaMetadata$Value', { 'schema.name': 'x', 'schema.version': '7' }).apply(sinkRecord({ valueSchema: s, value: struct(s, { amount: new BigDecimal(123n, 2) }) }))!;
    expect(out.valueSchema!.field('amount')!.schema).toBe(dec);
    expect((out.value as Struct).get('amount')).toEqual(new BigDecimal(123n, 2));
  });

  it('a record with neither schema nor value passes through; a value without a schema fails', () => {
    const t = transform('SetSchemaMetadata$Value', { 'schema.name': 'foo' });
    const empty = sinkRecord({});
    expect(t.apply(empty)).toBe(empty);
    expect(() => t.apply(sinkRecord({ value: new Map() }))).toThrow('Schema required for [updating schema metadata]');
    const nullWithSchema = t.apply(sinkRecord({ valueSchema: Schema.OPTIONAL_STRING_SCHEMA, value: null }))!;
    expect(nullWithSchema.value).toBeNull();
    expect(nullWithSchema.valueSchema!.name).toBe('foo');
  });

  it('derives the new schema once per input schema', () => {
    const t = transform('SetSchemaMetadata$Value', { 'schema.name': 'foo' });
    const a = t.apply(sinkRecord({ valueSchema: schema, value: struct(schema, { b: 1 }) }))!;
    const b = t.apply(sinkRecord({ valueSchema: schema, value: struct(schema, { b: 2 }) }))!;
    expect(b.valueSchema).toBe(a.valueSchema);
  });

  it('validates its config', () => {
    expect(() => transform('SetSchemaMetadata$Value', {})).toThrow(ConfigError);
    expect(() => transform('SetSchemaMetadata$Value', {})).toThrow(/^Neither schema name nor version configured/);
    expect(() => transform('SetSchemaMetadata$Value', { 'schema.version': 'x' })).toThrow('Invalid value x for configuration schema.version: Not a number of type INT');
  });
});
