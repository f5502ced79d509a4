import { ConfigError, DataError, NULL_SCHEMA_AND_VALUE, Schema, SchemaType } from '../../../src/api';
import { JsonConverter } from '../../../src/converters/json-converter';

/*
 * Golden bytes. Sources, cited per case:
 * - [KT] Kafka's JsonConverterTest (connect/json): envelope and schema shapes, e.g. testJsonSchemaMetadataTranslation,
 *   bytesToJson ("test-string" -> dGVzdC1zdHJpbmc=), nullSchemaPrimitiveToConnect, emptyBytesToConnect.
 * - [JC] Kafka's JsonConverter.asJsonSchema / convertToJson source: key order type, items|keys,values|fields,
 *   optional, name, version, doc, parameters, default; JsonSchema type names (float, double).
 * - [JDK] java.lang.Double/Float.toString, run on Java 25 (Jackson writes doubles and floats with them).
 * - [JACKSON] jackson-core CharTypes.sOutputEscapes128, UTF8JsonGenerator._outputMultiByteChar and
 *   JsonWriteFeature defaults (WRITE_NAN_AS_STRINGS, WRITE_HEX_UPPER_CASE); no whitespace (default printer).
 */

const TOPIC = 'orders';

function converter(configs: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}

function write(c: JsonConverter, schema: Schema | null, value: unknown): string | null {
  const bytes = c.fromConnectData(TOPIC, [], schema, value);
  return bytes === null ? null : bytes.toString('utf8');
}

function read(c: JsonConverter, json: string | null) {
  return c.toConnectData(TOPIC, [], json === null ? null : Buffer.from(json, 'utf8'));
}

const withSchemas = converter();
const noSchemas = converter({ 'schemas.enable': 'false' });

describe('JsonConverter.fromConnectData with schemas.enable=true', () => {
  it.each<[string, Schema, unknown, string]>([
    // [KT] stringToJson / the brief's reference envelope; [JC] key order
    ['string', Schema.STRING_SCHEMA, 'hello', '{"schema":{"type":"string","optional":false},"payload":"hello"}'],
    // [KT] byteToJson, shortToJson, intToJson: integers as JSON integers
    ['int8', Schema.INT8_SCHEMA, -128, '{"schema":{"type":"int8","optional":false},"payload":-128}'],
    ['int16', Schema.INT16_SCHEMA, 32767, '{"schema":{"type":"int16","optional":false},"payload":32767}'],
    ['int32', Schema.INT32_SCHEMA, -2147483648, '{"schema":{"type":"int32","optional":false},"payload":-2147483648}'],
    // [KT] longToJson with 4398046511104; Long.MAX_VALUE/MIN_VALUE exact, as Jackson writes a long
    ['int64 number', Schema.INT64_SCHEMA, 4398046511104, '{"schema":{"type":"int64","optional":false},"payload":4398046511104}'],
    ['int64 max', Schema.INT64_SCHEMA, 2n ** 63n - 1n, '{"schema":{"type":"int64","optional":false},"payload":9223372036854775807}'],
    ['int64 min', Schema.INT64_SCHEMA, -(2n ** 63n), '{"schema":{"type":"int64","optional":false},"payload":-9223372036854775808}'],
    // [JC] FLOAT32 is "float", FLOAT64 is "double"; [JDK] Float.toString(0.1f) = 0.1, Double.toString(10.0) = 10.0
    ['float 0.1f', Schema.FLOAT32_SCHEMA, 0.1, '{"schema":{"type":"float","optional":false},"payload":0.1}'],
    ['float 12.34f', Schema.FLOAT32_SCHEMA, 12.34, '{"schema":{"type":"float","optional":false},"payload":12.34}'],
    ['double 10.0', Schema.FLOAT64_SCHEMA, 10, '{"schema":{"type":"double","optional":false},"payload":10.0}'],
    ['double 1.5', Schema.FLOAT64_SCHEMA, 1.5, '{"schema":{"type":"double","optional":false},"payload":1.5}'],
    ['double 1e20', Schema.FLOAT64_SCHEMA, 1e20, '{"schema":{"type":"double","optional":false},"payload":1.0E20}'],
    ['double 1e-5', Schema.FLOAT64_SCHEMA, 1e-5, '{"schema":{"type":"double","optional":false},"payload":1.0E-5}'],
    // [JACKSON] WRITE_NAN_AS_STRINGS (default on) writes String.valueOf(d) as a JSON string
    ['double NaN', Schema.FLOAT64_SCHEMA, NaN, '{"schema":{"type":"double","optional":false},"payload":"NaN"}'],
    ['double -Infinity', Schema.FLOAT64_SCHEMA, -Infinity, '{"schema":{"type":"double","optional":false},"payload":"-Infinity"}'],
    ['float Infinity', Schema.FLOAT32_SCHEMA, Infinity, '{"schema":{"type":"float","optional":false},"payload":"Infinity"}'],
    // [KT] booleanToJson
    ['boolean', Schema.BOOLEAN_SCHEMA, true, '{"schema":{"type":"boolean","optional":false},"payload":true}'],
    // [KT] bytesToJson: base64 of "test-string"
    ['bytes', Schema.BYTES_SCHEMA, Buffer.from('test-string'), '{"schema":{"type":"bytes","optional":false},"payload":"dGVzdC1zdHJpbmc="}'],
    ['bytes Uint8Array', Schema.BYTES_SCHEMA, new Uint8Array([0, 0x9c]), '{"schema":{"type":"bytes","optional":false},"payload":"AJw="}'],
    // [KT] testJsonSchemaMetadataTranslation: optional schema with a null payload
    ['optional null', Schema.OPTIONAL_BOOLEAN_SCHEMA, null, '{"schema":{"type":"boolean","optional":true},"payload":null}'],
  ])('%s', (_, schema, value, expected) => {
    expect(write(withSchemas, schema, value)).toBe(expected);
  });

  it('writes schema metadata in Kafka order: optional, name, version, doc, parameters, default', () => {
    // [KT] testJsonSchemaMetadataTranslation, key order per [JC]
    const schema = new Schema(SchemaType.BOOLEAN, { name: 'bool', version: 3, doc: 'the documentation', parameters: { foo: 'bar' }, defaultValue: true });
    expect(write(withSchemas, schema, false)).toBe(
      '{"schema":{"type":"boolean","optional":false,"name":"bool","version":3,"doc":"the documentation","parameters":{"foo":"bar"},"default":true},"payload":false}',
    );
  });

  it('writes array and map schemas with items, keys and values before optional', () => {
    // [KT] arrayToJson, mapToJsonStringKeys, mapToJsonNonStringKeys (non-string keys as [key, value] pairs)
    const array = new Schema(SchemaType.ARRAY, { valueSchema: Schema.INT32_SCHEMA });
    expect(write(withSchemas, array, [1, 2, 3])).toBe(
      '{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":[1,2,3]}',
    );
    const stringMap = new Schema(SchemaType.MAP, { keySchema: Schema.STRING_SCHEMA, valueSchema: Schema.INT32_SCHEMA });
    expect(write(withSchemas, stringMap, new Map([['key1', 12], ['key2', 15]]))).toBe(
      '{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":{"key1":12,"key2":15}}',
    );
    const intMap = new Schema(SchemaType.MAP, { keySchema: Schema.INT32_SCHEMA, valueSchema: Schema.INT32_SCHEMA });
    expect(write(withSchemas, intMap, new Map([[1, 12], [2, 15]]))).toBe(
      '{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":[[1,12],[2,15]]}',
    );
  });

  it('writes struct schemas with each field name last', () => {
    // [KT] structToJson schema shape; [JC] a field is its schema plus a trailing "field" key. Struct values: json-struct.test.ts
    const struct = new Schema(SchemaType.STRUCT, {
      fields: [
        { name: 'field1', index: 0, schema: Schema.BOOLEAN_SCHEMA },
        { name: 'field2', index: 1, schema: Schema.OPTIONAL_STRING_SCHEMA },
      ],
    });
    expect(() => write(withSchemas, struct, {})).toThrow('Mismatching schema.'); // [JC] anything but a Struct of that schema
    const envelope = '{"schema":{"type":"struct","fields":[{"type":"boolean","optional":false,"field":"field1"},{"type":"string","optional":true,"field":"field2"}],"optional":true},"payload":null}';
    expect(write(withSchemas, new Schema(SchemaType.STRUCT, { fields: struct.fields, optional: true }), null)).toBe(envelope);
    expect(read(withSchemas, envelope).schema).toEqual(new Schema(SchemaType.STRUCT, { fields: struct.fields, optional: true }));
  });

  it('escapes strings as Jackson does', () => {
    // [JACKSON] short escapes for \b \t \n \f \r " \\; \u00XX upper-case for other controls; '/' and DEL
    // kept; non-ASCII as UTF-8; each surrogate of U+1F600 escaped on its own
    const value = 'q" b\\ /\b\t\n\f\r\u0001\u001f\u007f é 😀';
    expect(write(withSchemas, Schema.STRING_SCHEMA, value)).toBe(
      '{"schema":{"type":"string","optional":false},"payload":"q\\" b\\\\ /\\b\\t\\n\\f\\r\\u0001\\u001F\u007f é \\uD83D\\uDE00"}',
    );
    expect(withSchemas.fromConnectData(TOPIC, [], Schema.STRING_SCHEMA, 'é')).toEqual(
      Buffer.from('{"schema":{"type":"string","optional":false},"payload":"\xc3\xa9"}', 'latin1'),
    );
  });

  it('wraps a schemaless value in an envelope with a null schema', () => {
    // [KT] nullSchemaAndPrimitiveToJson, nullSchemaAndArrayToJson, nullSchemaAndMapToJson
    expect(write(withSchemas, null, true)).toBe('{"schema":null,"payload":true}');
    expect(write(withSchemas, null, [1, 'string', true, 2.5, 3n])).toBe('{"schema":null,"payload":[1,"string",true,2.5,3]}');
    expect(write(withSchemas, null, new Map<unknown, unknown>([['key1', 12], ['key2', 'string']]))).toBe('{"schema":null,"payload":{"key1":12,"key2":"string"}}');
    expect(write(withSchemas, null, new Map<unknown, unknown>([['string', 12], [52, 'string']]))).toBe('{"schema":null,"payload":[["string",12],[52,"string"]]}');
    expect(write(withSchemas, null, { a: 1 })).toBe('{"schema":null,"payload":{"a":1}}');
  });

  it('returns null for a null schema and null value (tombstones and null keys stay null)', () => {
    // [KT] nullSchemaAndNullValueToJson, nullValueToJson
    expect(withSchemas.fromConnectData(TOPIC, [], null, null)).toBeNull();
    expect(noSchemas.fromConnectData(TOPIC, [], null, null)).toBeNull();
  });

  it('writes the default for a null value, unless replace.null.with.default=false', () => {
    // [JC] convertToJson: the default replaces null only when replace.null.with.default is true
    const schema = new Schema(SchemaType.INT32, { optional: true, defaultValue: 42 });
    expect(write(withSchemas, schema, null)).toBe('{"schema":{"type":"int32","optional":true,"default":42},"payload":42}');
    expect(write(converter({ 'replace.null.with.default': 'false' }), schema, null)).toBe('{"schema":{"type":"int32","optional":true,"default":42},"payload":null}');
  });
});

describe('JsonConverter.fromConnectData with schemas.enable=false', () => {
  it.each<[string, Schema | null, unknown, string]>([
    // [KT] noSchemaToJson: the bare payload
    ['schemaless boolean', null, true, 'true'],
    ['string', Schema.STRING_SCHEMA, 'hello', '"hello"'],
    ['int64 max', Schema.INT64_SCHEMA, 2n ** 63n - 1n, '9223372036854775807'],
    ['double 10.0', Schema.FLOAT64_SCHEMA, 10, '10.0'],
    ['float 0.1f', Schema.FLOAT32_SCHEMA, 0.1, '0.1'],
    ['bytes', Schema.BYTES_SCHEMA, Buffer.from('test-string'), '"dGVzdC1zdHJpbmc="'],
    // [JC] an optional schema with a null value converts to a JSON null node, which is serialized
    ['optional null', Schema.OPTIONAL_STRING_SCHEMA, null, 'null'],
  ])('%s -> %s', (_, schema, value, expected) => {
    expect(write(noSchemas, schema, value)).toBe(expected);
  });
});

describe('JsonConverter.fromConnectData errors', () => {
  it.each<[string, Schema, unknown, string]>([
    ['number for STRING', Schema.STRING_SCHEMA, 42, 'Invalid type for STRING: number'],
    ['boolean for FLOAT64', Schema.FLOAT64_SCHEMA, true, 'Invalid type for FLOAT64: boolean'], // [KT] mismatchSchemaJson
    ['300 for INT8', Schema.INT8_SCHEMA, 300, 'Invalid type for INT8: number (300 is not an integer in [-128, 127])'],
    ['unsafe number for INT64', Schema.INT64_SCHEMA, 2 ** 60, 'Invalid type for INT64: number (an integer number must be a safe integer; use a bigint)'],
    ['2^63 for INT64', Schema.INT64_SCHEMA, 2n ** 63n, 'Invalid type for INT64: bigint'],
    ['string for BYTES', Schema.BYTES_SCHEMA, 'text', 'Invalid type for BYTES: string'],
    ['null for required STRING', Schema.STRING_SCHEMA, null, 'null value for STRING field that is required and has no default value'],
  ])('%s is a DataError naming the type and the topic', (_, schema, value, message) => {
    const attempt = () => withSchemas.fromConnectData(TOPIC, [], schema, value);
    expect(attempt).toThrow(DataError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(`for topic ${TOPIC}`);
  });

  it('refuses values with no schema type', () => {
    expect(() => withSchemas.fromConnectData(TOPIC, [], null, new Date(0))).toThrow('Date does not have a corresponding schema type');
  });
});

describe('JsonConverter.toConnectData', () => {
  it('reads each primitive type from an envelope', () => {
    // [KT] booleanToConnect ... stringToConnect; INT64 always as bigint (our representation)
    expect(read(withSchemas, '{ "schema": { "type": "boolean" }, "payload": true }')).toEqual({ schema: Schema.BOOLEAN_SCHEMA, value: true });
    expect(read(withSchemas, '{ "schema": { "type": "int8" }, "payload": 12 }')).toEqual({ schema: Schema.INT8_SCHEMA, value: 12 });
    expect(read(withSchemas, '{ "schema": { "type": "int16" }, "payload": 12 }')).toEqual({ schema: Schema.INT16_SCHEMA, value: 12 });
    expect(read(withSchemas, '{ "schema": { "type": "int32" }, "payload": 12 }')).toEqual({ schema: Schema.INT32_SCHEMA, value: 12 });
    expect(read(withSchemas, '{ "schema": { "type": "int64" }, "payload": 4398046511104 }')).toEqual({ schema: Schema.INT64_SCHEMA, value: 4398046511104n });
    expect(read(withSchemas, '{ "schema": { "type": "float" }, "payload": 12.34 }')).toEqual({ schema: Schema.FLOAT32_SCHEMA, value: Math.fround(12.34) });
    expect(read(withSchemas, '{ "schema": { "type": "double" }, "payload": 12.34 }')).toEqual({ schema: Schema.FLOAT64_SCHEMA, value: 12.34 });
    expect(read(withSchemas, '{ "schema": { "type": "string" }, "payload": "foo-bar-baz" }')).toEqual({ schema: Schema.STRING_SCHEMA, value: 'foo-bar-baz' });
    const bytes = read(withSchemas, '{ "schema": { "type": "bytes" }, "payload": "dGVzdC1zdHJpbmc=" }');
    expect(bytes.value).toEqual(Buffer.from('test-string'));
  });

  it('keeps int64 exact beyond 2^53', () => {
    const max = read(withSchemas, '{"schema":{"type":"int64","optional":false},"payload":9223372036854775807}');
    const min = read(noSchemas, '-9223372036854775808');
    expect(max.value).toBe(2n ** 63n - 1n);
    expect(min).toEqual({ schema: null, value: -(2n ** 63n) });
  });

  it('reads schema metadata and defaults', () => {
    // [KT] testConnectSchemaMetadataTranslation
    const full = read(withSchemas, '{ "schema": { "type": "boolean", "optional": false, "name": "bool", "version": 2, "doc": "the documentation", "parameters": { "foo": "bar" }}, "payload": true }');
    expect(full).toEqual({ schema: new Schema(SchemaType.BOOLEAN, { name: 'bool', version: 2, doc: 'the documentation', parameters: { foo: 'bar' } }), value: true });
    const withDefault = read(withSchemas, '{ "schema": { "type": "boolean", "default": true }, "payload": null }');
    expect(withDefault).toEqual({ schema: new Schema(SchemaType.BOOLEAN, { defaultValue: true }), value: true });
    expect(read(withSchemas, '{ "schema": { "type": "boolean", "optional": true }, "payload": null }')).toEqual({ schema: Schema.OPTIONAL_BOOLEAN_SCHEMA, value: null });
  });

  it('infers schemaless values as Kafka does: integers INT64, other numbers FLOAT64, objects maps', () => {
    // [KT] nullSchemaPrimitiveToConnect, schemalessWithEmptyFieldValueToConnect
    expect(read(withSchemas, '{ "schema": null, "payload": null }')).toBe(NULL_SCHEMA_AND_VALUE);
    expect(read(withSchemas, '{ "schema": null, "payload": 12 }')).toEqual({ schema: null, value: 12n });
    expect(read(withSchemas, '{ "schema": null, "payload": 12.24 }')).toEqual({ schema: null, value: 12.24 });
    expect(read(withSchemas, '{ "schema": null, "payload": [1, "2", 3] }')).toEqual({ schema: null, value: [1n, '2', 3n] });
    expect(read(noSchemas, '{ "a": "", "b": null}')).toEqual({ schema: null, value: new Map([['a', ''], ['b', null]]) });
    expect(read(noSchemas, 'true')).toEqual({ schema: null, value: true }); // [KT] noSchemaToConnect
  });

  it('returns NULL for a null value, and for empty bytes when schemas are off', () => {
    // [KT] nullToConnect; emptyBytesToConnect (schemas.enable=false)
    expect(read(withSchemas, null)).toBe(NULL_SCHEMA_AND_VALUE);
    expect(read(noSchemas, null)).toBe(NULL_SCHEMA_AND_VALUE);
    expect(read(noSchemas, '')).toBe(NULL_SCHEMA_AND_VALUE);
    expect(read(noSchemas, ' \n')).toBe(NULL_SCHEMA_AND_VALUE);
  });

  it('requires the envelope when schemas are on, naming the topic', () => {
    // Kafka's message; empty bytes are not an envelope either (Jackson reads them as a missing node)
    for (const json of ['{"a":1}', '{"schema":null}', '{"schema":null,"payload":1,"extra":2}', '[1]', '']) {
      const attempt = () => read(withSchemas, json);
      expect(attempt).toThrow(DataError);
      expect(attempt).toThrow(
        `Converting byte[] to Kafka Connect data failed for topic ${TOPIC}: JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.`,
      );
    }
  });

  it('reports malformed JSON as a serialization error of the topic', () => {
    for (const json of ['{bad', '{"schema":null,"payload":1} trailing', '{"a":01.}', '"\u0001"', '\xff']) {
      const attempt = () => noSchemas.toConnectData(TOPIC, [], Buffer.from(json, 'latin1'));
      expect(attempt).toThrow(DataError);
      expect(attempt).toThrow(`Converting byte[] to Kafka Connect data failed due to serialization error of topic ${TOPIC}: `);
    }
  });

  it('refuses payloads that do not fit the schema, naming the type', () => {
    expect(() => read(withSchemas, '{"schema":{"type":"int8"},"payload":300}')).toThrow('Invalid JSON for INT8 field: found NUMBER 300 outside [-128, 127]');
    expect(() => read(withSchemas, '{"schema":{"type":"int32"},"payload":"12"}')).toThrow('Invalid JSON for INT32 field: found STRING');
    expect(() => read(withSchemas, '{"schema":{"type":"int32"},"payload":1.5}')).toThrow('found NUMBER 1.5, which is not an integer');
    expect(() => read(withSchemas, '{"schema":{"type":"int64"},"payload":9223372036854775808}')).toThrow('outside the int64 range');
    expect(() => read(withSchemas, '{"schema":{"type":"string"},"payload":null}')).toThrow('Invalid null value for required STRING field');
    expect(() => read(withSchemas, '{"schema":{"type":"bytes"},"payload":"not base64!"}')).toThrow('Invalid bytes field');
    expect(() => read(withSchemas, '{"schema":{"type":"nope"},"payload":1}')).toThrow('Unknown schema type: nope');
    expect(() => read(withSchemas, '{"schema":{},"payload":1}')).toThrow("Schema must contain 'type' field");
  });

  it('reads NaN and infinities written as strings back as floats', () => {
    expect(read(noSchemas, '"NaN"').value).toBe('NaN'); // schemaless: just a string
    expect(read(withSchemas, '{"schema":{"type":"double"},"payload":"NaN"}').value).toBeNaN();
    expect(read(withSchemas, '{"schema":{"type":"float"},"payload":"-Infinity"}').value).toBe(-Infinity);
  });

  it('returns the same Schema instance for the same schema text (schemas.cache.size)', () => {
    const c = converter();
    const a = read(c, '{"schema":{"type":"int32","optional":false},"payload":1}');
    const b = read(c, '{"schema":{"type":"int32","optional":false},"payload":2}');
    expect(a.schema).toBe(b.schema);
    const uncached = converter({ 'schemas.cache.size': '0' });
    expect(read(uncached, '{"schema":{"type":"int32"},"payload":1}').schema).not.toBe(read(uncached, '{"schema":{"type":"int32"},"payload":1}').schema);
  });
});

describe('JsonConverter round trips', () => {
  const arrayOfInt64 = new Schema(SchemaType.ARRAY, { valueSchema: Schema.INT64_SCHEMA });
  const mapIntToString = new Schema(SchemaType.MAP, { keySchema: Schema.INT32_SCHEMA, valueSchema: Schema.OPTIONAL_STRING_SCHEMA });
  it.each<[string, Schema, unknown]>([
    ['int8', Schema.INT8_SCHEMA, -7],
    ['int16', Schema.INT16_SCHEMA, 1234],
    ['int32', Schema.INT32_SCHEMA, 2147483647],
    ['int64', Schema.INT64_SCHEMA, -(2n ** 63n)],
    ['float', Schema.FLOAT32_SCHEMA, Math.fround(3.3)],
    ['double', Schema.FLOAT64_SCHEMA, 0.1 + 0.2],
    ['boolean', Schema.BOOLEAN_SCHEMA, false],
    ['string', Schema.STRING_SCHEMA, 'héllo "world" 😀\n'],
    ['bytes', Schema.BYTES_SCHEMA, Buffer.from([0, 1, 2, 250, 255])],
    ['optional', Schema.OPTIONAL_INT32_SCHEMA, null],
    ['array', arrayOfInt64, [1n, -2n, 2n ** 62n]],
    ['map', mapIntToString, new Map<number, string | null>([[1, 'a'], [2, null]])],
    ['metadata', new Schema(SchemaType.STRING, { optional: true, name: 'n', version: 1, doc: 'd', parameters: { k: 'v' }, defaultValue: 'x' }), 'y'],
  ])('%s', (_, schema, value) => {
    const back = withSchemas.toConnectData(TOPIC, [], withSchemas.fromConnectData(TOPIC, [], schema, value));
    expect(back.value).toEqual(value);
    expect(back.schema).toEqual(schema);
  });
});

describe('JsonConverter configuration', () => {
  it('declares Kafka keys and defaults', () => {
    const keys = Object.fromEntries(JsonConverter.CONFIG_DEF.configKeys().map((k) => [k.name, k.defaultValue]));
    expect(keys).toEqual({ 'schemas.enable': true, 'schemas.cache.size': 1000, 'decimal.format': 'BASE64', 'replace.null.with.default': true });
  });

  it('accepts decimal.format case-insensitively and refuses other values, naming the key', () => {
    expect(() => converter({ 'decimal.format': 'numeric' })).not.toThrow();
    expect(() => converter({ 'decimal.format': 'HEX' })).toThrow(ConfigError);
    expect(() => converter({ 'decimal.format': 'HEX' })).toThrow('Invalid value HEX for configuration decimal.format');
    expect(() => converter({ 'schemas.enable': 'yes' })).toThrow('configuration schemas.enable');
  });
});

describe('JsonConverter: envelopes repeating the last schema (only the payload is parsed)', () => {
  const schema = '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},{"type":"array","items":{"type":"int32","optional":true},"optional":true,"field":"xs"}],"optional":false,"name":"r"}';
  const envelope = (payload: string) => `{"schema":${schema},"payload":${payload}}`;

  it('reads each record of the same schema to its own value, with the same Schema instance', () => {
    const c = converter();
    const first = read(c, envelope('{"id":1,"xs":[1,null]}'));
    const second = read(c, envelope('{"id":2,"xs":null}'));
    expect(second.schema).toBe(first.schema);
    expect((second.value as { get(f: string): unknown }).get('id')).toBe(2n);
    expect((second.value as { get(f: string): unknown }).get('xs')).toBeNull();
    expect((first.value as { get(f: string): unknown }).get('xs')).toEqual([1, null]);
  });

  it('still refuses a member after the payload, and reports a broken payload as the full parse does', () => {
    const c = converter();
    read(c, envelope('{"id":1,"xs":null}'));
    expect(() => read(c, `{"schema":${schema},"payload":{"id":1,"xs":null},"extra":1}`)).toThrow('may not contain additional fields');
    const broken = envelope('{"id":1,"xs":[1,}');
    let fromKnown: unknown;
    let fromFresh: unknown;
    try {
      read(c, broken);
    } catch (err) {
      fromKnown = (err as Error).message;
    }
    try {
      read(converter(), broken);
    } catch (err) {
      fromFresh = (err as Error).message;
    }
    expect(fromKnown).toMatch(/serialization error/);
    expect(fromKnown).toBe(fromFresh);
  });

  it('counts the envelope against the nesting limit, as the full parse does', () => {
    const c = converter();
    read(c, envelope('{"id":1,"xs":null}'));
    const deep = `{"schema":${schema},"payload":${'['.repeat(1000)}${']'.repeat(1000)}}`;
    expect(() => read(c, deep)).toThrow('Nesting deeper than 1000 levels');
  });

  it('reports bytes that are not UTF-8 in the payload as the full parse does', () => {
    const c = converter();
    read(c, envelope('{"id":1,"xs":null}'));
    const bytes = Buffer.concat([Buffer.from(`{"schema":${schema},"payload":{"id":1,"xs":null,"s":"`), Buffer.from([0xff]), Buffer.from('"}}')]);
    expect(() => c.toConnectData(TOPIC, [], bytes)).toThrow(`Converting byte[] to Kafka Connect data failed due to serialization error of topic ${TOPIC}: the bytes are not valid UTF-8`);
  });

  it('a payload that does not fit the schema fails naming the topic', () => {
    const c = converter();
    read(c, envelope('{"id":1,"xs":null}'));
    expect(() => read(c, envelope('{"id":"x","xs":null}'))).toThrow(`Converting byte[] to Kafka Connect data failed for topic ${TOPIC}: `);
  });
});
