import { ConfigError, Schema, SchemaBuilder } from '../../../src/api';
import { SingleFieldPath } from '../../../src/transforms/util/field-path';
import { struct } from './field-test-helpers';

const v2 = (p: string): readonly string[] => new SingleFieldPath(p, 'V2').steps;

describe('SingleFieldPath (Kafka FieldPathNotationTest cases)', () => {
  it('V1 is the text as one step', () => {
    for (const p of ['foo.bar.baz', 'foo`bar`', 'foo.`bar.baz`']) expect(new SingleFieldPath(p, 'V1').steps).toEqual([p]);
  });

  it.each<[string, string[]]>([
    ['..', ['', '', '']],
    ['foo..', ['foo', '', '']],
    ['.bar.', ['', 'bar', '']],
    ['..baz', ['', '', 'baz']],
    ['foobarbaz', ['foobarbaz']],
    ['foo.bar.baz', ['foo', 'bar', 'baz']],
    ['foo`bar`baz', ['foo`bar`baz']],
    ['`foo.bar.baz`', ['foo.bar.baz']],
    ['foo.`bar.baz`', ['foo', 'bar.baz']],
    ['`foo.bar`.baz', ['foo.bar', 'baz']],
    ['foo.`bar`.baz', ['foo', 'bar', 'baz']],
    ['foo.``bar.baz`', ['foo', '`bar.baz']],
    ['foo.`bar.baz``', ['foo', 'bar.baz`']],
    ['foo.`ba`r.baz`', ['foo', 'ba`r.baz']],
    ['foo.ba`r.baz', ['foo', 'ba`r', 'baz']],
    ['foo.``bar``.baz', ['foo', '`bar`', 'baz']],
    ['``foo.bar.baz``', ['`foo.bar.baz`']],
    ['foo.`bar\\`.baz`', ['foo', 'bar`.baz']],
    ['foo.`bar.`baz`', ['foo', 'bar.`baz']],
    ['foo.`bar\\`.`baz`', ['foo', 'bar`.`baz']],
    ['foo.`bar\\\\`.\\`baz`', ['foo', 'bar\\`.\\`baz']],
  ])('V2 %s', (path, steps) => {
    expect(v2(path)).toEqual(steps);
  });

  it.each<[string, number]>([
    ['`foo.bar.baz', 0],
    ['foo.`bar.baz', 4],
    ['foo.bar.`baz', 8],
    ['foo.bar.`baz\\`', 8],
  ])('V2 %s: incomplete backtick pair', (path, at) => {
    expect(() => v2(path)).toThrow(
      new ConfigError(`Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${at} to escape it`),
    );
  });

  it('an empty V2 path is one empty step (Kafka would fail on first use)', () => {
    expect(v2('')).toEqual(['']);
  });

  const bar = SchemaBuilder.struct().field('bar', Schema.INT32_SCHEMA).field('baz', Schema.OPTIONAL_INT32_SCHEMA).build();
  const schema = SchemaBuilder.struct().field('foo', bar).build();
  const value = struct(schema, { foo: struct(bar, { bar: 42 }) });
  const map = new Map([['foo', new Map([['bar', 42], ['baz', null]])]]);

  it('finds fields and values (Kafka SingleFieldPathTest cases)', () => {
    const p = (s: string): SingleFieldPath => new SingleFieldPath(s, 'V2');
    expect(p('foo.bar').fieldFrom(schema)).toBe(bar.field('bar'));
    expect(p('foo').fieldFrom(schema)).toBe(schema.field('foo'));
    for (const s of ['un.known', 'foo.unknown', 'unknown']) expect(p(s).fieldFrom(schema)).toBeNull();
    expect(p('test').fieldFrom(null)).toBeNull();
    expect(p('foo.bar').valueFromMap(map)).toBe(42);
    expect(p('foo.bar').valueFromStruct(value)).toBe(42);
    for (const s of ['foo.baz', 'un.known', 'foo.unknown', 'unknown', 'foo.baz.inner']) {
      expect(p(s).valueFromMap(map)).toBeNull();
      expect(p(s).valueFromStruct(value)).toBeNull();
    }
  });

  it('a non-struct parent fails as Kafka does', () => {
    expect(() => new SingleFieldPath('foo.bar.x', 'V2').fieldFrom(schema)).toThrow('Cannot look up fields on non-struct type');
    expect(() => new SingleFieldPath('foo.bar.x', 'V2').valueFromMap(map)).toThrow(
      'Only Map objects supported in absence of schema for [nested field access], found: java.lang.Integer',
    );
  });
});
