import { statSync } from 'fs';
import { appendFile, rename, truncate, writeFile } from 'fs/promises';
import { join } from 'path';
import { PassThrough } from 'stream';
import { ConfigError, ConnectError, Schema, SourceRecord } from '../../../../src/api';
import { FileStreamSourceTask, FileStreamSourceTaskOptions } from '../../../../connectors/file/file-stream-source-task';
import { MemoryOffsetReader, positions, RecordingLogger, sourceContext, useTempDir, values } from './fixtures';

/** Long enough that only a wake-up (not the poll timeout) can end a wait within jest's 5 s limit. */
const NEVER_MS = 60_000;

describe('FileStreamSourceTask', () => {
  const dir = useTempDir();
  const tasks: FileStreamSourceTask[] = [];
  afterEach(async () => {
    await Promise.all(tasks.splice(0).map((t) => t.stop()));
  });

  function startTask(
    props: Record<string, string>,
    opts: { offsets?: MemoryOffsetReader; options?: FileStreamSourceTaskOptions; stdin?: PassThrough } = {},
  ): { task: FileStreamSourceTask; logger: RecordingLogger } {
    const task = new FileStreamSourceTask(opts.stdin, { maxPollWaitMs: 50, ...opts.options });
    const context = sourceContext(opts.offsets);
    task.initialize(context);
    task.start({ topic: 'lines', ...props });
    tasks.push(task);
    return { task, logger: context.logger };
  }

  /** Polls until `count` records arrived (or a poll came back empty after that many tries). */
  async function pollRecords(task: FileStreamSourceTask, count: number, tries = 20): Promise<SourceRecord[]> {
    const out: SourceRecord[] = [];
    for (let i = 0; i < tries && out.length < count; i++) out.push(...((await task.poll()) ?? []));
    return out;
  }

  it('reads lines as string records with byte positions, also for multibyte UTF-8', async () => {
    const file = join(dir(), 'in.txt');
    const lines = ['héllo', '日本語', 'emoji 😀', 'ascii'];
    await writeFile(file, lines.join('\n') + '\n');
    const { task } = startTask({ file });
    const records = await task.poll();
    let end = 0;
    expect(values(records)).toEqual(lines);
    expect(positions(records)).toEqual(lines.map((l) => (end += Buffer.byteLength(l) + 1)));
    expect(records?.[0]).toEqual({
      topic: 'lines',
      kafkaPartition: null,
      keySchema: null,
      key: null,
      valueSchema: Schema.STRING_SCHEMA,
      value: 'héllo',
      timestamp: expect.any(Number),
      headers: [],
      sourcePartition: { filename: file },
      sourceOffset: {
        position: 7,
        headLength: 7,
        headHash: expect.stringMatching(/^[0-9a-f]{40}$/),
        dev: String(statSync(file, { bigint: true }).dev),
        ino: String(statSync(file, { bigint: true }).ino),
      },
    });
  });

  it('stamps each record with the time its line was read, from the injected clock', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'a\nb\n');
    let now = 1_700_000_000_000;
    const clock = (): number => now++;
    const { task } = startTask({ file }, { options: { clock, maxPollWaitMs: NEVER_MS } });
    const first = await task.poll();
    expect(first?.map((r) => r.timestamp)).toEqual([1_700_000_000_000, 1_700_000_000_001]);
    now = 1_800_000_000_000;
    await appendFile(file, 'c\n');
    const later = await pollRecords(task, 1);
    expect(later.map((r) => [r.value, r.timestamp])).toEqual([['c', 1_800_000_000_000]]);
  });

  it('splits \\n, \\r\\n and \\r, also across read chunk boundaries', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'a\nbb\r\nccc\rdd\r\r\n\ne\r\n');
    for (const chunkSize of [1, 2, 3, 64 * 1024]) {
      const offsets = new MemoryOffsetReader();
      const { task } = startTask({ file }, { offsets, options: { chunkSize } });
      expect(values(await pollRecords(task, 7))).toEqual(['a', 'bb', 'ccc', 'dd', '', '', 'e']);
    }
  });

  it('restarting from the offset of line k yields exactly lines k+1..n', async () => {
    const file = join(dir(), 'in.txt');
    const lines = ['één', '二', '😀😀', '', 'last'];
    await writeFile(file, lines.map((l, i) => l + (i % 2 ? '\r\n' : '\n')).join(''));
    const first = await startTask({ file }).task.poll();
    for (let k = 0; k < lines.length; k++) {
      const offsets = new MemoryOffsetReader();
      offsets.set({ filename: file }, first![k].sourceOffset!);
      const { task } = startTask({ file }, { offsets });
      const rest = await task.poll();
      expect(values(rest)).toEqual(lines.slice(k + 1));
      expect(positions(rest)).toEqual(positions(first).slice(k + 1));
    }
  });

  it('restarting right after the \\r of a \\r\\n pair yields no empty line', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'one\r\ntwo\r\n');
    const offsets = new MemoryOffsetReader();
    offsets.set({ filename: file }, { position: 4 }); // between \r and \n
    const { task } = startTask({ file }, { offsets });
    const records = await task.poll();
    expect(values(records)).toEqual(['two']);
    expect(positions(records)).toEqual([10]);
  });

  it('emits a line ended by \\r at the end of the file, and swallows a \\n appended later', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'one\r');
    const { task } = startTask({ file });
    const first = await task.poll();
    expect(values(first)).toEqual(['one']);
    expect(positions(first)).toEqual([4]);
    await appendFile(file, '\ntwo\n');
    const second = await pollRecords(task, 1);
    expect(values(second)).toEqual(['two']);
    expect(positions(second)).toEqual([9]);

    // A restart from the stored position after that \r, before the \n arrived, must also swallow it.
    await writeFile(file, 'one\r');
    const offsets = new MemoryOffsetReader();
    offsets.set({ filename: file }, { position: 4 });
    const restarted = startTask({ file }, { offsets }).task;
    expect(await restarted.poll()).toBeNull();
    await appendFile(file, '\nthree\n');
    expect(values(await pollRecords(restarted, 1))).toEqual(['three']);
  });

  it('does not emit a partial last line until its terminator is appended', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'whole\npart');
    const { task } = startTask({ file });
    expect(values(await task.poll())).toEqual(['whole']);
    expect(await task.poll()).toBeNull();
    await appendFile(file, 'ial\n');
    const records = await pollRecords(task, 1);
    expect(values(records)).toEqual(['partial']);
    expect(positions(records)).toEqual([14]);
  });

  it('picks up data appended after a poll returned null', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'first\n');
    const { task } = startTask({ file });
    expect(values(await task.poll())).toEqual(['first']);
    expect(await task.poll()).toBeNull();
    await appendFile(file, 'second\nthird\n');
    expect(values(await pollRecords(task, 2))).toEqual(['second', 'third']);
  });

  it('a waiting poll is woken by the append (its timeout is far beyond the test timeout)', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'first\n');
    const { task } = startTask({ file }, { options: { maxPollWaitMs: NEVER_MS } });
    expect(values(await task.poll())).toEqual(['first']);
    const pending = task.poll();
    await appendFile(file, 'second\n');
    expect(values(await pending)).toEqual(['second']);
  });

  it('waits for a missing file, logging that once, and reads it once created', async () => {
    const file = join(dir(), 'later.txt');
    const { task, logger } = startTask({ file });
    expect(await task.poll()).toBeNull();
    expect(await task.poll()).toBeNull();
    const waiting = logger.messages('warn').filter((m) => m.includes(file));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toContain('waiting for it to be created');
    await writeFile(file, 'hello\n');
    expect(values(await pollRecords(task, 1))).toEqual(['hello']);
  });

  it('a poll waiting for a missing file is woken when it is created', async () => {
    const file = join(dir(), 'later.txt');
    const { task } = startTask({ file }, { options: { maxPollWaitMs: NEVER_MS } });
    const pending = task.poll();
    await new Promise((resolve) => setTimeout(resolve, 50)); // let it reach its wait
    await writeFile(file, 'hello\n');
    expect(values(await pending)).toEqual(['hello']);
  });

  it('returns at most batch.size records per poll', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'a\nb\nc\nd\ne\n');
    const { task } = startTask({ file, 'batch.size': '2' });
    expect(values(await task.poll())).toEqual(['a', 'b']);
    expect(values(await task.poll())).toEqual(['c', 'd']);
    expect(values(await task.poll())).toEqual(['e']);
  });

  it('starts from 0 with a warning when the file is shorter than the stored position', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'new\n');
    const offsets = new MemoryOffsetReader();
    offsets.set({ filename: file }, { position: 100 });
    const { task, logger } = startTask({ file }, { offsets });
    const records = await task.poll();
    expect(values(records)).toEqual(['new']);
    expect(positions(records)).toEqual([4]);
    expect(logger.messages('warn').join('\n')).toMatch(/shorter than the stored position 100/);
  });

  it('starts over with a warning when the file is truncated while being read', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'old line one\nold line two\n');
    const { task, logger } = startTask({ file });
    expect(values(await task.poll())).toHaveLength(2);
    await truncate(file, 0);
    await appendFile(file, 'new\n');
    expect(values(await pollRecords(task, 1))).toEqual(['new']);
    expect(logger.messages('warn').join('\n')).toMatch(/truncated/);
  });

  // Regression: the truncation was only noticed when a read returned nothing, so a file that grew
  // past the old position before the next read was read from the middle of its new content.
  it('notices a truncation when the file grew past the read position before the next read: every new line, the first one whole', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'old line one\nold line two\n');
    const { task, logger } = startTask({ file });
    expect(values(await task.poll())).toEqual(['old line one', 'old line two']);
    await truncate(file, 0);
    await appendFile(file, 'a brand new first line\nsecond new line\n');
    const records = await pollRecords(task, 2);
    expect(values(records)).toEqual(['a brand new first line', 'second new line']);
    expect(positions(records)).toEqual([23, 39]);
    expect(logger.messages('warn').join('\n')).toMatch(/truncated/);
  });

  it('drops a partial line of the old content when the file is truncated and regrown', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'complete\npartial without end');
    const { task } = startTask({ file });
    expect(values(await task.poll())).toEqual(['complete']);
    await truncate(file, 0);
    await appendFile(file, 'the new content, longer than before\nand more\n');
    expect(values(await pollRecords(task, 2))).toEqual(['the new content, longer than before', 'and more']);
  });

  it('notices a rewrite that kept the first kilobytes and regrew past the read position', async () => {
    const file = join(dir(), 'in.txt');
    const header = 'h'.repeat(3000) + '\n';
    await writeFile(file, header + 'old row\n');
    const { task } = startTask({ file });
    expect(values(await pollRecords(task, 2)).map((v) => String(v).slice(0, 8))).toEqual(['hhhhhhhh', 'old row']);
    await writeFile(file, header + 'a new row that is longer\nsecond\n');
    expect(values(await pollRecords(task, 3))).toEqual([header.trimEnd(), 'a new row that is longer', 'second']);
  });

  it('reads a file rotated by rename to its end, then the new file at the path from its start', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'one\n');
    const { task, logger } = startTask({ file });
    expect(values(await task.poll())).toEqual(['one']);
    await appendFile(file, 'two\n');
    await rename(file, join(dir(), 'in.txt.1'));
    await writeFile(file, 'fresh\n');
    const records = await pollRecords(task, 2);
    expect(values(records)).toEqual(['two', 'fresh']);
    expect(positions(records)).toEqual([8, 6]);
    expect(logger.messages('warn').join('\n')).toMatch(/replaced/);
  });

  it('stores next to the position (the key Kafka reads) a fingerprint of the file start', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'ab\n' + 'x'.repeat(2000) + '\n');
    const [first, second] = await pollRecords(startTask({ file }).task, 2);
    expect(Object.keys(first.sourceOffset!)).toEqual(['position', 'headLength', 'headHash', 'dev', 'ino']);
    expect(first.sourceOffset).toMatchObject({ position: 3, headLength: 3 });
    expect(second.sourceOffset).toMatchObject({ position: 2004, headLength: 1024 });
    expect(first.sourceOffset!.headHash).not.toBe(second.sourceOffset!.headHash);
  });

  it('at start-up reads from the start, with a warning, a file that was truncated and regrown past the stored position', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'old one\nold two\n');
    const stored = (await pollRecords(startTask({ file }).task, 2))[1].sourceOffset!;
    await writeFile(file, 'new first line, longer than the old content\nnew second\n');
    const offsets = new MemoryOffsetReader();
    offsets.set({ filename: file }, stored);
    const { task, logger } = startTask({ file }, { offsets });
    expect(values(await pollRecords(task, 2))).toEqual(['new first line, longer than the old content', 'new second']);
    expect(logger.messages('warn').join('\n')).toMatch(/reading it from the start/);
  });

  it('at start-up resumes at the stored position when the file only grew, fingerprint or not', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, 'old one\nold two\n');
    const stored = (await pollRecords(startTask({ file }).task, 2))[1].sourceOffset!;
    await appendFile(file, 'appended\n');
    for (const offset of [stored, { position: stored.position }]) {
      const offsets = new MemoryOffsetReader();
      offsets.set({ filename: file }, offset);
      const { task, logger } = startTask({ file }, { offsets });
      expect(values(await task.poll())).toEqual(['appended']);
      expect(logger.messages('warn')).toEqual([]);
    }
  });

  it('rejects a stored offset whose position is not a byte position', () => {
    const file = join(dir(), 'in.txt');
    const offsets = new MemoryOffsetReader();
    offsets.set({ filename: file }, { position: 'twelve' });
    expect(() => startTask({ file }, { offsets })).toThrow(ConnectError);
    expect(() => startTask({ file }, { offsets })).toThrow(/"twelve" stored for file .*in\.txt/);
  });

  it('stop() during a pending poll makes it resolve with null', async () => {
    const file = join(dir(), 'in.txt');
    await writeFile(file, '');
    const { task } = startTask({ file }, { options: { maxPollWaitMs: NEVER_MS } });
    const pending = task.poll();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await task.stop();
    await expect(pending).resolves.toBeNull();
    await expect(task.poll()).resolves.toBeNull();
  });

  it('stop() wakes a poll waiting for a missing file', async () => {
    const { task } = startTask({ file: join(dir(), 'missing.txt') }, { options: { maxPollWaitMs: NEVER_MS } });
    const pending = task.poll();
    await task.stop();
    await expect(pending).resolves.toBeNull();
  });

  describe('stdin', () => {
    it('reads lines from the injected stream with null partition and offset', async () => {
      const stdin = new PassThrough();
      const { task } = startTask({}, { stdin });
      stdin.write('one\r\ntwo\rthr');
      const records = await pollRecords(task, 2);
      expect(values(records)).toEqual(['one', 'two']);
      expect(records.map((r) => [r.sourcePartition, r.sourceOffset])).toEqual([
        [null, null],
        [null, null],
      ]);
      stdin.write('ee\n');
      expect(values(await pollRecords(task, 1))).toEqual(['three']);
    });

    it('treats an empty file setting as stdin, as Kafka does', async () => {
      const stdin = new PassThrough();
      const { task } = startTask({ file: '' }, { stdin });
      stdin.write('x\n');
      expect(values(await pollRecords(task, 1))).toEqual(['x']);
    });

    it('a waiting poll is woken by new input', async () => {
      const stdin = new PassThrough();
      const { task } = startTask({}, { stdin, options: { maxPollWaitMs: NEVER_MS } });
      const pending = task.poll();
      stdin.write('hi\n');
      expect(values(await pending)).toEqual(['hi']);
    });

    it('emits an unterminated last line at end of input, then keeps returning null', async () => {
      const stdin = new PassThrough();
      const { task } = startTask({}, { stdin });
      stdin.end('a\nlast');
      expect(values(await pollRecords(task, 2))).toEqual(['a', 'last']);
      expect(await task.poll()).toBeNull();
      expect(await task.poll()).toBeNull();
    });

    it('stop() wakes a pending poll and detaches from the stream without ending it', async () => {
      const stdin = new PassThrough();
      const { task } = startTask({}, { stdin, options: { maxPollWaitMs: NEVER_MS } });
      const pending = task.poll();
      await task.stop();
      await expect(pending).resolves.toBeNull();
      expect(stdin.listenerCount('readable')).toBe(0);
      expect(stdin.destroyed).toBe(false);
    });
  });

  describe('configuration', () => {
    it('fails without topic, in Kafka words', () => {
      const task = new FileStreamSourceTask();
      task.initialize(sourceContext());
      expect(() => task.start({ file: 'x' })).toThrow(new ConfigError('Missing required configuration "topic" which has no default value.'));
    });

    it.each(['0', 'abc', '-5'])('rejects batch.size=%s naming the key', (value) => {
      const task = new FileStreamSourceTask();
      task.initialize(sourceContext());
      expect(() => task.start({ topic: 't', 'batch.size': value })).toThrow(ConfigError);
      expect(() => task.start({ topic: 't', 'batch.size': value })).toThrow(`Invalid value ${value} for configuration batch.size`);
    });

    it('rejects an empty topic', () => {
      const task = new FileStreamSourceTask();
      task.initialize(sourceContext());
      expect(() => task.start({ topic: ' ' })).toThrow(/configuration topic: String may not be empty/);
    });
  });
});
