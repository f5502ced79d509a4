import { appendFile, rename, writeFile } from 'fs/promises';
import { join } from 'path';
import { PassThrough } from 'stream';
import { FileStreamSourceTask } from '../../../../connectors/file/file-stream-source-task';
import { sourceContext, useTempDir, values } from './fixtures';

/** What one-shot runs and the progress display read from FileStreamSourceTask: caughtUp, ended, progress. */
describe('FileStreamSourceTask caught up, ended and progress', () => {
  const dir = useTempDir();
  const tasks: FileStreamSourceTask[] = [];
  afterEach(async () => {
    await Promise.all(tasks.splice(0).map((t) => t.stop()));
  });

  function startTask(props: Record<string, string>, stdin?: PassThrough): FileStreamSourceTask {
    const task = new FileStreamSourceTask(stdin, { maxPollWaitMs: 50 });
    task.initialize(sourceContext());
    task.start({ topic: 'lines', ...props });
    tasks.push(task);
    return task;
  }

  it('a file: caught up after the poll that read it to its end (a partial last line does not count), not before; never ended', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'a\nb\nc\npartial');
    const task = startTask({ file, 'batch.size': '2' });
    expect(task.caughtUp()).toBe(false);
    expect(values(await task.poll())).toEqual(['a', 'b']);
    expect(task.caughtUp()).toBe(false);
    expect(values(await task.poll())).toEqual(['c']);
    expect(task.caughtUp()).toBe(true);
    expect(task.ended()).toBe(false);
    await appendFile(file, '\nd\n');
    expect(values(await task.poll())).toEqual(['partial', 'd']);
    expect(task.caughtUp()).toBe(false);
    expect(await task.poll()).toBeNull();
    expect(task.caughtUp()).toBe(true);
  });

  it('a file whose batch ends exactly at the end: caught up once a poll finds nothing more', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'a\nb\n');
    const task = startTask({ file, 'batch.size': '2' });
    expect(values(await task.poll())).toEqual(['a', 'b']);
    expect(task.caughtUp()).toBe(false);
    expect(await task.poll()).toBeNull();
    expect(task.caughtUp()).toBe(true);
  });

  it('a missing file is caught up (nothing to read)', async () => {
    const task = startTask({ file: join(dir(), 'missing.txt') });
    expect(await task.poll()).toBeNull();
    expect(task.caughtUp()).toBe(true);
  });

  it('a file rotated with lines left: not caught up until the new file was read too', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'a\n');
    const task = startTask({ file, 'batch.size': '1' });
    expect(values(await task.poll())).toEqual(['a']);
    await appendFile(file, 'b\n');
    await rename(file, `${file}.1`);
    await writeFile(file, 'c\n');
    const seen: unknown[] = [];
    const caught: boolean[] = [];
    for (let i = 0; i < 5; i++) {
      seen.push(...values(await task.poll()));
      caught.push(task.caughtUp());
    }
    expect(seen).toEqual(['b', 'c']);
    expect(caught.indexOf(true)).toBeGreaterThanOrEqual(2);
  });

  it('progress: bytes up to the last line returned, of the file size', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'aaaa\nbbbb\ncc');
    const task = startTask({ file, 'batch.size': '1' });
    expect(values(await task.poll())).toEqual(['aaaa']);
    expect(task.progress()).toEqual({ done: 5, total: 12, unit: 'bytes' });
    expect(values(await task.poll())).toEqual(['bbbb']);
    expect(task.progress()).toEqual({ done: 10, total: 12, unit: 'bytes' });
  });

  it('stdin: neither caught up nor ended while open; both once the last line (unterminated) was returned', async () => {
    const stdin = new PassThrough();
    const task = startTask({}, stdin);
    stdin.write('a\n');
    expect(values(await task.poll())).toEqual(['a']);
    expect(await task.poll()).toBeNull();
    expect([task.caughtUp(), task.ended()]).toEqual([false, false]);
    expect(task.progress()).toEqual({ done: 2, total: null, unit: 'bytes' });
    stdin.end('b\nlast');
    const rest: unknown[] = [];
    for (let i = 0; i < 5 && !task.ended(); i++) rest.push(...values(await task.poll()));
    expect(rest).toEqual(['b', 'last']);
    expect([task.caughtUp(), task.ended()]).toEqual([true, true]);
    await task.stop();
    expect(task.ended()).toBe(true);
  });

  it('stdin with batch.size lines left at its end: ended only after they were all returned', async () => {
    const stdin = new PassThrough();
    const task = startTask({ 'batch.size': '1' }, stdin);
    stdin.end('a\nb\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(values(await task.poll())).toEqual(['a']);
    expect(task.ended()).toBe(false);
    expect(values(await task.poll())).toEqual(['b']);
    if (!task.ended()) expect(await task.poll()).toBeNull();
    expect(task.ended()).toBe(true);
  });
});
