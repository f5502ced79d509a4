import * as fs from 'fs';
import { spawn } from 'child_process';
import { highWatermark, readTopic } from '../harness/kcat';
import { BIN, ROOT, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/** Runs `connect-standalone offsets ...` to completion, feeding `stdin`. */
function offsetsCli(args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, 'offsets', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => (proc.kill('SIGKILL'), reject(new Error(`offsets ${args.join(' ')} did not exit; stderr:\n${stderr}`))), 60000);
    proc.on('exit', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr })));
    proc.stdin.end(stdin);
  });
}

/**
 * `connect-standalone offsets export|import` through the compiled CLI, on real offsets files: a
 * FileStreamSource's offsets exported from one worker's file and imported into another's make that
 * worker continue where the first stopped; an import resetting the position takes effect at the next
 * start; a running worker's offsets file is refused.
 */
describe('connect-standalone offsets export|import', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('moves a FileStreamSource to another offsets file and continues where it stopped; an imported position 0 reads the file again', async () => {
    const topic = 'offsets-cli';
    await broker.createTopic(topic, 1);
    const input = tmp.file('in.txt');
    fs.writeFileSync(input, 'one\ntwo\nthree\n');
    const first = writeProperties(tmp.file('first.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('first.offsets'), { 'value.converter.schemas.enable': 'false' }));
    const second = writeProperties(tmp.file('second.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('second.offsets'), { 'value.converter.schemas.enable': 'false' }));
    const connector = writeProperties(tmp.file('source.properties'), { name: 'mover', 'connector.class': 'FileStreamSource', file: input, topic });

    const w1 = startWorker([first, connector]);
    try {
      await readTopic(broker.bootstrapServers, topic, { count: 3 });
    } finally {
      expect(await w1.stop()).toBe(0);
    }

    // Export from the first worker's file: exactly Kafka's PATCH body, the byte position after "three\n".
    const exported = await offsetsCli(['export', first, 'mover']);
    expect(exported).toMatchObject({ code: 0 });
    const body = JSON.parse(exported.stdout);
    // Kafka's FileStreamSourceTask reads only "position"; the file identity fields beside it are ours.
    expect(body).toEqual({ offsets: [{ partition: { filename: input }, offset: expect.objectContaining({ position: Buffer.byteLength('one\ntwo\nthree\n') }) }] });
    const all = await offsetsCli(['export', first]);
    expect(JSON.parse(all.stdout)).toEqual({ mover: body });

    // Import into the second worker's file (stdin), by the connector's config file.
    const imported = await offsetsCli(['import', second, connector, '-'], exported.stdout);
    expect(imported).toMatchObject({ code: 0, stdout: 'The offsets for this connector have been altered successfully\n' });
    expect(JSON.parse((await offsetsCli(['export', second, connector])).stdout)).toEqual(body);

    // The second worker continues after "three": only the new line arrives.
    fs.appendFileSync(input, 'four\n');
    const w2 = startWorker([second, connector]);
    try {
      const messages = await readTopic(broker.bootstrapServers, topic, { count: 4 });
      expect(messages.map((m) => m.value!.toString('utf8'))).toEqual(['"one"', '"two"', '"three"', '"four"']);
      // A running worker holds the file: import is refused, naming the file and the lock.
      const refused = await offsetsCli(['import', second, 'mover', '-'], JSON.stringify({ offsets: [{ partition: { filename: input }, offset: { position: 0 } }] }));
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`connect-standalone: Offsets file ${tmp.file('second.offsets')} is in use by another worker (pid ${w2.proc.pid}, lock file ${tmp.file('second.offsets')}.lock)`);
    } finally {
      expect(await w2.stop()).toBe(0);
    }
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(4);

    // Stopped: position 0 through import, and the next start reads the file from its start.
    const reset = await offsetsCli(['import', second, connector], JSON.stringify({ offsets: [{ partition: { filename: input }, offset: { position: 0 } }] }));
    expect(reset).toMatchObject({ code: 0 });
    const w3 = startWorker([second, connector]);
    try {
      const messages = await readTopic(broker.bootstrapServers, topic, { count: 8 });
      expect(messages.slice(4).map((m) => m.value!.toString('utf8'))).toEqual(['"one"', '"two"', '"three"', '"four"']);
    } finally {
      expect(await w3.stop()).toBe(0);
    }
  });

  it('refuses a body Kafka would refuse, with its message, and changes nothing', async () => {
    const offsets = tmp.file('bad.offsets');
    const worker = writeProperties(tmp.file('bad.properties'), testWorkerProps(broker.bootstrapServers, offsets));
    const connector = writeProperties(tmp.file('bad-source.properties'), { name: 'bad', 'connector.class': 'FileStreamSource', file: tmp.file('x.txt'), topic: 't' });
    const empty = await offsetsCli(['import', worker, connector], '{"offsets": []}');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('connect-standalone: Partitions / offsets need to be provided for an alter offsets request');
    const negative = await offsetsCli(['import', worker, connector], JSON.stringify({ offsets: [{ partition: { filename: 'x' }, offset: { position: -5 } }] }));
    expect(negative.stderr).toContain("connect-standalone: The value for the 'position' key in the offset should be a non-negative value");
    expect(fs.existsSync(offsets)).toBe(false);
    const usage = await offsetsCli(['list']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('unknown action "list"');
  });
});
