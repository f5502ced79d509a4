import { statSync } from 'fs';
import { appendFile, copyFile, rename, truncate, unlink, utimes, writeFile } from 'fs/promises';
import { join } from 'path';
import { SourceRecord } from '../../../../src/api';
import { FileStreamSourceTask, FileStreamSourceTaskOptions } from '../../../../connectors/file/file-stream-source-task';
import { FileTailInput } from '../../../../connectors/file/file-tail-input';
import { LineSplitter } from '../../../../connectors/file/line-splitter';
import { MemoryOffsetReader, positions, RecordingLogger, sourceContext, useTempDir, values } from './fixtures';

/** Long enough that only a wake-up (not a timeout) can end a wait within jest's 5 s limit. */
const NEVER_MS = 60_000;

/** FileStreamSourceTask following rotation by rename, delete+create and copytruncate, running and across restarts. */
describe('FileStreamSourceTask and rotation', () => {
  const dir = useTempDir();
  const tasks: FileStreamSourceTask[] = [];
  afterEach(async () => {
    await Promise.all(tasks.splice(0).map((t) => t.stop()));
  });

  function startTask(
    file: string,
    opts: { offsets?: MemoryOffsetReader; options?: FileStreamSourceTaskOptions } = {},
  ): { task: FileStreamSourceTask; logger: RecordingLogger } {
    const task = new FileStreamSourceTask(undefined, { maxPollWaitMs: 50, ...opts.options });
    const context = sourceContext(opts.offsets);
    task.initialize(context);
    task.start({ topic: 'lines', file });
    tasks.push(task);
    return { task, logger: context.logger };
  }

  async function pollRecords(task: FileStreamSourceTask, count: number, tries = 20): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    for (let i = 0; i < tries && out.length < count; i++) out.push(...((await task.poll()) ?? []));
    return out;
  }

  /** Polls until a poll comes back empty; everything returned until then. */
  async function pollAll(task: FileStreamSourceTask): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    for (;;) {
      const batch = await task.poll();
      if (batch === null) return out;
      out.push(...batch);
    }
  }

  /** Offsets as the store would hold them after the last of these records. */
  function offsetsAfter(file: string, records: readonly SourceRecord[]): MemoryOffsetReader {
    const offsets = new MemoryOffsetReader();
    offsets.set({ filename: file }, records[records.length - 1].sourceOffset!);
    return offsets;
  }

  const identityOf = (path: string) => {
    const stats = statSync(path, { bigint: true });
    return { dev: String(stats.dev), ino: String(stats.ino) };
  };

  describe('while running', () => {
    it('rename: lines the writer adds to the renamed file before the new one has data are still read, then the new file', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const { task } = startTask(file);
      expect(values(await task.poll())).toEqual(['one']);
      await rename(file, `${file}.1`);
      await writeFile(file, '');
      // Not yet reopened by the writer: it still appends to the renamed file.
      await appendFile(`${file}.1`, 'two\n');
      expect(values(await pollRecords(task, 1))).toEqual(['two']);
      await appendFile(`${file}.1`, 'three\n');
      await appendFile(file, 'fresh\n');
      const records = await pollRecords(task, 2);
      expect(values(records)).toEqual(['three', 'fresh']);
      expect(records.map((r) => r.sourceOffset?.ino)).toEqual([identityOf(`${file}.1`).ino, identityOf(file).ino]);
    });

    it('rename: an unterminated last line of the rotated file becomes a record of its own', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\ntorn');
      const { task } = startTask(file);
      expect(values(await task.poll())).toEqual(['one']);
      await rename(file, `${file}.1`);
      await writeFile(file, 'fresh\n');
      const records = await pollRecords(task, 2);
      expect(values(records)).toEqual(['torn', 'fresh']);
      expect(positions(records)).toEqual([8, 6]);
    });

    it('delete+create: the deleted file (kept open) is read to its end, then the new one from its start', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const { task } = startTask(file);
      expect(values(await task.poll())).toEqual(['one']);
      await appendFile(file, 'two\nthree\n');
      await unlink(file);
      await writeFile(file, 'fresh\n');
      expect(values(await pollRecords(task, 3))).toEqual(['two', 'three', 'fresh']);
    });

    it('copytruncate: lines written before the copy and not yet read are read from the copy, then the truncated file from its start', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const { task, logger } = startTask(file);
      expect(values(await task.poll())).toEqual(['one']);
      await appendFile(file, 'two\nthr');
      await copyFile(file, `${file}.1`);
      await truncate(file, 0);
      await appendFile(file, 'after rotation, a longer first line\n');
      const records = await pollRecords(task, 3);
      expect(values(records)).toEqual(['two', 'thr', 'after rotation, a longer first line']);
      expect(records.map((r) => r.sourceOffset?.ino)).toEqual([identityOf(`${file}.1`).ino, identityOf(`${file}.1`).ino, identityOf(file).ino]);
      expect(logger.messages('warn').join('\n')).toMatch(/its copy .*app\.log\.1 holds what was read/);
    });

    it('copytruncate: a copy of other content (an earlier rotation) is not taken for the copy', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(`${file}.1`, 'earlier content one\nearlier content two\n');
      await writeFile(file, 'one\n');
      const { task } = startTask(file);
      expect(values(await task.poll())).toEqual(['one']);
      await truncate(file, 0);
      await appendFile(file, 'new\n');
      expect(values(await pollRecords(task, 1))).toEqual(['new']);
      expect(await task.poll()).toBeNull();
    });

    it('a truncation and regrowth between two reads of one poll (no wake-up between them) is noticed before the chunk is used', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\ntwo\n');
      const splitter = new LineSplitter();
      const input = new FileTailInput({ path: file, stored: null, splitter, logger: new RecordingLogger(), onActivity: () => {}, chunkSize: 4, watch: false });
      try {
        expect(await input.fill()).toBe(true);
        expect(splitter.next()).toBe('one');
        await writeFile(file, 'a longer first line\n');
        while (await input.fill());
        expect([splitter.next(), splitter.next()]).toEqual(['a longer first line', null]);
      } finally {
        await input.close();
      }
    });

    it('is woken by appends to a file that replaced the one it watched (delete+create), without re-checks', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const { task } = startTask(file, { options: { maxPollWaitMs: NEVER_MS, recheckIntervalMs: NEVER_MS } });
      expect(values(await task.poll())).toEqual(['one']);
      await unlink(file);
      await writeFile(file, 'fresh\n');
      expect(values(await pollRecords(task, 1))).toEqual(['fresh']);
      const pending = task.poll();
      await new Promise((resolve) => setTimeout(resolve, 100)); // let it reach its wait
      await appendFile(file, 'more\n');
      expect(values(await pending)).toEqual(['more']);
    });

    it('without file events, a waiting poll re-checks on its own and notices appends and rotation', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const { task } = startTask(file, { options: { watch: false, maxPollWaitMs: NEVER_MS, recheckIntervalMs: 50 } });
      expect(values(await task.poll())).toEqual(['one']);
      const pending = task.poll();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await appendFile(file, 'two\n');
      expect(values(await pending)).toEqual(['two']);
      const next = task.poll();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await rename(file, `${file}.1`);
      await writeFile(file, 'fresh\n');
      expect(values(await next)).toEqual(['fresh']);
    });
  });

  describe('across a restart', () => {
    it('rename while stopped: the rest of the rotated file from the stored position, then the new file from its start', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\ntwo\n');
      const first = await pollAll(startTask(file).task);
      expect(values(first)).toEqual(['one', 'two']);
      await appendFile(file, 'three\n');
      await rename(file, `${file}-20241201`);
      await writeFile(file, 'fresh\n');
      const { task, logger } = startTask(file, { offsets: offsetsAfter(file, first) });
      const records = await pollAll(task);
      expect(values(records)).toEqual(['three', 'fresh']);
      expect(positions(records)).toEqual([14, 6]);
      expect(logger.messages('info').join('\n')).toMatch(/rotated while the worker was stopped: reading the rest of .*app\.log-20241201/);
    });

    it('rename while stopped, restarted again while reading the rotated file: it is found again, nothing repeated', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const first = await pollAll(startTask(file).task);
      await appendFile(file, 'two\nthree\n');
      await rename(file, `${file}.1`);
      await writeFile(file, 'fresh\n');
      const { task } = startTask(file, { offsets: offsetsAfter(file, first), options: {} });
      const two = await task.poll();
      expect(values(two)).toEqual(['two', 'three', 'fresh']);
      const second = two!.slice(0, 1);
      const again = await pollAll(startTask(file, { offsets: offsetsAfter(file, second) }).task);
      expect(values(again)).toEqual(['three', 'fresh']);
    });

    it('rotated twice while stopped: the rest of the old file, the file rotated after it from its start, then the new file', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const first = await pollAll(startTask(file).task);
      await appendFile(file, 'two\n');
      await rename(file, `${file}.2`);
      await writeFile(file, 'middle\n');
      await rename(file, `${file}.1`);
      await writeFile(file, 'fresh\n');
      await writeFile(`${file}.3`, 'an older rotation\n');
      await utimes(`${file}.3`, new Date(1_000_000), new Date(1_000_000));
      await utimes(`${file}.2`, new Date(2_000_000), new Date(2_000_000));
      await utimes(`${file}.1`, new Date(3_000_000), new Date(3_000_000));
      const { task, logger } = startTask(file, { offsets: offsetsAfter(file, first) });
      expect(values(await pollAll(task))).toEqual(['two', 'middle', 'fresh']);
      expect(logger.messages('info').join('\n')).toMatch(/reading the rest of .*app\.log\.2 .* then .*app\.log\.1, then .*app\.log from its start/);
    });

    it('copytruncate, then rename while stopped: the rest of the copy, the truncated file (rotated away) from its start, then the new file', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const first = await pollAll(startTask(file).task);
      await appendFile(file, 'two\n');
      await copyFile(file, `${file}.1`);
      await truncate(file, 0);
      await appendFile(file, 'three\n');
      await rename(file, `${file}.2`);
      await writeFile(file, 'fresh\n');
      await utimes(`${file}.1`, new Date(1_000_000), new Date(1_000_000));
      await utimes(`${file}.2`, new Date(2_000_000), new Date(2_000_000));
      const { task } = startTask(file, { offsets: offsetsAfter(file, first) });
      expect(values(await pollAll(task))).toEqual(['two', 'three', 'fresh']);
    });

    it('delete+create while stopped: a warning that the old file is gone, then the new file from its start', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const first = await pollAll(startTask(file).task);
      await unlink(file);
      await writeFile(`${file}.1.gz`, 'not really gzip');
      await writeFile(file, 'a new file with more bytes than the old\n');
      const { task, logger } = startTask(file, { offsets: offsetsAfter(file, first) });
      expect(values(await pollAll(task))).toEqual(['a new file with more bytes than the old']);
      const warnings = logger.messages('warn').join('\n');
      expect(warnings).toMatch(/rotated or removed while the worker was stopped .* is not among its rotated siblings/);
      expect(warnings).toMatch(/compressed siblings are not read, skipped: .*app\.log\.1\.gz/);
    });

    it('copytruncate while stopped: the rest of the copy, then the truncated file from its start', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const first = await pollAll(startTask(file).task);
      await appendFile(file, 'two\n');
      await copyFile(file, `${file}.1`);
      await truncate(file, 0);
      await appendFile(file, 'fresh\n');
      const { task, logger } = startTask(file, { offsets: offsetsAfter(file, first) });
      expect(values(await pollAll(task))).toEqual(['two', 'fresh']);
      expect(logger.messages('warn').join('\n')).toMatch(/truncated while the worker was stopped; its copy .*app\.log\.1/);
    });

    it('the rotated file and the path both untouched: resumes where it stopped, without warnings', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const first = await pollAll(startTask(file).task);
      await writeFile(`${file}.1`, 'one\nunrelated\n');
      await appendFile(file, 'two\n');
      const { task, logger } = startTask(file, { offsets: offsetsAfter(file, first) });
      expect(values(await pollAll(task))).toEqual(['two']);
      expect(logger.messages('warn')).toEqual([]);
    });

    it('the path missing and the rotated file found: reads its rest, then waits for the path', async () => {
      const file = join(dir(), 'app.log');
      await writeFile(file, 'one\n');
      const first = await pollAll(startTask(file).task);
      await appendFile(file, 'two\n');
      await rename(file, `${file}.1`);
      const { task } = startTask(file, { offsets: offsetsAfter(file, first) });
      expect(values(await pollAll(task))).toEqual(['two']);
      expect(task.caughtUp()).toBe(true);
      await writeFile(file, 'fresh\n');
      expect(values(await pollRecords(task, 1))).toEqual(['fresh']);
    });
  });
});
