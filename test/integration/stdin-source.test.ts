import { spawn } from 'child_process';
import { readTopic } from '../harness/kcat';
import { BIN, ROOT, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * FileStreamSource on stdin (no `file`): at the end of input the task ends with its last line sent
 * and its offset committed, and a normal run (no --once) exits 0 by itself once every task ended,
 * as in `printf 'a\nb\n' | connect-standalone worker stdin.properties`.
 */
describe('stdin as a source', () => {
  const broker = useBroker();
  const tmp = useTempDir('cs-stdin-');

  /** Runs the CLI with `input` piped to its stdin (closed after it), without --once unless asked. */
  function runWithStdin(args: string[], input: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const proc = spawn('/bin/sh', ['-c', `printf '%s' "$INPUT" | "${process.execPath}" "${BIN}" --log-format json ${args.map((a) => `'${a}'`).join(' ')}`], {
        cwd: ROOT,
        env: { ...process.env, INPUT: input },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true, // its own process group, so a timeout kills the worker too, not only the shell
      });
      let stderr = '';
      proc.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => {
        process.kill(-proc.pid!, 'SIGKILL');
        reject(new Error(`the worker did not exit by itself within 60 s; stderr:\n${stderr.slice(-3000)}`));
      }, 60_000);
      proc.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stderr });
      });
    });
  }

  function configs(name: string, topic: string) {
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`), { 'value.converter.schemas.enable': 'false' }));
    const source = writeProperties(tmp.file(`${name}-source.properties`), { name, 'connector.class': 'FileStreamSource', topic });
    return { worker, source };
  }

  it("printf 'a\\nb\\n' | connect-standalone worker stdin.properties exits 0 by itself with both records in Kafka", async () => {
    const topic = 'stdin-ab';
    await broker.createTopic(topic, 1);
    const c = configs('stdin-ab', topic);
    const result = await runWithStdin([c.worker, c.source], 'a\nb\n');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Every task has ended/);
    const messages = await readTopic(broker.bootstrapServers, topic, { count: 2 });
    expect(messages.map((m) => m.value?.toString('utf8'))).toEqual(['"a"', '"b"']);
    // Nothing printed as a summary outside --once.
    expect(result.stderr).not.toMatch(/^summary: /m);
  });

  it('5,000 lines with --once: every line in Kafka, exit 0', async () => {
    const topic = 'stdin-many';
    await broker.createTopic(topic, 1);
    const c = configs('stdin-many', topic);
    const lines = Array.from({ length: 5000 }, (_, i) => `row ${i}`);
    const result = await runWithStdin(['--once', c.worker, c.source], lines.join('\n') + '\n');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/summary: stdin-many \(source\) finished: 5000 records read, 5000 written/);
    const messages = await readTopic(broker.bootstrapServers, topic, { count: 5000 });
    expect(messages.map((m) => JSON.parse(m.value!.toString('utf8')))).toEqual(lines);
  });
});
