import { ConfigError, Schema, SchemaType } from '../../../src/api';
import { StringConverter } from '../../../src/converters/string-converter';

/* Expected bytes are what Java 25 gives for "aé€😀\uD800z".getBytes(charset) and new String(bytes, charset). */

const TOPIC = 'lines';
const SAMPLE = 'aé€😀\ud800z';

function converter(encoding?: string): StringConverter {
  const c = new StringConverter();
  c.configure(encoding === undefined ? {} : { 'converter.encoding': encoding }, false);
  return c;
}

function hex(c: StringConverter, schema: Schema | null, value: unknown): string | undefined {
  return c.fromConnectData(TOPIC, [], schema, value)?.toString('hex');
}

describe('StringConverter encodings', () => {
  it.each([
    [undefined, '61c3a9e282acf09f98803f7a'], // default UTF-8; a lone surrogate becomes '?'
    ['UTF8', '61c3a9e282acf09f98803f7a'],
    ['utf-8', '61c3a9e282acf09f98803f7a'],
    ['UTF-16', 'feff006100e920acd83dde00fffd007a'], // big-endian with a byte-order mark
    ['UTF-16BE', '006100e920acd83dde00fffd007a'],
    ['UTF-16LE', '6100e900ac203dd800defdff7a00'],
    ['ISO-8859-1', '61e93f3f3f7a'], // what latin1 cannot hold becomes '?', a surrogate pair one '?'
    ['latin1', '61e93f3f3f7a'],
    ['US-ASCII', '613f3f3f3f7a'],
    ['ascii', '613f3f3f3f7a'],
  ])('%s encodes like Java', (encoding, expected) => {
    expect(hex(converter(encoding), Schema.STRING_SCHEMA, SAMPLE)).toBe(expected);
  });

  it.each([
    ['US-ASCII', '61ff62', 'a\ufffdb'],
    ['UTF-16', 'feff0061', 'a'],
    ['UTF-16', 'fffe6100', 'a'],
    ['UTF-16', '0061', 'a'],
    ['UTF-16BE', '006100', 'a\ufffd'],
    ['UTF-16BE', 'feff0061', '\ufeffa'],
    ['ISO-8859-1', 'e9', 'é'],
    ['UTF-8', '61c3a9', 'aé'],
  ])('%s decodes %s like Java', (encoding, bytes, expected) => {
    expect(converter(encoding).toConnectData(TOPIC, [], Buffer.from(bytes, 'hex'))).toEqual({ schema: Schema.OPTIONAL_STRING_SCHEMA, value: expected });
  });

  it('round-trips in every encoding', () => {
    for (const encoding of ['UTF-8', 'UTF-16', 'UTF-16BE', 'UTF-16LE']) {
      const c = converter(encoding);
      expect(c.toConnectData(TOPIC, [], c.fromConnectData(TOPIC, [], null, 'héllo 😀')).value).toBe('héllo 😀');
    }
  });

  it('refuses an unknown encoding, naming the key and value', () => {
    expect(() => converter('EBCDIC-nope')).toThrow(ConfigError);
    expect(() => converter('EBCDIC-nope')).toThrow('Invalid value EBCDIC-nope for configuration converter.encoding');
  });
});

describe('StringConverter values', () => {
  const c = converter();
  const text = (schema: Schema | null, value: unknown) => c.fromConnectData(TOPIC, [], schema, value)?.toString('utf8');

  it('writes null as null', () => {
    expect(c.fromConnectData(TOPIC, [], Schema.OPTIONAL_STRING_SCHEMA, null)).toBeNull();
  });

  it("writes Java's toString() of the value", () => {
    // Java: Double.valueOf(10).toString() is 10.0, Float 0.1f is 0.1, List.of(1, 2) is [1, 2], a Map {a=1}
    expect(text(Schema.FLOAT64_SCHEMA, 10)).toBe('10.0');
    expect(text(Schema.FLOAT32_SCHEMA, 0.1)).toBe('0.1');
    expect(text(Schema.INT32_SCHEMA, 10)).toBe('10');
    expect(text(null, 10)).toBe('10');
    expect(text(null, 1e21)).toBe('1.0E21');
    expect(text(Schema.INT64_SCHEMA, 2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(text(Schema.BOOLEAN_SCHEMA, true)).toBe('true');
    expect(text(null, [1, 2])).toBe('[1, 2]');
    expect(text(new Schema(SchemaType.ARRAY, { valueSchema: Schema.FLOAT64_SCHEMA }), [1, 2.5])).toBe('[1.0, 2.5]');
    expect(text(null, new Map([['a', 1]]))).toBe('{a=1}');
    expect(text(Schema.BYTES_SCHEMA, Buffer.from('raw'))).toBe('raw');
  });

  it('reads null as a null value with the optional string schema, as Kafka does', () => {
    expect(c.toConnectData(TOPIC, [], null)).toEqual({ schema: Schema.OPTIONAL_STRING_SCHEMA, value: null });
  });
});
