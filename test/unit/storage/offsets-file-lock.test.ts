import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as os from 'os';
import * as path from 'path';
import { ConnectError } from '../../../src/api';
import { LockFileSystem, OffsetsFileLock, OffsetsFileLockedError } from '../../../src/storage/offsets-file-lock';
import { RecordingLogger } from '../../helpers/recording-logger';

describe('OffsetsFileLock', () => {
  let dir: string;
  let offsets: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offsets-lock-'));
    offsets = path.join(dir, 'connect.offsets');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const alive = (...pids: number[]) => (pid: number) => pids.includes(pid);
  const files = () => fs.readdirSync(dir).sort();

  it('creates <offsets file>.lock holding the pid, and release() removes it', async () => {
    const lock = new OffsetsFileLock(offsets, { pid: 1234, isAlive: alive(1234) });
    await lock.acquire();
    expect(lock.lockFile).toBe(`${offsets}.lock`);
    expect(fs.readFileSync(`${offsets}.lock`, 'utf8')).toBe('1234\n');
    expect(files()).toEqual(['connect.offsets.lock']); // no temporary file left
    await lock.release();
    expect(files()).toEqual([]);
  });

  it('a second worker fails at once, naming the offsets file and the pid holding it', async () => {
    await new OffsetsFileLock(offsets, { pid: 1234, isAlive: alive(1234, 5678) }).acquire();
    const second = new OffsetsFileLock(offsets, { pid: 5678, isAlive: alive(1234, 5678) });
    const attempt = second.acquire();
    await expect(attempt).rejects.toThrow(OffsetsFileLockedError);
    await expect(attempt).rejects.toThrow(`Offsets file ${offsets} is in use by another worker (pid 1234, lock file ${offsets}.lock)`);
    await second.release(); // never held: leaves the other's lock alone
    expect(fs.readFileSync(`${offsets}.lock`, 'utf8')).toBe('1234\n');
  });

  it('takes over a stale lock whose pid is not running, with a warning', async () => {
    fs.writeFileSync(`${offsets}.lock`, '1234\n');
    const logger = new RecordingLogger();
    const lock = new OffsetsFileLock(offsets, { pid: 5678, isAlive: alive(5678), logger });
    await lock.acquire();
    expect(fs.readFileSync(`${offsets}.lock`, 'utf8')).toBe('5678\n');
    expect(logger.messages('warn')).toEqual([`Taking over stale lock file ${offsets}.lock of pid 1234, which is no longer running (a worker that did not shut down cleanly)`]);
    expect(files()).toEqual(['connect.offsets.lock']);
  });

  it('takes over a lock file without a valid pid', async () => {
    fs.writeFileSync(`${offsets}.lock`, 'garbage');
    const logger = new RecordingLogger();
    await new OffsetsFileLock(offsets, { pid: 5678, isAlive: () => true, logger }).acquire();
    expect(fs.readFileSync(`${offsets}.lock`, 'utf8')).toBe('5678\n');
    expect(logger.messages('warn')[0]).toContain('with no valid pid');
  });

  it('release() leaves a lock that is no longer ours', async () => {
    const lock = new OffsetsFileLock(offsets, { pid: 1234, isAlive: alive(1234) });
    await lock.acquire();
    fs.writeFileSync(`${offsets}.lock`, '999\n');
    await lock.release();
    expect(fs.readFileSync(`${offsets}.lock`, 'utf8')).toBe('999\n');
  });

  it('a live lock that replaced the stale one while we looked is put back, and we fail', async () => {
    fs.writeFileSync(`${offsets}.lock`, '1234\n');
    // Another worker (pid 4321) takes over the stale lock between our read and our rename.
    const racing: LockFileSystem = {
      ...fsp,
      rename: async (from, to) => {
        if (String(from).endsWith('.lock')) fs.writeFileSync(`${offsets}.lock`, '4321\n');
        await fsp.rename(from, to);
      },
    };
    const lock = new OffsetsFileLock(offsets, { pid: 5678, isAlive: alive(5678, 4321), fs: racing });
    await expect(lock.acquire()).rejects.toThrow('in use by another worker (pid 4321');
    expect(fs.readFileSync(`${offsets}.lock`, 'utf8')).toBe('4321\n');
    expect(files()).toEqual(['connect.offsets.lock']);
  });

  it('a missing directory is named, as the offset store names it', async () => {
    const missing = path.join(dir, 'nope', 'connect.offsets');
    const attempt = new OffsetsFileLock(missing, { pid: 1 }).acquire();
    await expect(attempt).rejects.toThrow(ConnectError);
    await expect(attempt).rejects.toThrow(`Cannot use offsets file ${missing}: its directory ${path.join(dir, 'nope')} is not accessible`);
  });

  it('by default sees this process as alive and a dead pid as stale', async () => {
    fs.writeFileSync(`${offsets}.lock`, `${process.pid}\n`);
    await expect(new OffsetsFileLock(offsets, { pid: process.pid + 1 }).acquire()).rejects.toThrow(`pid ${process.pid}`);
    fs.writeFileSync(`${offsets}.lock`, '2147483646\n'); // above any pid_max
    await new OffsetsFileLock(offsets).acquire();
    expect(fs.readFileSync(`${offsets}.lock`, 'utf8')).toBe(`${process.pid}\n`);
  });
});
