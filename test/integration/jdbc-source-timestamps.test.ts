import * as fs from 'fs';
import { highWatermark, readTopic } from '../harness/kcat';
import { useMariadb, usePostgres } from './helpers/databases';
import { TestDatabaseServer } from './helpers/databases';
import { useBroker, useTempDir } from './helpers/suite';
import { eventually, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';

/**
 * timestamp mode through the CLI on real PostgreSQL and MariaDB servers with microsecond timestamps
 * set by the database (now() / CURRENT_TIMESTAMP(6)): rows inserted between polls a fraction of a
 * millisecond apart, and rows updated (their timestamp bumped), are each delivered exactly once, and
 * after several idle polls nothing was read again. An offset cut to milliseconds would read the last
 * row of every poll again (its timestamp is past the cut), so the count in the topic would grow.
 */
interface Database {
  readonly name: string;
  readonly server: TestDatabaseServer;
  createTable(): Promise<void>;
  /** One statement per call: each row gets its own timestamp. */
  exec(sql: string): Promise<void>;
  /** Microsecond of the second of the newest timestamp in the table. */
  newestMicros(): Promise<number>;
  /** Rows whose timestamp has a sub-millisecond part. */
  subMillisecondRows(): Promise<number>;
}

const broker = useBroker();
const pg = usePostgres();
const maria = useMariadb();
const tmp = useTempDir('cs-jdbc-ts-');

const databases: Database[] = [
  {
    name: 'postgres',
    server: pg,
    createTable: async () => {
      await pg.adminQuery(`SET ROLE ${pg.user}; CREATE TABLE events (id SERIAL PRIMARY KEY, body TEXT NOT NULL, updated_at TIMESTAMPTZ(6) NOT NULL DEFAULT now()); RESET ROLE;`);
    },
    exec: async (sql) => {
      await pg.adminQuery(sql);
    },
    newestMicros: async () => Number((await pg.adminQuery('SELECT (EXTRACT(MICROSECONDS FROM max(updated_at)) % 1000000)::int AS us FROM events'))[0].us),
    subMillisecondRows: async () => Number((await pg.adminQuery("SELECT count(*)::int AS n FROM events WHERE to_char(updated_at, 'US')::int % 1000 <> 0"))[0].n),
  },
  {
    name: 'mariadb',
    server: maria,
    createTable: async () => {
      await maria.adminQuery('CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT NOT NULL, updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6))');
    },
    exec: async (sql) => {
      await maria.adminQuery(sql);
    },
    newestMicros: async () => Number((await maria.adminQuery('SELECT MICROSECOND(MAX(updated_at)) AS us FROM events'))[0].us),
    subMillisecondRows: async () => Number((await maria.adminQuery('SELECT COUNT(*) AS n FROM events WHERE MICROSECOND(updated_at) % 1000 <> 0'))[0].n),
  },
];

const ROUNDS = 4;

describe.each(databases.map((d) => [d.name, d] as const))('timestamp mode with microsecond timestamps on %s', (name, db) => {
  it('every insert and update between polls is delivered exactly once, and idle polls read nothing again', async () => {
    const topic = `${name}-ts-events`;
    await broker.createTopic(topic, 1);
    await db.createTable();
    for (const body of ['a', 'b', 'c']) await db.exec(`INSERT INTO events (body) VALUES ('${body}')`);
    const offsets = tmp.file(`${name}.offsets`);
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, offsets));
    const source = writeProperties(tmp.file(`${name}-source.properties`), {
      name: `${name}-ts`,
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': db.server.url,
      'connection.user': db.server.user,
      'connection.password': db.server.password,
      mode: 'timestamp',
      'timestamp.column.name': 'updated_at',
      'table.whitelist': 'events',
      'topic.prefix': `${name}-ts-`,
      'poll.interval.ms': 50,
    });
    const expected = ['1:a', '2:b', '3:c'];
    const delivered = async (count: number): Promise<string[]> =>
      (await readTopic(broker.bootstrapServers, topic, { count })).map((m) => {
        const p = JSON.parse(m.value!.toString('utf8')).payload as { id: number; body: string };
        return `${p.id}:${p.body}`;
      });
    const w = startWorker([worker, source]);
    try {
      await delivered(expected.length);
      let next = 4;
      for (let round = 1; round <= ROUNDS; round++) {
        // Back to back, a fraction of a millisecond apart, while the connector polls every 50 ms.
        for (let i = 0; i < 2; i++, next++) {
          const body = `r${round}-${i}`;
          await db.exec(`INSERT INTO events (body) VALUES ('${body}')`);
          expected.push(`${next}:${body}`);
        }
        const body = `updated-${round}`;
        await db.exec(`UPDATE events SET body = '${body}', updated_at = CURRENT_TIMESTAMP(6) WHERE id = ${round}`);
        expected.push(`${round}:${body}`);
        expect((await delivered(expected.length)).sort()).toEqual([...expected].sort());
      }
      // Idle polls (a second at 50 ms): nothing more is read.
      await new Promise((r) => setTimeout(r, 1000));
      expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(expected.length);
      // The stored offset carries the newest timestamp's microseconds.
      const micros = await db.newestMicros();
      await eventually(
        () => fs.existsSync(offsets) && JSON.parse(fs.readFileSync(offsets, 'utf8')).offsets[0]?.value.timestamp_nanos === micros * 1000,
        10000,
        () => `offset timestamp_nanos is not ${micros * 1000}: ${fs.existsSync(offsets) ? fs.readFileSync(offsets, 'utf8') : 'no offsets file'}`,
      );
    } finally {
      expect(await w.stop()).toBe(0);
    }
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(expected.length);
    // The scenario did exercise sub-millisecond timestamps.
    expect(await db.subMillisecondRows()).toBeGreaterThan(0);
  }, 90_000);
});
