import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const BIN = path.join(ROOT, 'bin', 'connect-standalone');

/** A temp directory removed by cleanup(). */
export function tempDir(prefix = 'cs-it-'): { dir: string; file(name: string): string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, file: (name) => path.join(dir, name), cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a .properties file (values escaped as java.util.Properties expects). */
export function writeProperties(file: string, props: Record<string, string | number | boolean>): string {
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  fs.writeFileSync(file, Object.entries(props).map(([k, v]) => `${k}=${esc(String(v))}`).join('\n') + '\n');
  return file;
}

/** Worker settings for tests: short flush interval and short group timeouts for the mock broker. */
export function testWorkerProps(bootstrap: string, offsetsFile: string, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    'bootstrap.servers': bootstrap,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'offset.storage.file.filename': offsetsFile,
    'offset.flush.interval.ms': 500,
    'consumer.session.timeout.ms': 6000,
    'consumer.heartbeat.interval.ms': 2000,
    'default.api.timeout.ms': 10000,
    ...extra,
  };
}

/**
 * The smallest FileStreamSource run: a worker file with StringConverter keys and values (and nothing
 * else but the broker and the offsets file) and a connector file reading `input` into `topic`.
 */
export function stringSourceFiles(tmp: { file(name: string): string }, bootstrap: string, connector: { name: string; input: string; topic: string }): { worker: string; source: string } {
  const worker = writeProperties(tmp.file('worker.properties'), {
    'bootstrap.servers': bootstrap,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': tmp.file('offsets'),
  });
  const source = writeProperties(tmp.file('source.properties'), { name: connector.name, 'connector.class': 'FileStreamSource', file: connector.input, topic: connector.topic });
  return { worker, source };
}

/** A --require script that writes, at exit, every module file Node loaded (relative to the repo) to `out`. */
export function moduleListPreload(tmp: { file(name: string): string }, out: string): string {
  const hook = tmp.file(`loaded-${path.basename(out)}.js`);
  fs.writeFileSync(
    hook,
    `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(out)}, ` +
      `Object.keys(require.cache).map((f) => require('path').relative(${JSON.stringify(ROOT)}, f)).join('\\n')));\n`,
  );
  return hook;
}

export interface WorkerProcess {
  readonly proc: ChildProcess;
  stderr(): string;
  stdout(): Buffer;
  /** Resolves with the first log line matching re (checks lines already written too). */
  waitForLog(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `connect-standalone` with JSON logs at the given level. */
export function startWorker(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore'; logLevel?: string; cwd?: string } = {}): WorkerProcess {
  const proc = spawn(process.execPath, [BIN, '--log-format', 'json', '--log-level', options.logLevel ?? 'info', ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const out: Buffer[] = [];
  const waiters: Array<{ re: RegExp; resolve(line: string): void }> = [];
  proc.stdout!.on('data', (d: Buffer) => out.push(d));
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString('utf8');
    for (const w of [...waiters]) {
      const line = err.split('\n').find((l) => w.re.test(l));
      if (line) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    stderr: () => err,
    stdout: () => Buffer.concat(out),
    exited,
    waitForLog(re, timeoutMs = 30000) {
      const line = err.split('\n').find((l) => re.test(l));
      if (line) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line matching ${re} within ${timeoutMs} ms; stderr:\n${err.slice(-4000)}`)), timeoutMs);
        waiters.push({ re, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then(({ code }) => {
          clearTimeout(timer);
          reject(new Error(`worker exited (${code}) before logging ${re}; stderr:\n${err.slice(-4000)}`));
        });
      });
    },
    async stop(signal = 'SIGTERM', timeoutMs = 30000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return proc.exitCode;
      proc.kill(signal);
      const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
      const { code } = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Runs the CLI to completion (for bad-input cases) with a time bound. */
export function runCli(args: string[], timeoutMs = 30000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, '--log-format', 'json', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`connect-standalone ${args.join(' ')} did not exit within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Polls fn until it returns true, or fails with describe() after timeoutMs. */
export async function eventually(fn: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Waits until `file` holds exactly `expected`. On timeout the error shows what the file holds, then
 * `more()` if given (e.g. the worker's stderr).
 */
export async function untilFileHolds(file: string, expected: string, timeoutMs = 30000, more?: () => string): Promise<void> {
  await eventually(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8') === expected, timeoutMs, () => {
    const held = fs.existsSync(file) ? JSON.stringify(fs.readFileSync(file, 'utf8')) : '(missing)';
    return `${file}: ${held}${more ? `\n${more()}` : ''}`;
  });
}

/** The last line of stderr that is not a JSON log line (the CLI's one-line error). */
export function errorLine(stderr: string): string {
  return stderr.split('\n').filter((l) => l.startsWith('connect-standalone:')).join('\n');
}

/** A TCP port free on the loopback interface now (for a REST listener). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
