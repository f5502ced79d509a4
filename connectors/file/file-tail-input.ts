import { promises as fs } from 'fs';
import type { FileHandle } from 'fs/promises';
import { ConnectError, Logger } from '../../src/api';
import { HeadFingerprint, StoredFileOffset, StoredIdentity } from './file-fingerprint';
import { FileIdentity, identityOf, identityToStrings, sameIdentity } from './file-identity';
import { FileWatcher } from './file-watcher';
import { LineInput } from './line-input';
import { LineSplitter } from './line-splitter';
import { ReadMemory, TAIL_BYTES } from './read-memory';
import { findRotatedSibling, FoundFile, listRotatedSiblings } from './rotated-siblings';
import { locateStoredFile } from './stored-file-locator';

/** Reads shorter than this are copied out so the large read buffer can be reused (small appends). */
const COPY_BELOW_FRACTION = 4;

export interface FileTailInputOptions {
  /** The file as configured; also what log lines name. */
  readonly path: string;
  /** Where to resume (from the offset store), or null to read from the start. */
  readonly stored: StoredFileOffset | null;
  readonly splitter: LineSplitter;
  readonly logger: Logger;
  /** Called when the file may have new data (watcher event, watcher ready, start over). */
  readonly onActivity: () => void;
  readonly chunkSize: number;
  /** Watch the file's directory for events (default true); off, only the task's re-checks notice changes. */
  readonly watch?: boolean;
}

/** The file being read: the one at the path, or an earlier one rotated away that is being finished. */
interface OpenFile {
  readonly handle: FileHandle;
  /** Where it was found (for log lines). */
  readonly name: string;
  readonly identity: FileIdentity;
  readonly stored: StoredIdentity;
}

/**
 * Tails one file by byte position: opens it lazily (it may not exist yet), resumes at the stored
 * position, and watches the file's directory with chokidar so a waiting poll wakes when the file is
 * created, grows, or is replaced. Reads use explicit positions, so nothing depends on the handle's
 * file pointer. Each record's offset names the file (device and inode) its position is in.
 *
 * Rotation, checked after each wake-up (revalidate()) before reading on, and truncation also after
 * every read (so a chunk of rewritten content is never taken for the continuation):
 * - smaller than the read position, or no longer holding the bytes read at its start and just before
 *   the read position: truncated in place (copytruncate), possibly regrown already. A rotated sibling
 *   holding exactly those bytes (the copy) is read on from the read position, then the file at the
 *   path from its start; without one the file is read again from the start.
 * - the path names another file, or none (rename+create, delete+create): the open file is read to
 *   its end (an unterminated last line becomes a last record), and once the path names a non-empty
 *   file, that one is read from its start. Until then the old file stays open, so a writer that has
 *   not reopened its log yet loses nothing.
 * At start-up the stored offset is resolved by locateStoredFile (the file may have been rotated
 * while the worker was stopped).
 */
export class FileTailInput implements LineInput {
  readonly ended = false;
  private current: OpenFile | null = null;
  /** Where the next open resumes; used once. */
  private stored: StoredFileOffset | null;
  /** Next byte to read from the file: ahead of the splitter's position by the unconsumed bytes. */
  private readPosition = 0;
  /** The current file's size as last seen (for progress). */
  private knownSize = 0;
  private buffer: Buffer;
  /** What was read from the current file: its fingerprint, and the check for truncation and copies. */
  private readonly memory = new ReadMemory();
  private verifyBeforeRead = false;
  /** The current file is no longer at the path: read it to its end, then switch to the path. */
  private replaced = false;
  /** Rotated files to read from their start after the current one and before the path (restart). */
  private later: FoundFile[] = [];
  private drainedFlag = false;
  private finalRestFlag = false;
  private watcher: FileWatcher | null = null;
  private missingLogged = false;
  private closed = false;
  /** Resolves on close(), so nothing awaits a watcher that will never become ready. */
  private readonly closing: Promise<void>;
  private resolveClosing: () => void = () => {};

  constructor(private readonly options: FileTailInputOptions) {
    this.stored = options.stored;
    // Room for the bytes before the read position that every read re-reads, plus a chunk.
    this.buffer = Buffer.allocUnsafe(TAIL_BYTES + options.chunkSize);
    this.closing = new Promise((resolve) => (this.resolveClosing = resolve));
  }

  /** True when the last fill() found nothing more to read now: the file (or its absence) is caught up. */
  get drained(): boolean {
    return this.drainedFlag;
  }

  /** True when the splitter's unterminated rest ends a file that will not grow again (see LineInput). */
  get finalRest(): boolean {
    return this.finalRestFlag;
  }

  /** Bytes of the current file as far as known: its size when last looked at, or what was read. */
  get size(): number {
    return Math.max(this.knownSize, this.readPosition);
  }

  revalidate(): void {
    this.verifyBeforeRead = true;
  }

  async fill(): Promise<boolean> {
    this.drainedFlag = false;
    this.finalRestFlag = false;
    for (;;) {
      if (this.closed) return false;
      if (this.current === null && !(await this.open())) {
        this.drainedFlag = !this.closed;
        return false;
      }
      if (this.verifyBeforeRead) {
        this.verifyBeforeRead = false;
        await this.verify(this.current as OpenFile);
      }
      const file = this.current;
      if (file === null) continue;
      // Each read starts with the bytes just before the read position, read before: if they changed,
      // the file was truncated and written again since the last check, and this chunk is new content
      // from the middle of it. Part of the same read, so the check costs no extra I/O.
      const overlap = this.replaced ? 0 : this.memory.tailLength;
      let bytesRead: number;
      try {
        ({ bytesRead } = await file.handle.read(this.buffer, 0, this.buffer.length, this.readPosition - overlap));
      } catch (err) {
        if (this.closed) return false;
        throw this.wrap('read', err);
      }
      if (bytesRead > overlap) {
        if (overlap > 0 && !this.memory.tailMatches(this.buffer.subarray(0, bytesRead))) {
          await this.truncated(file, `no longer holds the bytes read before position ${this.readPosition}: it was truncated and written again`);
          continue;
        }
        this.push(overlap, bytesRead);
        return true;
      }
      await this.ensureWatcher();
      if (this.closed) return false;
      if (this.replaced) {
        if (this.later.length === 0 && !(await this.pathHasData(file))) break;
        if (this.options.splitter.pendingBytes > 0) {
          this.finalRestFlag = true;
          return false;
        }
        await this.switchToPath(file);
        continue;
      }
      if (!(await this.checkShrunk(file))) break;
    }
    this.drainedFlag = true;
    return false;
  }

  /** The fingerprint to store with `position`, a position this input has read up to. */
  fingerprint(position: number): HeadFingerprint {
    return this.memory.fingerprint(position);
  }

  /** The identity to store with positions of the current file (fixed while it is open). */
  identity(): StoredIdentity | null {
    return this.current?.stored ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.resolveClosing();
    const { watcher, current, later } = this;
    this.watcher = null;
    this.current = null;
    this.later = [];
    await watcher?.close();
    await current?.handle.close();
    await Promise.all(later.map((f) => f.handle.close().catch(() => undefined)));
  }

  /** Hands the bytes read into [from, to) of the read buffer to the splitter. */
  private push(from: number, to: number): void {
    const chunk = this.buffer.subarray(from, to);
    const bytesRead = to - from;
    this.memory.remember(chunk, this.readPosition);
    if (bytesRead < this.buffer.length / COPY_BELOW_FRACTION) {
      this.options.splitter.push(Buffer.from(chunk));
    } else {
      // Hand the whole buffer to the splitter (which keeps a reference) and take a fresh one.
      this.options.splitter.push(chunk);
      this.buffer = Buffer.allocUnsafe(TAIL_BYTES + this.options.chunkSize);
    }
    this.readPosition += bytesRead;
  }

  /** Opens the file to read (the stored one on the first call); false when there is none yet. */
  private async open(): Promise<boolean> {
    const { path, logger } = this.options;
    const stored = this.stored;
    try {
      if (stored !== null) {
        const point = await locateStoredFile(path, stored, logger);
        if (point.kind === 'wait') {
          if (!point.keepStored) this.stored = null;
          return this.waitForCreation();
        }
        this.stored = null;
        this.later = [...point.later];
        if (!(await this.adopt(point.file.handle, point.file.path, point.position))) return false;
        this.replaced = point.rotated;
        logger.info(`Opened ${point.file.path} for reading from byte position ${this.readPosition}`);
        return true;
      }
      let handle: FileHandle;
      try {
        handle = await fs.open(path, 'r');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        return this.waitForCreation();
      }
      if (!(await this.adopt(handle, path, 0))) return false;
    } catch (err) {
      if (err instanceof ConnectError) throw err;
      throw this.wrap('open', err);
    }
    logger.info(`Opened ${path} for reading from byte position ${this.readPosition}`);
    return true;
  }

  private async waitForCreation(): Promise<boolean> {
    if (!this.missingLogged) {
      this.missingLogged = true;
      this.options.logger.warn(`Couldn't find file ${this.options.path} for FileStreamSourceTask, waiting for it to be created`);
    }
    await this.ensureWatcher();
    return false;
  }

  /** Makes `handle` the current file, read from `position`; false (handle closed) when closed meanwhile. */
  private async adopt(handle: FileHandle, name: string, position: number): Promise<boolean> {
    if (this.closed) {
      await handle.close();
      return false;
    }
    try {
      const stats = await handle.stat({ bigint: true });
      const identity = identityOf(stats);
      this.current = { handle, name, identity, stored: identityToStrings(identity) };
      this.knownSize = Number(stats.size);
      await this.seek(handle, position);
    } catch (err) {
      this.current = null;
      await handle.close();
      throw this.wrap('read', err);
    }
    this.missingLogged = false;
    return true;
  }

  private async seek(handle: FileHandle, position: number): Promise<void> {
    const afterCr = await this.memory.load(handle, position);
    this.readPosition = position;
    // A restart right after the \r of a \r\n pair must not turn the \n into an empty line.
    this.options.splitter.restart(position, afterCr);
  }

  /**
   * Before reading on after a wake-up: is the file at the path still the open one, and does it
   * still hold what was read from it (not truncated, not rewritten)?
   */
  private async verify(file: OpenFile): Promise<void> {
    if (this.replaced) return;
    try {
      const size = Number((await file.handle.stat()).size);
      this.knownSize = size;
      if (size < this.readPosition) {
        await this.truncated(file, `shrank to ${size} bytes below the read position ${this.readPosition}: it was truncated`);
        return;
      }
      if (!(await this.stillHoldsRead(file))) {
        await this.truncated(file, `no longer holds the bytes read before position ${this.readPosition}: it was truncated and written again`);
        return;
      }
    } catch (err) {
      if (this.closed) return;
      throw this.wrap('read', err);
    }
    await this.checkIdentity(file);
  }

  /** Whether the file still holds the bytes read at its start and just before the read position. */
  private async stillHoldsRead(file: OpenFile): Promise<boolean> {
    try {
      return await this.memory.heldBy(file.handle, this.readPosition);
    } catch (err) {
      if (this.closed) return true;
      throw this.wrap('read', err);
    }
  }

  /** The identity of the file at the path now, or null when there is none. */
  private async identityAtPath(): Promise<{ identity: FileIdentity; size: number } | null> {
    try {
      const stats = await fs.stat(this.options.path, { bigint: true });
      return { identity: identityOf(stats), size: Number(stats.size) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  private async checkIdentity(file: OpenFile): Promise<void> {
    let now: { identity: FileIdentity } | null;
    try {
      now = await this.identityAtPath();
    } catch {
      // Another error (e.g. a permission change) says nothing about rotation: keep reading.
      return;
    }
    if (now !== null && sameIdentity(now.identity, file.identity)) return;
    this.replaced = true;
    this.options.logger.warn(`File ${this.options.path} was replaced or removed: reading the rest of the file it was, then ${this.options.path} from its start`);
  }

  /** Whether the path names another file that has data: the writer has moved on to it. */
  private async pathHasData(file: OpenFile): Promise<boolean> {
    try {
      const now = await this.identityAtPath();
      return now !== null && now.size > 0 && !sameIdentity(now.identity, file.identity);
    } catch {
      return false;
    }
  }

  /** Done with a rotated file: on to the next rotated one (restart), or to the file at the path. */
  private async switchToPath(file: OpenFile): Promise<void> {
    const end = this.readPosition;
    this.current = null;
    this.replaced = false;
    await file.handle.close().catch(() => undefined);
    this.reset();
    const next = this.later.shift();
    this.options.logger.info(`Finished ${file.name} (rotated away from ${this.options.path}) at byte position ${end}; reading ${next?.path ?? this.options.path} from its start`);
    if (next !== undefined && (await this.adopt(next.handle, next.path, 0))) this.replaced = true;
  }

  /** At end of data of the file at the path: has it shrunk (truncated in place)? True if it did. */
  private async checkShrunk(file: OpenFile): Promise<boolean> {
    let size: number;
    try {
      size = Number((await file.handle.stat()).size);
    } catch (err) {
      if (this.closed) return false;
      throw this.wrap('read', err);
    }
    this.knownSize = size;
    if (size >= this.readPosition) return false;
    await this.truncated(file, `shrank to ${size} bytes below the read position ${this.readPosition}: it was truncated`);
    return true;
  }

  /**
   * The file at the path was truncated in place. If a rotated sibling holds what was read and more
   * (copytruncate's copy), read on in it, then the path from its start; else start over.
   */
  private async truncated(file: OpenFile, reason: string): Promise<void> {
    const { path, logger } = this.options;
    const position = this.readPosition;
    const copy = await findRotatedSibling(
      await listRotatedSiblings(path),
      (stats) => !sameIdentity(identityOf(stats), file.identity) && Number(stats.size) >= position,
      (handle) => this.memory.heldBy(handle, position),
    );
    if (copy === null) {
      logger.warn(`File ${path} ${reason}, reading it from the start`);
      this.reset();
      return;
    }
    await file.handle.close().catch(() => undefined);
    const identity = identityOf(copy.stats);
    this.current = { handle: copy.handle, name: copy.path, identity, stored: identityToStrings(identity) };
    this.knownSize = Number(copy.stats.size);
    this.replaced = true;
    logger.warn(`File ${path} ${reason}; its copy ${copy.path} holds what was read: reading the rest of it from byte position ${position}, then ${path} from its start`);
  }

  /** Back to byte 0 of the file, forgetting what was read (a partial line of the old content too). */
  private reset(): void {
    this.readPosition = 0;
    this.knownSize = 0;
    this.memory.reset();
    this.options.splitter.restart(0);
  }

  /**
   * Starts watching the file (once). Data written between our last read and the watcher being
   * ready raises no event, so readiness itself counts as activity: the caller re-reads then.
   */
  private async ensureWatcher(): Promise<void> {
    if (this.watcher !== null || this.closed || this.options.watch === false) return;
    const { path, logger, onActivity } = this.options;
    this.watcher = new FileWatcher(path, onActivity, logger);
    await Promise.race([this.watcher.ready, this.closing]);
    if (!this.closed) onActivity();
  }

  private wrap(action: 'open' | 'read', err: unknown): ConnectError {
    const message = err instanceof Error ? err.message : String(err);
    return new ConnectError(`Could not ${action} file ${this.options.path} for FileStreamSourceTask: ${message}`, { cause: err });
  }
}
