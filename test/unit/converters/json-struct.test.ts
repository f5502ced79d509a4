import { BigDecimal, DataError, Decimal, Schema, SchemaBuilder, Struct } from '../../../src/api';
import * as api from '../../../src/api';
import { JsonConverter } from '../../../src/converters/json-converter';

/*
 * STRUCT values, nested containers, replace.null.with.default and schema defaults. Sources, cited per case:
 * - [KT] a case of Kafka's JsonConverterTest (connect/json), by name.
 * - [JC] Kafka's JsonConverter source: asJsonSchema key order (type; fields | items | keys, values;
 *   optional, name, version, doc, parameters, default; a struct field's schema gets "field" put last);
 *   convertToJson STRUCT writes fields in schema order and throws "Mismatching schema." unless the
 *   value is a Struct whose schema equals the record's; convertToConnect STRUCT reads each schema field
 *   by name (a missing member is null) and refuses a non-object.
 * - [8713] KIP-581 / KAFKA-8713 (apache/kafka #13419, #13781): replace.null.with.default=false writes and
 *   reads null instead of the schema default, struct fields included (Struct.getWithoutDefault).
 * - [JACKSON] jackson-databind defaults: no whitespace, members in insertion order.
 */

interface EveryTypeFixture {
  everyTypeValue(a: typeof api): { schema: Schema; value: Struct };
  EXPECTED_JSON: string;
  EXPECTED_PAYLOAD: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const everyType = require('../../fixtures/plugins/every-type-source/every-type.js') as EveryTypeFixture;

const TOPIC = 'structs';

function converter(configs: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}

function write(c: JsonConverter, schema: Schema | null, value: unknown): string | null {
  const bytes = c.fromConnectData(TOPIC, [], schema, value);
  return bytes === null ? null : bytes.toString('utf8');
}

function read(c: JsonConverter, json: string) {
  return c.toConnectData(TOPIC, [], Buffer.from(json, 'utf8'));
}

const withSchemas = converter();
const noSchemas = converter({ 'schemas.enable': 'false' });
const keepNulls = converter({ 'replace.null.with.default': 'false' });

const fourFields = SchemaBuilder.struct()
  .field('field1', Schema.BOOLEAN_SCHEMA)
  .field('field2', Schema.STRING_SCHEMA)
  .field('field3', Schema.STRING_SCHEMA)
  .field('field4', Schema.BOOLEAN_SCHEMA)
  .build();

describe('JsonConverter STRUCT values', () => {
  it('writes fields in schema order, each field schema with "field" last', () => {
    // [KT] structToJson; key order [JC]
    const value = new Struct(fourFields).put('field1', true).put('field2', 'string2').put('field3', 'string3').put('field4', false);
    expect(write(withSchemas, fourFields, value)).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"boolean","optional":false,"field":"field1"},{"type":"string","optional":false,"field":"field2"},' +
        '{"type":"string","optional":false,"field":"field3"},{"type":"boolean","optional":false,"field":"field4"}],"optional":false},' +
        '"payload":{"field1":true,"field2":"string2","field3":"string3","field4":false}}',
    );
    expect(write(noSchemas, fourFields, value)).toBe('{"field1":true,"field2":"string2","field3":"string3","field4":false}');
  });

  it('accepts a struct whose schema is equal but not the same instance, and refuses any other', () => {
    // [KT] structSchemaIdentical; [JC] "Mismatching schema."
    const twin = SchemaBuilder.struct().field('field1', Schema.BOOLEAN_SCHEMA).field('field2', Schema.STRING_SCHEMA).field('field3', Schema.STRING_SCHEMA).field('field4', Schema.BOOLEAN_SCHEMA).build();
    const value = new Struct(twin).put('field1', true).put('field2', 'a').put('field3', 'b').put('field4', false);
    expect(write(noSchemas, fourFields, value)).toBe('{"field1":true,"field2":"a","field3":"b","field4":false}');
    const other = new Struct(SchemaBuilder.struct().field('field1', Schema.BOOLEAN_SCHEMA).build()).put('field1', true);
    for (const [schema, v] of [[fourFields, other], [null, other], [fourFields, { field1: true }]] as const) {
      expect(() => withSchemas.fromConnectData(TOPIC, [], schema, v)).toThrow(DataError);
      expect(() => withSchemas.fromConnectData(TOPIC, [], schema, v)).toThrow(`failed for topic ${TOPIC}: Mismatching schema.`);
    }
  });

  it('writes nested structs, arrays of structs and maps with optional null fields as null', () => {
    // [JC] convertToJson recursion; a null optional field is a JSON null, never left out
    const point = SchemaBuilder.struct().name('Point').field('x', Schema.INT32_SCHEMA).field('label', Schema.OPTIONAL_STRING_SCHEMA).build();
    const optionalPoint = SchemaBuilder.struct().name('Point').field('x', Schema.INT32_SCHEMA).field('label', Schema.OPTIONAL_STRING_SCHEMA).optional().build();
    const shape = SchemaBuilder.struct()
      .field('origin', point)
      .field('center', optionalPoint)
      .field('path', SchemaBuilder.array(point).build())
      .field('byName', SchemaBuilder.map(Schema.STRING_SCHEMA, point).build())
      .build();
    const p = (x: number, label: string | null) => new Struct(point).put('x', x).put('label', label);
    const value = new Struct(shape)
      .put('origin', p(0, null))
      .put('path', [p(1, 'a'), p(2, null)])
      .put('byName', new Map([['o', p(0, 'origin')]]));
    const pointJson = (optional: boolean) => `{"type":"struct","fields":[{"type":"int32","optional":false,"field":"x"},{"type":"string","optional":true,"field":"label"}],"optional":${optional},"name":"Point"}`;
    expect(write(withSchemas, shape, value)).toBe(
      `{"schema":{"type":"struct","fields":[${pointJson(false).slice(0, -1)},"field":"origin"},${pointJson(true).slice(0, -1)},"field":"center"},` +
        `{"type":"array","items":${pointJson(false)},"optional":false,"field":"path"},` +
        `{"type":"map","keys":{"type":"string","optional":false},"values":${pointJson(false)},"optional":false,"field":"byName"}],"optional":false},` +
        '"payload":{"origin":{"x":0,"label":null},"center":null,"path":[{"x":1,"label":"a"},{"x":2,"label":null}],"byName":{"o":{"x":0,"label":"origin"}}}}',
    );
    const back = read(withSchemas, write(withSchemas, shape, value)!);
    expect(back.schema!.equals(shape)).toBe(true);
    expect((back.value as Struct).equals(value)).toBe(true);
  });

  it('writes a map with non-string keys as [key, value] pairs, struct keys included', () => {
    // [KT] mapToJsonNonStringKeys; [JC] objectMode only when the key schema is STRING
    const key = SchemaBuilder.struct().field('id', Schema.INT8_SCHEMA).build();
    const schema = SchemaBuilder.map(key, Schema.FLOAT64_SCHEMA).build();
    const value = new Map([[new Struct(key).put('id', 1), 10], [new Struct(key).put('id', -1), 0.5]]);
    expect(write(noSchemas, schema, value)).toBe('[[{"id":1},10.0],[{"id":-1},0.5]]');
    const back = read(converter({ 'schemas.enable': 'true' }), write(withSchemas, schema, value)!).value as Map<Struct, number>;
    expect([...back].map(([k, v]) => [k.get('id'), v])).toEqual([[1, 10], [-1, 0.5]]);
  });

  it('reads a struct envelope into a Struct with the parsed schema, ignoring unknown members', () => {
    // [KT] structToConnect (its field order "field" first, whitespace: any JSON layout is read)
    const json = '{ "schema": { "type": "struct", "fields": [{ "field": "field1", "type": "boolean" }, { "field": "field2", "type": "string" }] }, "payload": { "field1": true, "field2": "string", "extra": 1 } }';
    const expectedSchema = SchemaBuilder.struct().field('field1', Schema.BOOLEAN_SCHEMA).field('field2', Schema.STRING_SCHEMA).build();
    const { schema, value } = read(withSchemas, json);
    expect(schema!.equals(expectedSchema)).toBe(true);
    expect((value as Struct).equals(new Struct(expectedSchema).put('field1', true).put('field2', 'string'))).toBe(true);
  });

  it('refuses a struct payload that is not an object or misses a required field', () => {
    // [JC] convertToConnect STRUCT message; a missing member reads as null
    const schema = '{"type":"struct","fields":[{"type":"int32","optional":false,"field":"a"}],"optional":false}';
    expect(() => read(withSchemas, `{"schema":${schema},"payload":[1]}`)).toThrow('Structs should be encoded as JSON objects, but found ARRAY');
    expect(() => read(withSchemas, `{"schema":${schema},"payload":{}}`)).toThrow('Invalid null value for required INT32 field');
    // Kafka's SchemaBuilder.field message
    const twice = '{"type":"struct","fields":[{"type":"int32","field":"a"},{"type":"string","field":"a"}]}';
    expect(() => read(withSchemas, `{"schema":${twice},"payload":{}}`)).toThrow('Cannot create field because of field name duplication a');
  });
});

describe('replace.null.with.default', () => {
  const schema = SchemaBuilder.struct()
    .field('a', SchemaBuilder.int32().optional().defaultValue(5).build())
    .field('b', SchemaBuilder.string().optional().defaultValue('x').build())
    .field('c', SchemaBuilder.array(Schema.INT32_SCHEMA).optional().defaultValue([1, 2]).build())
    .build();
  const schemaJson =
    '{"type":"struct","fields":[{"type":"int32","optional":true,"default":5,"field":"a"},{"type":"string","optional":true,"default":"x","field":"b"},' +
    '{"type":"array","items":{"type":"int32","optional":false},"optional":true,"default":[1,2],"field":"c"}],"optional":false}';

  it('true (default): a null field with a default is written as the default', () => {
    // [JC] Struct.get / convertToJson return the default for null; defaults in the schema after "optional" [KT testJsonSchemaMetadataTranslation]
    expect(write(withSchemas, schema, new Struct(schema).put('b', 'set'))).toBe(`{"schema":${schemaJson},"payload":{"a":5,"b":"set","c":[1,2]}}`);
  });

  it('false: the field is written as null; the schema still carries its default', () => {
    // [8713]
    expect(write(keepNulls, schema, new Struct(schema).put('b', 'set'))).toBe(`{"schema":${schemaJson},"payload":{"a":null,"b":"set","c":null}}`);
  });

  it('reads null and missing fields as the default when true, as null when false', () => {
    // [JC] convertToConnect; [8713]
    const json = `{"schema":${schemaJson},"payload":{"a":null,"b":"set"}}`;
    const replaced = read(withSchemas, json).value as Struct;
    expect([replaced.getWithoutDefault('a'), replaced.getWithoutDefault('b'), replaced.getWithoutDefault('c')]).toEqual([5, 'set', [1, 2]]);
    const kept = read(keepNulls, json).value as Struct;
    expect([kept.getWithoutDefault('a'), kept.getWithoutDefault('b'), kept.getWithoutDefault('c')]).toEqual([null, 'set', null]);
  });

  it('false: a null required field is an error even when it has a default', () => {
    // [8713] convertToJson with the default not applied falls through to the required check
    const required = SchemaBuilder.struct().field('n', SchemaBuilder.int32().defaultValue(7).build()).build();
    expect(write(withSchemas, required, new Struct(required))).toBe('{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"default":7,"field":"n"}],"optional":false},"payload":{"n":7}}');
    expect(() => write(keepNulls, required, new Struct(required))).toThrow('null value for INT32 field that is required and has no default value');
    expect(() => read(keepNulls, '{"schema":{"type":"int32","default":7},"payload":null}')).toThrow('Invalid null value for required INT32 field');
  });
});

describe('every type and logical type in one struct (the EveryTypeSource record)', () => {
  const { schema, value } = everyType.everyTypeValue(api);

  it('is written byte for byte as Kafka writes it (golden in test/fixtures/plugins/every-type-source/every-type.js)', () => {
    expect(write(withSchemas, schema, value)).toBe(everyType.EXPECTED_JSON);
    expect(write(noSchemas, schema, value)).toBe(everyType.EXPECTED_PAYLOAD);
  });

  it('writes Decimal as a JSON number with decimal.format=NUMERIC, and null for withDefault when not replacing', () => {
    // [JC] NUMERIC: DecimalNode of BigDecimal("-12345.67"), written with BigDecimal.toString
    expect(write(converter({ 'schemas.enable': 'false', 'decimal.format': 'NUMERIC' }), schema, value)).toBe(everyType.EXPECTED_PAYLOAD.replace('"decimal":"7Sl5"', '"decimal":-12345.67'));
    expect(write(converter({ 'schemas.enable': 'false', 'replace.null.with.default': 'false' }), schema, value)).toBe(everyType.EXPECTED_PAYLOAD.replace('"withDefault":42', '"withDefault":null'));
  });

  it.each([
    ['BASE64', 'true'],
    ['NUMERIC', 'false'],
  ])('round-trips (decimal.format=%s, replace.null.with.default=%s)', (decimalFormat, replace) => {
    const c = converter({ 'decimal.format': decimalFormat, 'replace.null.with.default': replace });
    const back = c.toConnectData(TOPIC, [], c.fromConnectData(TOPIC, [], schema, value));
    expect(back.schema!.equals(schema)).toBe(true);
    const expected = new Struct(schema);
    for (const f of schema.fields) expected.put(f.name, value.getWithoutDefault(f.name));
    if (replace === 'true') expected.put('withDefault', 42);
    expect((back.value as Struct).equals(expected)).toBe(true);
    expect((back.value as Struct).get('decimal')).toEqual(new BigDecimal(-1234567n, 2));
    expect((back.value as Struct).get('int64')).toBe(2n ** 63n - 1n);
  });

  it('caches the parsed schema by its text: the same Schema instance for every record', () => {
    const a = read(withSchemas, everyType.EXPECTED_JSON);
    const b = read(withSchemas, everyType.EXPECTED_JSON);
    expect(a.schema).toBe(b.schema);
    expect(a.schema!.field('decimal')!.schema.equals(Decimal.schema(2))).toBe(true);
  });
});
