/**
 * A throw-away PostgreSQL server for integration tests: initdb into a temp dir, postgres on a free
 * loopback port, a test database owned by a password-authenticated user. The superuser reaches it
 * only through the Unix socket in the temp dir (trust), TCP clients need a password (scram-sha-256),
 * as a real deployment would.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` system user (the
 * Debian package creates it) in a temp dir that user owns. A missing binary fails the test naming
 * the Debian package: these tests never skip.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import {
  launchOnFreePort,
  isRoot,
  makeTempDir,
  removeDir,
  requireBinary,
  runCommand,
  ServerProcess,
  systemUser,
  TEST_DATABASE,
  TEST_PASSWORD,
  TEST_USER,
  TestDatabaseServer,
} from './db-server-process';

export type { TestDatabaseServer } from './db-server-process';

const DEBIAN_PACKAGE = 'postgresql';
const STARTUP_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 3;

/** The server's bin directory: $PG_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs.readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  return path.join(base, versions[0] ?? '15', 'bin');
}

export async function startPostgres(): Promise<TestDatabaseServer> {
  const bin = postgresBinDir();
  const initdb = path.join(bin, 'initdb');
  const postgres = path.join(bin, 'postgres');
  requireBinary(initdb, DEBIAN_PACKAGE, 'PostgreSQL (initdb)');
  requireBinary(postgres, DEBIAN_PACKAGE, 'PostgreSQL (postgres)');
  let owner: { uid: number; gid: number } | null = null;
  if (isRoot()) {
    owner = systemUser('postgres');
    if (!owner) {
      throw new Error(
        `PostgreSQL refuses to run as root and there is no "postgres" system user to run it as; ` +
          `install the Debian package ${DEBIAN_PACKAGE} (it creates the user) or run the tests as a normal user.`,
      );
    }
  }
  const dir = makeTempDir('cs-pg-', owner);
  try {
    const data = path.join(dir, 'data');
    await runCommand(
      initdb,
      ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C', '--no-instructions'],
      { cwd: dir, owner, timeoutMs: 60_000 },
    );
    fs.writeFileSync(
      path.join(data, 'pg_hba.conf'),
      ['local all all trust', 'host all all 127.0.0.1/32 scram-sha-256', ''].join('\n'),
    );
    if (owner) fs.chownSync(path.join(data, 'pg_hba.conf'), owner.uid, owner.gid);
    const admin = (port: number, database: string) => new Client({ host: dir, port, user: 'postgres', database });
    const launch = async (port: number): Promise<ServerProcess> => {
      const server = ServerProcess.start(
        postgres,
        [
          '-D', data,
          '-p', String(port),
          '-k', dir,
          '-c', 'listen_addresses=127.0.0.1',
          '-c', 'fsync=off',
          '-c', 'synchronous_commit=off',
          '-c', 'full_page_writes=off',
          '-c', 'timezone=UTC',
          '-c', 'max_connections=50',
          '-c', 'shared_buffers=32MB',
          '-c', 'logging_collector=off',
        ],
        { cwd: dir, owner },
      );
      try {
        await server.waitUntil(`PostgreSQL on port ${port}`, async () => {
          const c = admin(port, 'postgres');
          try {
            await c.connect();
            await c.query('SELECT 1');
          } finally {
            await c.end().catch(() => undefined);
          }
        }, STARTUP_TIMEOUT_MS);
      } catch (err) {
        await server.stop('SIGKILL', 1_000);
        throw err;
      }
      return server;
    };
    const { server, port } = await launchOnFreePort(launch, /could not bind|Address already in use/i, PORT_ATTEMPTS);
    const setup = admin(port, 'postgres');
    await setup.connect();
    try {
      await setup.query(`CREATE ROLE ${TEST_USER} LOGIN PASSWORD '${TEST_PASSWORD}'`);
      await setup.query(`CREATE DATABASE ${TEST_DATABASE} OWNER ${TEST_USER}`);
    } finally {
      await setup.end();
    }
    return new PostgresServer(server, dir, port, () => admin(port, TEST_DATABASE), () => launch(port));
  } catch (err) {
    removeDir(dir);
    throw err;
  }
}

class PostgresServer implements TestDatabaseServer {
  readonly host = '127.0.0.1';
  readonly user = TEST_USER;
  readonly password = TEST_PASSWORD;
  readonly database = TEST_DATABASE;
  private admin: Client;
  private adminConnected: Promise<void> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private server: ServerProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly newAdmin: () => Client,
    private readonly relaunch: () => Promise<ServerProcess>,
  ) {
    this.admin = this.adminClient();
  }

  private adminClient(): Client {
    const admin = this.newAdmin();
    admin.on('error', () => undefined); // the server going away at stop()
    return admin;
  }

  get url(): string {
    return `jdbc:postgresql://${this.host}:${this.port}/${this.database}`;
  }

  async adminQuery(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]> {
    this.adminConnected ??= this.admin.connect();
    await this.adminConnected;
    const result = await this.admin.query(sql, params ? [...params] : undefined);
    const last = Array.isArray(result) ? result[result.length - 1] : result;
    return last?.rows ?? [];
  }

  async stopServer(): Promise<void> {
    if (this.server.ended) return;
    if (this.adminConnected) await this.admin.end().catch(() => undefined);
    this.admin = this.adminClient();
    this.adminConnected = null;
    await this.server.stop('SIGINT', 5_000);
  }

  async startServer(): Promise<void> {
    if (!this.server.ended) return;
    this.server = await this.relaunch();
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.adminConnected) await this.admin.end().catch(() => undefined);
      // SIGINT is PostgreSQL's fast shutdown: backends are ended, shared memory released.
      await this.server.stop('SIGINT', 5_000);
      removeDir(this.dir);
    })();
    return this.stopping;
  }
}
