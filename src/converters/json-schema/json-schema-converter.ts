import { ConfigError, ConnectError, Converter, DataError, Header, NULL_SCHEMA_AND_VALUE, RetriableError, Schema, SchemaAndValue } from '../../api';
import { JsonDataCodec } from '../json-data-codec';
import { JsonSyntaxError, JsonValue, parseJson } from '../json-reader';
import { LruCache } from '../lru-cache';
import { schemaRegistryClient } from '../schema-registry/registry-config';
import { RegistrySchema, SchemaRegistryClient } from '../schema-registry/schema-registry-client';
import { SubjectRecord } from '../schema-registry/subject-name-strategy';
import { SyncHttpTransport } from '../schema-registry/sync-http';
import { HEADER_SIZE, readSchemaId, wireHeader } from '../schema-registry/wire-format';
import { connectToJsonSchema } from './connect-to-json-schema';
import { JSON_SCHEMA_CONVERTER_CONFIG_DEF, JsonSchemaConverterSettings, parseJsonSchemaConverterConfig } from './json-schema-converter-config';
import { jsonSchemaToConnect } from './json-schema-to-connect';
import { compileValidator, PayloadValidator } from './json-schema-validator';
import { JsonSchemaValues } from './json-schema-values';

/** One Connect schema, translated once. */
interface WriterEntry {
  registered: RegistrySchema;
  record: SubjectRecord;
  validate: PayloadValidator | null;
  /** By topic: the header (schema id) and validator records of that topic are written with. */
  targets: Map<string, { header: Buffer; validate: PayloadValidator | null }>;
}
/** One schema id, fetched, parsed and resolved once. */
interface ReaderEntry {
  registered: RegistrySchema;
  root: JsonValue;
  external: Map<string, JsonValue>;
  record: SubjectRecord;
  validate: PayloadValidator | null;
  /** By topic, since the Connect schema's version is the schema's version under the topic's subject. */
  schemas: Map<string, Schema>;
}

export interface JsonSchemaConverterOptions {
  /** How registry requests are made; the default runs fetch() in a shared helper thread. */
  transport?: SyncHttpTransport;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Confluent's JsonSchemaConverter (io.confluent.connect.json.JsonSchemaConverter): Connect data as
 * plain JSON in Confluent's wire format, `00 <schema id: 4 bytes big-endian> <JSON text>`, with a JSON
 * Schema kept in a Schema Registry (schemaType JSON). Writing registers the record's schema under the
 * subject of the topic (or looks it up, or takes the subject's latest version); reading fetches the
 * writer schema by id, with the schemas it references. Schemas are translated as Confluent's
 * JsonSchemaData does (connect-to-json-schema.ts, json-schema-to-connect.ts); payloads are written
 * with JsonConverter's number formatting (json-schema-values.ts). With json.fail.invalid.schema=true
 * each payload is validated against its schema (ajv) both ways.
 *
 * Translations, ids and validators are cached per converter: the registry sees one request per new
 * schema, not per record. Those requests block the calling task until answered or timed out.
 */
export class JsonSchemaConverter implements Converter {
  static readonly CLASS_NAME = 'io.confluent.connect.json.JsonSchemaConverter';
  static readonly CONFIG_DEF = JSON_SCHEMA_CONVERTER_CONFIG_DEF;

  private settings!: JsonSchemaConverterSettings;
  private isKey = false;
  private client!: SchemaRegistryClient;
  private values!: JsonSchemaValues;
  private codec!: JsonDataCodec;
  private writers!: LruCache<Schema, WriterEntry>;
  private readers!: LruCache<number, ReaderEntry>;

  constructor(private readonly options: JsonSchemaConverterOptions = {}) {}

  configure(configs: Record<string, string>, isKey: boolean): void {
    this.settings = parseJsonSchemaConverterConfig(configs, isKey);
    this.isKey = isKey;
    this.client = schemaRegistryClient(this.settings, this.options.transport);
    this.codec = new JsonDataCodec({ replaceNullWithDefault: !this.settings.ignoreDefaultForNullables, decimalFormat: this.settings.decimalFormat });
    this.values = new JsonSchemaValues(this.codec);
    this.writers = new LruCache(this.settings.schemasCacheSize);
    this.readers = new LruCache(this.settings.schemasCacheSize);
  }

  fromConnectData(topic: string, _headers: readonly Header[], schema: Schema | null, value: unknown): Buffer | null {
    if (!this.client) throw new ConfigError('JsonSchemaConverter used before configure()');
    if (value === null || value === undefined) {
      if (schema !== null && !schema.optional && schema.defaultValue === null) {
        throw new DataError(`Converting Kafka Connect data to byte[] failed for topic ${topic}: null value for a required ${schema.type} schema`);
      }
      if (schema === null || schema.defaultValue === null || this.settings.ignoreDefaultForNullables) return null;
    }
    try {
      if (schema === null) throw new DataError('the value has no Connect schema, and JSON Schema data needs one (use JsonConverter with schemas.enable=false for schemaless JSON)');
      const entry = this.writerFor(schema);
      const target = entry.targets.get(topic) ?? this.target(topic, entry);
      const payload = this.values.write(schema, value);
      target.validate?.(JSON.parse(payload), `The ${this.isKey ? 'key' : 'value'}`);
      const size = HEADER_SIZE + Buffer.byteLength(payload, 'utf8');
      const out = Buffer.allocUnsafe(size);
      target.header.copy(out, 0);
      out.write(payload, HEADER_SIZE, 'utf8');
      return out;
    } catch (err) {
      throw wrap(err, `Converting Kafka Connect data to byte[] failed due to serialization error of topic ${topic}: `);
    }
  }

  toConnectData(topic: string, _headers: readonly Header[], value: Buffer | null): SchemaAndValue {
    if (!this.client) throw new ConfigError('JsonSchemaConverter used before configure()');
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    try {
      const id = readSchemaId(value);
      const entry = this.readerFor(id);
      const schema = entry.schemas.get(topic) ?? this.readSchema(topic, id, entry);
      let text: string;
      try {
        text = UTF8.decode(value.subarray(HEADER_SIZE));
      } catch (err) {
        throw new DataError(`The JSON payload after schema id ${id} is not valid UTF-8`, { cause: err });
      }
      if (entry.validate) entry.validate(parseForValidation(text, id), `The ${this.isKey ? 'key' : 'value'} with schema id ${id}`);
      let converted: unknown;
      try {
        converted = this.values.read(schema, text);
      } catch (err) {
        if (err instanceof JsonSyntaxError) throw new DataError(`The payload after schema id ${id} is not valid JSON: ${err.message}`, { cause: err });
        throw err;
      }
      return converted === null ? { schema, value: null } : { schema, value: converted };
    } catch (err) {
      throw wrap(err, `Converting byte[] to Kafka Connect data failed due to serialization error of topic ${topic}: `);
    }
  }

  private writerFor(schema: Schema): WriterEntry {
    let entry = this.writers.get(schema);
    if (!entry) {
      const text = connectToJsonSchema(schema, {
        allowAdditionalProperties: this.settings.allowAdditionalProperties,
        decimalFormat: this.settings.decimalFormat,
        defaultJson: (s, v) => this.codec.toJson(s, v),
      });
      entry = {
        registered: { schema: text, schemaType: 'JSON', references: [] },
        record: titled(schema.name),
        validate: this.settings.failInvalidSchema ? compileValidator(text, new Map()) : null,
        targets: new Map(),
      };
      this.writers.set(schema, entry);
    }
    return entry;
  }

  /** The id for records of this schema on this topic: registered, looked up, or the latest. */
  private target(topic: string, entry: WriterEntry): { header: Buffer; validate: PayloadValidator | null } {
    const { autoRegister, useLatestVersion, subjectName } = this.settings;
    const subject = subjectName(topic, this.isKey, entry.record);
    let target: { header: Buffer; validate: PayloadValidator | null };
    if (autoRegister) {
      target = { header: wireHeader(this.client.register(subject, entry.registered)), validate: entry.validate };
    } else if (useLatestVersion) {
      const latest = this.client.latestVersion(subject);
      if (latest.schemaType !== 'JSON') throw new DataError(`The latest schema of subject ${subject} is a ${latest.schemaType} schema, not JSON Schema`);
      const same = latest.schema === entry.registered.schema;
      const validate = this.settings.failInvalidSchema && !same ? compileValidator(latest.schema, this.referencedTexts(latest.references)) : entry.validate;
      target = { header: wireHeader(latest.id), validate };
    } else {
      target = { header: wireHeader(this.client.lookup(subject, entry.registered).id), validate: entry.validate };
    }
    entry.targets.set(topic, target);
    return target;
  }

  private readerFor(id: number): ReaderEntry {
    let entry = this.readers.get(id);
    if (!entry) {
      let registered: RegistrySchema;
      let references: Map<string, string>;
      try {
        registered = this.client.schemaById(id, 'JSON');
        references = this.referencedTexts(registered.references);
      } catch (err) {
        throw wrap(err, `Error retrieving JSON Schema ${this.isKey ? 'key' : 'value'} schema for id ${id}: `);
      }
      const root = parseSchema(registered.schema, `schema id ${id}`);
      const external = new Map([...references].map(([name, text]) => [name, parseSchema(text, `the schema referenced as ${name} by schema id ${id}`)]));
      const title = root instanceof Map ? root.get('title') : undefined;
      entry = {
        registered,
        root,
        external,
        record: titled(typeof title === 'string' ? title : null),
        validate: this.settings.failInvalidSchema ? compileValidator(registered.schema, references) : null,
        schemas: new Map(),
      };
      this.readers.set(id, entry);
    }
    return entry;
  }

  /** The texts of the referenced schemas, by reference name, following their own references too. */
  private referencedTexts(references: RegistrySchema['references'], into = new Map<string, string>()): Map<string, string> {
    for (const ref of references) {
      if (into.has(ref.name)) continue;
      const found = this.client.schemaByVersion(ref.subject, ref.version);
      into.set(ref.name, found.schema);
      this.referencedTexts(found.references, into);
    }
    return into;
  }

  private readSchema(topic: string, id: number, entry: ReaderEntry): Schema {
    const subject = this.settings.subjectName(topic, this.isKey, entry.record);
    let version: number | null;
    try {
      version = this.client.versionOf(subject, entry.registered);
    } catch (err) {
      throw wrap(err, `Error retrieving JSON Schema ${this.isKey ? 'key' : 'value'} schema version for id ${id}: `);
    }
    const schema = jsonSchemaToConnect(entry.root, version, {
      optionalForNonRequired: this.settings.optionalForNonRequired,
      external: (name) => entry.external.get(name),
      readDefault: (s, node) => this.values.toConnect(s, node),
    });
    entry.schemas.set(topic, schema);
    return schema;
  }
}

/** A JSON Schema for the record-name subject strategies: its title names the record. */
function titled(title: string | null): SubjectRecord {
  return { kind: 'a JSON Schema with a title', fullName: () => title };
}

function parseSchema(text: string, what: string): JsonValue {
  try {
    const value = parseJson(text).value;
    if (value === undefined) throw new DataError('it is empty');
    return value;
  } catch (err) {
    throw new DataError(`The JSON Schema of ${what} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

function parseForValidation(text: string, id: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DataError(`The payload after schema id ${id} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Adds context to an error, keeping its class (retriable or not) and the original as the cause. */
function wrap(err: unknown, prefix: string): ConnectError {
  const message = prefix + (err instanceof Error ? err.message : String(err));
  if (err instanceof RetriableError) return new RetriableError(message, { cause: err });
  if (err instanceof ConfigError) return new ConfigError(message, { cause: err });
  return new DataError(message, { cause: err });
}
