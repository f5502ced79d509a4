import { ConfigError, Schema, SchemaBuilder, Struct } from '../../../src/api';
import { applyUnchanged, sinkRecord, struct, transform } from './field-test-helpers';

describe('ReplaceField', () => {
  const schema = SchemaBuilder.struct()
    .name('n')
    .version(2)
    .field('dont', Schema.STRING_SCHEMA)
    .field('abc', Schema.INT32_SCHEMA)
    .field('foo', Schema.BOOLEAN_SCHEMA)
    .field('etc', Schema.STRING_SCHEMA)
    .field('d', SchemaBuilder.int32().optional().defaultValue(5).build())
    .build();
  const value = struct(schema, { dont: 'whatever', abc: 42, foo: true, etc: 'etc' });
  const mapValue = (): Map<string, unknown> => new Map<string, unknown>([['dont', 'whatever'], ['abc', 42], ['foo', true], ['etc', 'etc']]);

  it('schemaless: exclude wins over include, then renames (Kafka example)', () => {
    const t = transform('ReplaceField$Value', { exclude: 'dont', renames: 'abc:xyz,foo:bar' });
    const out = applyUnchanged(t, sinkRecord({ value: mapValue() }))!;
    expect(out.value).toEqual(new Map<string, unknown>([['xyz', 42], ['bar', true], ['etc', 'etc']]));
    const inc = transform('ReplaceField$Value', { include: 'abc,foo,dont', exclude: 'dont' }).apply(sinkRecord({ value: mapValue() }))!;
    expect(inc.value).toEqual(new Map<string, unknown>([['abc', 42], ['foo', true]]));
  });

  it('with a schema: kept fields in their order, renamed, basics copied (Kafka example)', () => {
    const t = transform('ReplaceField$Value', { include: 'abc,foo,etc,d', renames: 'abc:xyz,foo:bar' });
    const out = applyUnchanged(t, sinkRecord({ valueSchema: schema, value }))!;
    const s = out.valueSchema!;
    expect(s.fields.map((f) => f.name)).toEqual(['xyz', 'bar', 'etc', 'd']);
    expect([s.name, s.version]).toEqual(['n', 2]);
    expect(s.field('xyz')!.schema).toBe(Schema.INT32_SCHEMA);
    expect((out.value as Struct).toString()).toBe('Struct{xyz=42,bar=true,etc=etc,d=5}');
    const again = t.apply(sinkRecord({ valueSchema: schema, value }))!;
    expect(again.valueSchema).toBe(out.valueSchema);
  });

  it('replace.null.with.default=false keeps nulls', () => {
    const out = transform('ReplaceField$Value', { include: 'd', 'replace.null.with.default': 'false' }).apply(sinkRecord({ valueSchema: schema, value }))!;
    expect((out.value as Struct).getWithoutDefault('d')).toBeNull();
  });

  it('the deprecated whitelist and blacklist (Kafka 3.9) act as include and exclude unless those are set', () => {
    expect(transform('ReplaceField$Value', { whitelist: 'abc' }).apply(sinkRecord({ value: mapValue() }))!.value).toEqual(new Map([['abc', 42]]));
    expect([...(transform('ReplaceField$Value', { blacklist: 'abc,foo' }).apply(sinkRecord({ value: mapValue() }))!.value as Map<string, unknown>).keys()]).toEqual(['dont', 'etc']);
    expect(transform('ReplaceField$Value', { include: 'foo', whitelist: 'abc' }).apply(sinkRecord({ value: mapValue() }))!.value).toEqual(new Map([['foo', true]]));
  });

  it('works on keys; passes tombstones through', () => {
    const out = transform('ReplaceField$Key', { renames: 'a:b' }).apply(sinkRecord({ key: new Map([['a', 1]]) }))!;
    expect(out.key).toEqual(new Map([['b', 1]]));
    const tomb = sinkRecord({ valueSchema: schema, value: null });
    expect(transform('ReplaceField$Value', { exclude: 'a' }).apply(tomb)).toBe(tomb);
  });

  it('requires a Struct or Map', () => {
    expect(() => transform('ReplaceField$Value', {}).apply(sinkRecord({ value: 'x' }))).toThrow(
      'Only Map objects supported in absence of schema for [field replacement], found: java.lang.String',
    );
  });

  it('a rename onto an existing field fails with a schema', () => {
    expect(() => transform('ReplaceField$Value', { renames: 'abc:foo' }).apply(sinkRecord({ valueSchema: schema, value }))).toThrow(
      'Cannot create field because of field name duplication foo',
    );
  });

  it('validates renames as Kafka does', () => {
    expect(() => transform('ReplaceField$Value', { renames: 'a:b,c' })).toThrow(new ConfigError('Invalid value [a:b, c] for configuration renames: Invalid rename mapping: c'));
    expect(() => transform('ReplaceField$Value', { renames: 'a:b:c' })).toThrow('Invalid rename mapping: a:b:c');
    expect(() => transform('ReplaceField$Value', { renames: 'a:' })).toThrow('Invalid rename mapping: a:');
    // Java's split drops trailing empty parts only: "a:b:" is a valid pair.
    expect(transform('ReplaceField$Value', { renames: 'a:b:' }).apply(sinkRecord({ value: new Map([['a', 1]]) }))!.value).toEqual(new Map([['b', 1]]));
  });
});
