/**
 * What the PostgreSQL and MariaDB test servers share: a free loopback port, the temp directory,
 * running a server binary in its own process group (as another user when asked), waiting for it,
 * and stopping it so nothing is left behind.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** A database server started for a test: connection details and an admin channel. */
export interface TestDatabaseServer {
  /** The `connection.url` users would write, e.g. `jdbc:postgresql://127.0.0.1:41234/testdb`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** A non-admin user that owns (PostgreSQL) or has all rights on (MariaDB) `database`. */
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /**
   * Runs SQL as the server's superuser in `database` (several statements allowed when no params are
   * given) and resolves with the rows of the last result as plain objects.
   */
  adminQuery(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  /** Stops the server (its whole process group) and removes its temp directory. Idempotent. */
  stop(): Promise<void>;
  /**
   * Shuts the server process down as its operator would (clients are disconnected), keeping its
   * data directory and port, so startServer() brings the same database back. Idempotent.
   */
  stopServer(): Promise<void>;
  /** Starts the server again after stopServer(), on the same port with the same data; resolves once it answers. */
  startServer(): Promise<void>;
}

export const TEST_USER = 'connect_test';
export const TEST_PASSWORD = 'test-Pa55word';
export const TEST_DATABASE = 'connect_test';

const STDERR_KEEP_CHARS = 8_000;

/** A free TCP port on 127.0.0.1, found by binding port 0 (the server may still lose a race: retried). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The uid/gid of a system user, from /etc/passwd (Node has no getpwnam). */
export function systemUser(name: string): { uid: number; gid: number } | null {
  let passwd: string;
  try {
    passwd = fs.readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  for (const line of passwd.split('\n')) {
    const parts = line.split(':');
    if (parts[0] === name && parts.length >= 4) return { uid: Number(parts[2]), gid: Number(parts[3]) };
  }
  return null;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function makeTempDir(prefix: string, owner: { uid: number; gid: number } | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  return dir;
}

/** Throws the "install the package" failure when `file` is not an executable. */
export function requireBinary(file: string, debianPackage: string, what: string): void {
  try {
    fs.accessSync(file, fs.constants.X_OK);
  } catch {
    throw new Error(
      `${what} is not installed: ${file} is missing. Install the Debian package ${debianPackage} ` +
        `(apt-get install -y --no-install-recommends ${debianPackage}; .ci/run does this).`,
    );
  }
}

/** Runs a setup command to completion (as `owner` when given) and fails with its output. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: { cwd: string; owner: { uid: number; gid: number } | null; timeoutMs: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        cwd: options.cwd,
        timeout: options.timeoutMs,
        maxBuffer: 4 * 1024 * 1024,
        env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
        ...(options.owner ?? {}),
      },
      (err, stdout, stderr) => {
        if (err) {
          const output = `${stdout}\n${stderr}`.trim().slice(-STDERR_KEEP_CHARS);
          reject(new Error(`${path.basename(file)} failed (${err.message.split('\n')[0]}):\n${output}`, { cause: err }));
        } else {
          resolve(`${stdout}${stderr}`);
        }
      },
    );
  });
}

// Server process groups still running; killed if the test process exits without stop().
const live = new Set<number>();
let exitHookInstalled = false;
function track(pid: number): void {
  live.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => live.forEach((p) => killGroup(p, 'SIGKILL')));
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** A server binary running in its own process group, with the tail of its output kept for errors. */
export class ServerProcess {
  private output = '';
  private exitInfo: string | null = null;
  readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    const append = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString('utf8')).slice(-STDERR_KEEP_CHARS);
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    this.exited = new Promise((resolve) => {
      child.once('error', (err) => {
        this.exitInfo = `failed to run: ${err.message}`;
        resolve();
      });
      child.once('close', (code, signal) => {
        this.exitInfo = signal ? `killed by ${signal}` : `exited with code ${code}`;
        live.delete(child.pid!);
        resolve();
      });
    });
    // Stray handles must not keep jest alive after a test forgot stop(); waits hold their own timers.
    child.unref();
    (child.stdout as unknown as net.Socket).unref?.();
    (child.stderr as unknown as net.Socket).unref?.();
  }

  static start(
    file: string,
    args: readonly string[],
    options: { cwd: string; owner: { uid: number; gid: number } | null },
  ): ServerProcess {
    const child = spawn(file, [...args], {
      cwd: options.cwd,
      detached: true, // own process group, so stop() reaches every backend it forks
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      ...(options.owner ?? {}),
    });
    if (child.pid !== undefined) track(child.pid);
    return new ServerProcess(child);
  }

  /** Null while running, else how it ended. */
  get ended(): string | null {
    return this.exitInfo;
  }

  outputTail(): string {
    const tail = this.output.trim();
    return tail ? `\nserver output:\n${tail}` : '';
  }

  /**
   * Polls `probe` until it resolves, the process ends, or `timeoutMs` passes; the error names what
   * was awaited and carries the server's last output.
   */
  async waitUntil(what: string, probe: () => Promise<void>, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown = null;
    for (;;) {
      if (this.exitInfo) throw new Error(`${what}: the server ${this.exitInfo}${this.outputTail()}`);
      try {
        await probe();
        return;
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) {
        throw new Error(`${what}: not ready within ${timeoutMs} ms (last: ${(last as Error)?.message})${this.outputTail()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends `signal` to the server, then SIGKILL to its whole group if it has not ended in time. */
  async stop(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const pid = this.child.pid;
    if (pid === undefined || this.exitInfo) {
      if (pid !== undefined) killGroup(pid, 'SIGKILL');
      return;
    }
    this.child.kill(signal);
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    killGroup(pid, 'SIGKILL'); // any child left behind
  }
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * Launches a server on a free port, trying another when the one found was taken before the server
 * bound it (`bindError` matches that failure); up to `attempts` ports.
 */
export async function launchOnFreePort(launch: (port: number) => Promise<ServerProcess>, bindError: RegExp, attempts: number): Promise<{ server: ServerProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return { server: await launch(port), port };
    } catch (err) {
      if (attempt < attempts && bindError.test(String(err))) continue;
      throw err;
    }
  }
}
