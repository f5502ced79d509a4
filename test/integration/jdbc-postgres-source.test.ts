import * as fs from 'fs';
import { highWatermark, readTopic } from '../harness/kcat';
import { usePostgres } from './helpers/databases';
import { useBroker, useTempDir } from './helpers/suite';
import { eventually, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';

/**
 * The JDBC source through the real CLI against a real PostgreSQL server: Confluent's schema and
 * JSON bytes for SERIAL / TEXT NOT NULL / NUMERIC(10,2) / VARCHAR under best_fit, its partition
 * (`schema.table`: Confluent's dialect drops the catalog) and offsets, a restart without loss or
 * duplicates, timestamp+incrementing over timestamptz, and one clear error for a wrong password.
 */
describe('JdbcSourceConnector on PostgreSQL', () => {
  const broker = useBroker();
  const pg = usePostgres();
  const tmp = useTempDir('cs-jdbc-pg-');

  function setup(name: string, connector: Record<string, string | number>): { offsets: string; run(): WorkerProcess } {
    const offsets = tmp.file(`${name}.offsets`);
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, offsets));
    const source = writeProperties(tmp.file(`${name}-source.properties`), {
      name,
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': pg.url,
      'connection.user': pg.user,
      'connection.password': pg.password,
      'poll.interval.ms': 200,
      ...connector,
    });
    return { offsets, run: () => startWorker([worker, source]) };
  }

  const storedOffsets = (file: string): { key: unknown[]; value: unknown }[] => JSON.parse(fs.readFileSync(file, 'utf8')).offsets;
  const asUser = (sql: string) => pg.adminQuery(`SET ROLE ${pg.user}; ${sql}; RESET ROLE;`);

  it('best_fit: the same schema and payload bytes as Confluent, its partition and offsets, and a restart resumes exactly', async () => {
    const topic = 'pg-orders';
    await broker.createTopic(topic, 1);
    await asUser(`CREATE TABLE orders (id SERIAL PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10,2), note VARCHAR(40));
      INSERT INTO orders (name, price, note) VALUES ('apple', 12.50, 'fresh'), ('pear', NULL, NULL), ('plum', 0.10, 'ripe')`);
    const s = setup('pg-inc', {
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': 'orders',
      'topic.prefix': 'pg-',
      'numeric.mapping': 'best_fit',
      'batch.max.rows': 2,
    });
    let w = s.run();
    const first = await readTopic(broker.bootstrapServers, topic, { count: 3 });
    const schema =
      '{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":false,"field":"name"},' +
      '{"type":"double","optional":true,"field":"price"},{"type":"string","optional":true,"field":"note"}],"optional":false,"name":"orders"}';
    expect(first.map((m) => m.value!.toString('utf8'))).toEqual([
      `{"schema":${schema},"payload":{"id":1,"name":"apple","price":12.5,"note":"fresh"}}`,
      `{"schema":${schema},"payload":{"id":2,"name":"pear","price":null,"note":null}}`,
      `{"schema":${schema},"payload":{"id":3,"name":"plum","price":0.1,"note":"ripe"}}`,
    ]);
    expect(first.map((m) => m.key)).toEqual([null, null, null]);
    await eventually(() => fs.existsSync(s.offsets) && JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":3'), 15000, () => 'offset 3 not stored');
    expect(await w.stop()).toBe(0);
    await asUser("INSERT INTO orders (name, price) VALUES ('fig', 3.25)");
    w = s.run();
    const all = await readTopic(broker.bootstrapServers, topic, { count: 4 });
    expect(all.map((m) => JSON.parse(m.value!.toString('utf8')).payload.id)).toEqual([1, 2, 3, 4]);
    await eventually(() => JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":4'), 15000, () => 'offset 4 not stored');
    expect(await w.stop()).toBe(0);
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(4);
    expect(storedOffsets(s.offsets)).toEqual([{ key: ['pg-inc', { protocol: '1', table: 'public.orders' }], value: { incrementing: 4 } }]);
  });

  it('timestamp+incrementing over timestamptz: a late row with the last timestamp is delivered once, in db.timezone terms', async () => {
    const topic = 'pg-tsi-events';
    await broker.createTopic(topic, 1);
    await asUser(`CREATE TABLE events (id INT PRIMARY KEY, at TIMESTAMPTZ NOT NULL, local_at TIMESTAMP NOT NULL, body TEXT);
      INSERT INTO events VALUES (1, '2024-03-01 10:00:00+00', '2024-03-01 05:00:00', 'a'), (2, '2024-03-01 10:00:05+00', '2024-03-01 05:00:05', 'b')`);
    const s = setup('pg-tsi', {
      mode: 'timestamp+incrementing',
      'timestamp.column.name': 'at',
      'incrementing.column.name': 'id',
      'table.whitelist': 'events',
      'topic.prefix': 'pg-tsi-',
      'db.timezone': 'America/New_York',
    });
    let w = s.run();
    await readTopic(broker.bootstrapServers, topic, { count: 2 });
    await eventually(() => fs.existsSync(s.offsets) && JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":2'), 15000, () => 'offset not stored');
    expect(await w.stop()).toBe(0);
    await asUser("INSERT INTO events VALUES (3, '2024-03-01 10:00:05+00', '2024-03-01 05:00:05', 'late, same timestamp')");
    w = s.run();
    const all = await readTopic(broker.bootstrapServers, topic, { count: 3 });
    const last = Date.parse('2024-03-01T10:00:05Z');
    expect(all.map((m) => JSON.parse(m.value!.toString('utf8')).payload)).toEqual([
      { id: 1, at: Date.parse('2024-03-01T10:00:00Z'), local_at: Date.parse('2024-03-01T10:00:00Z'), body: 'a' },
      { id: 2, at: last, local_at: last, body: 'b' },
      { id: 3, at: last, local_at: last, body: 'late, same timestamp' },
    ]);
    await eventually(() => JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":3'), 15000, () => 'offset 3 not stored');
    expect(await w.stop()).toBe(0);
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(3);
    expect(storedOffsets(s.offsets)).toEqual([
      { key: ['pg-tsi', { protocol: '1', table: 'public.events' }], value: { incrementing: 3, timestamp: last, timestamp_nanos: 0 } },
    ]);
  });

  it('a wrong password stops the connector with one clear error naming the user and URL, never the password', async () => {
    const s = setup('pg-badpw', { mode: 'bulk', 'connection.password': 'not-the-Pa55word', 'connection.attempts': 1, 'topic.prefix': 'pg-bad-' });
    const w = s.run();
    try {
      await w.waitForLog(new RegExp(`authentication failed for user \\\\"${pg.user}\\\\" at ${pg.url.replace(/[.]/g, '\\.')}`), 30000);
    } finally {
      await w.stop();
    }
    expect(w.stderr()).not.toContain('not-the-Pa55word');
  });
});
