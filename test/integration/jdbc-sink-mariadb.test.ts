import { useMariadb } from './helpers/databases';
import { awaitCommitted, committedOffset, consumeAll, envelope, header, produceValues, sinkRun, stopWorker, struct, TASK_FAILED } from './helpers/jdbc-sink-e2e';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * The JDBC sink through the real CLI and broker into a real MariaDB server: schemaless JSON maps
 * (JsonConverter schemas.enable=false) into an existing table with its column types (issue 10's
 * acceptance), tombstones deleting by a string record key (VARCHAR(256) as Confluent's MySQL
 * dialect), a value too long for its column sent to the dead letter queue with the good rows
 * written, and the database stopped and restarted in the middle of a stream.
 */
describe('JdbcSinkConnector on MariaDB', () => {
  const broker = useBroker();
  const db = useMariadb();
  const tmp = useTempDir('cs-jdbc-sink-maria-');

  const connector = (name: string, topic: string, extra: Record<string, string | number>): Record<string, string | number> => ({
    name,
    'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
    'connection.url': db.url,
    'connection.user': db.user,
    'connection.password': db.password,
    topics: topic,
    ...extra,
  });
  const query = (sql: string) => db.adminQuery(sql);

  it('schemaless JSON maps land in an existing table, each value in its column type; an unknown field is dropped with one warning (schemaless.unknown.fields=ignore)', async () => {
    const topic = 'maria_events';
    const name = 'maria-schemaless';
    await broker.createTopic(topic, 1);
    await query(`CREATE TABLE ${topic} (
      id INT PRIMARY KEY, kind VARCHAR(20) NOT NULL, amount DECIMAL(10,2), active TINYINT(1), at DATETIME(3), day DATE, note TEXT)`);
    await produceValues(broker.bootstrapServers, topic, [
      '{"id":1,"kind":"a","amount":12.5,"active":true,"at":"2024-05-01T10:00:00.250Z","day":"2024-05-01","note":"first"}',
      '{"kind":"b","id":2,"amount":"0.10","at":1714557600000,"extra":"dropped"}',
      '{"id":1,"kind":"a2","amount":3,"active":false,"at":null,"day":"2024-05-03","note":"third","extra":"dropped again"}',
      '{"id":3,"kind":"c","note":"ünïcödé ✓"}',
    ]);
    const run = sinkRun(tmp.file, broker.bootstrapServers, name, [
      connector(name, topic, {
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'false',
        'insert.mode': 'upsert',
        'pk.mode': 'record_value',
        'schemaless.unknown.fields': 'ignore',
      }),
    ]);
    const w = run.start();
    try {
      await awaitCommitted(w, broker.bootstrapServers, name, topic, 4);
      expect(
        await query(
          `SELECT id, kind, CAST(amount AS CHAR) AS amount, active, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS at, CAST(day AS CHAR) AS day, note FROM ${topic} ORDER BY id`,
        ),
      ).toEqual([
        { id: 1, kind: 'a2', amount: '3.00', active: 0, at: null, day: '2024-05-03', note: 'third' },
        { id: 2, kind: 'b', amount: '0.10', active: null, at: '2024-05-01 10:00:00.000000', day: null, note: null },
        { id: 3, kind: 'c', amount: null, active: null, at: null, day: null, note: 'ünïcödé ✓' },
      ]);
      expect(w.stderr().match(/Field extra is not a column of table [^;]*maria_events[^;]*; dropping it/g)).toHaveLength(1);
    } finally {
      expect(await stopWorker(w)).toBe(0);
    }
  });

  it('tombstones delete rows with delete.enabled=true and pk.mode=record_key (a string key: VARCHAR(256) primary key)', async () => {
    const topic = 'maria_tombstones';
    const name = 'maria-tombstones';
    await broker.createTopic(topic, 1);
    const KEY = struct('key', [{ field: 'code', type: 'string' }]);
    const VALUE = struct('value', [{ field: 'qty', type: 'int32' }]);
    const rec = (code: string, qty: number | null) => ({ key: envelope(KEY, { code }), value: qty === null ? null : envelope(VALUE, { qty }) });
    await produceValues(broker.bootstrapServers, topic, [
      rec('a', 1), rec('b', 2), rec('c', 3), rec('a', null), rec('c', 30), rec('b', null), rec('a', 10), rec('zz', null), rec('d', 4), rec('d', null),
    ]);
    const run = sinkRun(tmp.file, broker.bootstrapServers, name, [
      connector(name, topic, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'delete.enabled': 'true', 'auto.create': 'true' }),
    ]);
    const w = run.start();
    try {
      await awaitCommitted(w, broker.bootstrapServers, name, topic, 10);
      expect(
        await query(
          `SELECT column_name AS c, column_type AS t, column_key AS k FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '${topic}' ORDER BY ordinal_position`,
        ),
      ).toEqual([
        // Confluent's column order: value fields first, then the key fields not among them.
        { c: 'qty', t: 'int(11)', k: '' },
        { c: 'code', t: 'varchar(256)', k: 'PRI' },
      ]);
      expect(await query(`SELECT code, qty FROM ${topic} ORDER BY code`)).toEqual([{ code: 'a', qty: 10 }, { code: 'c', qty: 30 }]);
    } finally {
      expect(await stopWorker(w)).toBe(0);
    }
  });

  it('a value too long for its column goes to the DLQ with the error headers; the good rows around it are written', async () => {
    const topic = 'maria_narrow';
    const dlq = 'maria_narrow_dlq';
    const name = 'maria-dlq';
    await broker.createTopic(topic, 1);
    await broker.createTopic(dlq, 1);
    await query(`CREATE TABLE ${topic} (id INT PRIMARY KEY, code VARCHAR(5) NOT NULL)`);
    const ROW = struct('row', [{ field: 'id', type: 'int32' }, { field: 'code', type: 'string' }]);
    const stream = [envelope(ROW, { id: 1, code: 'ok' }), envelope(ROW, { id: 2, code: 'far too long' }), envelope(ROW, { id: 3, code: 'fine' })];
    await produceValues(broker.bootstrapServers, topic, stream);
    const run = sinkRun(tmp.file, broker.bootstrapServers, name, [
      connector(name, topic, {
        'insert.mode': 'upsert',
        'pk.mode': 'record_value',
        'pk.fields': 'id',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': 1,
        'errors.deadletterqueue.context.headers.enable': 'true',
      }),
    ]);
    const w = run.start();
    try {
      await awaitCommitted(w, broker.bootstrapServers, name, topic, 3);
      expect(await query(`SELECT id, code FROM ${topic} ORDER BY id`)).toEqual([{ id: 1, code: 'ok' }, { id: 3, code: 'fine' }]);
      const [dead] = await consumeAll(broker.bootstrapServers, dlq, 1);
      expect(dead.value!.toString('utf8')).toBe(stream[1]);
      expect([header(dead, '__connect.errors.topic'), header(dead, '__connect.errors.offset')]).toEqual([topic, '1']);
      expect(header(dead, '__connect.errors.exception.message')).toMatch(/Data too long for column 'code'/);
      expect(w.stderr()).not.toMatch(TASK_FAILED);
    } finally {
      expect(await stopWorker(w)).toBe(0);
    }
  });

  it('the database stopped and restarted mid-stream: records produced while it is down are written after, one row per key, nothing lost, offsets at the end', async () => {
    const topic = 'maria_outage';
    const name = 'maria-outage';
    await broker.createTopic(topic, 1);
    const ITEM = struct('item', [{ field: 'id', type: 'int32' }, { field: 'version', type: 'int32' }, { field: 'note', type: 'string' }]);
    const produced: Array<{ id: number; version: number; note: string }> = [];
    const wave = async (keys: number, count: number, version: number): Promise<void> => {
      const items = Array.from({ length: count }, (_, i) => ({ id: i % keys, version, note: `w${version}-${i}` }));
      produced.push(...items);
      await produceValues(broker.bootstrapServers, topic, items.map((item) => envelope(ITEM, item)));
    };
    const run = sinkRun(tmp.file, broker.bootstrapServers, name, [
      connector(name, topic, {
        'insert.mode': 'upsert',
        'pk.mode': 'record_value',
        'pk.fields': 'id',
        'auto.create': 'true',
        'max.retries': 1000,
        'retry.backoff.ms': 300,
        'connection.attempts': 1,
        'connection.backoff.ms': 100,
      }),
    ]);
    await wave(100, 200, 1);
    const w = run.start();
    try {
      await awaitCommitted(w, broker.bootstrapServers, name, topic, 200);
      await db.stopServer();
      await wave(150, 300, 2);
      await w.waitForLog(/transient database error/, 60_000);
      expect(await committedOffset(broker.bootstrapServers, name, topic)).toBe(200);
      await db.startServer();
      await wave(120, 150, 3);
      await awaitCommitted(w, broker.bootstrapServers, name, topic, 650);
      const latest = new Map(produced.map((p) => [p.id, p]));
      expect(await query(`SELECT id, version, note FROM ${topic} ORDER BY id`)).toEqual([...latest.values()].sort((a, b) => a.id - b.id));
    } finally {
      await db.startServer();
      expect(await stopWorker(w)).toBe(0);
    }
  });
});
