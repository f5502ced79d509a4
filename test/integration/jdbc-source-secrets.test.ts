import * as fs from 'fs';
import * as net from 'net';
import { readTopic } from '../harness/kcat';
import { usePostgres } from './helpers/databases';
import { useBroker, useTempDir } from './helpers/suite';
import { errorLine, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';

/**
 * The JDBC source's connection.password through each config provider, against a real PostgreSQL
 * server, a real broker and the real CLI: `${file:...}` (FileConfigProvider), `${env:...}`
 * (EnvVarConfigProvider with allowlist.pattern) and `${directory:...}` (DirectoryConfigProvider with
 * allowed.paths). The rows arrive each time, and at debug level the password is on neither stdout
 * nor stderr, in any spelling a log might use (as is, URL-encoded, JSON-escaped).
 *
 * Then the two ways a connection fails at start: an unreachable database and a wrong password each
 * stop the CLI with exit 1 and one line naming the URL (password masked) or the user and the cause,
 * within connection.attempts × connection.backoff.ms.
 */
// Distinctive, and with characters URL encoding and JSON escaping change.
const SECRET = 'Pg-S3cr3t/Zq%8x@w&k=1';
const ROLE = 'secret_reader';
const ENV_VAR = 'PG_PASS';

/** Every spelling of the secret a log line could carry. */
const spellings = (s: string): string[] => [s, encodeURIComponent(s), encodeURI(s), JSON.stringify(s).slice(1, -1), Buffer.from(s).toString('base64')];

const broker = useBroker();
const pg = usePostgres();

describe('JDBC source password through config providers', () => {
  const tmp = useTempDir('cs-jdbc-secrets-');
  let creds: string;
  let secretsDir: string;

  beforeAll(async () => {
    await pg.adminQuery(`SET ROLE ${pg.user};
      CREATE TABLE accounts (id SERIAL PRIMARY KEY, owner TEXT NOT NULL);
      INSERT INTO accounts (owner) VALUES ('ann'), ('bob'), ('cy');
      RESET ROLE;
      CREATE ROLE ${ROLE} LOGIN PASSWORD '${SECRET}';
      GRANT SELECT ON accounts TO ${ROLE};`);
    creds = writeProperties(tmp.file('creds.properties'), { 'db.user': ROLE, 'db.password': SECRET });
    secretsDir = tmp.file('secrets');
    fs.mkdirSync(secretsDir);
    fs.writeFileSync(`${secretsDir}/db-password`, SECRET);
  });

  const providers = {
    'config.providers': 'file,env,directory',
    'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
    'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    'config.providers.env.param.allowlist.pattern': 'PG_.*',
    'config.providers.directory.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
  };

  const cases: Array<[string, () => string]> = [
    ['file', () => `\${file:${creds}:db.password}`],
    ['env', () => `\${env:${ENV_VAR}}`],
    ['directory', () => `\${directory:${secretsDir}:db-password}`],
  ];

  it.each(cases)('${%s:...}: the rows arrive and the password is in no log line at debug', async (provider, variable) => {
    const prefix = `secrets-${provider}-`;
    const topic = `${prefix}accounts`;
    await broker.createTopic(topic, 1);
    const worker = writeProperties(tmp.file(`${provider}-worker.properties`), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file(`${provider}.offsets`)),
      ...providers,
      // allowed.paths on both file-reading providers: the secrets are inside, so they resolve.
      'config.providers.file.param.allowed.paths': tmp.dir,
      'config.providers.directory.param.allowed.paths': secretsDir,
    });
    const source = writeProperties(tmp.file(`${provider}-source.properties`), {
      name: `secrets-${provider}`,
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': pg.url,
      'connection.user': provider === 'file' ? `\${file:${creds}:db.user}` : ROLE,
      'connection.password': variable(),
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': 'accounts',
      'topic.prefix': prefix,
      'poll.interval.ms': 200,
    });
    const w = startWorker([worker, source], { logLevel: 'debug', env: { [ENV_VAR]: SECRET } });
    try {
      const messages = await readTopic(broker.bootstrapServers, topic, { count: 3 });
      expect(messages.map((m) => JSON.parse(m.value!.toString('utf8')).payload)).toEqual([
        { id: 1, owner: 'ann' },
        { id: 2, owner: 'bob' },
        { id: 3, owner: 'cy' },
      ]);
      // The connector's own config log is among what is checked below.
      await w.waitForLog(/JdbcSourceConnectorConfig values|connection\.password = /);
    } finally {
      expect(await w.stop()).toBe(0);
    }
    const logs = w.stderr() + w.stdout().toString('utf8');
    expect(logs).toContain('"level":20');
    expect(logs).toContain(`connection.password = ${variable()}`);
    for (const s of spellings(SECRET)) expect(logs).not.toContain(s);
  });
});

describe('JDBC source connection failures through the CLI', () => {
  const tmp = useTempDir('cs-jdbc-connfail-');
  let closedPort: number;

  beforeAll(async () => {
    // A port that was just free: nothing listens there, connecting is refused at once.
    closedPort = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(port));
      });
    });
  });

  /** Runs the CLI to its end (worker at debug level) and returns its exit code, output and duration. */
  async function run(name: string, connector: Record<string, string | number>): Promise<{ code: number | null; stderr: string; stdout: string; ms: number }> {
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`)));
    const source = writeProperties(tmp.file(`${name}-source.properties`), {
      name,
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      mode: 'bulk',
      'topic.prefix': `${name}-`,
      ...connector,
    });
    const w = startWorker([worker, source], { logLevel: 'debug' });
    const started = Date.now();
    const timer = setTimeout(() => void w.stop('SIGKILL'), 60_000);
    const { code } = await w.exited;
    clearTimeout(timer);
    return { code, stderr: w.stderr(), stdout: w.stdout().toString('utf8'), ms: Date.now() - started };
  }

  it('an unreachable database: exit 1, one line naming the masked URL and the cause, after the attempts', async () => {
    const url = `jdbc:postgresql://127.0.0.1:${closedPort}/appdb?user=${ROLE}`;
    const r = await run('unreachable', { 'connection.url': url, 'connection.password': SECRET, 'connection.attempts': 3, 'connection.backoff.ms': 500 });
    expect(r.code).toBe(1);
    const line = errorLine(r.stderr);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^connect-standalone: /);
    expect(line).toContain(`Failed to start connector unreachable`);
    expect(line).toContain(`Cannot connect to PostgreSQL at 127.0.0.1:${closedPort} (${url})`);
    expect(line).toMatch(/ECONNREFUSED/);
    expect(line).toContain('(gave up after 3 attempts)');
    for (const s of spellings(SECRET)) expect(r.stderr + r.stdout).not.toContain(s);
    // 3 refused attempts and 2 backoffs of 500 ms: it did wait between attempts, and gave up soon after.
    expect(r.ms).toBeGreaterThanOrEqual(1000);
    expect(r.ms).toBeLessThan(20_000);
  });

  it('a password inside connection.url is masked in the config log and the error line', async () => {
    const url = `jdbc:postgresql://127.0.0.1:${closedPort}/appdb?user=${ROLE}&password=${encodeURIComponent(SECRET)}`;
    const r = await run('urlsecret', { 'connection.url': url, 'connection.attempts': 1 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`connection.url = jdbc:postgresql://127.0.0.1:${closedPort}/appdb?user=${ROLE}&password=****`);
    expect(errorLine(r.stderr)).toContain('password=****');
    for (const s of spellings(SECRET)) expect(r.stderr + r.stdout).not.toContain(s);
  });

  it('wrong credentials: exit 1, one line naming the user and that authentication failed, no password', async () => {
    const wrong = 'Wr0ng-Secret/%-pass';
    const r = await run('badauth', { 'connection.url': pg.url, 'connection.user': pg.user, 'connection.password': wrong, 'connection.attempts': 3, 'connection.backoff.ms': 200 });
    expect(r.code).toBe(1);
    const line = errorLine(r.stderr);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(/^connect-standalone: Failed to start connector badauth /);
    expect(line).toContain(`authentication failed for user "${pg.user}" at ${pg.url}`);
    // Not retriable: one attempt, no "gave up after".
    expect(line).not.toContain('gave up');
    for (const s of spellings(wrong)) expect(r.stderr + r.stdout).not.toContain(s);
  });
});
