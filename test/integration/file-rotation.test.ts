import * as fs from 'fs';
import { readTopic } from '../harness/kcat';
import { startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * FileStreamSource and log rotation through the real CLI: a file truncated (copytruncate) and written
 * again past the old position, while the worker is stopped or running, and a file rotated by rename.
 * Every new line must arrive whole, none torn, none skipped.
 */
describe('FileStreamSource and rotated files', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  async function setup(name: string) {
    await broker.createTopic(name, 1);
    const source = tmp.file(`${name}.txt`);
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
});
