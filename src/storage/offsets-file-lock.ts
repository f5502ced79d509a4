/**
 * An advisory lock that keeps two workers from sharing one offsets file: `<offsets file>.lock` beside
 * it, holding the pid of the worker that uses the file. Each worker rewrites the whole offsets file
 * from its own memory, so two of them on one file would silently overwrite each other's offsets.
 *
 * The lock file appears atomically with its content (written to a temporary file, then hard-linked
 * to the lock's name, which fails if it exists, like O_EXCL), so a reader never sees it half written.
 * A lock whose pid is no longer alive (its worker was killed) is stale and taken over with a warning;
 * release() removes the lock only while it still holds our pid.
 */
import * as fsp from 'fs/promises';
import * as path from 'path';
import { ConnectError, Logger } from '../api';

/** The file operations the lock uses; injectable for tests. */
export type LockFileSystem = Pick<typeof fsp, 'writeFile' | 'link' | 'readFile' | 'rename' | 'unlink'>;

export interface OffsetsFileLockOptions {
  logger?: Logger;
  fs?: LockFileSystem;
  /** Our pid; process.pid by default. */
  pid?: number;
  /** Whether a process with this pid is running; signal 0 by default. */
  isAlive?: (pid: number) => boolean;
}

/** Another running worker holds the lock. */
export class OffsetsFileLockedError extends ConnectError {}

const TAKE_OVER_ATTEMPTS = 5;

export class OffsetsFileLock {
  /** The lock file's path: the offsets file's absolute path + `.lock`. */
  readonly lockFile: string;
  private readonly offsetsFile: string;
  private readonly fs: LockFileSystem;
  private readonly pid: number;
  private readonly isAlive: (pid: number) => boolean;
  private readonly logger: Logger | undefined;
  private held = false;

  constructor(offsetsFile: string, options: OffsetsFileLockOptions = {}) {
    this.offsetsFile = path.resolve(offsetsFile);
    this.lockFile = `${this.offsetsFile}.lock`;
    this.fs = options.fs ?? fsp;
    this.pid = options.pid ?? process.pid;
    this.isAlive = options.isAlive ?? processIsAlive;
    this.logger = options.logger;
  }

  /**
   * Takes the lock, or fails at once with an OffsetsFileLockedError naming the offsets file and the
   * pid holding it. A stale lock (its pid is not running) is taken over.
   */
  async acquire(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (await this.tryCreate()) {
        this.held = true;
        return;
      }
      const text = await this.readLock();
      if (text === null) continue; // released between our two steps: try again
      const holder = parsePid(text);
      if (holder !== null && holder !== this.pid && this.isAlive(holder)) {
        throw new OffsetsFileLockedError(
          `Offsets file ${this.offsetsFile} is in use by another worker (pid ${holder}, lock file ${this.lockFile}). ` +
            'Two workers must not share offset.storage.file.filename: stop that worker or give this one its own file.',
        );
      }
      if (attempt >= TAKE_OVER_ATTEMPTS) {
        throw new ConnectError(`Could not take over the stale lock file ${this.lockFile} of offsets file ${this.offsetsFile}: it keeps changing`);
      }
      await this.removeStale(text, holder);
    }
  }

  /** Removes the lock file if it still holds our pid; never throws. */
  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    try {
      if (parsePid((await this.readLock()) ?? '') === this.pid) await this.fs.unlink(this.lockFile);
    } catch (err) {
      this.logger?.warn(`Could not remove lock file ${this.lockFile}: ${(err as Error).message}`);
    }
  }

  /** True when the lock file was created holding our pid; false when one exists. */
  private async tryCreate(): Promise<boolean> {
    const temp = `${this.lockFile}.${this.pid}.tmp`;
    try {
      await this.fs.writeFile(temp, `${this.pid}\n`);
      await this.fs.link(temp, this.lockFile);
      return true;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        // The same words as the offset store, which would say this next.
        const dir = path.dirname(this.offsetsFile);
        throw new ConnectError(`Cannot use offsets file ${this.offsetsFile}: its directory ${dir} is not accessible (${(err as Error).message}); create it first`, { cause: err });
      }
      throw new ConnectError(`Cannot create lock file ${this.lockFile} for offsets file ${this.offsetsFile}: ${(err as Error).message}`, { cause: err });
    } finally {
      await this.fs.unlink(temp).catch(() => undefined);
    }
  }

  /** The lock file's text, or null when there is none. */
  private async readLock(): Promise<string | null> {
    try {
      return (await this.fs.readFile(this.lockFile)).toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new ConnectError(`Cannot read lock file ${this.lockFile} of offsets file ${this.offsetsFile}: ${(err as Error).message}`, { cause: err });
    }
  }

  /**
   * Moves the stale lock aside under a name of our own, then checks that what was moved is the stale
   * lock we judged: if another worker replaced it in between, its live lock is put back.
   */
  private async removeStale(staleText: string, holder: number | null): Promise<void> {
    const aside = `${this.lockFile}.stale-${this.pid}`;
    try {
      await this.fs.rename(this.lockFile, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new ConnectError(`Cannot remove stale lock file ${this.lockFile}: ${(err as Error).message}`, { cause: err });
    }
    const moved = await this.fs.readFile(aside).then((b) => b.toString('utf8'), () => null);
    if (moved !== null && moved !== staleText) {
      await this.fs.link(aside, this.lockFile).catch(() => undefined);
    } else {
      const who = holder === null ? 'with no valid pid' : `of pid ${holder}, which is no longer running`;
      this.logger?.warn(`Taking over stale lock file ${this.lockFile} ${who} (a worker that did not shut down cleanly)`);
    }
    await this.fs.unlink(aside).catch(() => undefined);
  }
}

function parsePid(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const pid = Number(trimmed);
  return pid > 0 ? pid : null;
}

/** Signal 0 checks for existence; EPERM means it exists but belongs to someone else. */
function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
