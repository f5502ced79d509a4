import { promises as fs } from 'fs';
import type { FileHandle } from 'fs/promises';
import { watch, type FSWatcher } from 'chokidar';
import { ConnectError, Logger } from '../../src/api';
import { LineInput } from './line-input';
import { LineSplitter } from './line-splitter';

const CR = 0x0d;
/** Reads shorter than this are copied out so the large read buffer can be reused (small appends). */
const COPY_BELOW_FRACTION = 4;

export interface FileTailInputOptions {
  /** The file as configured; also what log lines name. */
  readonly path: string;
  /** Byte position to resume from (from the offset store), or null to read from the start. */
  readonly storedPosition: number | null;
  readonly splitter: LineSplitter;
  readonly logger: Logger;
  /** Called when the file may have new data (watcher event, watcher ready). */
  readonly onActivity: () => void;
  readonly chunkSize: number;
}

/**
 * Tails one file by byte position: opens it lazily (it may not exist yet), resumes at the stored
 * position, and watches the path with chokidar so a waiting poll wakes when the file is created or
 * grows. Reads use explicit positions, so nothing depends on the handle's file pointer.
 */
export class FileTailInput implements LineInput {
  readonly ended = false;
  private handle: FileHandle | null = null;
  /** Next byte to read from the file: ahead of the splitter's position by the unconsumed bytes. */
  private readPosition = 0;
  private buffer: Buffer;
  private watcher: FSWatcher | null = null;
  private missingLogged = false;
  private closed = false;
  /** Resolves on close(), so nothing awaits a watcher that will never become ready. */
  private readonly closing: Promise<void>;
  private resolveClosing: () => void = () => {};

  constructor(private readonly options: FileTailInputOptions) {
    this.buffer = Buffer.allocUnsafe(options.chunkSize);
    this.closing = new Promise((resolve) => (this.resolveClosing = resolve));
  }

  async fill(): Promise<boolean> {
    if (this.closed) return false;
    if (this.handle === null && !(await this.open())) return false;
    const handle = this.handle as FileHandle;
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
    if (bytesRead < this.buffer.length / COPY_BELOW_FRACTION) {
      this.options.splitter.push(Buffer.from(this.buffer.subarray(0, bytesRead)));
    } else {
      // Hand the whole buffer to the splitter (which keeps a reference) and take a fresh one.
      this.options.splitter.push(this.buffer.subarray(0, bytesRead));
      this.buffer = Buffer.allocUnsafe(this.options.chunkSize);
    }
    this.readPosition += bytesRead;
    return true;
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
      await this.seek(handle);
    } catch (err) {
      await handle.close();
      throw this.wrap('read', err);
    }
    this.handle = handle;
    logger.info(`Opened ${path} for reading from byte position ${this.readPosition}`);
    return true;
  }

  private async seek(handle: FileHandle): Promise<void> {
    const { path, storedPosition, splitter, logger } = this.options;
    let position = storedPosition ?? 0;
    let afterCr = false;
    if (position > 0) {
      const { size } = await handle.stat();
      if (size < position) {
        logger.warn(
          `File ${path} is ${size} bytes long, shorter than the stored position ${position}: ` +
            'it was truncated or replaced, reading it from the start',
        );
        position = 0;
      } else {
        // A restart right after the \r of a \r\n pair must not turn the \n into an empty line.
        const probe = Buffer.alloc(1);
        await handle.read(probe, 0, 1, position - 1);
        afterCr = probe[0] === CR;
      }
    }
    this.readPosition = position;
    splitter.restart(position, afterCr);
  }

  /**
   * At end of data: make sure the watcher runs (so the next wait can be woken), and notice in-place
   * truncation (copytruncate log rotation), which would otherwise leave us reading past the end forever.
   */
  private async atEnd(handle: FileHandle): Promise<void> {
    await this.ensureWatcher();
    let size: number;
    try {
      ({ size } = await handle.stat());
    } catch (err) {
      if (this.closed) return;
      throw this.wrap('read', err);
    }
    if (size < this.readPosition) {
      this.options.logger.warn(
        `File ${this.options.path} shrank to ${size} bytes below the read position ${this.readPosition}: ` +
          'it was truncated, reading it from the start',
      );
      this.readPosition = 0;
      this.options.splitter.restart(0);
      this.options.onActivity();
    }
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
