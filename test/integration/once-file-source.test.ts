import * as fs from 'fs';
import { highWatermark, readTopic } from '../harness/kcat';
import { startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/** The acceptance case: `--once` on a 50k-line file, then 10 lines appended and run again. */
describe('--once with FileStreamSource', () => {
  const broker = useBroker();
  const tmp = useTempDir('cs-once-file-');

  async function runOnce(args: string[]): Promise<{ code: number | null; stderr: string }> {
    const w = startWorker(['--once', ...args]);
    const timer = setTimeout(() => w.proc.kill('SIGKILL'), 90_000);
    const { code } = await w.exited;
    clearTimeout(timer);
    return { code, stderr: w.stderr() };
  }

  it('50,000 lines: exit 0 with 50,000 records; 10 lines appended: the next run adds exactly 10', async () => {
    const topic = 'once-file-50k';
    // Two partitions keep each one well under the mock broker's ~5 MB retention.
    await broker.createTopic(topic, 2);
    const input = tmp.file('input.txt');
    fs.writeFileSync(input, Array.from({ length: 50_000 }, (_, i) => `line ${i}\n`).join(''));
    const worker = writeProperties(tmp.file('worker.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('offsets'), { 'value.converter.schemas.enable': 'false' }));
    const source = writeProperties(tmp.file('source.properties'), { name: 'file-50k', 'connector.class': 'FileStreamSource', file: input, topic });
    const total = async () => (await highWatermark(broker.bootstrapServers, topic, 0)) + (await highWatermark(broker.bootstrapServers, topic, 1));

    const first = await runOnce([worker, source]);
    expect(first.code).toBe(0);
    expect(await total()).toBe(50_000);
    expect(first.stderr).toMatch(/summary: file-50k \(source\) finished: 50000 records read, 50000 written, 0 skipped, 0 failed/);

    fs.appendFileSync(input, Array.from({ length: 10 }, (_, i) => `more ${i}\n`).join(''));
    const second = await runOnce([worker, source]);
    expect(second.code).toBe(0);
    expect(await total()).toBe(50_010);
    expect(second.stderr).toMatch(/summary: file-50k \(source\) finished: 10 records read, 10 written/);
    const all = await readTopic(broker.bootstrapServers, topic, { count: 50_010, timeoutMs: 60_000 });
    const values = all.map((m) => JSON.parse(m.value!.toString('utf8')) as string);
    expect(new Set(values).size).toBe(50_010);
    expect(values.filter((v) => v.startsWith('more ')).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `more ${i}`));
  });
});
