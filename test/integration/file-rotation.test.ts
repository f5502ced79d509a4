import * as fs from 'fs';
import { readTopic } from '../harness/kcat';
import { runCli, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * FileStreamSource and log rotation through the real CLI: rotation by rename+create, delete+create
 * and copytruncate, while the worker runs and while it is stopped. Every line must arrive whole and
 * exactly once, including lines written just before the rotation and not yet read.
 */
describe('FileStreamSource and rotated files', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  async function setup(name: string) {
    await broker.createTopic(name, 1);
    // A directory per test: rotated siblings are looked up next to the file.
    fs.mkdirSync(tmp.file(name));
    const source = tmp.file(`${name}/${name}.log`);
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`)),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const conn = writeProperties(tmp.file(`${name}.properties`), { name, 'connector.class': 'FileStreamSource', file: source, topic: name });
    return { source, args: [worker, conn] };
  }

  const values = async (topic: string, count: number) =>
    (await readTopic(broker.bootstrapServers, topic, { count, partition: 0 })).map((m) => m.value?.toString('utf8'));

  async function expectNothingBeyond(topic: string, count: number): Promise<void> {
    await expect(readTopic(broker.bootstrapServers, topic, { count: count + 1, partition: 0, timeoutMs: 3000 })).rejects.toThrow();
  }

  /** Lines `prefix 1` .. `prefix n`. */
  const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);
  const text = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join('');

  /** copytruncate as logrotate does it: copy the file, then truncate it in place. */
  function copyTruncate(file: string, to: string): void {
    fs.copyFileSync(file, to);
    fs.truncateSync(file, 0);
  }

  /** Starts the worker, checks every line so far arrived exactly once, and stops it with offsets committed. */
  async function runUntil(args: string[], topic: string, expected: readonly string[]): Promise<string> {
    const w = startWorker(args);
    try {
      expect(await values(topic, expected.length)).toEqual(expected);
    } finally {
      expect(await w.stop('SIGTERM')).toBe(0);
    }
    return w.stderr();
  }

  it('a file truncated and regrown past its old position while the worker is stopped: every new line arrives, the first one whole', async () => {
    const topic = 'rotation-stopped';
    const { source, args } = await setup(topic);
    const old = ['old one', 'old two', 'old three'];
    fs.writeFileSync(source, old.map((l) => `${l}\n`).join(''));
    let w = startWorker(args);
    expect(await values(topic, old.length)).toEqual(old);
    expect(await w.stop('SIGTERM')).toBe(0);

    const oldSize = fs.statSync(source).size;
    const fresh = ['a new first line, longer than any before', 'new second', 'new third'];
    fs.writeFileSync(source, fresh.map((l) => `${l}\n`).join(''));
    expect(fs.statSync(source).size).toBeGreaterThan(oldSize);

    w = startWorker(args);
    try {
      expect(await values(topic, old.length + fresh.length)).toEqual([...old, ...fresh]);
      await expectNothingBeyond(topic, old.length + fresh.length);
      expect(w.stderr() + w.stdout()).toMatch(/no longer starts with the bytes it had when position \d+ was stored/);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('a file rewritten longer while the worker runs, then rotated by rename: every line arrives whole, once', async () => {
    const topic = 'rotation-running';
    const { source, args } = await setup(topic);
    const first = ['first one', 'first two'];
    fs.writeFileSync(source, first.map((l) => `${l}\n`).join(''));
    const w = startWorker(args);
    try {
      expect(await values(topic, 2)).toEqual(first);
      // Truncate and write in one call: the worker finds the file already longer than before.
      const second = ['second content, first line, long enough to pass the old end', 'second two'];
      fs.writeFileSync(source, second.map((l) => `${l}\n`).join(''));
      expect(await values(topic, 4)).toEqual([...first, ...second]);
      // Rotation by rename: the rest of the renamed file, then the new file from its start.
      fs.appendFileSync(source, 'second three\n');
      fs.renameSync(source, `${source}.1`);
      fs.writeFileSync(source, 'third one\n');
      expect(await values(topic, 6)).toEqual([...first, ...second, 'second three', 'third one']);
      await expectNothingBeyond(topic, 6);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('rename+create, delete+create and copytruncate while running, each with lines not yet read: every line once', async () => {
    const topic = 'rotation-running-kinds';
    const { source, args } = await setup(topic);
    const sent: string[] = [];
    const write = (lines: string[]) => {
      fs.appendFileSync(source, text(lines));
      sent.push(...lines);
    };
    write(numbered('first', 3));
    const w = startWorker(args);
    try {
      expect(await values(topic, sent.length)).toEqual(sent);
      // Each rotation right after an append: those lines are only in the rotated file, or its copy.
      write(numbered('before rename', 50));
      fs.renameSync(source, `${source}.1`);
      write(numbered('after rename', 2));
      expect(await values(topic, sent.length)).toEqual(sent);

      write(numbered('before delete', 50));
      fs.unlinkSync(source);
      write(numbered('after delete', 2));
      expect(await values(topic, sent.length)).toEqual(sent);

      write(numbered('before copytruncate', 50));
      copyTruncate(source, `${source}.2`);
      write(numbered('after copytruncate', 2));
      expect(await values(topic, sent.length)).toEqual(sent);
      await expectNothingBeyond(topic, sent.length);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('rename while stopped: the rest of the rotated file, then the new file, nothing repeated', async () => {
    const topic = 'rotation-stopped-rename';
    const { source, args } = await setup(topic);
    fs.writeFileSync(source, text(numbered('old', 3)));
    await runUntil(args, topic, numbered('old', 3));
    fs.appendFileSync(source, text(['old unread 1', 'old unread 2']));
    fs.renameSync(source, `${source}-20241201`);
    fs.writeFileSync(source, text(['new 1']));
    const expected = [...numbered('old', 3), 'old unread 1', 'old unread 2', 'new 1'];
    const log = await runUntil(args, topic, expected);
    await expectNothingBeyond(topic, expected.length);
    expect(log).toMatch(/rotated while the worker was stopped: reading the rest of [^"]*-20241201/);
  });

  it('copytruncate while stopped: the rest of the copy, then the truncated file from its start', async () => {
    const topic = 'rotation-stopped-copytruncate';
    const { source, args } = await setup(topic);
    fs.writeFileSync(source, text(numbered('old', 3)));
    await runUntil(args, topic, numbered('old', 3));
    fs.appendFileSync(source, text(['old unread']));
    copyTruncate(source, `${source}.1`);
    fs.writeFileSync(source, text(['new 1, longer than anything before it was', 'new 2']));
    const expected = [...numbered('old', 3), 'old unread', 'new 1, longer than anything before it was', 'new 2'];
    await runUntil(args, topic, expected);
    await expectNothingBeyond(topic, expected.length);
  });

  it('delete+create while stopped: a warning that the file is gone (naming a compressed sibling it skipped), the new file from its start', async () => {
    const topic = 'rotation-stopped-delete';
    const { source, args } = await setup(topic);
    fs.writeFileSync(source, text(numbered('old', 2)));
    await runUntil(args, topic, numbered('old', 2));
    // The new files are made while the old one still exists, so neither can reuse its inode (the
    // file system may hand a freed inode to the next file, which would look like a truncation).
    fs.writeFileSync(`${source}.1.gz`, 'compressed by logrotate');
    fs.writeFileSync(`${source}.new`, text(['new 1']));
    fs.unlinkSync(source);
    fs.renameSync(`${source}.new`, source);
    const log = await runUntil(args, topic, [...numbered('old', 2), 'new 1']);
    await expectNothingBeyond(topic, 3);
    expect(log).toMatch(/is not among its rotated siblings \(compressed siblings are not read, skipped: [^)]*\.log\.1\.gz\)/);
  });

  // The acceptance case of rotation support.
  it('a tailed file rotated by rename and by copytruncate while running, and by rename while stopped: every line in Kafka exactly once', async () => {
    const topic = 'rotation-acceptance';
    const { source, args } = await setup(topic);
    const sent: string[] = [];
    const write = (lines: string[]) => {
      fs.appendFileSync(source, text(lines));
      sent.push(...lines);
    };
    write(numbered('a', 100));
    let w = startWorker(args);
    try {
      expect(await values(topic, sent.length)).toEqual(sent);
      write(numbered('b', 100));
      fs.renameSync(source, `${source}.1`);
      write(numbered('c', 100));
      expect(await values(topic, sent.length)).toEqual(sent);
      write(numbered('d', 100));
      copyTruncate(source, `${source}.2`);
      write(numbered('e', 100));
      expect(await values(topic, sent.length)).toEqual(sent);
      write(numbered('f', 10));
    } finally {
      expect(await w.stop('SIGTERM')).toBe(0);
    }
    write(numbered('g', 100));
    fs.renameSync(source, `${source}.3`);
    write(numbered('h', 100));
    w = startWorker(args);
    try {
      expect(await values(topic, sent.length)).toEqual(sent);
      await expectNothingBeyond(topic, sent.length);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('--once runs between rotations (rename, then copytruncate while stopped): each run exits 0 once caught up, every line exactly once', async () => {
    const topic = 'rotation-once';
    const { source, args } = await setup(topic);
    fs.writeFileSync(source, text(numbered('first', 20)));
    const runOnce = async () => {
      const run = await runCli(['--once', '--once-timeout', '60s', ...args], 90_000);
      expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr.slice(-2000) }).toEqual({ code: 0, stderr: '' });
      return run.stderr;
    };
    await runOnce();
    expect(await values(topic, 20)).toEqual(numbered('first', 20));

    fs.appendFileSync(source, text(numbered('unread', 5)));
    fs.renameSync(source, `${source}.1`);
    fs.writeFileSync(source, text(numbered('second', 5)));
    const log = await runOnce();
    expect(log).toMatch(/rotated while the worker was stopped/);
    const afterRename = [...numbered('first', 20), ...numbered('unread', 5), ...numbered('second', 5)];
    expect(await values(topic, afterRename.length)).toEqual(afterRename);

    fs.appendFileSync(source, text(numbered('copied', 3)));
    copyTruncate(source, `${source}.2`);
    fs.writeFileSync(source, text(numbered('third, after the truncation', 2)));
    await runOnce();
    const all = [...afterRename, ...numbered('copied', 3), ...numbered('third, after the truncation', 2)];
    expect(await values(topic, all.length)).toEqual(all);
    await expectNothingBeyond(topic, all.length);
  });
});
