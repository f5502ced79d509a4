import { promises as fs, type BigIntStats } from 'fs';
import type { FileHandle } from 'fs/promises';
import { basename, dirname, extname, join } from 'path';

/** Suffixes of compressed rotated files (logrotate `compress`, `compresscmd`): never read. */
const COMPRESSED_SUFFIXES = ['.gz', '.bz2', '.xz', '.zst', '.lz4', '.lzma', '.lzo', '.br', '.Z', '.zip'];
/** What separates a file name from the suffix rotation tools add (`.1`, `-20241201`, `_1`). */
const SEPARATORS = '.-_';

/** The file-system calls the lookup makes; fs.promises by default, a fake in tests. */
export interface SiblingFs {
  readdir(dir: string): Promise<string[]>;
  stat(path: string, options: { bigint: true }): Promise<BigIntStats>;
  open(path: string, flags: 'r'): Promise<FileHandle>;
}

export function isCompressedName(name: string): boolean {
  return COMPRESSED_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/**
 * Whether `name` looks like a rotated form of `base` in the same directory: `base` followed by a
 * separator and anything (`app.log.1`, `app.log-20241201`, `app.log.1.gz`), or, for logrotate's
 * `extension` option, the stem and the extension around a suffix (`app-20241201.log`, `app.1.log.gz`).
 */
export function isRotatedSiblingName(base: string, name: string): boolean {
  if (name === base) return false;
  if (name.length > base.length && name.startsWith(base) && SEPARATORS.includes(name[base.length])) return true;
  const ext = extname(base);
  if (ext === '' || ext === base) return false;
  const stem = base.slice(0, -ext.length);
  const plain = stripCompression(name);
  return (
    plain.length > base.length &&
    plain.startsWith(stem) &&
    SEPARATORS.includes(plain[stem.length]) &&
    plain.endsWith(ext)
  );
}

function stripCompression(name: string): string {
  const suffix = COMPRESSED_SUFFIXES.find((s) => name.endsWith(s));
  return suffix === undefined ? name : name.slice(0, -suffix.length);
}

export interface RotatedSibling {
  readonly path: string;
  readonly stats: BigIntStats;
}

export interface RotatedSiblings {
  /** Readable regular files, most recently modified first. */
  readonly files: RotatedSibling[];
  /** Compressed siblings, which are never read: a warning names them when a file is not found. */
  readonly compressed: string[];
}

/**
 * The rotated siblings of `path`: files in its directory whose names look like rotated forms of its
 * name. A directory that cannot be read yields none; entries that vanish while listing are skipped.
 */
export async function listRotatedSiblings(path: string, fsApi: SiblingFs = fs): Promise<RotatedSiblings> {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = await fsApi.readdir(dir);
  } catch {
    return { files: [], compressed: [] };
  }
  const files: RotatedSibling[] = [];
  const compressed: string[] = [];
  for (const name of names.filter((n) => isRotatedSiblingName(base, n)).sort()) {
    const full = join(dir, name);
    if (isCompressedName(name)) {
      compressed.push(full);
      continue;
    }
    try {
      const stats = await fsApi.stat(full, { bigint: true });
      if (stats.isFile()) files.push({ path: full, stats });
    } catch {
      // Removed or unreadable since the listing: not a candidate.
    }
  }
  files.sort((a, b) => (a.stats.mtimeNs === b.stats.mtimeNs ? 0 : a.stats.mtimeNs > b.stats.mtimeNs ? -1 : 1));
  return { files, compressed };
}

/** An open sibling that passed the check, with its stats. */
export interface FoundFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly stats: BigIntStats;
}

/**
 * The first sibling (most recently modified first) that passes `quick` (on its stats) and then
 * `check` (on the open file), left open; null if none. Handles of the others are closed.
 */
export async function findRotatedSibling(
  siblings: RotatedSiblings,
  quick: (stats: BigIntStats) => boolean,
  check: (handle: FileHandle, stats: BigIntStats) => Promise<boolean>,
  fsApi: SiblingFs = fs,
): Promise<FoundFile | null> {
  for (const sibling of siblings.files) {
    if (!quick(sibling.stats)) continue;
    let handle: FileHandle;
    try {
      handle = await fsApi.open(sibling.path, 'r');
    } catch {
      continue;
    }
    try {
      const stats = await handle.stat({ bigint: true });
      // The name may have moved on to another file between the listing and the open.
      if (quick(stats) && (await check(handle, stats))) return { path: sibling.path, handle, stats };
    } catch {
      // Unreadable: not a candidate.
    }
    await handle.close().catch(() => undefined);
  }
  return null;
}
