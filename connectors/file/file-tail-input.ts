import { promises as fs, type BigIntStats } from 'fs';
import type { FileHandle } from 'fs/promises';
import { watch, type FSWatcher } from 'chokidar';
import { ConnectError, Logger } from '../../src/api';
import { HEAD_BYTES, hashHead, HeadFingerprint, StoredFileOffset } from './file-fingerprint';
import { LineInput } from './line-input';
import { LineSplitter } from './line-splitter';

const CR = 0x0d;
/** Reads shorter than this are copied out so the large read buffer can be reused (small appends). */
const COPY_BELOW_FRACTION = 4;
/** Bytes just before the read position kept to notice a rewrite that left the file's start alone. */
const TAIL_BYTES = 64;

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
}

interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
}

/**
 * Tails one file by byte position: opens it lazily (it may not exist yet), resumes at the stored
 * position, and watches the path with chokidar so a waiting poll wakes when the file is created or
 * grows. Reads use explicit positions, so nothing depends on the handle's file pointer.
 *
 * Rotation: after each wake-up (revalidate()), the first read checks the file first. Smaller than
 * the read position, or no longer holding the bytes read at its start and just before the read
 * position: it was truncated (copytruncate), possibly already regrown past the old position, so it
 * is read again from the start and no line is torn. Another file (or none) at the path: it was
 * rotated by rename; this one is read to its end, then the new one from its start. At start-up the
 * stored position is checked against the file's size and the stored fingerprint of its start.
 */
export class FileTailInput implements LineInput {
  readonly ended = false;
  private handle: FileHandle | null = null;
  private identity: FileIdentity | null = null;
  /** Where the next open resumes; used once. */
  private stored: StoredFileOffset | null;
  /** Next byte to read from the file: ahead of the splitter's position by the unconsumed bytes. */
  private readPosition = 0;
  private buffer: Buffer;
  /** The file's first bytes as read, [0, headFilled): its fingerprint, and a check for rewrites. */
  private readonly head = Buffer.alloc(HEAD_BYTES);
  private headFilled = 0;
  private fullHead: HeadFingerprint | null = null;
  /** The bytes just before readPosition as read, [readPosition - tailFilled, readPosition). */
  private readonly tail = Buffer.alloc(TAIL_BYTES);
  private tailFilled = 0;
  private readonly scratch = Buffer.alloc(HEAD_BYTES);
  private verifyBeforeRead = false;
  /** The path names another file (or none): read this one to its end, then switch. */
  private replaced = false;
  private watcher: FSWatcher | null = null;
  private missingLogged = false;
  private closed = false;
  /** Resolves on close(), so nothing awaits a watcher that will never become ready. */
  private readonly closing: Promise<void>;
  private resolveClosing: () => void = () => {};

  constructor(private readonly options: FileTailInputOptions) {
    this.stored = options.stored;
    this.buffer = Buffer.allocUnsafe(options.chunkSize);
    this.closing = new Promise((resolve) => (this.resolveClosing = resolve));
  }

  revalidate(): void {
    this.verifyBeforeRead = true;
  }

  async fill(): Promise<boolean> {
    if (this.closed) return false;
    if (this.handle === null && !(await this.open())) return false;
    if (this.verifyBeforeRead) {
      this.verifyBeforeRead = false;
      await this.verify(this.handle as FileHandle);
    }
    const handle = this.handle;
    if (handle === null) return false;
    let bytesRead: number;
    try {
      ({ bytesRead } = await handle.read(this.buffer, 0, this.buffer.length, this.readPosition));
    } catch (err) {
      if (this.closed) return false;
      throw this.wrap('read', err);
    }
    if (bytesRead === 0) {
      await this.atEnd(handle);
      return false;
    }
    const chunk = this.buffer.subarray(0, bytesRead);
    this.remember(chunk);
    if (bytesRead < this.buffer.length / COPY_BELOW_FRACTION) {
      this.options.splitter.push(Buffer.from(chunk));
    } else {
      // Hand the whole buffer to the splitter (which keeps a reference) and take a fresh one.
      this.options.splitter.push(chunk);
      this.buffer = Buffer.allocUnsafe(this.options.chunkSize);
    }
    this.readPosition += bytesRead;
    return true;
  }

  /** The fingerprint to store with `position`, a position this input has read up to. */
  fingerprint(position: number): HeadFingerprint {
    if (position >= HEAD_BYTES) return (this.fullHead ??= { length: HEAD_BYTES, hash: hashHead(this.head) });
    return { length: position, hash: hashHead(this.head.subarray(0, position)) };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.resolveClosing();
    const { watcher, handle } = this;
    this.watcher = null;
    this.handle = null;
    await watcher?.close();
    await handle?.close();
  }

  /** Opens the file and seeks to the resume position; false when the file does not exist yet. */
  private async open(): Promise<boolean> {
    const { path, logger } = this.options;
    let handle: FileHandle;
    try {
      handle = await fs.open(path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw this.wrap('open', err);
      if (!this.missingLogged) {
        this.missingLogged = true;
        logger.warn(`Couldn't find file ${path} for FileStreamSourceTask, waiting for it to be created`);
      }
      await this.ensureWatcher();
      return false;
    }
    if (this.closed) {
      await handle.close();
      return false;
    }
    try {
      const stats = await handle.stat({ bigint: true });
      this.identity = identityOf(stats);
      await this.seek(handle, Number(stats.size));
    } catch (err) {
      await handle.close();
      throw this.wrap('read', err);
    }
    this.handle = handle;
    logger.info(`Opened ${path} for reading from byte position ${this.readPosition}`);
    return true;
  }

  private async seek(handle: FileHandle, size: number): Promise<void> {
    const { path, splitter, logger } = this.options;
    const stored = this.stored;
    this.stored = null;
    this.headFilled = await readAt(handle, this.head, HEAD_BYTES, 0);
    this.fullHead = null;
    let position = stored?.position ?? 0;
    if (position > size) {
      logger.warn(`File ${path} is ${size} bytes long, shorter than the stored position ${position}: it was truncated or replaced, reading it from the start`);
      position = 0;
    } else if (stored?.head && !this.startsWith(stored.head)) {
      logger.warn(
        `File ${path} no longer starts with the bytes it had when position ${position} was stored: ` +
          'it was replaced, or truncated and written again, reading it from the start',
      );
      position = 0;
    }
    const tailLength = Math.min(TAIL_BYTES, position);
    this.tailFilled = tailLength === 0 ? 0 : await readAt(handle, this.tail, tailLength, position - tailLength);
    this.readPosition = position;
    // A restart right after the \r of a \r\n pair must not turn the \n into an empty line.
    splitter.restart(position, this.tailFilled > 0 && this.tail[this.tailFilled - 1] === CR);
  }

  private startsWith(head: HeadFingerprint): boolean {
    return head.length <= this.headFilled && hashHead(this.head.subarray(0, head.length)) === head.hash;
  }

  /** Keeps what the start-of-file and before-read-position checks compare against. */
  private remember(chunk: Buffer): void {
    const at = this.readPosition;
    if (at < HEAD_BYTES) this.headFilled = Math.max(this.headFilled, at + chunk.copy(this.head, at, 0, Math.min(chunk.length, HEAD_BYTES - at)));
    if (chunk.length >= TAIL_BYTES) {
      chunk.copy(this.tail, 0, chunk.length - TAIL_BYTES);
      this.tailFilled = TAIL_BYTES;
    } else {
      const keep = Math.min(this.tailFilled, TAIL_BYTES - chunk.length);
      this.tail.copy(this.tail, 0, this.tailFilled - keep, this.tailFilled);
      chunk.copy(this.tail, keep);
      this.tailFilled = keep + chunk.length;
    }
  }

  /**
   * Before reading on after a wake-up: is the open file still what was read from it (not truncated,
   * not rewritten), and is it still the file at the path?
   */
  private async verify(handle: FileHandle): Promise<void> {
    let size: number;
    try {
      size = (await handle.stat()).size;
      if (size < this.readPosition) {
        this.startOver(`shrank to ${size} bytes below the read position ${this.readPosition}: it was truncated`);
        return;
      }
      const same =
        (await this.stillHolds(handle, this.head, this.headFilled, 0)) &&
        (await this.stillHolds(handle, this.tail, this.tailFilled, this.readPosition - this.tailFilled));
      if (!same) {
        this.startOver(`no longer holds the bytes read before position ${this.readPosition}: it was truncated and written again`);
        return;
      }
    } catch (err) {
      if (this.closed) return;
      throw this.wrap('read', err);
    }
    await this.checkIdentity();
  }

  private async stillHolds(handle: FileHandle, expected: Buffer, length: number, position: number): Promise<boolean> {
    if (length === 0) return true;
    const read = await readAt(handle, this.scratch, length, position);
    return read === length && this.scratch.compare(expected, 0, length, 0, length) === 0;
  }

  private async checkIdentity(): Promise<void> {
    if (this.replaced || this.identity === null) return;
    let now: FileIdentity | null = null;
    try {
      now = identityOf(await fs.stat(this.options.path, { bigint: true }));
    } catch (err) {
      // Another error (e.g. a permission change) says nothing about rotation: keep reading.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return;
    }
    if (now !== null && now.dev === this.identity.dev && now.ino === this.identity.ino) return;
    this.replaced = true;
    this.options.logger.warn(`File ${this.options.path} was replaced or removed: reading the rest of the file it was, then ${this.options.path} from its start`);
  }

  /**
   * At end of data: make sure the watcher runs (so the next wait can be woken), switch to the file
   * now at the path if this one was replaced, and notice in-place truncation.
   */
  private async atEnd(handle: FileHandle): Promise<void> {
    await this.ensureWatcher();
    if (this.replaced) {
      this.replaced = false;
      this.handle = null;
      this.identity = null;
      await handle.close().catch(() => undefined);
      this.reset();
      this.options.onActivity();
      return;
    }
    let size: number;
    try {
      ({ size } = await handle.stat());
    } catch (err) {
      if (this.closed) return;
      throw this.wrap('read', err);
    }
    if (size < this.readPosition) this.startOver(`shrank to ${size} bytes below the read position ${this.readPosition}: it was truncated`);
  }

  private startOver(reason: string): void {
    this.options.logger.warn(`File ${this.options.path} ${reason}, reading it from the start`);
    this.reset();
    this.options.onActivity();
  }

  /** Back to byte 0 of the file, forgetting what was read (a partial line of the old content too). */
  private reset(): void {
    this.readPosition = 0;
    this.headFilled = 0;
    this.fullHead = null;
    this.tailFilled = 0;
    this.options.splitter.restart(0);
  }

  /**
   * Starts watching the path (once). Data written between our last read and the watcher being ready
   * raises no event, so readiness itself counts as activity: the caller then re-reads before waiting.
   */
  private async ensureWatcher(): Promise<void> {
    if (this.watcher !== null || this.closed) return;
    const { path, logger, onActivity } = this.options;
    const watcher = watch(path, { ignoreInitial: true });
    this.watcher = watcher;
    watcher.on('add', onActivity);
    watcher.on('change', onActivity);
    watcher.on('unlink', onActivity);
    watcher.on('error', (err) => {
      // Not fatal: the poll timeout re-checks the file anyway.
      logger.warn(`Watching ${path} failed, falling back to periodic checks: ${(err as Error).message}`);
    });
    await Promise.race([new Promise<void>((resolve) => watcher.once('ready', resolve)), this.closing]);
    if (!this.closed) onActivity();
  }

  private wrap(action: 'open' | 'read', err: unknown): ConnectError {
    const message = err instanceof Error ? err.message : String(err);
    return new ConnectError(`Could not ${action} file ${this.options.path} for FileStreamSourceTask: ${message}`, { cause: err });
  }
}

function identityOf(stats: BigIntStats): FileIdentity {
  return { dev: stats.dev, ino: stats.ino };
}

/** Reads up to `length` bytes at `position` into the start of `into`; fewer only at end of file. */
async function readAt(handle: FileHandle, into: Buffer, length: number, position: number): Promise<number> {
  let total = 0;
  while (total < length) {
    const { bytesRead } = await handle.read(into, total, length - total, position + total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  return total;
}
