import type * as avro from 'avsc';
import { ConfigError, ConnectError, Converter, DataError, Header, NULL_SCHEMA_AND_VALUE, RetriableError, Schema, SchemaAndValue } from '../../api';
import { LruCache } from '../lru-cache';
import { AVRO_CONVERTER_CONFIG_DEF, AvroConverterSettings, parseAvroConverterConfig } from './avro-converter-config';
import { AvroSchemaJson, writeAvroSchema } from './avro-schema-json';
import { ANYTHING_SCHEMA_TEXT, fromAnything, isAnythingSchema, toAnything } from './avro-schemaless';
import { avroToConnectSchema } from './avro-to-connect-schema';
import { compileValueReader, ValueReader } from './avro-to-connect-value';
import { avscType } from './avsc-types';
import { connectToAvroSchema } from './connect-to-avro-schema';
import { compileValueWriter, ValueWriter } from './connect-to-avro-value';
import { schemaRegistryClient } from '../schema-registry/registry-config';
import { SchemaRegistryClient } from '../schema-registry/schema-registry-client';
import { SubjectRecord } from '../schema-registry/subject-name-strategy';
import { SyncHttpTransport } from '../schema-registry/sync-http';
import { HEADER_SIZE, readSchemaId, wireHeader as header } from '../schema-registry/wire-format';
import { AvroNames, typeOf } from './avro-schema-json';

/** One Connect schema, translated once. */
interface WriterEntry {
  /** null for schemaless values (the Anything schema). */
  schema: Schema | null;
  text: string;
  avro: AvroSchemaJson;
  type: avro.Type;
  write: ValueWriter;
  /** By topic: the id and writer schema records of that topic are sent with. */
  targets: Map<string, WriteTarget>;
}
interface WriteTarget {
  header: Buffer;
  type: avro.Type;
  write: ValueWriter;
}
/** One writer schema id, fetched and translated once. */
interface ReaderEntry {
  text: string;
  avro: AvroSchemaJson;
  type: avro.Type;
  /** By topic, since the Connect schema's version is the schema's version under the topic's subject. */
  targets: Map<string, { schema: Schema | null; read: ValueReader }>;
}

export interface AvroConverterOptions {
  /** How registry requests are made; the default runs fetch() in a shared helper thread. */
  transport?: SyncHttpTransport;
}

/**
 * Confluent's AvroConverter (io.confluent.connect.avro.AvroConverter): Connect data as Avro in
 * Confluent's wire format, `00 <schema id: 4 bytes big-endian> <Avro binary>`, with schemas kept in a
 * Schema Registry. Writing registers the record's schema under the subject of the topic (or looks it
 * up, or takes the subject's latest version); reading fetches the writer schema by id. Schemas are
 * translated as Confluent's AvroData does (see connect-to-avro-schema.ts), so data written here and
 * by the Java converter read the same either way.
 *
 * Translations, ids and schemas are cached per converter: the registry sees one request per new
 * schema, not per record. Those requests block the calling task (the Converter contract is
 * synchronous, as Java's converter blocks its task thread) until answered or timed out.
 *
 * To use it outside the worker (e.g. a benchmark): `const c = new AvroConverter();
 * c.configure({ 'schema.registry.url': url }, false);` then call fromConnectData / toConnectData.
 */
export class AvroConverter implements Converter {
  static readonly CLASS_NAME = 'io.confluent.connect.avro.AvroConverter';
  static readonly CONFIG_DEF = AVRO_CONVERTER_CONFIG_DEF;

  private settings!: AvroConverterSettings;
  private isKey = false;
  private client!: SchemaRegistryClient;
  private writers!: LruCache<Schema, WriterEntry>;
  private readers!: LruCache<number, ReaderEntry>;
  private schemaless: WriterEntry | undefined;
  private scratch = Buffer.allocUnsafe(1024);

  constructor(private readonly options: AvroConverterOptions = {}) {}

  configure(configs: Record<string, string>, isKey: boolean): void {
    this.settings = parseAvroConverterConfig(configs, isKey);
    this.isKey = isKey;
    this.client = schemaRegistryClient(this.settings, this.options.transport);
    this.writers = new LruCache(this.settings.data.schemasCacheSize);
    this.readers = new LruCache(this.settings.data.schemasCacheSize);
    this.schemaless = undefined;
  }

  fromConnectData(topic: string, _headers: readonly Header[], schema: Schema | null, value: unknown): Buffer | null {
    if (!this.client) throw new ConfigError('AvroConverter used before configure()');
    try {
      if (value === null || value === undefined) {
        if (schema !== null && !schema.optional) throw new DataError('Found null value for non-optional schema');
        return null;
      }
      const entry = this.writerFor(schema);
      const target = entry.targets.get(topic) ?? this.target(topic, entry);
      return this.encode(target, target.write(value));
    } catch (err) {
      throw wrap(err, `Failed to serialize Avro data from topic ${topic}: `);
    }
  }

  toConnectData(topic: string, _headers: readonly Header[], value: Buffer | null): SchemaAndValue {
    if (!this.client) throw new ConfigError('AvroConverter used before configure()');
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    try {
      const id = readSchemaId(value);
      const entry = this.readerFor(id);
      const target = entry.targets.get(topic) ?? this.readTarget(topic, id, entry);
      let decoded: unknown;
      try {
        const result = entry.type.decode(value, HEADER_SIZE);
        if (result.offset < 0) throw new Error('the data ends before the record does');
        decoded = result.value;
      } catch (err) {
        throw new DataError(`Error deserializing Avro message for id ${id}: ${(err as Error).message}`, { cause: err });
      }
      const converted = target.read(decoded);
      return converted === null && target.schema === null ? NULL_SCHEMA_AND_VALUE : { schema: target.schema, value: converted };
    } catch (err) {
      throw wrap(err, `Failed to deserialize data for topic ${topic} to Avro: `);
    }
  }

  private writerFor(schema: Schema | null): WriterEntry {
    if (schema === null) return (this.schemaless ??= this.entry(null, ANYTHING_SCHEMA_TEXT));
    let entry = this.writers.get(schema);
    if (!entry) {
      entry = this.entry(schema, writeAvroSchema(connectToAvroSchema(schema, this.settings.data)));
      this.writers.set(schema, entry);
    }
    return entry;
  }

  private entry(schema: Schema | null, text: string): WriterEntry {
    const avroSchema = JSON.parse(text) as AvroSchemaJson;
    return { schema, text, avro: avroSchema, type: avscType(avroSchema), write: this.writer(schema, avroSchema), targets: new Map() };
  }

  private writer(schema: Schema | null, avroSchema: AvroSchemaJson): ValueWriter {
    return schema === null ? toAnything : compileValueWriter(schema, avroSchema);
  }

  /** The id (and writer schema) for records of this schema on this topic: registered, looked up, or the latest. */
  private target(topic: string, entry: WriterEntry): WriteTarget {
    const { autoRegister, useLatestVersion, subjectName } = this.settings;
    const subject = subjectName(topic, this.isKey, avroRecord(entry.avro));
    let target: WriteTarget;
    if (autoRegister) {
      target = { header: header(this.client.register(subject, entry.text)), type: entry.type, write: entry.write };
    } else if (useLatestVersion) {
      const latest = this.client.latestVersion(subject);
      const latestSchema = JSON.parse(latest.schema) as AvroSchemaJson;
      const same = latest.schema === entry.text;
      target = { header: header(latest.id), type: same ? entry.type : avscType(latestSchema), write: same ? entry.write : this.writer(entry.schema, latestSchema) };
    } else {
      target = { header: header(this.client.lookup(subject, entry.text).id), type: entry.type, write: entry.write };
    }
    entry.targets.set(topic, target);
    return target;
  }

  private encode(target: WriteTarget, avroValue: unknown): Buffer {
    let end: number;
    try {
      end = target.type.encode(avroValue, this.scratch, HEADER_SIZE);
      while (end < 0) {
        this.scratch = Buffer.allocUnsafe(Math.max(this.scratch.length * 2, HEADER_SIZE - end));
        end = target.type.encode(avroValue, this.scratch, HEADER_SIZE);
      }
    } catch (err) {
      throw new DataError(invalidValueMessage(target.type, avroValue), { cause: err });
    }
    const out = Buffer.allocUnsafe(end);
    target.header.copy(out, 0);
    this.scratch.copy(out, HEADER_SIZE, HEADER_SIZE, end);
    return out;
  }

  private readerFor(id: number): ReaderEntry {
    let entry = this.readers.get(id);
    if (!entry) {
      let text: string;
      try {
        text = this.client.schemaById(id).schema;
      } catch (err) {
        throw wrap(err, `Error retrieving Avro ${this.isKey ? 'key' : 'value'} schema for id ${id}: `);
      }
      const avroSchema = JSON.parse(text) as AvroSchemaJson;
      entry = { text, avro: avroSchema, type: avscType(avroSchema), targets: new Map() };
      this.readers.set(id, entry);
    }
    return entry;
  }

  private readTarget(topic: string, id: number, entry: ReaderEntry): { schema: Schema | null; read: ValueReader } {
    let target: { schema: Schema | null; read: ValueReader };
    if (isAnythingSchema(entry.avro)) {
      target = { schema: null, read: fromAnything };
    } else {
      const subject = this.settings.subjectName(topic, this.isKey, avroRecord(entry.avro));
      let version: number | null;
      try {
        version = this.client.versionOf(subject, entry.text);
      } catch (err) {
        throw wrap(err, `Error retrieving Avro ${this.isKey ? 'key' : 'value'} schema version for id ${id}: `);
      }
      const schema = avroToConnectSchema(entry.avro, this.settings.data, version);
      target = { schema, read: compileValueReader(schema, entry.avro) };
    }
    entry.targets.set(topic, target);
    return target;
  }
}

/** Where a value does not fit its Avro schema (avsc's own message would print the value, and fails on bigints). */
function invalidValueMessage(type: avro.Type, value: unknown): string {
  const paths: string[] = [];
  type.isValid(value, { errorHook: (path: string[], _v: unknown, t: avro.Type) => paths.push(`${path.join('.') || '(top level)'} (Avro ${t.typeName})`) });
  return `The value does not fit the Avro schema at ${paths.join(', ') || 'an unknown place'}`;
}

/** An Avro schema for the record-name subject strategies: its full name when it is a record. */
function avroRecord(schema: AvroSchemaJson): SubjectRecord {
  return {
    kind: 'an Avro record schema',
    fullName: () => (typeOf(schema) === 'record' && typeof schema === 'object' && !Array.isArray(schema) ? new AvroNames(schema).fullName(schema) || null : null),
  };
}

/** Adds context to an error, keeping its class (retriable or not) and the original as the cause. */
function wrap(err: unknown, prefix: string): ConnectError {
  const message = prefix + (err instanceof Error ? err.message : String(err));
  if (err instanceof RetriableError) return new RetriableError(message, { cause: err });
  if (err instanceof ConfigError) return new ConfigError(message, { cause: err });
  return new DataError(message, { cause: err });
}
