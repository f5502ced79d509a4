import * as fs from 'fs';
import { mkdir, writeFile } from 'fs/promises';
import { join } from 'path';
import { ConfigError } from '../../../../src/api';
import { FileStreamSourceConfig } from '../../../../connectors/file/file-stream-source-config';
import { FileCheckOps, readableFileValidator } from '../../../../connectors/file/readable-file-validator';
import { useTempDir } from './fixtures';

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

describe('FileStreamSource `file` check at start-up', () => {
  const dir = useTempDir();

  it('refuses a directory, naming the key and the path', async () => {
    const path = join(dir(), 'a-directory');
    await mkdir(path);
    const parse = () => FileStreamSourceConfig.parse({ topic: 't', file: path });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(`Invalid value ${path} for configuration file: it is a directory; expected a file to read lines from`);
  });

  it('accepts a file that does not exist yet (the source waits for it) and a readable file', async () => {
    expect(FileStreamSourceConfig.parse({ topic: 't', file: join(dir(), 'not-yet.txt') }).file).toBe(join(dir(), 'not-yet.txt'));
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'x\n');
    expect(FileStreamSourceConfig.parse({ topic: 't', file }).file).toBe(file);
    expect(FileStreamSourceConfig.parse({ topic: 't' }).file).toBeNull();
  });

  it('refuses a path under a regular file (ENOTDIR): it can never become a file', async () => {
    const file = join(dir(), 'plain.txt');
    await writeFile(file, 'x\n');
    expect(() => FileStreamSourceConfig.parse({ topic: 't', file: join(file, 'inside') })).toThrow(/for configuration file: the file cannot be read: ENOTDIR/);
  });

  // Permissions cannot be tested with real files when the tests run as root (CI): root reads a
  // chmod 000 file. The check is driven through injected file-system calls instead.
  it('refuses a file it may not open (EACCES), naming the key and the path', () => {
    const ops: FileCheckOps = {
      statSync: () => fs.statSync(__filename), // a regular file
      openSync: () => {
        throw errno('EACCES', "permission denied, open '/var/log/secret.log'");
      },
      closeSync: () => undefined,
    };
    const check = () => readableFileValidator(ops).ensureValid('file', '/var/log/secret.log');
    expect(check).toThrow(ConfigError);
    expect(check).toThrow("Invalid value /var/log/secret.log for configuration file: the file cannot be read: EACCES: permission denied, open '/var/log/secret.log'");
  });

  it('refuses a path whose directory may not be searched (EACCES from stat)', () => {
    const ops: FileCheckOps = {
      statSync: () => {
        throw errno('EACCES', "permission denied, stat '/root/in.txt'");
      },
      openSync: () => 3,
      closeSync: () => undefined,
    };
    expect(() => readableFileValidator(ops).ensureValid('file', '/root/in.txt')).toThrow(/configuration file: the file cannot be read: EACCES/);
  });

  it('opens only regular files: a FIFO would block until a writer comes', () => {
    let opened = false;
    const fifo = { isDirectory: () => false, isFile: () => false } as fs.Stats;
    const ops: FileCheckOps = {
      statSync: () => fifo,
      openSync: () => {
        opened = true;
        return 3;
      },
      closeSync: () => undefined,
    };
    readableFileValidator(ops).ensureValid('file', '/tmp/a-fifo');
    expect(opened).toBe(false);
  });
});
