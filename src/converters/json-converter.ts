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
import { JsonDocument, JsonSyntaxError, JsonValue, parseJson } from './json-reader';
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
  private schemaJsonCache!: LruCache<Schema, string>;
  /** The schema text and Schema of the last envelope read: the next one usually has the same. */
  private lastSchemaText: string | null = null;
  private lastSchemaBytes: Buffer | null = null;
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
    this.schemaJsonCache = new LruCache(cacheSize);
    this.schemaCache = new LruCache(cacheSize);
    this.lastSchemaText = null;
    this.lastSchemaBytes = null;
    this.lastSchema = null;
  }

  fromConnectData(topic: string, _headers: readonly Header[], schema: Schema | null, value: unknown): Buffer | null {
    if (schema === null && (value === null || value === undefined)) return null;
    try {
      const payload = this.codec.toJson(schema, value);
      const json = this.schemasEnabled ? `{"schema":${this.schemaJson(schema)},"payload":${payload}}` : payload;
      return Buffer.from(json, 'utf8');
    } catch (err) {
      throw withTopic(err, `Converting Kafka Connect data to byte[] failed for topic ${topic}: `);
    }
  }

  toConnectData(topic: string, _headers: readonly Header[], value: Buffer | null): SchemaAndValue {
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    const known = this.schemasEnabled ? this.payloadOfLastSchema(value) : undefined;
    if (known !== undefined) {
      try {
        const payload = this.codec.toConnect(this.lastSchema, known);
        return this.lastSchema === null && payload === null ? NULL_SCHEMA_AND_VALUE : { schema: this.lastSchema, value: payload };
      } catch (err) {
        throw withTopic(err, `Converting byte[] to Kafka Connect data failed for topic ${topic}: `);
      }
    }
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
      this.lastSchemaBytes = Buffer.from(schemaText, 'utf8');
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
   * The payload node of `{"schema":S,"payload":P}` written compactly, S the exact bytes of the last
   * envelope's schema (so valid, and read before into lastSchema): only P is decoded and parsed.
   * Undefined for anything else or a P that does not decode or parse; the full parse then reads it,
   * or reports what is wrong.
   */
  private payloadOfLastSchema(value: Buffer): JsonValue | undefined {
    const known = this.lastSchemaBytes;
    if (known === null) return undefined;
    const schemaEnd = ENVELOPE_HEAD.length + known.length;
    const start = schemaEnd + ENVELOPE_PAYLOAD.length;
    const end = value.length - 1;
    if (
      end <= start ||
      value[end] !== 0x7d /* } */ ||
      value.compare(ENVELOPE_HEAD, 0, ENVELOPE_HEAD.length, 0, ENVELOPE_HEAD.length) !== 0 ||
      value.compare(known, 0, known.length, ENVELOPE_HEAD.length, schemaEnd) !== 0 ||
      value.compare(ENVELOPE_PAYLOAD, 0, ENVELOPE_PAYLOAD.length, schemaEnd, start) !== 0
    ) {
      return undefined;
    }
    try {
      return parseJson(UTF8.decode(value.subarray(start, end)), 1).value;
    } catch {
      return undefined;
    }
  }

  /** The schema's JSON text, cached per Schema instance (schemas are immutable). */
  private schemaJson(schema: Schema | null): string {
    if (schema === null) return 'null';
    let json = this.schemaJsonCache.get(schema);
    if (json === undefined) {
      json = schemaToJson(schema, (s, v) => this.codec.toJson(s, v));
      this.schemaJsonCache.set(schema, json);
    }
    return json;
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
const ENVELOPE_HEAD = Buffer.from('{"schema":');
const ENVELOPE_PAYLOAD = Buffer.from(',"payload":');

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
