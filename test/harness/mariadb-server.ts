/**
 * A throw-away MariaDB server for integration tests: mariadb-install-db into a temp dir, mariadbd on
 * a free loopback port with its socket in that dir, a test database and a password-authenticated
 * user with all rights on it. The admin channel is root over the socket. Server time zone UTC,
 * durability settings off for speed. A missing binary fails the test naming the Debian package.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createConnection, Connection } from 'mysql2/promise';
import {
  launchOnFreePort,
  isRoot,
  makeTempDir,
  removeDir,
  requireBinary,
  runCommand,
  ServerProcess,
  TEST_DATABASE,
  TEST_PASSWORD,
  TEST_USER,
  TestDatabaseServer,
} from './db-server-process';

const DEBIAN_PACKAGE = 'mariadb-server';
const STARTUP_TIMEOUT_MS = 30_000;
const PORT_ATTEMPTS = 3;

function binary(name: string, dirs: string[]): string {
  return dirs.map((d) => path.join(d, name)).find((f) => fs.existsSync(f)) ?? path.join(dirs[0], name);
}

export async function startMariadb(): Promise<TestDatabaseServer> {
  const installDb = binary('mariadb-install-db', ['/usr/bin', '/usr/local/bin']);
  const mariadbd = binary('mariadbd', ['/usr/sbin', '/usr/bin', '/usr/local/sbin']);
  requireBinary(installDb, DEBIAN_PACKAGE, 'MariaDB (mariadb-install-db)');
  requireBinary(mariadbd, DEBIAN_PACKAGE, 'MariaDB (mariadbd)');
  const dir = makeTempDir('cs-mariadb-', null);
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mariadb.sock');
  // Shared by install and server; mariadb-install-db passes unknown options on to mariadbd.
  const common = [
    '--no-defaults',
    `--datadir=${data}`,
    ...(isRoot() ? ['--user=root'] : []),
    '--innodb-flush-log-at-trx-commit=0',
    '--innodb-buffer-pool-size=32M',
    '--innodb-log-file-size=16M',
  ];
  try {
    await runCommand(installDb, [...common, '--auth-root-authentication-method=normal', '--skip-test-db'], {
      cwd: dir,
      owner: null,
      timeoutMs: 60_000,
    });
    const admin = (database?: string) =>
      createConnection({ socketPath: socket, user: 'root', database, multipleStatements: true });
    const launch = async (port: number): Promise<ServerProcess> => {
      const server = ServerProcess.start(
        mariadbd,
        [
          ...common,
          `--socket=${socket}`,
          `--port=${port}`,
          '--bind-address=127.0.0.1',
          `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
          `--tmpdir=${dir}`,
          '--skip-name-resolve',
          '--skip-log-bin',
          '--default-time-zone=+00:00',
          '--character-set-server=utf8mb4',
          '--collation-server=utf8mb4_general_ci',
          '--max-connections=50',
        ],
        { cwd: dir, owner: null },
      );
      try {
        await server.waitUntil(`MariaDB on port ${port}`, async () => {
          const c = await admin();
          await c.end();
        }, STARTUP_TIMEOUT_MS);
      } catch (err) {
        await server.stop('SIGKILL', 1_000);
        throw err;
      }
      return server;
    };
    const { server, port } = await launchOnFreePort(launch, /Address already in use|Can't start server: Bind/i, PORT_ATTEMPTS);
    const setup = await admin();
    try {
      await setup.query(
        `CREATE DATABASE ${TEST_DATABASE};` +
          `CREATE USER '${TEST_USER}'@'%' IDENTIFIED BY '${TEST_PASSWORD}';` +
          `GRANT ALL PRIVILEGES ON ${TEST_DATABASE}.* TO '${TEST_USER}'@'%';`,
      );
    } finally {
      await setup.end();
    }
    return new MariadbServer(server, dir, port, () => admin(TEST_DATABASE), () => launch(port));
  } catch (err) {
    removeDir(dir);
    throw err;
  }
}

class MariadbServer implements TestDatabaseServer {
  readonly host = '127.0.0.1';
  readonly user = TEST_USER;
  readonly password = TEST_PASSWORD;
  readonly database = TEST_DATABASE;
  private admin: Promise<Connection> | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private server: ServerProcess,
    private readonly dir: string,
    readonly port: number,
    private readonly connectAdmin: () => Promise<Connection>,
    private readonly relaunch: () => Promise<ServerProcess>,
  ) {}

  get url(): string {
    return `jdbc:mariadb://${this.host}:${this.port}/${this.database}`;
  }

  async adminQuery(sql: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]> {
    this.admin ??= this.connectAdmin().then((c) => {
      c.on('error', () => undefined); // the server going away at stop()
      return c;
    });
    const conn = await this.admin;
    const [result] = params ? await conn.query(sql, [...params]) : await conn.query(sql);
    return lastRows(result);
  }

  async stopServer(): Promise<void> {
    if (this.server.ended) return;
    const admin = this.admin;
    this.admin = null;
    if (admin) await (await admin.catch(() => null))?.end().catch(() => undefined);
    await this.server.stop('SIGTERM', 10_000);
  }

  async startServer(): Promise<void> {
    if (!this.server.ended) return;
    this.server = await this.relaunch();
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.admin) await (await this.admin.catch(() => null))?.end().catch(() => undefined);
      // SIGTERM is mariadbd's normal shutdown; durability is off, so it is quick.
      await this.server.stop('SIGTERM', 10_000);
      removeDir(this.dir);
    })();
    return this.stopping;
  }
}

/** The rows of the last result: a multi-statement query gives one entry (rows or a header) per statement. */
function lastRows(result: unknown): Record<string, unknown>[] {
  if (!Array.isArray(result)) return [];
  const multi = result.length > 0 && result.every((r) => Array.isArray(r) || isHeader(r));
  const last: unknown = multi ? result[result.length - 1] : result;
  return Array.isArray(last) ? (last as Record<string, unknown>[]) : [];
}

function isHeader(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'affectedRows' in value;
}
