import * as protobuf from 'protobufjs';
import { ConfigError, ConnectError, Converter, DataError, Header, NULL_SCHEMA_AND_VALUE, RetriableError, Schema, SchemaAndValue } from '../../api';
import { LruCache } from '../lru-cache';
import { schemaRegistryClient } from '../schema-registry/registry-config';
import { RegistrySchema, SchemaRegistryClient } from '../schema-registry/schema-registry-client';
import { SyncHttpTransport } from '../schema-registry/sync-http';
import { HEADER_SIZE, readSchemaId, wireHeader } from '../schema-registry/wire-format';
import { connectToProtoMessage } from './connect-to-proto-value';
import { connectToProtoSchema } from './connect-to-proto-schema';
import { readMessageIndexes, writeMessageIndexes } from './message-indexes';
import { PROTOBUF_CONVERTER_CONFIG_DEF, ProtobufConverterSettings, parseProtobufConverterConfig } from './protobuf-converter-config';
import { indexesOf, loadProto, LoadedProto, messageAt } from './proto-schema-loader';
import { protoToConnectSchema } from './proto-to-connect-schema';
import { protoToConnectValue } from './proto-to-connect-value';

/** One Connect schema, translated once. */
interface WriterEntry {
  schema: RegistrySchema;
  fullName: string;
  /** The message's index path in its own schema. */
  indexes: number[];
  type: protobuf.Type;
  /** By topic: the header (id and message indexes) and the message type records of that topic are written with. */
  targets: Map<string, WriteTarget>;
}
interface WriteTarget {
  header: Buffer;
  type: protobuf.Type;
}
/** One writer schema id, fetched and parsed once. */
interface ReaderEntry {
  schema: RegistrySchema;
  proto: LoadedProto;
  /** By topic, for the first message ([0]). */
  first: Map<string, ReadTarget>;
  /** By message index path and topic, for other messages. */
  targets: Map<string, ReadTarget>;
}
interface ReadTarget {
  schema: Schema;
  type: protobuf.Type;
}

export interface ProtobufConverterOptions {
  /** How registry requests are made; the default runs fetch() in a shared helper thread. */
  transport?: SyncHttpTransport;
}

/**
 * Confluent's ProtobufConverter (io.confluent.connect.protobuf.ProtobufConverter): Connect data as
 * Protobuf in Confluent's wire format, `00 <schema id: 4 bytes big-endian> <message indexes>
 * <Protobuf binary>`, with .proto schemas (schemaType PROTOBUF) in a Schema Registry. Schemas are
 * translated as Confluent's ProtobufData does (connect-to-proto-schema.ts, proto-to-connect-schema.ts);
 * reading accepts any message of a registered schema and resolves its imports through the schema's
 * registry references (well-known Google and Confluent types built in, as Confluent does not register
 * them).
 *
 * Translations, ids and schemas are cached per converter; registry requests block the calling task
 * (see AvroConverter).
 */
export class ProtobufConverter implements Converter {
  static readonly CLASS_NAME = 'io.confluent.connect.protobuf.ProtobufConverter';
  static readonly CONFIG_DEF = PROTOBUF_CONVERTER_CONFIG_DEF;

  private settings!: ProtobufConverterSettings;
  private isKey = false;
  private client!: SchemaRegistryClient;
  private writers!: LruCache<Schema, WriterEntry>;
  private readers!: LruCache<number, ReaderEntry>;

  constructor(private readonly options: ProtobufConverterOptions = {}) {}

  configure(configs: Record<string, string>, isKey: boolean): void {
    this.settings = parseProtobufConverterConfig(configs, isKey);
    this.isKey = isKey;
    this.client = schemaRegistryClient(this.settings, this.options.transport);
    this.writers = new LruCache(this.settings.data.schemasCacheSize);
    this.readers = new LruCache(this.settings.data.schemasCacheSize);
  }

  fromConnectData(topic: string, _headers: readonly Header[], schema: Schema | null, value: unknown): Buffer | null {
    if (!this.client) throw new ConfigError('ProtobufConverter used before configure()');
    try {
      if (value === null || value === undefined) {
        if (schema !== null && !schema.optional) throw new DataError('Found null value for non-optional schema');
        return null;
      }
      if (schema === null) throw new DataError('ProtobufConverter needs a schema: the value has none');
      const entry = this.writerFor(schema);
      const target = entry.targets.get(topic) ?? this.target(topic, entry);
      const message = connectToProtoMessage(schema, value, target.type, this.settings.data.scrubInvalidNames);
      let body: Uint8Array;
      try {
        body = target.type.encode(message).finish();
      } catch (err) {
        throw new DataError(`The value does not fit message ${target.type.fullName.slice(1)}: ${(err as Error).message}`, { cause: err });
      }
      return Buffer.concat([target.header, body]);
    } catch (err) {
      throw wrap(err, `Failed to serialize Protobuf data from topic ${topic}: `);
    }
  }

  toConnectData(topic: string, _headers: readonly Header[], value: Buffer | null): SchemaAndValue {
    if (!this.client) throw new ConfigError('ProtobufConverter used before configure()');
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    try {
      const id = readSchemaId(value);
      const entry = this.readerFor(id);
      let target: ReadTarget;
      let end: number;
      if (value[HEADER_SIZE] === 0) {
        // The first message (the usual case): no index list to read or key to build.
        end = HEADER_SIZE + 1;
        target = entry.first.get(topic) ?? this.readTarget(topic, id, [0], entry);
      } else {
        const path = readMessageIndexes(value, HEADER_SIZE);
        end = path.end;
        target = entry.targets.get(`${path.indexes.join('.')}\u0000${topic}`) ?? this.readTarget(topic, id, path.indexes, entry);
      }
      let message: Record<string, unknown>;
      try {
        message = target.type.decode(value.subarray(end)) as unknown as Record<string, unknown>;
      } catch (err) {
        throw new DataError(`Error deserializing Protobuf message for id ${id}: ${(err as Error).message}`, { cause: err });
      }
      return { schema: target.schema, value: protoToConnectValue(target.schema, message, target.type) };
    } catch (err) {
      throw wrap(err, `Failed to deserialize data for topic ${topic} to Protobuf: `);
    }
  }

  private writerFor(schema: Schema): WriterEntry {
    let entry = this.writers.get(schema);
    if (!entry) {
      const proto = connectToProtoSchema(schema, this.settings.data);
      const registry: RegistrySchema = { schema: proto.text, schemaType: 'PROTOBUF', references: [] };
      const loaded = loadProto(proto.text, () => null, `for the Connect schema ${schema.name ?? schema.type}`);
      entry = { schema: registry, fullName: proto.fullName, indexes: proto.indexes, type: messageAt(loaded, proto.indexes, 'The translated schema'), targets: new Map() };
      this.writers.set(schema, entry);
    }
    return entry;
  }

  /** The header and message type for records of this schema on this topic: registered, looked up, or the latest. */
  private target(topic: string, entry: WriterEntry): WriteTarget {
    const { autoRegister, useLatestVersion, subjectName } = this.settings;
    const subject = subjectName(topic, this.isKey, { kind: 'a Protobuf message schema', fullName: () => entry.fullName });
    let target: WriteTarget;
    if (autoRegister) {
      target = { header: header(this.client.register(subject, entry.schema), entry.indexes), type: entry.type };
    } else if (useLatestVersion) {
      const latest = this.client.latestVersion(subject);
      if (latest.schemaType !== 'PROTOBUF') throw new DataError(`The latest schema of subject ${subject} is ${latest.schemaType}, not PROTOBUF`);
      const proto = this.load(latest, `subject ${subject} version ${latest.version}`);
      const indexes = indexesOf(proto, entry.fullName) ?? [0];
      target = { header: header(latest.id, indexes), type: messageAt(proto, indexes, `Subject ${subject} version ${latest.version}`) };
    } else {
      target = { header: header(this.client.lookup(subject, entry.schema).id, entry.indexes), type: entry.type };
    }
    entry.targets.set(topic, target);
    return target;
  }

  private readerFor(id: number): ReaderEntry {
    let entry = this.readers.get(id);
    if (!entry) {
      let schema: RegistrySchema;
      try {
        schema = this.client.schemaById(id, 'PROTOBUF');
      } catch (err) {
        throw wrap(err, `Error retrieving Protobuf ${this.isKey ? 'key' : 'value'} schema for id ${id}: `);
      }
      entry = { schema, proto: this.load(schema, `id ${id}`), first: new Map(), targets: new Map() };
      this.readers.set(id, entry);
    }
    return entry;
  }

  /** Parses a registered schema with the schemas its references name (fetched by subject and version). */
  private load(schema: RegistrySchema, what: string): LoadedProto {
    const texts = new Map<string, string>();
    const collect = (refs: RegistrySchema['references']): void => {
      for (const ref of refs) {
        if (texts.has(ref.name)) continue;
        const found = this.client.schemaByVersion(ref.subject, ref.version);
        texts.set(ref.name, found.schema);
        collect(found.references);
      }
    };
    collect(schema.references);
    return loadProto(schema.schema, (path) => texts.get(path) ?? null, `Schema ${what}`);
  }

  private readTarget(topic: string, id: number, indexes: number[], entry: ReaderEntry): ReadTarget {
    const type = messageAt(entry.proto, indexes, `Schema id ${id}`);
    const subject = this.settings.subjectName(topic, this.isKey, { kind: 'a Protobuf message schema', fullName: () => type.fullName.slice(1) });
    let version: number | null;
    try {
      version = this.client.versionOf(subject, entry.schema);
    } catch (err) {
      throw wrap(err, `Error retrieving Protobuf ${this.isKey ? 'key' : 'value'} schema version for id ${id}: `);
    }
    const target = { schema: protoToConnectSchema(type, this.settings.data, version), type };
    if (indexes.length === 1 && indexes[0] === 0) entry.first.set(topic, target);
    else entry.targets.set(`${indexes.join('.')}\u0000${topic}`, target);
    return target;
  }
}

function header(id: number, indexes: number[]): Buffer {
  return Buffer.concat([wireHeader(id), writeMessageIndexes(indexes)]);
}

/** Adds context to an error, keeping its class (retriable or not) and the original as the cause. */
function wrap(err: unknown, prefix: string): ConnectError {
  const message = prefix + (err instanceof Error ? err.message : String(err));
  if (err instanceof RetriableError) return new RetriableError(message, { cause: err });
  if (err instanceof ConfigError) return new ConfigError(message, { cause: err });
  return new DataError(message, { cause: err });
}
