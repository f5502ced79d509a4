import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../../../src/api';
import { createConnectionFactory } from '../../../../connectors/jdbc/connection-factory';
import { ConnectOptions, DatabaseError, DbConnection } from '../../../../connectors/jdbc/dialect';
import { JdbcCommonConfig } from '../../../../connectors/jdbc/jdbc-common-config';

const fakeConnection = {} as DbConnection;

function config(props: Record<string, string>): JdbcCommonConfig {
  return JdbcCommonConfig.parse(props);
}

describe('createConnectionFactory', () => {
  it('retries retriable failures connection.attempts times with connection.backoff.ms between, then gives one clear error', async () => {
    const sleeps: number[] = [];
    let calls = 0;
    const factory = createConnectionFactory(
      config({ 'connection.url': 'jdbc:postgresql://db:5432/shop', 'connection.attempts': '4', 'connection.backoff.ms': '250' }),
      {
        sleep: async (ms) => {
          sleeps.push(ms);
        },
        open: async () => {
          calls++;
          throw new DatabaseError('Cannot connect to db:5432: connect ECONNREFUSED', { retriable: true });
        },
      },
    );
    const err = await factory.connect().catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(sleeps).toEqual([250, 250, 250]);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as Error).message).toBe('Cannot connect to db:5432: connect ECONNREFUSED (gave up after 4 attempts)');
  });

  it('succeeds on a later attempt', async () => {
    let calls = 0;
    const factory = createConnectionFactory(config({ 'connection.url': 'jdbc:postgresql://db/shop', 'connection.backoff.ms': '1' }), {
      sleep: async () => undefined,
      open: async () => {
        if (++calls < 3) throw new DatabaseError('server starting up', { retriable: true });
        return fakeConnection;
      },
    });
    await expect(factory.connect()).resolves.toBe(fakeConnection);
    expect(calls).toBe(3);
  });

  it('does not retry a non-retriable failure (wrong password) and passes the driver error through', async () => {
    let calls = 0;
    const failure = new DatabaseError('Authentication failed for user "app" at jdbc:postgresql://db/shop');
    const factory = createConnectionFactory(config({ 'connection.url': 'jdbc:postgresql://db/shop', 'connection.attempts': '5' }), {
      sleep: async () => {
        throw new Error('must not sleep');
      },
      open: async () => {
        calls++;
        throw failure;
      },
    });
    await expect(factory.connect()).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it('a foreign error becomes a DatabaseError naming the URL without its password', async () => {
    const factory = createConnectionFactory(config({ 'connection.url': 'jdbc:postgresql://db/shop?user=u&password=hunter2', 'connection.attempts': '1' }), {
      open: async () => {
        throw new Error('boom');
      },
    });
    const err = (await factory.connect().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toBe('Cannot connect to jdbc:postgresql://db/shop?user=u&password=****: boom');
  });

  it('user and password: the keys win over the URL, the URL fills in', async () => {
    const seen: ConnectOptions[] = [];
    const open = async (o: ConnectOptions) => {
      seen.push(o);
      return fakeConnection;
    };
    await createConnectionFactory(config({ 'connection.url': 'jdbc:postgresql://db/x?user=urluser&password=urlpass' }), { open }).connect();
    await createConnectionFactory(
      config({ 'connection.url': 'jdbc:postgresql://db/x?user=urluser&password=urlpass', 'connection.user': 'keyuser', 'connection.password': 'keypass' }),
      { open },
    ).connect();
    await createConnectionFactory(config({ 'connection.url': 'jdbc:postgresql://db/x', 'db.timezone': 'Asia/Tokyo' }), { open }).connect();
    expect(seen.map((o) => [o.user, o.password])).toEqual([
      ['urluser', 'urlpass'],
      ['keyuser', 'keypass'],
      [null, null],
    ]);
    expect(seen[2].timeZone).toBe('Asia/Tokyo');
  });

  it('picks the dialect from the URL; dialect.name must agree with it', () => {
    expect(createConnectionFactory(config({ 'connection.url': 'jdbc:sqlite::memory:' })).dialect.name).toBe('SqliteDatabaseDialect');
    expect(createConnectionFactory(config({ 'connection.url': 'jdbc:postgresql://h/db' })).dialect.name).toBe('PostgreSqlDatabaseDialect');
    expect(createConnectionFactory(config({ 'connection.url': 'jdbc:mysql://h/db' })).dialect.name).toBe('MySqlDatabaseDialect');
    expect(createConnectionFactory(config({ 'connection.url': 'jdbc:mariadb://h/db', 'dialect.name': 'MySqlDatabaseDialect' })).dialect.name).toBe('MySqlDatabaseDialect');
    expect(() => createConnectionFactory(config({ 'connection.url': 'jdbc:sqlite::memory:', 'dialect.name': 'PostgreSqlDatabaseDialect' }))).toThrow(
      new ConfigError(
        'Invalid value PostgreSqlDatabaseDialect for configuration dialect.name: it does not fit connection.url jdbc:sqlite::memory: (a sqlite URL); leave dialect.name empty or make them agree',
      ),
    );
  });

  it('opens a real SQLite file; a missing one fails once (not retriable) naming the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'factory-'));
    try {
      const missing = path.join(dir, 'missing.db');
      let slept = 0;
      const factory = createConnectionFactory(config({ 'connection.url': `jdbc:sqlite:${missing}`, 'connection.attempts': '3' }), {
        sleep: async () => {
          slept++;
        },
      });
      await expect(factory.connect()).rejects.toThrow(`SQLite database file ${missing} does not exist`);
      expect(slept).toBe(0);
      const created = createConnectionFactory(config({ 'connection.url': `jdbc:sqlite:${missing}` }), { createDatabase: true });
      const conn = await created.connect();
      expect((await conn.query('SELECT 1 + 1')).rows).toEqual([[2n]]);
      await conn.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
