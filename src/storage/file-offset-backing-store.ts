/**
 * Source offsets kept in one local JSON file (Kafka's FileOffsetBackingStore, in a readable format):
 *
 *   {
 *     "version": 1,
 *     "offsets": [
 *       {
 *         "key": ["<connector>", {<source partition>}],
 *         "value": {<source offset>}
 *       }
 *     ]
 *   }
 *
 * One entry per (connector, source partition), pretty-printed with a 2-space indent. The key is Kafka
 * Connect's logical offset key, so the file can be read next to Kafka's tooling and docs.
 *
 * Every set() rewrites the whole file atomically: write a temporary file in the same directory, fsync
 * it, rename it over the offsets file, fsync the directory. A crash leaves either the old file or the
 * new one, never a partial one. A file that cannot be read or parsed stops start() with an error
 * naming it; it is never reset or overwritten.
 *
 * Apache Kafka's own offsets file (a Java-serialized HashMap, see kafka-offsets-import.ts) is
 * recognised by its first bytes and imported: its offsets are loaded marked as imported from Kafka
 * (`"importedFromKafka": true` on the entry once in our format) until the connector converts them
 * (see SourceConnector.convertKafkaOffset) or a task commits a new offset for that partition. Before
 * the first write replaces it with our format, the original bytes are kept as `<file>.kafka-backup`.
 */
import * as fsp from 'fs/promises';
import * as path from 'path';
import { ConnectError, Logger, OffsetMap, RetriableError } from '../api';
import { isJavaSerialized } from './java-stream-magic';
import type * as KafkaOffsetsImportModule from './kafka-offsets-import';
import { ImportedOffset, OffsetBackingStore, OffsetEntry } from './offset-backing-store';

/** The file operations the store uses; injectable so tests can make writes fail. */
export type OffsetFileSystem = Pick<typeof fsp, 'open' | 'readFile' | 'rename' | 'stat' | 'unlink' | 'link'>;

export interface FileOffsetBackingStoreOptions {
  logger?: Logger;
  fs?: OffsetFileSystem;
}

const FORMAT_VERSION = 1;

interface StoredOffset {
  readonly connector: string;
  readonly partition: OffsetMap;
  readonly offset: OffsetMap;
  /** Read from Apache Kafka's offsets file and not yet converted or replaced. */
  readonly importedFromKafka?: true;
}

export class FileOffsetBackingStore implements OffsetBackingStore {
  private readonly file: string;
  private readonly fs: OffsetFileSystem;
  private readonly logger: Logger | undefined;
  /** The durable state, by canonical key; replaced only after a successful write. */
  private data = new Map<string, StoredOffset>();
  /** Writes run one after another on this chain. */
  private writes: Promise<void> = Promise.resolve();
  private writeCount = 0;
  private stopped = false;
  /** The bytes of Apache Kafka's offsets file loaded at start(), until they are kept as the backup. */
  private kafkaOriginal: Buffer | null = null;

  constructor(filename: string, options: FileOffsetBackingStoreOptions = {}) {
    this.file = path.resolve(filename);
    this.fs = options.fs ?? fsp;
    this.logger = options.logger;
  }

  /** Loads the file. A missing file means no offsets yet; its directory must exist. */
  async start(): Promise<void> {
    await this.checkDirectory();
    const bytes = await this.readFileIfPresent();
    this.data = bytes === null ? new Map() : this.load(bytes);
    this.logger?.info(`Loaded ${this.data.size} source offsets from ${this.file}`);
  }

  get(connector: string, partition: OffsetMap): OffsetMap | null {
    return this.data.get(canonicalKey(connector, partition))?.offset ?? null;
  }

  /** This connector's offsets still as imported from Apache Kafka's offsets file. */
  importedFromKafka(connector: string): ImportedOffset[] {
    return [...this.data.values()].filter((e) => e.importedFromKafka && e.connector === connector).map(({ partition, offset }) => ({ partition, offset }));
  }

  connectorPartitions(connector: string): OffsetMap[] {
    return [...this.data.values()].filter((e) => e.connector === connector).map((e) => e.partition);
  }

  connectorNames(): string[] {
    return [...new Set([...this.data.values()].map((e) => e.connector))];
  }

  /**
   * Applies the entries (a null offset deletes) and resolves once the file holds them. Calls are
   * written in order, one at a time. On failure it rejects with a RetriableError and the store keeps
   * its previous state, so the next set() writes everything again.
   */
  set(entries: readonly OffsetEntry[]): Promise<void> {
    if (this.stopped) return Promise.reject(new ConnectError(`Offset store for ${this.file} is stopped`));
    const write = this.writes.then(() => this.apply(entries));
    this.writes = write.catch(() => undefined);
    return write;
  }

  /** Waits for pending writes; later set() calls are refused. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.writes;
  }

  private async apply(entries: readonly OffsetEntry[]): Promise<void> {
    const next = new Map(this.data);
    for (const { connector, partition, offset, importedFromKafka } of entries) {
      const key = canonicalKey(connector, partition);
      if (offset === null) next.delete(key);
      else next.set(key, { connector, partition, offset, ...(importedFromKafka && { importedFromKafka }) });
    }
    await this.persist(next);
    this.data = next;
  }

  private async persist(state: ReadonlyMap<string, StoredOffset>): Promise<void> {
    if (this.kafkaOriginal !== null) await this.keepKafkaBackup(this.kafkaOriginal);
    const offsets = [...state.values()].map((e) => ({ key: [e.connector, e.partition], value: e.offset, ...(e.importedFromKafka && { importedFromKafka: true }) }));
    const text = `${JSON.stringify({ version: FORMAT_VERSION, offsets }, null, 2)}\n`;
    const temp = `${this.file}.tmp-${process.pid}-${++this.writeCount}`;
    try {
      const handle = await this.fs.open(temp, 'w');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await this.fs.rename(temp, this.file);
      await this.syncDirectory();
    } catch (err) {
      await this.fs.unlink(temp).catch(() => undefined);
      throw new RetriableError(`Failed to write offsets file ${this.file}: ${messageOf(err)}`, { cause: err });
    }
    if (this.logger?.isLevelEnabled('debug')) this.logger.debug(`Wrote ${state.size} source offsets to ${this.file}`);
  }

  /** Makes the rename itself durable. */
  private async syncDirectory(): Promise<void> {
    const dir = await this.fs.open(path.dirname(this.file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }

  private async checkDirectory(): Promise<void> {
    const dir = path.dirname(this.file);
    const stat = await this.fs.stat(dir).catch((err: unknown) => {
      throw new ConnectError(`Cannot use offsets file ${this.file}: its directory ${dir} is not accessible (${messageOf(err)}); create it first`, { cause: err });
    });
    if (!stat.isDirectory()) throw new ConnectError(`Cannot use offsets file ${this.file}: ${dir} is not a directory`);
  }

  /** The file's bytes, or null when it does not exist. */
  private async readFileIfPresent(): Promise<Buffer | null> {
    try {
      const stat = await this.fs.stat(this.file);
      if (stat.isDirectory()) {
        throw new ConnectError(`Offsets file ${this.file} is a directory; offset.storage.file.filename must name a file`);
      }
      if (!stat.isFile()) throw this.corrupt('it is not a regular file');
      return await this.fs.readFile(this.file);
    } catch (err) {
      if (err instanceof ConnectError) throw err;
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ConnectError(`Cannot read offsets file ${this.file}: ${messageOf(err)}`, { cause: err });
    }
  }

  private load(bytes: Buffer): Map<string, StoredOffset> {
    return isJavaSerialized(bytes) ? this.importKafka(bytes) : this.parse(bytes.toString('utf8'));
  }

  private importKafka(bytes: Buffer): Map<string, StoredOffset> {
    const { decodeKafkaOffsetsFile, summarize } = kafkaOffsetsImport();
    const { offsets, deleted, ignored } = decodeKafkaOffsetsFile(bytes, this.file);
    const data = new Map<string, StoredOffset>();
    for (const { connector, partition, offset } of offsets) {
      const key = canonicalKey(connector, partition);
      if (data.has(key)) this.logger?.warn(`Apache Kafka's offsets file ${this.file} has two offsets for connector ${connector} and partition ${JSON.stringify(partition)}; using ${JSON.stringify(offset)}`);
      data.set(key, { connector, partition, offset, importedFromKafka: true });
    }
    for (const why of ignored) this.logger?.warn(`Ignoring ${why} in Apache Kafka's offsets file ${this.file}; it stays in the backup`);
    const note = deleted > 0 ? ` (and ${deleted} deleted offset${deleted === 1 ? '' : 's'} skipped)` : '';
    this.logger?.info(
      `Offsets file ${this.file} is Apache Kafka's format: imported ${summarize(offsets)}${note}. ` +
        `The first write replaces it with this worker's format and keeps the original as ${this.file}.kafka-backup`,
    );
    this.kafkaOriginal = bytes;
    return data;
  }

  private async keepKafkaBackup(original: Buffer): Promise<void> {
    let backup: string;
    try {
      backup = await kafkaOffsetsImport().keepKafkaBackup(this.fs, this.file, original);
    } catch (err) {
      throw new RetriableError(`Failed to keep Apache Kafka's offsets file ${this.file} as ${this.file}.kafka-backup: ${messageOf(err)}`, { cause: err });
    }
    this.kafkaOriginal = null;
    this.logger?.info(`Kept Apache Kafka's offsets file as ${backup}; writing this worker's format to ${this.file}`);
  }

  private parse(text: string): Map<string, StoredOffset> {
    if (text.trim() === '') throw this.corrupt('it is empty');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw this.corrupt(`it is not valid JSON (${messageOf(err)})`);
    }
    if (!isRecord(doc) || !Array.isArray(doc.offsets)) throw this.corrupt('expected an object with "version" and an "offsets" array');
    if (doc.version !== FORMAT_VERSION) throw this.corrupt(`unsupported version ${JSON.stringify(doc.version)} (this build reads version ${FORMAT_VERSION})`);
    const data = new Map<string, StoredOffset>();
    doc.offsets.forEach((entry: unknown, i: number) => {
      const stored = toStoredOffset(entry);
      if (stored === null) throw this.corrupt(`offsets[${i}] is not {"key": ["<connector>", {partition}], "value": {offset}}`);
      data.set(canonicalKey(stored.connector, stored.partition), stored);
    });
    return data;
  }

  private corrupt(what: string): ConnectError {
    return new ConnectError(`Offsets file ${this.file} is corrupt: ${what}; move it aside to start without stored offsets`);
  }
}

/** Connector plus partition with sorted keys, so {a, b} and {b, a} are the same partition. */
function canonicalKey(connector: string, partition: OffsetMap): string {
  const fields = Object.keys(partition)
    .sort()
    .map((k) => [k, partition[k]]);
  return JSON.stringify([connector, fields]);
}

function toStoredOffset(entry: unknown): StoredOffset | null {
  if (!isRecord(entry) || !Array.isArray(entry.key) || entry.key.length !== 2) return null;
  const [connector, partition] = entry.key as unknown[];
  if (typeof connector !== 'string' || !isOffsetMap(partition) || !isOffsetMap(entry.value)) return null;
  if (entry.importedFromKafka !== undefined && entry.importedFromKafka !== true) return null;
  return { connector, partition, offset: entry.value, ...(entry.importedFromKafka === true && { importedFromKafka: true as const }) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOffsetMap(value: unknown): value is OffsetMap {
  return isRecord(value) && Object.values(value).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Apache Kafka's offsets file reader, loaded only when the file is in Kafka's format (issue 12, start-up). */
function kafkaOffsetsImport(): typeof KafkaOffsetsImportModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./kafka-offsets-import') as typeof KafkaOffsetsImportModule;
}
