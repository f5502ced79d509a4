import { readFile, writeFile } from 'fs/promises';
import { join } from 'path';
import { Writable } from 'stream';
import { ConnectError } from '../../../../src/api';
import {
  FileStreamSinkTask,
  nodeSinkFileOps,
  SinkFileHandle,
  SinkFileOps,
} from '../../../../connectors/file/file-stream-sink-task';
import { sinkContext, sinkRecord, useTempDir } from './fixtures';

/** A stdout stand-in that collects what is written. */
class CollectingStream extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString('utf8');
    callback();
  }
}

describe('FileStreamSinkTask', () => {
  const dir = useTempDir();

  async function startTask(props: Record<string, string>, stdout?: Writable): Promise<FileStreamSinkTask> {
    const task = new FileStreamSinkTask(stdout);
    task.initialize(sinkContext());
    await task.start(props);
    return task;
  }

  it('writes each value as a line ending in \\n, creating the file', async () => {
    const file = join(dir(), 'out.txt');
    const task = await startTask({ file });
    await task.put([sinkRecord('héllo'), sinkRecord('日本語 😀')]);
    await task.put([sinkRecord('')]);
    await task.stop();
    expect(await readFile(file, 'utf8')).toBe('héllo\n日本語 😀\n\n');
  });

  it('appends to an existing file instead of overwriting it', async () => {
    const file = join(dir(), 'out.txt');
    await writeFile(file, 'kept\n');
    const task = await startTask({ file });
    await task.put([sinkRecord('added')]);
    await task.stop();
    expect(await readFile(file, 'utf8')).toBe('kept\nadded\n');
  });

  it('writes null values as the text null, as Java println does', async () => {
    const file = join(dir(), 'out.txt');
    const task = await startTask({ file });
    await task.put([sinkRecord(null), sinkRecord('x')]);
    await task.stop();
    expect(await readFile(file, 'utf8')).toBe('null\nx\n');
  });

  it('writes bytes as their UTF-8 text and primitives as their string form', async () => {
    const file = join(dir(), 'out.txt');
    const task = await startTask({ file });
    await task.put([sinkRecord(Buffer.from('bytés')), sinkRecord(42), sinkRecord(true), sinkRecord(12345678901234567890n)]);
    await task.stop();
    expect(await readFile(file, 'utf8')).toBe('bytés\n42\ntrue\n12345678901234567890\n');
  });

  it('flush() leaves everything put so far on disk, before stop()', async () => {
    const file = join(dir(), 'out.txt');
    const task = await startTask({ file });
    await task.put([sinkRecord('one'), sinkRecord('two')]);
    await task.flush(new Map());
    expect(await readFile(file, 'utf8')).toBe('one\ntwo\n');
    await task.put([sinkRecord('three')]);
    await task.flush(new Map());
    expect(await readFile(file, 'utf8')).toBe('one\ntwo\nthree\n');
    await task.stop();
  });

  it('writes large batches through before flush() without losing order', async () => {
    const file = join(dir(), 'out.txt');
    const task = await startTask({ file });
    const lines = Array.from({ length: 20_000 }, (_, i) => `line ${i}`);
    for (let i = 0; i < lines.length; i += 1000) await task.put(lines.slice(i, i + 1000).map((l) => sinkRecord(l)));
    await task.stop();
    expect(await readFile(file, 'utf8')).toBe(lines.join('\n') + '\n');
  });

  it('writes to the injected stdout stream when no file is set, without closing it', async () => {
    const stdout = new CollectingStream();
    const task = await startTask({}, stdout);
    await task.put([sinkRecord('a'), sinkRecord(null)]);
    await task.flush(new Map());
    expect(stdout.text).toBe('a\nnull\n');
    await task.put([sinkRecord('b')]);
    await task.stop();
    expect(stdout.text).toBe('a\nnull\nb\n');
    expect(stdout.writableEnded).toBe(false);
  });

  it('fails to start with an error naming a file it cannot create', async () => {
    const file = join(dir(), 'no-such-dir', 'out.txt');
    const task = new FileStreamSinkTask();
    task.initialize(sinkContext());
    await expect(task.start({ file })).rejects.toThrow(ConnectError);
    await expect(task.start({ file })).rejects.toThrow(`Couldn't find or create file '${file}' for FileStreamSinkTask`);
  });

  describe('with injected file operations', () => {
    /** The real file system, except that the next `failSyncs` fsyncs fail with `error`. */
    function failingSyncOps(error: Error, failSyncs: number): SinkFileOps {
      let left = failSyncs;
      return {
        async open(path, flags): Promise<SinkFileHandle> {
          const real = await nodeSinkFileOps.open(path, flags);
          return {
            write: (buffer, offset, length) => real.write(buffer, offset, length),
            sync: async () => {
              if (left > 0) {
                left--;
                throw error;
              }
              await real.sync();
            },
            close: () => real.close(),
          };
        },
      };
    }

    it('fails flush() naming the file when fsync fails once, and flushes again afterwards', async () => {
      const file = join(dir(), 'out.txt');
      const eio = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      const task = new FileStreamSinkTask({ fileOps: failingSyncOps(eio, 1) });
      task.initialize(sinkContext());
      await task.start({ file });
      await task.put([sinkRecord('one')]);
      const failure = task.flush(new Map());
      await expect(failure).rejects.toThrow(ConnectError);
      await expect(failure).rejects.toThrow(`Could not write to file '${file}' for FileStreamSinkTask: EIO`);
      await task.put([sinkRecord('two')]);
      await task.flush(new Map());
      await task.stop();
      expect(await readFile(file, 'utf8')).toBe('one\ntwo\n');
    });
  });

  describe('writes overlapping the next batch', () => {
    /** The real file system, except that each write waits until the test releases it. */
    function gatedWriteOps(): { ops: SinkFileOps; started: () => number; release: () => void } {
      let started = 0;
      const gates: Array<() => void> = [];
      let open = false;
      return {
        started: () => started,
        release: () => {
          open = true;
          for (const g of gates.splice(0)) g();
        },
        ops: {
          async open(path, flags): Promise<SinkFileHandle> {
            const real = await nodeSinkFileOps.open(path, flags);
            return {
              write: async (buffer, offset, length) => {
                started++;
                if (!open) await new Promise<void>((resolve) => gates.push(resolve));
                return real.write(buffer, offset, length);
              },
              sync: () => real.sync(),
              close: () => real.close(),
            };
          },
        },
      };
    }

    it('put() returns while its write to the file is still in progress; flush() waits for every write, in order', async () => {
      const file = join(dir(), 'out.txt');
      const gate = gatedWriteOps();
      const task = new FileStreamSinkTask({ fileOps: gate.ops });
      task.initialize(sinkContext());
      await task.start({ file });
      await task.put([sinkRecord('one')]);
      expect(gate.started()).toBe(1);
      await task.put([sinkRecord('two'), sinkRecord('three')]);
      let flushed = false;
      const flush = task.flush(new Map()).then(() => (flushed = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(flushed).toBe(false);
      gate.release();
      await flush;
      expect(await readFile(file, 'utf8')).toBe('one\ntwo\nthree\n');
      await task.put([]);
      await task.flush(new Map());
      await task.stop();
    });
  });

  describe('write errors', () => {
    const errno = (code: string, syscall: string) => Object.assign(new Error(`${syscall} ${code}`), { code, syscall });

    /** A stdout stand-in whose writes fail with `error` (as a pipe whose reader has gone: EPIPE). */
    class FailingStream extends Writable {
      writes = 0;
      constructor(private readonly error: Error) {
        super();
      }
      override _write(_chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
        this.writes++;
        callback(this.error);
      }
    }

    /** Lets the stream's queued 'error' event and anything after it run. */
    const settle = () => new Promise((resolve) => setImmediate(resolve));

    it.each(['EPIPE', 'EIO', 'ENOSPC'])('a %s on stdout fails put() naming stdout, without an unhandled error event', async (code) => {
      const stdout = new FailingStream(errno(code, 'write'));
      const task = await startTask({}, stdout);
      const put = task.put([sinkRecord('a')]);
      await expect(put).rejects.toThrow(ConnectError);
      await expect(put).rejects.toThrow(`Could not write to stdout for FileStreamSinkTask: write ${code}`);
      await settle(); // an 'error' event nobody listens to would be thrown here
      expect(stdout.destroyed).toBe(true);
      // The stream is gone: later puts fail at once with the same cause, without writing.
      await expect(task.put([sinkRecord('b')])).rejects.toThrow(`Could not write to stdout for FileStreamSinkTask: write ${code}`);
      expect(stdout.writes).toBe(1);
      await task.stop();
      await settle();
      expect(stdout.listenerCount('error')).toBe(0);
    });

    it('an error the stream emits between writes fails the next put()', async () => {
      const stdout = new CollectingStream();
      const task = await startTask({}, stdout);
      stdout.destroy(errno('EPIPE', 'write'));
      await settle();
      await expect(task.put([sinkRecord('a')])).rejects.toThrow('Could not write to stdout for FileStreamSinkTask: write EPIPE');
      await task.stop();
    });

    /** The real file system, except that every write fails with `error`. */
    function failingWriteOps(error: Error): SinkFileOps {
      return {
        async open(path, flags): Promise<SinkFileHandle> {
          const real = await nodeSinkFileOps.open(path, flags);
          return {
            write: () => Promise.reject(error),
            sync: () => real.sync(),
            close: () => real.close(),
          };
        },
      };
    }

    it.each(['ENOSPC', 'EIO'])('a %s writing the file fails the next put(), flush() and stop() naming the file', async (code) => {
      const file = join(dir(), 'out.txt');
      const task = new FileStreamSinkTask({ fileOps: failingWriteOps(errno(code, 'write')) });
      task.initialize(sinkContext());
      await task.start({ file });
      await task.put([sinkRecord('a')]); // its write fails after put() returned
      await settle();
      const put = task.put([sinkRecord('b')]);
      await expect(put).rejects.toThrow(ConnectError);
      await expect(put).rejects.toThrow(`Could not write to file '${file}' for FileStreamSinkTask: write ${code}`);
      await expect(task.flush(new Map())).rejects.toThrow(`Could not write to file '${file}' for FileStreamSinkTask: write ${code}`);
      await expect(task.stop()).rejects.toThrow(`Could not write to file '${file}' for FileStreamSinkTask: write ${code}`);
      expect(await readFile(file, 'utf8')).toBe('');
    });

    it('a write that failed once is written again, before later lines, by the next flush()', async () => {
      const file = join(dir(), 'out.txt');
      let failures = 1;
      const ops: SinkFileOps = {
        async open(path, flags): Promise<SinkFileHandle> {
          const real = await nodeSinkFileOps.open(path, flags);
          return {
            write: (buffer, offset, length) => (failures-- > 0 ? Promise.reject(errno('EIO', 'write')) : real.write(buffer, offset, length)),
            sync: () => real.sync(),
            close: () => real.close(),
          };
        },
      };
      const task = new FileStreamSinkTask({ fileOps: ops });
      task.initialize(sinkContext());
      await task.start({ file });
      await task.put([sinkRecord('one')]);
      await settle();
      await expect(task.put([sinkRecord('two')])).rejects.toThrow(`Could not write to file '${file}' for FileStreamSinkTask: write EIO`);
      await task.put([sinkRecord('three')]);
      await task.flush(new Map());
      await task.stop();
      expect(await readFile(file, 'utf8')).toBe('one\nthree\n');
    });
  });
});
