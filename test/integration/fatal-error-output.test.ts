import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { BIN, ROOT, startWorker, tempDir, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker } from './helpers/suite';

/**
 * The error that stops the process is printed once: always one line a person reads
 * (`connect-standalone: ...`), and before it the JSON log line only when logs are JSON and stderr is
 * not a terminal. Also: while waiting for Kafka at start-up, each failed attempt logs its cause and
 * the time left until default.api.timeout.ms.
 */
function run(args: string[], timeoutMs = 30000): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`connect-standalone ${args.join(' ')} did not exit within ${timeoutMs} ms; stderr:\n${stderr}`));
    }, timeoutMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const linesWith = (text: string, needle: string) => text.split('\n').filter((l) => l.includes(needle));

describe('fatal errors and start-up waiting', () => {
  const tmp = tempDir();
  let unreachableWorker: string;
  let connector: string;
  let port: number;

  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    unreachableWorker = writeProperties(tmp.file('worker.properties'), testWorkerProps(`127.0.0.1:${port}`, tmp.file('connect.offsets'), { 'default.api.timeout.ms': 2000 }));
    connector = writeProperties(tmp.file('source.properties'), { name: 'src', 'connector.class': 'FileStreamSource', topic: 't', file: tmp.file('in.txt') });
  });
  afterAll(() => tmp.cleanup());

  const FAILED = 'Failed to connect to and describe the Kafka cluster';

  it('pretty logs: the fatal error is one line, after one waiting line per failed attempt', async () => {
    const r = await run(['--log-format', 'pretty', unreachableWorker, connector]);
    expect(r.code).toBe(1);
    const fatal = linesWith(r.stderr, FAILED);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatch(new RegExp(`^connect-standalone: ${FAILED} at bootstrap.servers=127.0.0.1:${port} within 2000 ms \\(default.api.timeout.ms\\): .*ECONNREFUSED`));
    const waiting = linesWith(r.stderr, 'did not answer');
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(waiting[0]).toMatch(
      new RegExp(`WARN: Kafka at bootstrap.servers=127.0.0.1:${port} did not answer \\(attempt 1\\): .*ECONNREFUSED.*; trying again in \\d+ ms, \\d+ ms left of default.api.timeout.ms=2000`),
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('JSON logs on a pipe: the JSON line once, then the human line once', async () => {
    const r = await run(['--log-format', 'json', unreachableWorker, connector]);
    expect(r.code).toBe(1);
    const fatal = linesWith(r.stderr, FAILED);
    expect(fatal).toHaveLength(2);
    const json = JSON.parse(fatal[0]) as { level: number; msg: string; err: { message: string } };
    expect(json.level).toBe(50);
    expect(json.msg).toMatch(new RegExp(`^Stopping due to error: ${FAILED}`));
    expect(json.err.message).toMatch(new RegExp(`^${FAILED}`));
    expect(fatal[1]).toMatch(new RegExp(`^connect-standalone: ${FAILED}`));

    const waits = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.msg.includes('did not answer'));
    expect(waits.length).toBeGreaterThanOrEqual(2);
    const left = waits.map((w) => Number(/(\d+) ms left of default\.api\.timeout\.ms=2000/.exec(w.msg)?.[1]));
    expect(left.every((ms) => ms >= 0 && ms < 2000)).toBe(true);
    expect([...left].sort((a, b) => b - a)).toEqual(left); // counting down
    expect(waits.map((w) => /\(attempt (\d+)\)/.exec(w.msg)?.[1])).toEqual(waits.map((_, i) => String(i + 1)));
    expect(waits.every((w) => w.level === 40 && /ECONNREFUSED/.test(w.msg))).toBe(true);
  });

  it('JSON logs on a terminal: only the human line', () => {
    // `script` (util-linux, essential on Debian) is required: without it this test fails, never skips.
    expect(spawnSync('script', ['--version']).status).toBe(0);
    // `script` runs the CLI on a pseudo-terminal, so stderr is a TTY.
    const cmd = [process.execPath, BIN, '--log-format', 'json', unreachableWorker, connector].map((a) => `'${a}'`).join(' ');
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
    const out = r.stdout.replace(/\r/g, '');
    expect(r.status).toBe(1);
    const fatal = linesWith(out, FAILED);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatch(new RegExp(`^connect-standalone: ${FAILED}`));
  });

  it('a signal while waiting for Kafka at start-up stops the wait at once: exit 0, offsets untouched', async () => {
    const patient = writeProperties(tmp.file('patient-worker.properties'), testWorkerProps(`127.0.0.1:${port}`, tmp.file('patient.offsets'), { 'default.api.timeout.ms': 120000 }));
    const w = startWorker(['--log-format', 'json', patient, connector]);
    await w.waitForLog(/did not answer \(attempt 2\)/, 20000);
    const sent = Date.now();
    const code = await w.stop('SIGTERM', 10000);
    expect(code).toBe(0);
    expect(Date.now() - sent).toBeLessThan(10000); // bounded by stop()'s own timeout; without the fix it waits out the 120 s
    expect(w.stderr()).toMatch(/Received SIGTERM while waiting for Kafka at start-up: stopping the worker/);
    expect(w.stderr()).not.toMatch(/Failed to connect to and describe/);
    expect(fs.existsSync(tmp.file('patient.offsets'))).toBe(false);
    expect(fs.existsSync(tmp.file('patient.offsets.lock'))).toBe(false);
  });

  describe('with a broker', () => {
    const broker = useBroker();

    it('a connector that fails to start: one line naming it, its file and the cause', async () => {
      const pluginDir = path.join(tmp.dir, 'failing-plugin');
      fs.mkdirSync(pluginDir, { recursive: true });
      fs.writeFileSync(
        path.join(pluginDir, 'index.js'),
        `'use strict';
const api = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'api'))});
class FailingSource {
  constructor() { this.kind = 'source'; }
  version() { return '1.0'; }
  config() { return new api.ConfigDef(); }
  initialize() {}
  start() { throw new api.ConnectError('the database at db.example:5432 refused the login'); }
  taskConfigs() { return []; }
  createTask() { throw new Error('unused'); }
  stop() {}
}
exports.connectorPlugins = [{ className: 'com.example.FailingSource', aliases: ['FailingSource'], kind: 'source', create: () => new FailingSource() }];
`,
      );
      const worker = writeProperties(tmp.file('broker-worker.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('broker.offsets'), { 'plugin.path': pluginDir }));
      const failing = writeProperties(tmp.file('failing.properties'), { name: 'failing', 'connector.class': 'FailingSource' });
      const r = await run(['--log-format', 'pretty', worker, failing]);
      expect(r.code).toBe(1);
      const lines = linesWith(r.stderr, 'refused the login');
      expect(lines).toEqual([`connect-standalone: Failed to start connector failing (${failing}): the database at db.example:5432 refused the login`]);
    });
  });
});
