import { spawn } from 'child_process';
import * as fs from 'fs';
import { BIN, ROOT, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * `connect-standalone worker stdin-source stdout-sink | head -2`, run by a real shell: once head has
 * its two lines and exits, the next write to stdout fails with EPIPE, and the worker stops by itself
 * (exit 0, as documented in the README) without an unhandled error or a stack trace on stderr.
 */
describe('stdout piped into a reader that goes away', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it.each(['json', 'pretty'])('stdin source, stdout sink, | head -2: the worker stops by itself (%s logs)', async (format) => {
    const topic = `piped-${format}`;
    await broker.createTopic(topic, 1);
    const worker = writeProperties(tmp.file(`${format}-worker.properties`), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file(`${format}.offsets`)),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const source = writeProperties(tmp.file(`${format}-source.properties`), { name: 'stdin-source', 'connector.class': 'FileStreamSource', topic });
    const sink = writeProperties(tmp.file(`${format}-sink.properties`), { name: 'stdout-sink', 'connector.class': 'FileStreamSink', topics: topic });
    const headOut = tmp.file(`${format}-head.txt`);
    const codeFile = tmp.file(`${format}-code.txt`);
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const script =
      `${q(process.execPath)} ${q(BIN)} --log-format ${format} ${q(worker)} ${q(source)} ${q(sink)} | head -2 > ${q(headOut)}; ` +
      `echo "\${PIPESTATUS[0]}" > ${q(codeFile)}`;
    const shell = spawn('bash', ['-c', script], { cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    shell.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    shell.stdin.on('error', () => undefined); // the worker may be gone before our last line
    const exited = new Promise<void>((resolve) => shell.on('exit', () => resolve()));

    // A person typing lines: one every 200 ms until the pipeline has ended.
    let n = 0;
    const typing = setInterval(() => shell.stdin.write(`line-${++n}\n`), 200);
    const bound = setTimeout(() => shell.kill('SIGKILL'), 90_000);
    try {
      await exited;
    } finally {
      clearInterval(typing);
      clearTimeout(bound);
      shell.stdin.destroy();
    }

    expect(fs.readFileSync(headOut, 'utf8')).toBe('line-1\nline-2\n');
    expect(fs.readFileSync(codeFile, 'utf8').trim()).toBe('0');
    expect(stderr).toMatch(/Standard output was closed by its reader \(EPIPE\): stopping the worker/);
    expect(stderr).not.toMatch(/Unhandled 'error' event|uncaught exception|Unhandled promise rejection/i);
    expect(stderr).not.toMatch(/^\s+at .*\(.*:\d+:\d+\)$/m); // no stack trace lines
    expect(stderr).not.toMatch(/^connect-standalone:/m); // no fatal error line
  }, 120_000);
});
