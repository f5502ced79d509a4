import * as fs from 'fs';
import { highWatermark, readTopic } from '../harness/kcat';
import { useMariadb } from './helpers/databases';
import { useBroker, useTempDir } from './helpers/suite';
import { eventually, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';

/**
 * The JDBC source through the real CLI against a real MariaDB server (jdbc:mariadb and jdbc:mysql
 * URLs): Confluent's schema and JSON bytes (DECIMAL stays a Decimal under best_fit, as in
 * Confluent's connector), its partition (`database.table`) and offsets, a restart without loss or
 * duplicates, timestamp+incrementing over DATETIME, and one clear error for a wrong password.
 */
describe('JdbcSourceConnector on MariaDB', () => {
  const broker = useBroker();
  const db = useMariadb();
  const tmp = useTempDir('cs-jdbc-my-');

  function setup(name: string, connector: Record<string, string | number>): { offsets: string; run(): WorkerProcess } {
    const offsets = tmp.file(`${name}.offsets`);
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, offsets));
    const source = writeProperties(tmp.file(`${name}-source.properties`), {
      name,
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': db.url,
      'connection.user': db.user,
      'connection.password': db.password,
      'poll.interval.ms': 200,
      ...connector,
    });
    return { offsets, run: () => startWorker([worker, source]) };
  }

  const storedOffsets = (file: string): { key: unknown[]; value: unknown }[] => JSON.parse(fs.readFileSync(file, 'utf8')).offsets;

  it('best_fit: the same schema and payload bytes as Confluent, its partition and offsets, and a restart resumes exactly', async () => {
    const topic = 'my-orders';
    await broker.createTopic(topic, 1);
    await db.adminQuery(`CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT NOT NULL, price DECIMAL(10,2), note VARCHAR(40), big BIGINT UNSIGNED);
      INSERT INTO orders (name, price, note, big) VALUES ('apple', 12.50, 'fresh', 9223372036854775807), ('pear', NULL, NULL, NULL), ('plum', -0.10, 'ripe', 0)`);
    const s = setup('my-inc', {
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': 'orders',
      'topic.prefix': 'my-',
      'numeric.mapping': 'best_fit',
      'batch.max.rows': 2,
    });
    let w = s.run();
    const first = await readTopic(broker.bootstrapServers, topic, { count: 3 });
    const schema =
      '{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"string","optional":false,"field":"name"},' +
      '{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"10"},"field":"price"},' +
      '{"type":"string","optional":true,"field":"note"},{"type":"int64","optional":true,"field":"big"}],"optional":false,"name":"orders"}';
    expect(first.map((m) => m.value!.toString('utf8'))).toEqual([
      // 12.50 is unscaled 1250 = 0x04e2; -0.10 is unscaled -10 = 0xf6 (base64, as JsonConverter writes Decimals by default).
      `{"schema":${schema},"payload":{"id":1,"name":"apple","price":"BOI=","note":"fresh","big":9223372036854775807}}`,
      `{"schema":${schema},"payload":{"id":2,"name":"pear","price":null,"note":null,"big":null}}`,
      `{"schema":${schema},"payload":{"id":3,"name":"plum","price":"9g==","note":"ripe","big":0}}`,
    ]);
    await eventually(() => fs.existsSync(s.offsets) && JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":3'), 15000, () => 'offset 3 not stored');
    expect(await w.stop()).toBe(0);
    await db.adminQuery("INSERT INTO orders (name, price) VALUES ('fig', 3.25)");
    w = s.run();
    const all = await readTopic(broker.bootstrapServers, topic, { count: 4 });
    expect(all.map((m) => JSON.parse(m.value!.toString('utf8')).payload.id)).toEqual([1, 2, 3, 4]);
    await eventually(() => JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":4'), 15000, () => 'offset 4 not stored');
    expect(await w.stop()).toBe(0);
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(4);
    expect(storedOffsets(s.offsets)).toEqual([{ key: ['my-inc', { protocol: '1', table: `${db.database}.orders` }], value: { incrementing: 4 } }]);
  });

  it('timestamp+incrementing over DATETIME(3) through a jdbc:mysql URL: a late row with the last timestamp is delivered once', async () => {
    const topic = 'my-tsi-events';
    await broker.createTopic(topic, 1);
    await db.adminQuery(`CREATE TABLE events (id INT PRIMARY KEY, at DATETIME(3) NOT NULL, body TEXT);
      INSERT INTO events VALUES (1, '2024-03-01 10:00:00.000', 'a'), (2, '2024-03-01 10:00:05.250', 'b')`);
    const s = setup('my-tsi', {
      'connection.url': db.url.replace('jdbc:mariadb:', 'jdbc:mysql:'),
      mode: 'timestamp+incrementing',
      'timestamp.column.name': 'at',
      'incrementing.column.name': 'id',
      'table.whitelist': 'events',
      'topic.prefix': 'my-tsi-',
    });
    let w = s.run();
    await readTopic(broker.bootstrapServers, topic, { count: 2 });
    await eventually(() => fs.existsSync(s.offsets) && JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":2'), 15000, () => 'offset not stored');
    expect(await w.stop()).toBe(0);
    await db.adminQuery("INSERT INTO events VALUES (3, '2024-03-01 10:00:05.250', 'late, same timestamp')");
    w = s.run();
    const all = await readTopic(broker.bootstrapServers, topic, { count: 3 });
    const last = Date.parse('2024-03-01T10:00:05.250Z');
    expect(all.map((m) => JSON.parse(m.value!.toString('utf8')).payload)).toEqual([
      { id: 1, at: Date.parse('2024-03-01T10:00:00Z'), body: 'a' },
      { id: 2, at: last, body: 'b' },
      { id: 3, at: last, body: 'late, same timestamp' },
    ]);
    await eventually(() => JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":3'), 15000, () => 'offset 3 not stored');
    expect(await w.stop()).toBe(0);
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(3);
    expect(storedOffsets(s.offsets)).toEqual([
      { key: ['my-tsi', { protocol: '1', table: `${db.database}.events` }], value: { incrementing: 3, timestamp: last, timestamp_nanos: 250000000 } },
    ]);
  });

  it('a wrong password stops the connector with one clear error naming the user and URL, never the password', async () => {
    const s = setup('my-badpw', { mode: 'bulk', 'connection.password': 'not-the-Pa55word', 'connection.attempts': 1, 'topic.prefix': 'my-bad-' });
    const w = s.run();
    try {
      await w.waitForLog(new RegExp(`authentication failed for user \\\\"${db.user}\\\\" at ${db.url.replace(/[.]/g, '\\.')}`), 30000);
    } finally {
      await w.stop();
    }
    expect(w.stderr()).not.toContain('not-the-Pa55word');
  });
});
