import { DataError, Schema, SchemaType, Struct } from '../../../../src/api';
import { JsonDataCodec } from '../../../../src/converters/json-data-codec';
import { parseJson } from '../../../../src/converters/json-reader';
import { jsonSchemaToConnect } from '../../../../src/converters/json-schema';
import { JsonSchemaValues } from '../../../../src/converters/json-schema/json-schema-values';
import { expectError } from '../avro/expect-error';

const values = new JsonSchemaValues(new JsonDataCodec({ replaceNullWithDefault: true, decimalFormat: 'BASE64' }));
function read(schema: unknown, opts: { optionalForNonRequired?: boolean; external?: Record<string, unknown>; version?: number } = {}): Schema {
  return jsonSchemaToConnect(parseJson(JSON.stringify(schema)).value!, opts.version ?? null, {
    optionalForNonRequired: opts.optionalForNonRequired ?? false,
    external: (name) => (opts.external && name in opts.external ? parseJson(JSON.stringify(opts.external[name])).value : undefined),
    readDefault: (s, node) => values.toConnect(s, node),
  });
}
const shape = (s: Schema): string =>
  s.type === SchemaType.STRUCT
    ? `${s.name ?? ''}{${s.fields.map((f) => `${f.name}:${shape(f.schema)}`).join(',')}}${s.optional ? '?' : ''}`
    : s.type === SchemaType.ARRAY
      ? `[${shape(s.valueSchema!)}]${s.optional ? '?' : ''}`
      : s.type === SchemaType.MAP
        ? `map<${shape(s.keySchema!)},${shape(s.valueSchema!)}>${s.optional ? '?' : ''}`
        : `${s.type}${s.name ? `(${s.name})` : ''}${s.optional ? '?' : ''}`;

/** Confluent's JsonSchemaData.toConnectSchema cases (JsonSchemaDataTest testToConnect*), and what has no Connect type. */
describe('jsonSchemaToConnect', () => {
  it('connect.type picks the Connect type; bare integer is INT64 and number FLOAT64', () => {
    expect(shape(read({ type: 'integer', 'connect.type': 'int8' }))).toBe('INT8');
    expect(shape(read({ type: 'integer' }))).toBe('INT64');
    expect(shape(read({ type: 'number' }))).toBe('FLOAT64');
    expect(shape(read({ type: 'number', 'connect.type': 'float32' }))).toBe('FLOAT32');
    expect(shape(read({ type: 'string', 'connect.type': 'bytes' }))).toBe('BYTES');
    expect(shape(read({ type: 'number', title: 'org.apache.kafka.connect.data.Decimal', 'connect.type': 'bytes', 'connect.parameters': { scale: '2' } }))).toBe('BYTES(org.apache.kafka.connect.data.Decimal)');
  });

  it('fields ordered by connect.index; nullable oneOf is optional; version from connect.version, else the registry version', () => {
    const s = read(
      { title: 'R', type: 'object', properties: { b: { type: 'string', 'connect.index': 1 }, a: { oneOf: [{ type: 'null' }, { type: 'boolean' }], 'connect.index': 0 } } },
      { version: 4 },
    );
    expect(shape(s)).toBe('R{a:BOOLEAN?,b:STRING}');
    expect(s.version).toBe(4);
    expect(read({ type: 'string', 'connect.version': 7 }, { version: 4 }).version).toBe(7);
  });

  it('use.optional.for.nonrequired makes properties not in "required" optional; type arrays with null are optional', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' }, c: { type: ['integer', 'null'] } }, required: ['a'] };
    expect(shape(read(schema))).toBe('{a:STRING,b:STRING,c:INT64?}');
    expect(shape(read(schema, { optionalForNonRequired: true }))).toBe('{a:STRING,b:STRING?,c:INT64?}');
  });

  it('maps: object with connect.type map, array of key/value with connect.type map', () => {
    expect(shape(read({ type: 'object', additionalProperties: { type: 'integer', 'connect.type': 'int32' }, 'connect.type': 'map' }))).toBe('map<STRING,INT32>');
    expect(
      shape(read({ type: 'array', items: { type: 'object', properties: { key: { type: 'integer', 'connect.type': 'int32' }, value: { type: 'string' } } }, 'connect.type': 'map' })),
    ).toBe('map<INT32,STRING>');
  });

  it('oneOf of several members is an io.confluent.connect.json.OneOf struct, read and written as the matching member', () => {
    const s = read({ oneOf: [{ type: 'integer', 'connect.type': 'int32' }, { type: 'string' }, { type: 'null' }] });
    expect(shape(s)).toBe('io.confluent.connect.json.OneOf{io.confluent.connect.json.OneOf.field.0:INT32?,io.confluent.connect.json.OneOf.field.1:STRING?}?');
    const v = values.read(s, '"x"') as Struct;
    expect(v.get('io.confluent.connect.json.OneOf.field.1')).toBe('x');
    expect(values.write(s, v)).toBe('"x"');
    expect(values.write(s, values.read(s, '5'))).toBe('5');
  });

  it('enum and const are strings with io.confluent.connect.json.Enum parameters; allOf merges properties', () => {
    expect(read({ enum: ['a', null] }).parameters).toEqual({ 'io.confluent.connect.json.Enum': '', 'io.confluent.connect.json.Enum.a': 'a', 'io.confluent.connect.json.Enum.<NULL>': '<NULL>' });
    expect(shape(read({ const: 'money', type: 'string' }))).toBe('STRING');
    expect(
      shape(read({ allOf: [{ $ref: '#/$defs/Base' }, { properties: { b: { type: 'boolean' } } }], $defs: { Base: { type: 'object', properties: { a: { type: 'string' } } } } })),
    ).toBe('{a:STRING,b:BOOLEAN}');
  });

  it('payloads from other producers: properties in any order, undeclared ones ignored, a missing required one left unset', () => {
    const s = read({ type: 'object', properties: { a: { type: 'integer', 'connect.type': 'int32' }, b: { type: 'string' } } });
    expect(String(values.read(s, ' { "extra": [1, {"x": 2}], "b": "B", "a": 1 } '))).toBe('Struct{a=1,b=B}');
    expect(String(values.read(s, '{"b":"B"}'))).toBe('Struct{b=B}');
    expectError(() => values.read(s, '{"a":"one"}'), DataError, /^Field a: /);
  });

  it('defaults are read in the payload format', () => {
    const s = read({ type: 'object', properties: { n: { type: 'integer', 'connect.type': 'int32', default: 5 } } });
    expect(s.field('n')!.schema.defaultValue).toBe(5);
  });

  it('$ref into a referenced schema by name, and its own local refs', () => {
    const s = read({ type: 'object', properties: { p: { $ref: 'other.json#/definitions/P' } } }, { external: { 'other.json': { definitions: { P: { type: 'object', properties: { q: { $ref: '#/definitions/Q' } } }, Q: { type: 'boolean' } } } } });
    expect(shape(s)).toBe('{p:{q:BOOLEAN}}');
  });

  it('says which construct has no Connect type', () => {
    expectError(() => read({ type: 'object', properties: { any: {} } }), DataError, 'JSON Schema at #/properties/any: an empty schema (any JSON value) has no Connect type');
    expectError(() => read({ $ref: '#/definitions/N', definitions: { N: { type: 'object', properties: { next: { $ref: '#/definitions/N' } } } } }), DataError, /is recursive; a recursive schema has no Connect equivalent$/);
    expectError(() => read({ type: 'object', properties: { n: 12345678901234567890 } }), DataError, 'JSON Schema at #/properties/n: expected a schema object, found a JSON number');
    expectError(() => read({ type: 'array' }), DataError, 'JSON Schema at #: the array schema does not specify the items type');
    expectError(() => read({ $ref: 'missing.json' }), DataError, 'JSON Schema at #: $ref "missing.json" names no referenced schema (none is registered under the name "missing.json")');
  });
});
