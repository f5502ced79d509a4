import * as fs from 'fs';
import Database from 'better-sqlite3';
import { highWatermark, readTopic } from '../harness/kcat';
import { eventually, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * The JDBC source through the real CLI against SQLite files and the broker harness: each mode,
 * restarts without loss or duplicates (stop the worker, change the table, start again), query mode,
 * a table created while running, and the stored offsets in Confluent's shapes.
 */
describe('JdbcSourceConnector on SQLite', () => {
  const broker = useBroker();
  const tmp = useTempDir('cs-jdbc-');

  interface Setup {
    db: Database.Database;
    offsets: string;
    run(): WorkerProcess;
  }

  function setup(name: string, connector: Record<string, string | number>): Setup {
    const file = tmp.file(`${name}.db`);
    const db = new Database(file);
    const offsets = tmp.file(`${name}.offsets`);
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, offsets));
    const source = writeProperties(tmp.file(`${name}-source.properties`), {
      name,
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': `jdbc:sqlite:${file}`,
      'poll.interval.ms': 200,
      ...connector,
    });
    return { db, offsets, run: () => startWorker([worker, source]) };
  }

  const payloads = (messages: { value: Buffer | null }[]) => messages.map((m) => JSON.parse(m.value!.toString('utf8')).payload);

  function storedOffsets(file: string): { key: unknown[]; value: unknown }[] {
    return JSON.parse(fs.readFileSync(file, 'utf8')).offsets;
  }

  /** Stops the worker cleanly and checks the topic holds exactly `count` messages. */
  async function stopAndCount(w: WorkerProcess, topic: string, count: number): Promise<void> {
    expect(await w.stop()).toBe(0);
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(count);
  }

  it('incrementing: Confluent-shaped records and offsets, and a restart resumes without loss or duplicates', async () => {
    const topic = 'inc-orders';
    await broker.createTopic(topic, 1);
    const s = setup('inc', { mode: 'incrementing', 'incrementing.column.name': 'id', 'topic.prefix': 'inc-', 'table.whitelist': 'orders', 'batch.max.rows': 2 });
    s.db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY NOT NULL, item TEXT NOT NULL, note VARCHAR(20))');
    const insert = s.db.prepare('INSERT INTO orders (id, item, note) VALUES (?, ?, ?)');
    for (let i = 1; i <= 3; i++) insert.run(i, `item${i}`, i === 2 ? null : `n${i}`);
    let w = s.run();
    const first = await readTopic(broker.bootstrapServers, topic, { count: 3 });
    expect(first.map((m) => m.key)).toEqual([null, null, null]);
    const doc = JSON.parse(first[1].value!.toString('utf8'));
    expect(doc.schema).toMatchObject({ type: 'struct', name: 'orders', optional: false });
    expect(doc.schema.fields.map((f: { field: string }) => f.field)).toEqual(['id', 'item', 'note']);
    expect(doc.payload).toEqual({ id: 2, item: 'item2', note: null });
    await eventually(() => fs.existsSync(s.offsets) && JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":3'), 15000, () => 'offset 3 not stored');
    await stopAndCount(w, topic, 3);
    for (let i = 4; i <= 5; i++) insert.run(i, `item${i}`, null);
    w = s.run();
    const all = await readTopic(broker.bootstrapServers, topic, { count: 5 });
    expect(payloads(all).map((p) => p.id)).toEqual([1, 2, 3, 4, 5]);
    await eventually(() => JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":5'), 15000, () => 'offset 5 not stored');
    await stopAndCount(w, topic, 5);
    expect(storedOffsets(s.offsets)).toEqual([{ key: ['inc', { protocol: '1', table: 'orders' }], value: { incrementing: 5 } }]);
  });

  it('timestamp+incrementing: a row inserted after a restart with the last timestamp seen is delivered exactly once', async () => {
    const topic = 'tsi-events';
    await broker.createTopic(topic, 1);
    const s = setup('tsi', {
      mode: 'timestamp+incrementing',
      'timestamp.column.name': 'updated_at',
      'incrementing.column.name': 'id',
      'topic.prefix': 'tsi-',
    });
    s.db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY NOT NULL, updated_at TIMESTAMP NOT NULL, body TEXT)');
    const insert = s.db.prepare('INSERT INTO events (id, updated_at, body) VALUES (?, ?, ?)');
    insert.run(1, '2024-03-01 10:00:00', 'a');
    insert.run(2, '2024-03-01 10:00:05', 'b');
    let w = s.run();
    await readTopic(broker.bootstrapServers, topic, { count: 2 });
    const last = Date.parse('2024-03-01T10:00:05Z');
    await eventually(() => fs.existsSync(s.offsets) && JSON.stringify(storedOffsets(s.offsets)).includes(`"incrementing":2`), 15000, () => 'offset not stored');
    await stopAndCount(w, topic, 2);
    insert.run(3, '2024-03-01 10:00:05', 'late, same timestamp');
    w = s.run();
    const all = await readTopic(broker.bootstrapServers, topic, { count: 3 });
    expect(payloads(all).map((p) => [p.id, p.updated_at, p.body])).toEqual([
      [1, Date.parse('2024-03-01T10:00:00Z'), 'a'],
      [2, last, 'b'],
      [3, last, 'late, same timestamp'],
    ]);
    await eventually(() => JSON.stringify(storedOffsets(s.offsets)).includes(`"incrementing":3`), 15000, () => 'offset 3 not stored');
    await stopAndCount(w, topic, 3);
    expect(storedOffsets(s.offsets)).toEqual([
      { key: ['tsi', { protocol: '1', table: 'events' }], value: { incrementing: 3, timestamp: last, timestamp_nanos: 0 } },
    ]);
  });

  it('timestamp: modified rows are read again, and a restart loses nothing', async () => {
    const topic = 'ts-items';
    await broker.createTopic(topic, 1);
    const s = setup('ts', { mode: 'timestamp', 'timestamp.column.name': 'modified', 'topic.prefix': 'ts-', 'batch.max.rows': 2 });
    s.db.exec('CREATE TABLE items (id INTEGER NOT NULL, modified TIMESTAMP NOT NULL)');
    const insert = s.db.prepare('INSERT INTO items (id, modified) VALUES (?, ?)');
    // Three rows share one timestamp across a page boundary (pages of 2).
    insert.run(1, '2024-01-01 00:00:01');
    insert.run(2, '2024-01-01 00:00:02');
    insert.run(3, '2024-01-01 00:00:02');
    insert.run(4, '2024-01-01 00:00:02');
    let w = s.run();
    const first = await readTopic(broker.bootstrapServers, topic, { count: 4 });
    expect(payloads(first).map((p) => p.id)).toEqual([1, 2, 3, 4]);
    await eventually(
      () => fs.existsSync(s.offsets) && JSON.stringify(storedOffsets(s.offsets)).includes(String(Date.parse('2024-01-01T00:00:02Z'))),
      15000,
      () => 'offset not stored',
    );
    await stopAndCount(w, topic, 4);
    s.db.prepare('UPDATE items SET modified = ? WHERE id = 1').run('2024-01-01 00:00:03');
    w = s.run();
    const all = await readTopic(broker.bootstrapServers, topic, { count: 5 });
    expect(payloads(all).map((p) => p.id)).toEqual([1, 2, 3, 4, 1]);
    await eventually(() => JSON.stringify(storedOffsets(s.offsets)).includes(String(Date.parse('2024-01-01T00:00:03Z'))), 15000, () => 'offset not stored');
    await stopAndCount(w, topic, 5);
    expect(storedOffsets(s.offsets)[0].value).toEqual({ timestamp: Date.parse('2024-01-01T00:00:03Z'), timestamp_nanos: 0 });
  });

  it('bulk: the whole table, in pages', async () => {
    const topic = 'bulk-colors';
    await broker.createTopic(topic, 1);
    const s = setup('bulk', { mode: 'bulk', 'topic.prefix': 'bulk-', 'batch.max.rows': 2, 'poll.interval.ms': 600000 });
    s.db.exec("CREATE TABLE colors (name TEXT NOT NULL); INSERT INTO colors VALUES ('red'), ('green'), ('blue')");
    const w = s.run();
    const messages = await readTopic(broker.bootstrapServers, topic, { count: 3 });
    expect(payloads(messages)).toEqual([{ name: 'red' }, { name: 'green' }, { name: 'blue' }]);
    await stopAndCount(w, topic, 3);
  });

  it('query mode: a query with its own WHERE, written to topic.prefix, resumes from {"query":"query"}', async () => {
    const topic = 'big-orders';
    await broker.createTopic(topic, 1);
    const s = setup('query', {
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      query: 'SELECT id, amount FROM orders WHERE amount >= 100',
      'topic.prefix': topic,
    });
    s.db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY NOT NULL, amount INTEGER NOT NULL)');
    const insert = s.db.prepare('INSERT INTO orders (id, amount) VALUES (?, ?)');
    [[1, 50], [2, 150], [3, 99], [4, 300]].forEach(([id, amount]) => insert.run(id, amount));
    let w = s.run();
    const first = await readTopic(broker.bootstrapServers, topic, { count: 2 });
    expect(payloads(first)).toEqual([{ id: 2, amount: 150 }, { id: 4, amount: 300 }]);
    expect(JSON.parse(first[0].value!.toString('utf8')).schema.name).toBeUndefined();
    await eventually(() => fs.existsSync(s.offsets) && JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":4'), 15000, () => 'offset not stored');
    await stopAndCount(w, topic, 2);
    insert.run(5, 10);
    insert.run(6, 100);
    w = s.run();
    const all = await readTopic(broker.bootstrapServers, topic, { count: 3 });
    expect(payloads(all).map((p) => p.id)).toEqual([2, 4, 6]);
    await eventually(() => JSON.stringify(storedOffsets(s.offsets)).includes('"incrementing":6'), 15000, () => 'offset not stored');
    await stopAndCount(w, topic, 3);
    expect(storedOffsets(s.offsets)).toEqual([{ key: ['query', { query: 'query' }], value: { incrementing: 6 } }]);
  });

  it('a table created while running is picked up (table.poll.interval.ms)', async () => {
    await broker.createTopic('new-first', 1);
    await broker.createTopic('new-second', 1);
    const s = setup('newtable', { mode: 'incrementing', 'incrementing.column.name': 'id', 'topic.prefix': 'new-', 'table.poll.interval.ms': 500, 'tasks.max': 2 });
    s.db.exec('CREATE TABLE first (id INTEGER PRIMARY KEY NOT NULL); INSERT INTO first VALUES (1)');
    const w = s.run();
    try {
      await readTopic(broker.bootstrapServers, 'new-first', { count: 1 });
      s.db.exec('CREATE TABLE second (id INTEGER PRIMARY KEY NOT NULL); INSERT INTO second VALUES (10), (11)');
      await w.waitForLog(/The set of tables changed: 2 table\(s\) now: first, second/, 10000);
      const second = await readTopic(broker.bootstrapServers, 'new-second', { count: 2, timeoutMs: 20000 });
      expect(payloads(second)).toEqual([{ id: 10 }, { id: 11 }]);
    } finally {
      expect(await w.stop()).toBe(0);
    }
    expect(await highWatermark(broker.bootstrapServers, 'new-first', 0)).toBe(1);
  });
});
