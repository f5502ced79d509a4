import { ConfigDef, ConfigError, ConfigType, Converter, DataError, Header, Importance, Schema, SchemaAndValue, SchemaType } from '../api';
import { JavaCharset, javaCharset } from './java-charsets';
import { javaDoubleToString, javaFloatToString } from '../api/java-number-format';


// Read once: the api index exports through getters, which a per-record access would call each time.
const OPTIONAL_STRING_SCHEMA = Schema.OPTIONAL_STRING_SCHEMA;
/**
 * Kafka's StringConverter: writes any value as its string form in `converter.encoding`, ignoring the
 * schema's shape, and reads every key or value back as an optional string.
 *
 * The string form is Java's toString() of the value Kafka would hold: FLOAT64 10 is "10.0", FLOAT32
 * numbers print at float precision, arrays print as [a, b] and Maps as {k=v}. Buffers print as their
 * UTF-8 text (Java would print an object id, which helps nobody).
 */
export class StringConverter implements Converter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.storage.StringConverter';

  static readonly CONFIG_DEF = new ConfigDef().define({
    name: 'converter.encoding',
    type: ConfigType.STRING,
    defaultValue: 'UTF-8',
    importance: Importance.HIGH,
    doc: 'The Java name of the character set strings are written and read in: UTF-8, UTF-16, UTF-16BE, UTF-16LE, ISO-8859-1 or US-ASCII (or an alias such as UTF8 or latin1).',
  });

  private charset: JavaCharset = javaCharset('UTF-8') as JavaCharset;

  configure(configs: Record<string, string>, _isKey: boolean): void {
    const encoding = StringConverter.CONFIG_DEF.parse(configs, 'StringConverterConfig').getString('converter.encoding') ?? 'UTF-8';
    const charset = javaCharset(encoding);
    if (charset === undefined) {
      throw ConfigError.invalidValue('converter.encoding', encoding, 'Unsupported character set (supported: UTF-8, UTF-16, UTF-16BE, UTF-16LE, ISO-8859-1, US-ASCII)');
    }
    this.charset = charset;
  }

  fromConnectData(_topic: string, _headers: readonly Header[], schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    return this.charset.encode(javaToString(schema, value));
  }

  toConnectData(_topic: string, _headers: readonly Header[], value: Buffer | null): SchemaAndValue {
    // As Kafka: a null value still carries the optional string schema.
    return { schema: OPTIONAL_STRING_SCHEMA, value: value === null ? null : this.charset.decode(value) };
  }
}

/** What Java's toString() gives for the value Kafka would hold for this schema and value. */
function javaToString(schema: Schema | null, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return numberToString(schema?.type ?? null, value);
  if (Array.isArray(value)) return `[${value.map((item) => javaToString(schema?.valueSchema ?? null, item)).join(', ')}]`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${javaToString(schema?.keySchema ?? null, k)}=${javaToString(schema?.valueSchema ?? null, v)}`);
    return `{${entries.join(', ')}}`;
  }
  if (typeof value === 'symbol' || typeof value === 'function') throw new DataError(`Failed to serialize to a string: ${typeof value}`);
  return String(value);
}

function numberToString(type: SchemaType | null, value: number): string {
  if (type === SchemaType.FLOAT32) return javaFloatToString(value);
  if (type === SchemaType.FLOAT64 || !Number.isSafeInteger(value)) return javaDoubleToString(value);
  return String(value);
}
