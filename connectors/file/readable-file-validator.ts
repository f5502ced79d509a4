import * as fs from 'fs';
import { ConfigError, ConfigValue, Validator } from '../../src/api';

/** The file-system calls the check makes; injected by tests. */
export interface FileCheckOps {
  statSync(path: string): fs.Stats;
  openSync(path: string, flags: 'r'): number;
  closeSync(fd: number): void;
}

/**
 * Checks at start-up that a file to read is usable, so a mistake is a configuration error naming the
 * key and the path rather than a task failing after start: a directory, or a path that exists but
 * cannot be opened for reading (EACCES, ENOTDIR, ...), is refused. A path that does not exist yet is
 * accepted (the source waits for the file to be created). Only regular files are opened for the
 * check: opening a FIFO would wait for a writer.
 */
export function readableFileValidator(ops: FileCheckOps = fs): Validator {
  return {
    ensureValid(name: string, value: ConfigValue): void {
      if (typeof value !== 'string' || value === '') return;
      let stats: fs.Stats;
      try {
        stats = ops.statSync(value);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw ConfigError.invalidValue(name, value, `the file cannot be read: ${reason(err)}`);
      }
      if (stats.isDirectory()) throw ConfigError.invalidValue(name, value, 'it is a directory; expected a file to read lines from');
      if (!stats.isFile()) return;
      try {
        ops.closeSync(ops.openSync(value, 'r'));
      } catch (err) {
        throw ConfigError.invalidValue(name, value, `the file cannot be read: ${reason(err)}`);
      }
    },
    // Empty: the README's generated reference lists no constraint for `file`, as Kafka's does not.
    describe: () => '',
  };
}

function reason(err: unknown): string {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(err);
}
