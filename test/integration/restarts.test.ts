import * as fs from 'fs';
import { highWatermark, readTopic } from '../harness/kcat';
import { eventually, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/** Resuming from the offsets file: exact after SIGTERM, lossless after kill -9, byte positions. */
describe('restarts', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  function setup(name: string, extra: Record<string, string | number> = {}) {
    const source = tmp.file(`${name}.txt`);
    const offsets = tmp.file(`${name}.offsets`);
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), {
      ...testWorkerProps(broker.bootstrapServers, offsets),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      ...extra,
    });
    const conn = writeProperties(tmp.file(`${name}.properties`), { name, 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', file: source, topic: name });
    return { source, offsets, args: [worker, conn] };
  }

  async function runUntil(args: string[], topic: string, count: number, stop: 'SIGTERM' | 'SIGKILL') {
    const w = startWorker(args);
    await readTopic(broker.bootstrapServers, topic, { count, partition: 0 });
    const code = await w.stop(stop);
    return code;
  }

  const values = async (topic: string, count: number) =>
    (await readTopic(broker.bootstrapServers, topic, { count, partition: 0 })).map((m) => m.value?.toString('utf8'));

  it('neither loses nor repeats a line across a SIGTERM restart (multibyte UTF-8, \\r\\n and \\r endings)', async () => {
    const topic = 'restart-term';
    await broker.createTopic(topic, 1);
    const { source, offsets, args } = setup(topic);
    const first = ['héllo wörld', '日本語のテキスト', 'emoji 😀 line', 'plain'];
    fs.writeFileSync(source, `${first[0]}\r\n${first[1]}\n${first[2]}\r${first[3]}\r\n`);
    expect(await runUntil(args, topic, 4, 'SIGTERM')).toBe(0);
    const stored = JSON.parse(fs.readFileSync(offsets, 'utf8'));
    expect(stored.offsets[0].value.position).toBe(fs.statSync(source).size);
    const second = ['après', '数据 más'];
    fs.appendFileSync(source, `${second[0]}\r\n${second[1]}\n`);
    expect(await runUntil(args, topic, 6, 'SIGTERM')).toBe(0);
    expect(await values(topic, 6)).toEqual([...first, ...second]);
    // Nothing beyond the six lines: a seventh read must time out.
    await expect(readTopic(broker.bootstrapServers, topic, { count: 7, partition: 0, timeoutMs: 3000 })).rejects.toThrow();
  });

  it('loses no line when killed with SIGKILL, and resumes after a \\r\\n split across runs', async () => {
    const topic = 'restart-kill';
    await broker.createTopic(topic, 1);
    const { source, args } = setup(topic, { 'offset.flush.interval.ms': 200 });
    const total = 3000;
    const lines = Array.from({ length: total }, (_, i) => `line ${i} ✓`);
    fs.writeFileSync(source, lines.slice(0, 1000).join('\n') + '\n');
    let w = startWorker(args);
    await readTopic(broker.bootstrapServers, topic, { count: 1000, partition: 0 });
    fs.appendFileSync(source, lines.slice(1000, 2000).join('\n') + '\n');
    await new Promise((r) => setTimeout(r, 300));
    await w.stop('SIGKILL');
    w = startWorker(args);
    fs.appendFileSync(source, lines.slice(2000).join('\n') + '\r');
    await new Promise((r) => setTimeout(r, 500));
    await w.stop('SIGTERM');
    fs.appendFileSync(source, '\nlast\n');
    w = startWorker(args);
    let values: string[] = [];
    await eventually(
      async () => {
        const count = await highWatermark(broker.bootstrapServers, topic, 0);
        values = (await readTopic(broker.bootstrapServers, topic, { count, partition: 0 })).map((m) => m.value!.toString('utf8'));
        return values.includes('last');
      },
      60000,
      () => `${values.length} records so far`,
    );
    expect(await w.stop()).toBe(0);
    const missing = lines.filter((l) => !values.includes(l));
    expect(missing).toEqual([]);
    expect(values).not.toContain('');
    expect(values).toContain('last');
  });
});
