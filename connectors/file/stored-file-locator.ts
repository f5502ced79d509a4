import { promises as fs, type BigIntStats } from 'fs';
import type { FileHandle } from 'fs/promises';
import { Logger } from '../../src/api';
import { HEAD_BYTES, hashHead, HeadFingerprint, StoredFileOffset } from './file-fingerprint';
import { identityOf, sameIdentity } from './file-identity';
import { findRotatedSibling, FoundFile, listRotatedSiblings, RotatedSiblings, SiblingFs } from './rotated-siblings';

/** Where a restart resumes: a file left open, the byte position in it, and whether it was rotated away. */
export type ResumePoint =
  | {
      readonly kind: 'open';
      readonly file: FoundFile;
      readonly position: number;
      /** The file is no longer at the configured path: read it to its end, then the path from its start. */
      readonly rotated: boolean;
      /** Files rotated after it, to read from their start (oldest first) before the path; open. */
      readonly later: readonly FoundFile[];
    }
  /** Nothing to open yet: the path is missing. `keepStored`: resume with the same offset once it exists. */
  | { readonly kind: 'wait'; readonly keepStored: boolean };

/**
 * Finds where a stored offset resumes (at start-up). Without a stored identity (an offset written by
 * Kafka or an earlier version) the file at the path is used, from the stored position if it is long
 * enough and starts as it did. With one, the stored file is looked up by device and inode: at the
 * path, else among the rotated siblings (rotated while the worker was stopped). Then:
 * - found, long enough and starting as it did: resume there; if it was rotated away, go on with the
 *   siblings written after it (the path was rotated more than once), oldest first, then the path;
 * - found, but shorter or starting otherwise (truncated by copytruncate while stopped): resume in
 *   its copy among the siblings (same start, long enough), then the file itself from its start, and
 *   on as above; without a copy, the file itself from its start, with a warning;
 * - not found (deleted, or compressed): the path from its start, with a warning.
 */
export async function locateStoredFile(path: string, stored: StoredFileOffset, logger: Logger, fsApi: SiblingFs = fs): Promise<ResumePoint> {
  const atPath = await openIfExists(path, fsApi);
  const { position, head, identity } = stored;
  if (identity === null) {
    if (atPath === null) return { kind: 'wait', keepStored: true };
    return { kind: 'open', file: atPath, position: await legacyPosition(atPath, stored, logger), rotated: false, later: [] };
  }
  const isStored = (stats: BigIntStats) => sameIdentity(identityOf(stats), identity);
  // Listed only when needed: the usual restart finds the file unchanged at the path.
  let listed: RotatedSiblings | null = null;
  const rotatedSiblings = async () => (listed ??= await listRotatedSiblings(path, fsApi));
  let file: FoundFile | null = atPath !== null && isStored(atPath.stats) ? atPath : null;
  const rotated = file === null;
  if (rotated) file = await findRotatedSibling(await rotatedSiblings(), isStored, async () => true, fsApi);
  if (file === null) {
    logger.warn(
      `File ${path} was rotated or removed while the worker was stopped and the file it was reading ` +
        `(device ${identity.dev} inode ${identity.ino}) is not among its rotated siblings${compressedNote(await rotatedSiblings())}: ` +
        `lines after byte position ${position} of it were not read; reading ${path} from its start`,
    );
    if (atPath === null) return { kind: 'wait', keepStored: false };
    return { kind: 'open', file: atPath, position: 0, rotated: false, later: [] };
  }
  const later = rotated ? await openRotatedAfter(await rotatedSiblings(), file, atPath, fsApi) : [];
  if (rotated) await atPath?.handle.close();
  const then = (from: string[]) => [...from, ...later.map((f) => f.path), ...(rotated ? [path] : [])].join(', then ');
  if (await holdsStored(file.handle, file.stats, stored)) {
    if (rotated) {
      logger.info(
        `File ${path} was rotated while the worker was stopped: reading the rest of ${file.path} (the file it was reading) ` +
          `from byte position ${position}, then ${then([])} from its start`,
      );
    }
    return { kind: 'open', file, position, rotated, later };
  }
  // Truncated in place since the offset was stored: copytruncate's copy holds the rest.
  const truncated = file;
  const copy =
    head === null
      ? null
      : await findRotatedSibling(
          await rotatedSiblings(),
          (stats) => !isStored(stats) && Number(stats.size) >= position,
          (handle, stats) => holdsStored(handle, stats, stored),
          fsApi,
        );
  if (copy === null) {
    logger.warn(
      `File ${truncated.path} no longer starts with the bytes it had when position ${position} was stored, or is shorter: ` +
        `it was truncated or replaced, and no rotated copy of it was found${compressedNote(await rotatedSiblings())}; reading it from the start` +
        (rotated ? `, then ${then([])}` : ''),
    );
    return { kind: 'open', file: truncated, position: 0, rotated, later };
  }
  logger.warn(
    `File ${truncated.path} was truncated while the worker was stopped; its copy ${copy.path} holds the same start: ` +
      `reading the rest of it from byte position ${position}, then ${then([truncated.path])} from its start`,
  );
  // The truncated file comes next: from the queue when rotated away, else as the file at the path.
  const rest = later.filter((f) => !sameIdentity(identityOf(f.stats), identityOf(copy.stats)));
  return { kind: 'open', file: copy, position, rotated: true, later: rotated ? [truncated, ...rest] : rest };
}

/**
 * The siblings written after `old` (a later mtime) other than the file at the path: rotated after
 * it, they hold lines written after its last one. Oldest first, open.
 */
async function openRotatedAfter(siblings: RotatedSiblings, old: FoundFile, atPath: FoundFile | null, fsApi: SiblingFs): Promise<FoundFile[]> {
  const skip = [identityOf(old.stats), ...(atPath === null ? [] : [identityOf(atPath.stats)])];
  const candidates = siblings.files
    .filter((f) => f.stats.mtimeNs > old.stats.mtimeNs && !skip.some((id) => sameIdentity(id, identityOf(f.stats))))
    .reverse();
  const opened: FoundFile[] = [];
  for (const candidate of candidates) {
    const found = await findRotatedSibling(
      { files: [candidate], compressed: [] },
      (stats) => sameIdentity(identityOf(stats), identityOf(candidate.stats)),
      async () => true,
      fsApi,
    );
    if (found !== null) opened.push(found);
  }
  return opened;
}

function compressedNote(siblings: RotatedSiblings): string {
  return siblings.compressed.length === 0 ? '' : ` (compressed siblings are not read, skipped: ${siblings.compressed.join(', ')})`;
}

/** Kafka's offsets and ours before identities were stored: check length and start, as before. */
async function legacyPosition(file: FoundFile, stored: StoredFileOffset, logger: Logger): Promise<number> {
  const size = Number(file.stats.size);
  if (stored.position > size) {
    logger.warn(`File ${file.path} is ${size} bytes long, shorter than the stored position ${stored.position}: it was truncated or replaced, reading it from the start`);
    return 0;
  }
  if (stored.head !== null && !(await startsWith(file.handle, stored.head))) {
    logger.warn(
      `File ${file.path} no longer starts with the bytes it had when position ${stored.position} was stored: ` +
        'it was replaced, or truncated and written again, reading it from the start',
    );
    return 0;
  }
  return stored.position;
}

/** At least as long as the stored position and, if a fingerprint was stored, starting with those bytes. */
async function holdsStored(handle: FileHandle, stats: BigIntStats, stored: StoredFileOffset): Promise<boolean> {
  return Number(stats.size) >= stored.position && (stored.head === null || (await startsWith(handle, stored.head)));
}

async function startsWith(handle: FileHandle, head: HeadFingerprint): Promise<boolean> {
  const bytes = Buffer.alloc(Math.min(head.length, HEAD_BYTES));
  let filled = 0;
  while (filled < bytes.length) {
    const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
    if (bytesRead === 0) return false;
    filled += bytesRead;
  }
  return hashHead(bytes) === head.hash;
}

async function openIfExists(path: string, fsApi: SiblingFs): Promise<FoundFile | null> {
  let handle: FileHandle;
  try {
    handle = await fsApi.open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return { path, handle, stats: await handle.stat({ bigint: true }) };
  } catch (err) {
    await handle.close();
    throw err;
  }
}
