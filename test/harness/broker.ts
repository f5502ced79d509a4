/**
 * The Kafka broker every integration test runs against.
 *
 * By default this is librdkafka's mock cluster, run by our small C launcher (mock-broker.c) that is
 * compiled on demand and driven over its stdin. When KAFKA_BOOTSTRAP_SERVERS is set, the same tests
 * run against that real cluster instead; fault injection is then unavailable (check `isMock`).
 *
 * Mock-cluster quirks (see /work/shared/TEST-BROKER.md) stay in here and in test configs: CreateTopics
 * is unsupported (hence the launcher command), unknown topics are auto-created with 4 partitions,
 * and mock broker ids start at 1.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import type { Socket } from 'node:net';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

export interface TestBroker {
  /** Comma-separated host:port list, e.g. "127.0.0.1:39123". */
  readonly bootstrapServers: string;
  /** True for the mock cluster; false for a real cluster from KAFKA_BOOTSTRAP_SERVERS. */
  readonly isMock: boolean;
  /** Creates a topic (default 1 partition); an existing topic of that name is left as it is. */
  createTopic(name: string, partitions?: number): Promise<void>;
  /** Mock only: drops and refuses connections to a broker (default -1: every broker; ids start at 1). */
  brokerDown(id?: number): Promise<void>;
  /** Mock only: makes a broker accept connections again (default -1: every broker). */
  brokerUp(id?: number): Promise<void>;
  /**
   * Mock only: the next `errorCodes.length` requests with this Kafka API key (0 = Produce,
   * 1 = Fetch, 3 = Metadata, ...) fail with these error codes, in order. -195 (librdkafka's
   * __TRANSPORT) makes the broker drop the connection instead.
   */
  pushRequestErrors(apiKey: number, errorCodes: number[]): Promise<void>;
  /** Stops the broker (mock) or releases clients (real cluster). Idempotent. */
  stop(): Promise<void>;
}

const SOURCE_IN_REPO = path.join('test', 'harness', 'mock-broker.c');
// Found by walking up, so this works from test/harness under ts-jest and from dist/test/harness
// when compiled (e.g. imported by a benchmark).
const ROOT = findRoot(__dirname);
export const LAUNCHER_SOURCE = path.join(ROOT, SOURCE_IN_REPO);
export const LAUNCHER_BINARY = path.join(ROOT, 'test', 'harness', 'build', 'mock-broker');

const DEPS_HINT =
  'The mock Kafka broker needs gcc and the Debian packages librdkafka-dev and kcat: ' +
  'run `bash scripts/ensure-test-deps.sh` (as root it installs them), ' +
  'or set KAFKA_BOOTSTRAP_SERVERS to test against a real cluster.';
const STARTUP_TIMEOUT_MS = 15_000;
const COMMAND_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;
const STDERR_KEEP_CHARS = 8_000;
// Kafka's legal topic characters; also guarantees a name is one token of the launcher's protocol.
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

export async function startBroker(options: { brokers?: number } = {}): Promise<TestBroker> {
  const external = process.env.KAFKA_BOOTSTRAP_SERVERS?.trim();
  if (external) return new RealClusterBroker(external);
  const brokers = options.brokers ?? 1;
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > 100) {
    throw new Error(`startBroker: brokers must be an integer 1..100, got ${brokers}`);
  }
  return MockBroker.start(await buildLauncher(), brokers);
}

/**
 * Compiles the launcher when the binary is missing or older than its source. Concurrent callers
 * (parallel jest workers) each compile to a private temp file and rename it into place, which is
 * atomic, so nobody ever executes a half-written binary.
 */
export async function buildLauncher(): Promise<string> {
  if (isUpToDate()) return LAUNCHER_BINARY;
  fs.mkdirSync(path.dirname(LAUNCHER_BINARY), { recursive: true });
  const tmp = `${LAUNCHER_BINARY}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await promisify(execFile)('gcc', ['-O2', '-o', tmp, LAUNCHER_SOURCE, '-lrdkafka']);
    fs.renameSync(tmp, LAUNCHER_BINARY);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    const detail = e.code === 'ENOENT' ? 'gcc is not installed' : (e.stderr || e.message).trim();
    throw new Error(`Cannot build the mock broker launcher (${LAUNCHER_SOURCE}): ${detail}\n${DEPS_HINT}`, {
      cause: err,
    });
  }
  return LAUNCHER_BINARY;
}

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, SOURCE_IN_REPO))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '..', '..');
  }
}

function isUpToDate(): boolean {
  try {
    return fs.statSync(LAUNCHER_BINARY).mtimeMs >= fs.statSync(LAUNCHER_SOURCE).mtimeMs;
  } catch {
    return false;
  }
}

// Launchers still running. Their stdin pipe is the real lifeline (they exit on EOF, however this
// process dies); killing them on 'exit' is belt and braces for hosts that keep the pipe open.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => live.forEach((c) => c.kill('SIGKILL')));
  }
}

class MockBroker implements TestBroker {
  readonly isMock = true;
  private readonly lines: string[] = [];
  private waiter: ((line: string | Error) => void) | null = null;
  private stderr = '';
  private exitError: Error | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | null = null;
  private closed: Promise<void> = Promise.resolve();
  bootstrapServers = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly brokerCount: number,
  ) {}

  static async start(binary: string, brokerCount: number): Promise<MockBroker> {
    const child = spawn(binary, [String(brokerCount)], { stdio: ['pipe', 'pipe', 'pipe'] });
    track(child);
    const broker = new MockBroker(child, brokerCount);
    broker.attach();
    let first: string;
    try {
      first = await broker.nextLine(STARTUP_TIMEOUT_MS, 'the BOOTSTRAP line');
    } catch (err) {
      await broker.stop();
      throw err;
    }
    const match = /^BOOTSTRAP (\S+)$/.exec(first);
    if (!match) {
      await broker.stop();
      throw new Error(`mock broker printed "${first}" instead of "BOOTSTRAP <servers>"${broker.stderrTail()}`);
    }
    broker.bootstrapServers = match[1];
    return broker;
  }

  private attach(): void {
    const { child } = this;
    // The pipes must not keep the test process alive: a test that forgets stop() should not hang
    // jest. Every wait below holds its own timer, which keeps the event loop running meanwhile.
    for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket).unref?.();
    child.unref();
    child.stdin!.on('error', () => undefined); // EPIPE after the launcher died: reported via 'exit'
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_KEEP_CHARS);
    });
    let partial = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const line of parts) this.deliver(line);
    });
    this.closed = new Promise((resolve) => {
      child.once('error', (err) => {
        this.fail(new Error(`mock broker launcher failed to run: ${err.message}`));
        resolve();
      });
      // 'close' (not 'exit') comes after stdout and stderr are drained, so the error carries the
      // launcher's last words and no answer is lost.
      child.once('close', (code, signal) => {
        this.fail(new Error(`mock broker exited (${signal ?? `code ${code}`})${this.stderrTail()}`));
        resolve();
      });
    });
  }

  private deliver(line: string | Error): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w(line);
    } else if (typeof line === 'string') {
      this.lines.push(line);
    }
  }

  private fail(err: Error): void {
    if (!this.exitError) this.exitError = err;
    this.deliver(err);
  }

  private nextLine(timeoutMs: number, what: string): Promise<string> {
    const buffered = this.lines.shift();
    if (buffered !== undefined) return Promise.resolve(buffered);
    if (this.exitError) return Promise.reject(this.exitError);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new Error(`mock broker: no ${what} within ${timeoutMs} ms${this.stderrTail()}`));
      }, timeoutMs);
      this.waiter = (line) => {
        clearTimeout(timer);
        if (line instanceof Error) reject(line);
        else resolve(line);
      };
    });
  }

  private stderrTail(): string {
    const tail = this.stderr.trim();
    return tail ? `; launcher stderr:\n${tail}` : '';
  }

  /** Runs one launcher command; commands are serialised so each answer matches its command. */
  private command(line: string): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.exitError) throw this.exitError;
      if (this.stopping) throw new Error(`mock broker: "${line}" after stop()`);
      this.child.stdin!.write(`${line}\n`);
      let answer: string;
      try {
        answer = await this.nextLine(COMMAND_TIMEOUT_MS, `answer to "${line}"`);
      } catch (err) {
        // After a timeout a late answer would be taken for the next command's: refuse all further ones.
        this.exitError ??= err as Error;
        throw err;
      }
      if (answer === 'OK') return;
      throw new Error(`mock broker: "${line}" failed: ${answer.replace(/^ERR /, '')}`);
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async createTopic(name: string, partitions = 1): Promise<void> {
    if (!TOPIC_NAME.test(name)) throw new Error(`createTopic: illegal Kafka topic name "${name}"`);
    checkInt('createTopic partitions', partitions, 1);
    const replication = Math.min(this.brokerCount, 3);
    try {
      await this.command(`create_topic ${name} ${partitions} ${replication}`);
    } catch (err) {
      // Same contract as the real cluster: an existing topic is fine.
      if (!/already exists/i.test((err as Error).message)) throw err;
    }
  }

  brokerDown(id = -1): Promise<void> {
    checkInt('brokerDown id', id, -1);
    return this.command(`broker_down ${id}`);
  }

  brokerUp(id = -1): Promise<void> {
    checkInt('brokerUp id', id, -1);
    return this.command(`broker_up ${id}`);
  }

  async pushRequestErrors(apiKey: number, errorCodes: number[]): Promise<void> {
    checkInt('pushRequestErrors apiKey', apiKey, 0);
    if (errorCodes.length === 0) throw new Error('pushRequestErrors: give at least one error code');
    errorCodes.forEach((code) => checkInt('pushRequestErrors error code', code, -100000));
    return this.command(`push_errors ${apiKey} ${errorCodes.join(' ')}`);
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    // Closing stdin is the launcher's "quit"; fall back to SIGKILL if it does not go in time.
    this.child.stdin!.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.closed;
    clearTimeout(timer);
  }
}

function checkInt(what: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new Error(`${what} must be an integer >= ${min}, got ${value}`);
}

/** A real cluster from KAFKA_BOOTSTRAP_SERVERS: topics via the admin API, no fault injection. */
class RealClusterBroker implements TestBroker {
  readonly isMock = false;

  constructor(readonly bootstrapServers: string) {}

  async createTopic(name: string, partitions = 1): Promise<void> {
    checkInt('createTopic partitions', partitions, 1);
    const kafka = new Kafka({
      clientId: 'connect-standalone-test-harness',
      brokers: this.bootstrapServers.split(',').map((s) => s.trim()),
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      // Resolves false (no throw) when the topic already exists.
      await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
  }

  brokerDown(): Promise<void> {
    return Promise.reject(noFaultInjection('brokerDown'));
  }

  brokerUp(): Promise<void> {
    return Promise.reject(noFaultInjection('brokerUp'));
  }

  pushRequestErrors(): Promise<void> {
    return Promise.reject(noFaultInjection('pushRequestErrors'));
  }

  async stop(): Promise<void> {
    // Nothing is held between calls; the cluster is not ours to stop.
  }
}

function noFaultInjection(what: string): Error {
  return new Error(
    `${what}: fault injection needs the mock broker, but KAFKA_BOOTSTRAP_SERVERS points at a real cluster ` +
      '(skip this test when broker.isMock is false)',
  );
}
