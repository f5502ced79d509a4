import { ConfigError, Schema, SchemaBuilder } from '../../../src/api';
import { applyUnchanged, sinkRecord, struct, transform } from './field-test-helpers';

const V2 = { 'field.syntax.version': 'V2' };

describe('ExtractField', () => {
  it('schemaless: extracts a field of a Map key (Kafka example)', () => {
    const out = applyUnchanged(transform('ExtractField$Key', { field: 'magic' }), sinkRecord({ key: new Map([['magic', 42]]) }))!;
    expect(out.keySchema).toBeNull();
    expect(out.key).toBe(42);
  });

  it('schemaless: a null stays null and a missing field gives null, nested too', () => {
    const rec = sinkRecord({ key: null });
    expect(transform('ExtractField$Key', { field: 'magic' }).apply(rec)).toBe(rec);
    expect(transform('ExtractField$Key', { field: 'nope' }).apply(sinkRecord({ key: new Map([['magic', 42]]) }))!.key).toBeNull();
    const nested = sinkRecord({ key: new Map([['magic', new Map([['foo', 42]])]]) });
    expect(transform('ExtractField$Key', { field: 'magic.foo', ...V2 }).apply(nested)!.key).toBe(42);
    expect(transform('ExtractField$Key', { field: 'magic.nope', ...V2 }).apply(nested)!.key).toBeNull();
    expect(transform('ExtractField$Key', { field: 'nope.foo', ...V2 }).apply(nested)!.key).toBeNull();
  });

  it('V1 takes a dotted name literally', () => {
    const rec = sinkRecord({ value: new Map<string, unknown>([['a.b', 1], ['a', new Map([['b', 2]])]]) });
    expect(transform('ExtractField$Value', { field: 'a.b' }).apply(rec)!.value).toBe(1);
    expect(transform('ExtractField$Value', { field: 'a.b', 'field.syntax.version': 'v2' }).apply(rec)!.value).toBe(2);
    expect(transform('ExtractField$Value', { field: '`a.b`', ...V2 }).apply(rec)!.value).toBe(1);
  });

  it('with a schema: the field schema becomes the key schema (Kafka example), nested with V2', () => {
    const keySchema = SchemaBuilder.struct().field('magic', Schema.INT32_SCHEMA).build();
    const out = applyUnchanged(transform('ExtractField$Key', { field: 'magic' }), sinkRecord({ keySchema, key: struct(keySchema, { magic: 42 }) }))!;
    expect(out.keySchema).toBe(Schema.INT32_SCHEMA);
    expect(out.key).toBe(42);

    const foo = SchemaBuilder.struct().field('foo', Schema.INT32_SCHEMA).build();
    const outer = SchemaBuilder.struct().field('magic', foo).build();
    const key = struct(outer, { magic: struct(foo, { foo: 42 }) });
    const nested = transform('ExtractField$Key', { field: 'magic.foo', ...V2 }).apply(sinkRecord({ keySchema: outer, key }))!;
    expect(nested.keySchema).toBe(Schema.INT32_SCHEMA);
    expect(nested.key).toBe(42);
  });

  it('with a schema: a null value gives null with the field schema', () => {
    const keySchema = SchemaBuilder.struct().field('magic', Schema.INT32_SCHEMA).optional().build();
    const out = transform('ExtractField$Key', { field: 'magic' }).apply(sinkRecord({ keySchema, key: null }))!;
    expect(out.keySchema).toBe(Schema.INT32_SCHEMA);
    expect(out.key).toBeNull();
  });

  it('with a schema: an unknown field fails with Kafka message', () => {
    const keySchema = SchemaBuilder.struct().field('magic', Schema.INT32_SCHEMA).build();
    const key = struct(keySchema, { magic: 42 });
    expect(() => transform('ExtractField$Key', { field: 'nonexistent' }).apply(sinkRecord({ keySchema, key }))).toThrow('Unknown field: nonexistent');
    const foo = SchemaBuilder.struct().field('foo', Schema.INT32_SCHEMA).build();
    const outer = SchemaBuilder.struct().field('magic', foo).build();
    const nested = struct(outer, { magic: struct(foo, { foo: 42 }) });
    expect(() => transform('ExtractField$Key', { field: 'magic.nonexistent', ...V2 }).apply(sinkRecord({ keySchema: outer, key: nested }))).toThrow(
      'Unknown field: magic.nonexistent',
    );
  });

  it('replace.null.with.default', () => {
    const valueSchema = SchemaBuilder.struct().field('o', SchemaBuilder.int32().optional().defaultValue(42).build()).build();
    const value = struct(valueSchema, { o: null });
    expect(transform('ExtractField$Value', { field: 'o' }).apply(sinkRecord({ valueSchema, value }))!.value).toBe(42);
    expect(transform('ExtractField$Value', { field: 'o', 'replace.null.with.default': 'false' }).apply(sinkRecord({ valueSchema, value }))!.value).toBeNull();
  });

  it('requires a Struct or Map', () => {
    expect(() => transform('ExtractField$Value', { field: 'a' }).apply(sinkRecord({ value: 'text' }))).toThrow(
      'Only Map objects supported in absence of schema for [field extraction], found: java.lang.String',
    );
    expect(() => transform('ExtractField$Value', { field: 'a' }).apply(sinkRecord({ valueSchema: Schema.STRING_SCHEMA, value: 'text' }))).toThrow(
      'Only Struct objects supported for [field extraction], found: java.lang.String',
    );
  });

  it('validates its config', () => {
    expect(() => transform('ExtractField$Key', {})).toThrow('Missing required configuration "field" which has no default value.');
    expect(() => transform('ExtractField$Key', { field: 'a', 'field.syntax.version': 'V3' })).toThrow(
      new ConfigError('Invalid value V3 for configuration field.syntax.version: String must be one of (case insensitive): V1, V2'),
    );
    expect(() => transform('ExtractField$Key', { field: '`a.b', ...V2 })).toThrow(
      new ConfigError('Invalid value `a.b for configuration field: Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick at position 0 to escape it'),
    );
  });
});
