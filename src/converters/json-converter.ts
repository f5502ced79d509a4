import {
  ConfigDef,
  ConfigError,
  ConfigType,
  Converter,
  DataError,
  Header,
  Importance,
  NULL_SCHEMA_AND_VALUE,
  Schema,
  SchemaAndValue,
  Validator,
} from '../api';
import { JsonDataCodec } from './json-data-codec';
import { JsonCursor, JsonDocument, JsonSyntaxError, JsonValue, parseJson } from './json-reader';
import { schemaFromJson, schemaToJson } from './json-schema-codec';
import { LruCache } from './lru-cache';

/**
 * Kafka's JsonConverter: Connect data as JSON, by default wrapped in an envelope that carries the
 * schema, `{"schema":{"type":"string","optional":false},"payload":"hello"}`. With schemas.enable=false
 * only the payload is written, and anything read is schemaless (objects become Maps, integers INT64,
 * other numbers FLOAT64). Structs are JSON objects with their fields in schema order; Decimal, Date,
 * Time and Timestamp follow json-logical-types.ts. Output matches Kafka's byte for byte; see
 * json-writer.ts and java-number-format.ts for how.
 */
export class JsonConverter implements Converter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.json.JsonConverter';

  static readonly CONFIG_DEF = new ConfigDef()
    .define({
      name: 'schemas.enable',
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.HIGH,
      doc: 'Whether each key or value is written in, and read from, an envelope that carries its schema.',
    })
    .define({
      name: 'schemas.cache.size',
      type: ConfigType.INT,
      defaultValue: 1000,
      importance: Importance.HIGH,
      doc: 'How many schemas this converter keeps converted, in each direction.',
    })
    .define({
      name: 'decimal.format',
      type: ConfigType.STRING,
      defaultValue: 'BASE64',
      validator: caseInsensitiveIn('BASE64', 'NUMERIC'),
      importance: Importance.LOW,
      doc: 'How Decimal values are written: BASE64 (the unscaled value as base64 bytes) or NUMERIC (a JSON number). Case-insensitive.',
    })
    .define({
      name: 'replace.null.with.default',
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.LOW,
      doc: 'Whether a null value whose schema has a default is written and read as that default (true) or as null (false).',
    });

  private schemasEnabled = true;
  private codec!: JsonDataCodec;
  private envelopeHeadCache!: LruCache<Schema, Buffer>;
  /** The schema text and Schema of the last envelope read: the next one usually has the same. */
  private lastSchemaText: string | null = null;
  /** `{"schema":S,"payload":` for that schema text. */
  private lastEnvelopeHead: Buffer | null = null;
  private lastSchema: Schema | null = null;
  private schemaCache!: LruCache<string, Schema | null>;

  constructor() {
    this.configure({}, false);
  }

  configure(configs: Record<string, string>, _isKey: boolean): void {
    const config = JsonConverter.CONFIG_DEF.parse(configs, 'JsonConverterConfig');
    this.schemasEnabled = config.getBoolean('schemas.enable');
    this.codec = new JsonDataCodec({
      replaceNullWithDefault: config.getBoolean('replace.null.with.default'),
      decimalFormat: (config.getString('decimal.format') ?? 'BASE64').toUpperCase() as 'BASE64' | 'NUMERIC',
    });
    const cacheSize = config.getInt('schemas.cache.size');
    this.envelopeHeadCache = new LruCache(cacheSize);
    this.schemaCache = new LruCache(cacheSize);
    this.lastSchemaText = null;
    this.lastEnvelopeHead = null;
    this.lastSchema = null;
  }

  fromConnectData(topic: string, _headers: readonly Header[], schema: Schema | null, value: unknown): Buffer | null {
    if (schema === null && (value === null || value === undefined)) return null;
    try {
      const payload = schema === null ? this.codec.toJson(null, value) : this.codec.writerFor(schema)(value);
      return this.schemasEnabled ? withEnvelope(this.envelopeHead(schema), payload) : Buffer.from(payload, 'utf8');
    } catch (err) {
      throw withTopic(err, `Converting Kafka Connect data to byte[] failed for topic ${topic}: `);
    }
  }

  toConnectData(topic: string, _headers: readonly Header[], value: Buffer | null): SchemaAndValue {
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    const known = this.schemasEnabled ? this.readWithLastSchema(value) : undefined;
    if (known !== undefined) return known;
    let text: string;
    let document: JsonDocument;
    try {
      text = UTF8.decode(value);
      document = parseJson(text);
    } catch (err) {
      const reason = err instanceof JsonSyntaxError ? err.message : 'the bytes are not valid UTF-8';
      throw new DataError(`Converting byte[] to Kafka Connect data failed due to serialization error of topic ${topic}: ${reason}`, { cause: err });
    }
    try {
      return this.schemasEnabled ? this.fromEnvelope(text, document) : this.schemaless(document.value);
    } catch (err) {
      throw withTopic(err, `Converting byte[] to Kafka Connect data failed for topic ${topic}: `);
    }
  }

  private fromEnvelope(text: string, { value: root, memberSpans }: JsonDocument): SchemaAndValue {
    if (!(root instanceof Map) || root.size !== 2 || !root.has('schema') || !root.has('payload')) {
      throw new DataError(
        'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields. ' +
          'If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.',
      );
    }
    const [start, end] = memberSpans.get('schema') ?? [0, 0];
    const schemaText = text.slice(start, end);
    const schema = this.cachedSchema(schemaText, root.get('schema') ?? null);
    if (this.schemaCache.capacity > 0 && schemaText !== this.lastSchemaText) {
      this.lastSchemaText = schemaText;
      this.lastEnvelopeHead = Buffer.from(`{"schema":${schemaText},"payload":`, 'utf8');
      this.lastSchema = schema;
    }
    const payload = this.codec.toConnect(schema, root.get('payload'));
    return schema === null && payload === null ? NULL_SCHEMA_AND_VALUE : { schema, value: payload };
  }

  private schemaless(node: JsonValue | undefined): SchemaAndValue {
    const value = this.codec.toConnect(null, node);
    return value === null ? NULL_SCHEMA_AND_VALUE : { schema: null, value };
  }

  /**
   * The record in `{"schema":S,"payload":P}` written compactly, S the exact bytes of the last
   * envelope's schema (so valid, and read before into lastSchema): only P is decoded, by the reader
   * compiled for that schema. Undefined for anything else, or whenever P does not decode, parse or
   * convert: the full parse then reads it, or reports what is wrong, with the generic code.
   */
  private readWithLastSchema(value: Buffer): SchemaAndValue | undefined {
    const head = this.lastEnvelopeHead;
    if (head === null) return undefined;
    const start = head.length;
    const end = value.length - 1;
    if (end <= start || value[end] !== 0x7d /* } */ || value.compare(head, 0, start, 0, start) !== 0) return undefined;
    const schema = this.lastSchema;
    try {
      const text = value.toString('utf8', start, end);
      // Invalid UTF-8 decodes to U+FFFD here: the full path, with the strict decoder, judges.
      if (text.includes('\uFFFD')) return undefined;
      if (schema === null) {
        const node = parseJson(text, 1).value;
        if (node === undefined) return undefined;
        const payload = this.codec.toConnect(null, node);
        return payload === null ? NULL_SCHEMA_AND_VALUE : { schema, value: payload };
      }
      const cursor = new JsonCursor(text, 1);
      cursor.skipWhitespace();
      const payload = this.codec.readerFor(schema)(cursor);
      cursor.skipWhitespace();
      return cursor.pos === text.length ? { schema, value: payload } : undefined;
    } catch {
      return undefined;
    }
  }

  /** `{"schema":S,"payload":` as bytes, cached per Schema instance (schemas are immutable). */
  private envelopeHead(schema: Schema | null): Buffer {
    if (schema === null) return NULL_ENVELOPE_HEAD;
    let head = this.envelopeHeadCache.get(schema);
    if (head === undefined) {
      head = Buffer.from(`{"schema":${schemaToJson(schema, (s, v) => this.codec.toJson(s, v))},"payload":`, 'utf8');
      this.envelopeHeadCache.set(schema, head);
    }
    return head;
  }

  /** Cached by the schema's JSON text, so equal texts give the same Schema instance. */
  private cachedSchema(text: string, node: JsonValue): Schema | null {
    let schema = this.schemaCache.get(text);
    if (schema === undefined) {
      schema = this.toSchema(node);
      this.schemaCache.set(text, schema);
    }
    return schema;
  }

  private toSchema(node: JsonValue): Schema | null {
    return schemaFromJson(node, (schema, value) => this.codec.toConnect(schema, value));
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const NULL_ENVELOPE_HEAD = Buffer.from('{"schema":null,"payload":');

/** head + payload + `}` in one buffer, without building the whole text as a string first. */
function withEnvelope(head: Buffer, payload: string): Buffer {
  const size = head.length + Buffer.byteLength(payload, 'utf8') + 1;
  const out = Buffer.allocUnsafe(size);
  out.set(head, 0); // Uint8Array.set: a plain memcpy, without Buffer.copy's argument handling
  out.write(payload, head.length, 'utf8');
  out[size - 1] = 0x7d;
  return out;
}

/** Adds the topic to a conversion error, keeping the original as the cause. */
function withTopic(err: unknown, prefix: string): unknown {
  return err instanceof DataError ? new DataError(prefix + err.message, { cause: err }) : err;
}

/** Kafka's ConfigDef.CaseInsensitiveValidString. */
function caseInsensitiveIn(...allowed: string[]): Validator {
  return {
    ensureValid(name, value) {
      if (!allowed.includes(String(value).toUpperCase())) {
        throw ConfigError.invalidValue(name, value, `String must be one of (case insensitive): ${allowed.join(', ')}`);
      }
    },
    describe: () => `(case insensitive) [${allowed.join(', ')}]`,
  };
}
