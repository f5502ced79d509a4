/**
 * Moving from Apache Kafka's connect-standalone: its offsets file (FileOffsetBackingStore) is a
 * Java-serialized HashMap<byte[], byte[]> whose keys are the JsonConverter bytes (schemas.enable=false)
 * of `["<connector>", {<source partition>}]` and whose values are the JSON bytes of `{<source offset>}`,
 * a null value being a deleted offset. This module turns those bytes into offset entries and keeps
 * the original file as `<file>.kafka-backup` before the store first writes its own format over it.
 */
import * as path from 'path';
import type * as fsp from 'fs/promises';
import { OffsetMap } from '../api';
import { readJavaSerializedOffsets } from './java-serialized-offsets';

/** One offset read from Kafka's file. */
export interface KafkaOffset {
  readonly connector: string;
  readonly partition: OffsetMap;
  readonly offset: OffsetMap;
}

export interface KafkaOffsetsFile {
  readonly offsets: KafkaOffset[];
  /** Entries whose value is null: offsets Kafka had deleted. */
  readonly deleted: number;
  /** Why each unusable entry was left out (Kafka's runtime ignores such keys too). */
  readonly ignored: string[];
}

/** The file operations keepKafkaBackup() needs. */
export type BackupFileSystem = Pick<typeof fsp, 'open' | 'readFile' | 'rename' | 'stat' | 'unlink' | 'link'>;

/** Decodes Kafka's offsets file; a malformed Java stream is a ConnectError naming `file`. */
export function decodeKafkaOffsetsFile(bytes: Buffer, file: string): KafkaOffsetsFile {
  const { entries } = readJavaSerializedOffsets(bytes, file);
  const offsets: KafkaOffset[] = [];
  const ignored: string[] = [];
  let deleted = 0;
  entries.forEach(({ key, value }, i) => {
    const keyText = key === null ? 'null' : JSON.stringify(key.toString('utf8'));
    const skip = (why: string): void => void ignored.push(`entry ${i} (key ${keyText}): ${why}`);
    if (key === null) return skip('the key is null');
    const parsedKey = parseJson(key);
    if (!Array.isArray(parsedKey) || parsedKey.length !== 2 || typeof parsedKey[0] !== 'string') {
      return skip('the key is not JSON of the form ["<connector>", {<source partition>}]');
    }
    const [connector, partition] = parsedKey as [string, unknown];
    if (!isOffsetMap(partition)) return skip('the source partition is not a JSON object of primitive values');
    const parsedValue = value === null ? null : parseJson(value);
    if (parsedValue === null) {
      deleted++;
      return;
    }
    if (parsedValue === undefined) return skip('the offset is not JSON');
    if (!isOffsetMap(parsedValue)) return skip('the offset is not a JSON object of primitive values');
    offsets.push({ connector, partition, offset: parsedValue });
  });
  return { offsets, deleted, ignored };
}

/** "3 offsets for connectors a (2), b (1)" */
export function summarize(offsets: readonly KafkaOffset[]): string {
  const counts = new Map<string, number>();
  for (const { connector } of offsets) counts.set(connector, (counts.get(connector) ?? 0) + 1);
  const list = [...counts].map(([name, n]) => `${name} (${n})`).join(', ');
  return `${offsets.length} offset${offsets.length === 1 ? '' : 's'}${counts.size > 0 ? ` for connector${counts.size === 1 ? '' : 's'} ${list}` : ''}`;
}

/**
 * Keeps `original` as `<file>.kafka-backup`, durably, and returns that path. The backup appears
 * whole or not at all (a synced temporary file hard-linked into place) and never replaces an existing
 * file: if one with the same bytes exists it is the backup already; if a different one exists,
 * `<file>.kafka-backup.2`, `.3`, ... is used instead.
 */
export async function keepKafkaBackup(fs: BackupFileSystem, file: string, original: Buffer): Promise<string> {
  const base = `${file}.kafka-backup`;
  const temp = `${base}.tmp-${process.pid}`;
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(original);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}.${n}`;
      if (await placeWithoutReplacing(fs, temp, candidate)) return candidate;
      if ((await fs.readFile(candidate)).equals(original)) return candidate;
    }
  } finally {
    await fs.unlink(temp).catch(() => undefined);
    await syncDirectory(fs, path.dirname(file));
  }
}

/** Puts `temp` at `target` unless something is there; false if it was. */
async function placeWithoutReplacing(fs: BackupFileSystem, temp: string, target: string): Promise<boolean> {
  try {
    await fs.link(temp, target);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links: check, then rename. The worker is the offsets file's only
    // writer, so nothing creates the backup between the two steps.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    if (await exists(fs, target)) return false;
    await fs.rename(temp, target);
    return true;
  }
}

async function exists(fs: BackupFileSystem, target: string): Promise<boolean> {
  try {
    await fs.stat(target);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function syncDirectory(fs: BackupFileSystem, dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The parsed JSON, or undefined if it is not JSON. JsonConverter with schemas.enable=true wraps data
 * as {"schema": ..., "payload": ...}: that is unwrapped.
 */
function parseJson(bytes: Buffer): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (isRecord(parsed) && Object.keys(parsed).length === 2 && 'schema' in parsed && 'payload' in parsed) return parsed.payload;
  return parsed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOffsetMap(value: unknown): value is OffsetMap {
  return isRecord(value) && Object.values(value).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
}
