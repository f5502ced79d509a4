import { DataError, Schema } from '../../../src/api';
import { builtinConverters } from '../../../src/converters';
import { ByteArrayConverter } from '../../../src/converters/byte-array-converter';

describe('ByteArrayConverter', () => {
  const c = new ByteArrayConverter();
  c.configure({}, false);

  it('passes bytes through unchanged', () => {
    const bytes = Buffer.from([0, 1, 255]);
    expect(c.fromConnectData('t', [], Schema.BYTES_SCHEMA, bytes)).toBe(bytes);
    expect(c.fromConnectData('t', [], null, new Uint8Array([7, 8]))).toEqual(Buffer.from([7, 8]));
    expect(c.fromConnectData('t', [], Schema.OPTIONAL_BYTES_SCHEMA, null)).toBeNull();
    expect(c.toConnectData('t', [], bytes)).toEqual({ schema: Schema.OPTIONAL_BYTES_SCHEMA, value: bytes });
    // As Kafka: a null value keeps the optional bytes schema
    expect(c.toConnectData('t', [], null)).toEqual({ schema: Schema.OPTIONAL_BYTES_SCHEMA, value: null });
  });

  it("refuses other schemas and values with Kafka's messages", () => {
    expect(() => c.fromConnectData('t', [], Schema.STRING_SCHEMA, Buffer.alloc(0))).toThrow(new DataError('Invalid schema type for ByteArrayConverter: STRING'));
    expect(() => c.fromConnectData('t', [], null, 'text')).toThrow('ByteArrayConverter is not compatible with objects of type string');
  });
});

describe('builtinConverters', () => {
  it('registers the converters by Kafka class name and simple name', () => {
    const names = builtinConverters.map((p) => [p.className, ...p.aliases]);
    expect(names.slice(0, 3)).toEqual([
      ['org.apache.kafka.connect.json.JsonConverter', 'JsonConverter'],
      ['org.apache.kafka.connect.storage.StringConverter', 'StringConverter'],
      ['org.apache.kafka.connect.converters.ByteArrayConverter', 'ByteArrayConverter'],
    ]);
    for (const plugin of builtinConverters) if ('create' in plugin) expect(plugin.create()).not.toBe(plugin.create());
    expect(builtinConverters.slice(0, 3).map((p) => p.configDef?.names())).toEqual([
      ['schemas.enable', 'schemas.cache.size', 'decimal.format', 'replace.null.with.default'],
      ['converter.encoding'],
      undefined,
    ]);
  });
});
