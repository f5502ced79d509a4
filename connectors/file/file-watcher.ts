import { dirname, resolve } from 'path';
import type * as Chokidar from 'chokidar';
import type { FSWatcher } from 'chokidar';
import { Logger } from '../../src/api';

/**
 * Watches one file for creation, change and removal by watching its directory: a watch on the file
 * itself follows the inode and goes quiet once the file is replaced (delete+create, rename+create).
 * Events only wake a reader; they carry no data, so a lost event costs latency, not lines.
 */
export class FileWatcher {
  private readonly watcher: FSWatcher;
  /** Resolves once the watcher reports changes (or failed to start). */
  readonly ready: Promise<void>;

  constructor(path: string, onActivity: () => void, logger: Logger) {
    const file = resolve(path);
    const dir = dirname(file);
    // Required with the first watcher (the reader starts one at the end of the file), not at start-up.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { watch } = require('chokidar') as typeof Chokidar;
    this.watcher = watch(dir, { ignoreInitial: true, depth: 0, ignored: (p: string) => p !== dir && p !== file });
    this.watcher.on('add', onActivity);
    this.watcher.on('change', onActivity);
    this.watcher.on('unlink', onActivity);
    this.watcher.on('error', (err) => {
      // Not fatal: the reader re-checks the file periodically anyway.
      logger.warn(`Watching ${path} failed, falling back to periodic checks: ${(err as Error).message}`);
    });
    this.ready = new Promise<void>((resolve) => {
      this.watcher.once('ready', resolve);
      this.watcher.once('error', () => resolve());
    });
  }

  close(): Promise<void> {
    return this.watcher.close();
  }
}
