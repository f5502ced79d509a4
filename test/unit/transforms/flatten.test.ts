import { BigDecimal, ConnectDate, Schema, SchemaBuilder, SchemaType, Struct } from '../../../src/api';
import { applyUnchanged, sinkRecord, srcRecord, struct, transform } from './field-test-helpers';

describe('Flatten', () => {
  const leafSchema = SchemaBuilder.struct()
    .field('int8', Schema.INT8_SCHEMA)
    .field('int64', Schema.INT64_SCHEMA)
    .field('float64', Schema.FLOAT64_SCHEMA)
    .field('boolean', Schema.BOOLEAN_SCHEMA)
    .field('string', Schema.STRING_SCHEMA)
    .field('bytes', Schema.BYTES_SCHEMA)
    .build();
  const bSchema = SchemaBuilder.struct().field('B', leafSchema).build();
  const topSchema = SchemaBuilder.struct().name('top').version(3).field('A', bSchema).field('x', Schema.INT32_SCHEMA).build();
  const leaf = struct(leafSchema, { int8: 8, int64: 64n, float64: 64.5, boolean: true, string: 'stringy', bytes: Buffer.from('bytes') });
  const top = struct(topSchema, { A: struct(bSchema, { B: leaf }), x: 1 });

  it('with a schema: nested Structs become dotted fields, in depth-first order (Kafka example)', () => {
    const out = applyUnchanged(transform('Flatten$Value', {}), srcRecord({ valueSchema: topSchema, value: top }))!;
    const schema = out.valueSchema!;
    expect(schema.fields.map((f) => f.name)).toEqual(['A.B.int8', 'A.B.int64', 'A.B.float64', 'A.B.boolean', 'A.B.string', 'A.B.bytes', 'x']);
    expect([schema.name, schema.version, schema.optional]).toEqual(['top', 3, false]);
    expect((out.value as Struct).toString()).toBe('Struct{A.B.int8=8,A.B.int64=64,A.B.float64=64.5,A.B.boolean=true,A.B.string=stringy,A.B.bytes=Ynl0ZXM=,x=1}');
    expect((out.value as Struct).get('A.B.bytes')).toEqual(Buffer.from('bytes'));
    expect((out.value as Struct).get('x')).toBe(1);
  });

  it('delimiter', () => {
    const out = transform('Flatten$Value', { delimiter: '#' }).apply(srcRecord({ valueSchema: topSchema, value: top }))!;
    expect(out.valueSchema!.fields.map((f) => f.name)).toContain('A#B#int8');
    const schemaless = transform('Flatten$Value', { delimiter: '_' }).apply(sinkRecord({ value: new Map([['A', new Map([['B', 1]])]]) }))!;
    expect(schemaless.value).toEqual(new Map([['A_B', 1]]));
  });

  it('schemaless: nested Maps become one Map with delimited keys; nulls and arrays are kept (Kafka example)', () => {
    const value = new Map<string, unknown>([
      ['A', new Map<string, unknown>([['B', new Map<string, unknown>([['int8', 8], ['string', 'stringy'], ['opt', null]])]])],
      ['list', [new Map([['k', 1]])]],
      ['firstNull', null],
    ]);
    const out = applyUnchanged(transform('Flatten$Value', {}), sinkRecord({ value }))!;
    expect(out.valueSchema).toBeNull();
    expect(out.value).toEqual(
      new Map<string, unknown>([
        ['A.B.int8', 8],
        ['A.B.string', 'stringy'],
        ['A.B.opt', null],
        ['list', [new Map([['k', 1]])]],
        ['firstNull', null],
      ]),
    );
  });

  it('works on keys', () => {
    const out = transform('Flatten$Key', {}).apply(sinkRecord({ key: new Map([['A', new Map([['B', 12]])]]) }))!;
    expect(out.key).toEqual(new Map([['A.B', 12]]));
  });

  it('passes tombstones through', () => {
    const a = sinkRecord({ value: null });
    const b = sinkRecord({ valueSchema: topSchema, value: null });
    expect(transform('Flatten$Value', {}).apply(a)).toBe(a);
    expect(transform('Flatten$Value', {}).apply(b)).toBe(b);
  });

  it('an array with a schema is kept as it is (Kafka testArrayWithSchema)', () => {
    const nested = SchemaBuilder.struct().field('lfg', Schema.STRING_SCHEMA).build();
    const inner = SchemaBuilder.struct().field('baz', nested).build();
    const schema = SchemaBuilder.struct().field('foo', SchemaBuilder.array(inner).doc('durk').build()).build();
    const value = struct(schema, { foo: [struct(inner, { baz: struct(nested, { lfg: 'lfg' }) })] });
    const out = transform('Flatten$Value', {}).apply(sinkRecord({ valueSchema: schema, value }))!;
    expect(out.valueSchema!.equals(schema)).toBe(true);
    expect((out.value as Struct).equals(value)).toBe(true);
  });

  it('optional parents make flattened fields optional; defaults come from the field or the parent default (Kafka example)', () => {
    const fields = (b: SchemaBuilder): SchemaBuilder => b.field('req_field', Schema.STRING_SCHEMA).field('opt_field', SchemaBuilder.string().optional().defaultValue('child_default').build());
    const plain = fields(SchemaBuilder.struct().optional()).build();
    const childDefault = struct(plain, { req_field: 'req_default' });
    const schema = new Schema(SchemaType.STRUCT, { optional: true, fields: plain.fields, defaultValue: childDefault });
    const parent = SchemaBuilder.struct().field('child', schema).build();
    const out = transform('Flatten$Value', {}).apply(srcRecord({ valueSchema: schema, value: new Struct(schema) }))!;
    expect(out.valueSchema!.field('req_field')!.schema.equals(SchemaBuilder.string().optional().defaultValue('req_default').build())).toBe(true);
    expect(out.valueSchema!.field('opt_field')!.schema.equals(SchemaBuilder.string().optional().defaultValue('child_default').build())).toBe(true);

    const nestedNull = transform('Flatten$Value', {}).apply(srcRecord({ valueSchema: parent, value: new Struct(parent) }))!;
    expect(nestedNull.valueSchema!.fields.map((f) => [f.name, f.schema.optional])).toEqual([
      ['child.req_field', true],
      ['child.opt_field', true],
    ]);
    // Unset nested struct: its fields read as their flattened defaults.
    expect((nestedNull.value as Struct).get('child.req_field')).toBe('req_default');
  });

  it('keeps logical types of leaves', () => {
    const schema = SchemaBuilder.struct().field('n', SchemaBuilder.struct().field('d', ConnectDate.SCHEMA).build()).build();
    const out = transform('Flatten$Value', {}).apply(srcRecord({ valueSchema: schema, value: struct(schema, { n: struct(schema.field('n')!.schema, { d: new Date(0) }) }) }))!;
    expect(out.valueSchema!.field('n.d')!.schema.equals(ConnectDate.SCHEMA)).toBe(true);
  });

  it('caches the flattened schema per input schema', () => {
    const t = transform('Flatten$Value', {});
    const a = t.apply(srcRecord({ valueSchema: topSchema, value: top }))!;
    const b = t.apply(srcRecord({ valueSchema: topSchema, value: top }))!;
    expect(b.valueSchema).toBe(a.valueSchema);
  });

  it('refuses what Kafka refuses (exact messages)', () => {
    const withMap = SchemaBuilder.struct().field('m', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build()).build();
    expect(() => transform('Flatten$Value', {}).apply(sinkRecord({ valueSchema: withMap, value: struct(withMap, { m: new Map() }) }))).toThrow(
      'Flatten transformation does not support MAP for record with schemas (for field m).',
    );
    expect(() => transform('Flatten$Value', {}).apply(sinkRecord({ value: new Map([['s', top]]) }))).toThrow(
      'Flatten transformation does not support class org.apache.kafka.connect.data.Struct for record without schemas (for field s).',
    );
    expect(() => transform('Flatten$Value', {}).apply(sinkRecord({ value: new Map([['d', new BigDecimal(1n, 0)]]) }))).toThrow(
      "Flatten transformation was passed a value of type class java.math.BigDecimal which is not supported by Connect's data API",
    );
    expect(() => transform('Flatten$Value', {}).apply(sinkRecord({ value: 42 }))).toThrow('Only Map objects supported in absence of schema for [flattening], found: java.lang.Integer');
    expect(() => transform('Flatten$Value', {}).apply(sinkRecord({ valueSchema: Schema.INT32_SCHEMA, value: 42 }))).toThrow(
      'Only Struct objects supported for [flattening], found: java.lang.Integer',
    );
  });
});
