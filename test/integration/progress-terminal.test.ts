import { spawn } from 'child_process';
import * as path from 'path';
import { produce } from '../harness/kcat';
import { BIN, ROOT, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * The live progress lines: on a terminal (a pseudo-terminal from util-linux `script`) a --once run
 * draws one line per connector (records, records/s, how far through the input) and log lines stay
 * whole around it; in a pipe there are no live lines, only the summary lines at the end.
 */
const PLUGIN_DIR = path.join(ROOT, 'test', 'fixtures', 'plugins', 'once-source');
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

describe('progress display', () => {
  const broker = useBroker();
  const tmp = useTempDir('cs-progress-');

  function configs(name: string, extra: Record<string, string | number> = {}) {
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`), { 'plugin.path': PLUGIN_DIR }));
    const source = writeProperties(tmp.file(`${name}.properties`), { name, 'connector.class': 'OnceSource', topic: `progress-${name}`, count: 3000, ...extra });
    return [worker, source];
  }

  /** Runs a command line to its exit; `tty` runs it inside `script`, so its stdout and stderr are a terminal. */
  function run(args: string[], tty: boolean): Promise<{ code: number | null; output: string }> {
    const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
    const [file, argv] = tty ? ['script', ['-qfec', command, '/dev/null']] : ['/bin/sh', ['-c', `${command} 2>&1 | cat`]];
    return new Promise((resolve, reject) => {
      const proc = spawn(file, argv, { cwd: ROOT, env: { ...process.env, COLUMNS: '200', TERM: 'xterm' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      proc.stdout.on('data', (d) => (output += d));
      proc.stderr.on('data', (d) => (output += d));
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`did not exit within 60 s:\n${output.slice(-3000)}`));
      }, 60_000);
      proc.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });
  }

  it('on a terminal, --once draws a live line per connector and keeps log lines whole', async () => {
    await broker.createTopic('progress-live', 1);
    const [worker, source] = configs('live', { after: 'never' });
    const { code, output } = await run(['--once', '--once-timeout', '2500ms', worker, source], true);
    expect(code).toBe(4);
    // log-update redraws in place: erase-line escapes around the live text.
    expect(output).toMatch(/\u001b\[2K/);
    const plain = output.replace(ANSI, '');
    expect(plain).toMatch(/live: 3,000 records {2}\d[\d,]*\/s {2}100% \(3,000 of 3,000 records\)/);
    // Every log line (pretty format on a terminal) starts a line of its own, never glued after the live text.
    const glued = plain.split(/\r?\n/).filter((l) => /\/s {2}.*(INFO|WARN)/.test(l));
    expect(glued).toEqual([]);
    expect(plain).toMatch(/summary: live \(source\) stopped: 3000 records read, 3000 written/);
  });

  it('--progress in a normal run on a terminal shows the live line too', async () => {
    await broker.createTopic('progress-normal', 1);
    const [worker, source] = configs('normal', { after: 'end' });
    const { code, output } = await run(['--progress', worker, source], true);
    expect(code).toBe(0); // the source ended: the normal run exits by itself
    expect(output.replace(ANSI, '')).toMatch(/normal: [\d,]+ records {2}\d[\d,]*\/s/);
  });

  it('a --once sink shows how far through the backlog its topics had at start', async () => {
    const topic = 'progress-sink';
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, Array.from({ length: 2000 }, (_, i) => ({ key: null, value: JSON.stringify(`r${i}`) })));
    const worker = writeProperties(tmp.file('sink-worker.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('sink.offsets'), { 'value.converter.schemas.enable': 'false' }));
    const sink = writeProperties(tmp.file('sink.properties'), { name: 'tty-sink', 'connector.class': 'FileStreamSink', topics: topic, file: tmp.file('sink.txt') });
    const { code, output } = await run(['--once', worker, sink], true);
    expect(code).toBe(0);
    const plain = output.replace(ANSI, '');
    expect(plain).toMatch(/tty-sink: [\d,]+ records {2}\d[\d,]*\/s {2}\d+% \([\d,]+ of 2,000 records\)/);
    expect(plain).toMatch(/summary: tty-sink \(sink\) finished: 2000 records read, 2000 written/);
  });

  it('in a pipe: no live lines and no escapes, only the summary line', async () => {
    await broker.createTopic('progress-piped', 1);
    const [worker, source] = configs('piped');
    const { code, output } = await run(['--once', '--progress', worker, source], false);
    expect(code).toBe(0);
    expect(output).not.toMatch(/\u001b/);
    expect(output).not.toMatch(/records {2}\d[\d,]*\/s/);
    expect(output.split('\n').filter((l) => l.startsWith('summary: '))).toEqual([expect.stringContaining('piped (source) finished: 3000 records read, 3000 written')]);
  });
});
