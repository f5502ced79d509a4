import * as fs from 'fs';
import Database from 'better-sqlite3';
import { readTopic } from '../harness/kcat';
import { committedOffset, envelope, jdbcSinkProps, produceValues, structSchema } from './helpers/jdbc-sink';
import { eventually, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * The JDBC sink through the real CLI and broker harness into SQLite files: an upsert into an
 * auto-created table with offsets committed only behind the table, schemaless JSON into an existing
 * table, a bad record to the dead letter queue, and a worker killed with SIGKILL and restarted.
 */
describe('JdbcSinkConnector on SQLite', () => {
  const broker = useBroker();
  const tmp = useTempDir('cs-jdbc-sink-');

  const PERSON = structSchema('person', [
    { field: 'id', type: 'int64' },
    { field: 'name', type: 'string' },
    { field: 'score', type: 'double', optional: true },
  ]);
  const person = (id: number, name: string, score: number | null = null): string => envelope(PERSON, { id, name, score });

  function start(name: string, connector: Record<string, string | number>, worker: Record<string, string | number> = {}): () => WorkerProcess {
    const workerFile = writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`), worker));
    const connFile = writeProperties(tmp.file(`${name}-sink.properties`), connector);
    return () => startWorker([workerFile, connFile]);
  }

  function count(file: string, sql: string): number {
    if (!fs.existsSync(file)) return 0;
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return Number(db.prepare(sql).pluck().get());
    } catch (err) {
      if (/no such table/.test((err as Error).message)) return 0;
      throw err;
    } finally {
      db.close();
    }
  }

  async function stopAndReport(w: WorkerProcess): Promise<number | null> {
    const code = await w.stop();
    if (code !== 0) process.stderr.write(`worker stderr tail:\n${w.stderr().slice(-4000)}\n`);
    return code;
  }

  const taskFailed = /Task threw an uncaught and unrecoverable exception|is being killed and will not recover/;

  it('JsonConverter with schemas: upsert into an auto-created table, offsets committed only after the rows are in it', async () => {
    const topic = 'sink-people';
    const name = 'jdbc-upsert';
    await broker.createTopic(topic, 1);
    const file = tmp.file('upsert.db');
    const run = start(name, jdbcSinkProps(name, `jdbc:sqlite:${file}`, topic, { 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id', 'auto.create': 'true', 'batch.size': 50 }));
    const total = 400;
    await produceValues(broker.bootstrapServers, topic, Array.from({ length: total }, (_, i) => person(i % 300, `v1-${i}`, i / 2)));
    const w = run();
    try {
      // Sample while it runs: whatever offset the group has committed, the table already holds those rows.
      let committed = -1;
      const samples: Array<[number, number]> = [];
      await eventually(async () => {
        if (taskFailed.test(w.stderr())) throw new Error(`the task failed:\n${w.stderr().slice(-3000)}`);
        committed = await committedOffset(broker.bootstrapServers, name, topic);
        const rows = count(file, 'SELECT count(*) FROM "sink-people"');
        samples.push([committed, rows]);
        return committed === total;
      }, 60000, () => `committed ${committed} of ${total}`);
      for (const [offset, rowsAfter] of samples) expect(rowsAfter).toBeGreaterThanOrEqual(Math.min(offset, 300));
      expect(count(file, 'SELECT count(*) FROM "sink-people"')).toBe(300);
      const db = new Database(file, { readonly: true });
      expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'sink-people'").pluck().get()).toBe(
        'CREATE TABLE `sink-people` (\n`id` INTEGER NOT NULL,\n`name` TEXT NOT NULL,\n`score` REAL NULL,\nPRIMARY KEY(`id`))',
      );
      expect(db.prepare('SELECT id, name, score FROM "sink-people" WHERE id IN (5, 299) ORDER BY id').all()).toEqual([
        { id: 5, name: 'v1-305', score: 152.5 },
        { id: 299, name: 'v1-299', score: 149.5 },
      ]);
      db.close();
    } finally {
      expect(await stopAndReport(w)).toBe(0);
    }
  });

  it('schemaless JSON maps land in an existing table, with its column types', async () => {
    const topic = 'sink-events';
    const name = 'jdbc-schemaless';
    await broker.createTopic(topic, 1);
    const file = tmp.file('schemaless.db');
    const db = new Database(file);
    db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, amount NUMERIC(10,2), at TIMESTAMP)');
    db.close();
    const run = start(name, jdbcSinkProps(name, `jdbc:sqlite:${file}`, topic, {
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'table.name.format': 'events',
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
    }));
    await produceValues(broker.bootstrapServers, topic, ['{"id":1,"kind":"a","amount":12.5}', '{"kind":"b","id":2,"at":"2024-05-01 10:00:00"}', '{"id":1,"kind":"a2","amount":3}']);
    const w = run();
    try {
      await eventually(async () => {
        if (taskFailed.test(w.stderr())) throw new Error(`the task failed:\n${w.stderr().slice(-3000)}`);
        return (await committedOffset(broker.bootstrapServers, name, topic)) === 3;
      }, 60000, () => `not committed; stderr:\n${w.stderr().slice(-2000)}`);
      const check = new Database(file, { readonly: true });
      expect(check.prepare('SELECT * FROM events ORDER BY id').all()).toEqual([
        { id: 1, kind: 'a2', amount: 3, at: null },
        { id: 2, kind: 'b', amount: null, at: '2024-05-01 10:00:00' },
      ]);
      check.close();
    } finally {
      expect(await stopAndReport(w)).toBe(0);
    }
  });

  it('a constraint violation goes to the dead letter queue and the good rows are written', async () => {
    const topic = 'sink-checked';
    const dlq = 'dead-letters';
    const name = 'jdbc-dlq';
    await broker.createTopic(topic, 1);
    await broker.createTopic(dlq, 1);
    const file = tmp.file('dlq.db');
    const db = new Database(file);
    db.exec("CREATE TABLE \"sink-checked\" (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (name <> 'bad'), score REAL)");
    db.close();
    const run = start(name, jdbcSinkProps(name, `jdbc:sqlite:${file}`, topic, {
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': 1,
    }));
    const bad = person(2, 'bad');
    await produceValues(broker.bootstrapServers, topic, [person(1, 'good'), bad, person(3, 'also good')]);
    const w = run();
    try {
      const [dead] = await readTopic(broker.bootstrapServers, dlq, { count: 1, timeoutMs: 60000 });
      expect(dead.value!.toString('utf8')).toBe(bad);
      await eventually(async () => (await committedOffset(broker.bootstrapServers, name, topic)) === 3, 30000, () => 'offsets not committed');
      const check = new Database(file, { readonly: true });
      expect(check.prepare('SELECT id, name FROM "sink-checked" ORDER BY id').all()).toEqual([{ id: 1, name: 'good' }, { id: 3, name: 'also good' }]);
      check.close();
      expect(w.stderr()).not.toMatch(taskFailed);
    } finally {
      expect(await stopAndReport(w)).toBe(0);
    }
  });

  it('a worker killed with SIGKILL and restarted leaves exactly one row per key, with the latest values', async () => {
    const topic = 'sink-killed';
    const name = 'jdbc-kill';
    await broker.createTopic(topic, 1);
    const file = tmp.file('kill.db');
    const run = start(name, jdbcSinkProps(name, `jdbc:sqlite:${file}`, topic, { 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id', 'auto.create': 'true', 'batch.size': 20 }), {
      'consumer.max.poll.records': 20,
      'offset.flush.interval.ms': 2000,
    });
    const keys = 300;
    await produceValues(broker.bootstrapServers, topic, Array.from({ length: keys }, (_, i) => person(i, 'first')));
    await produceValues(broker.bootstrapServers, topic, Array.from({ length: keys }, (_, i) => person(i, 'second', i)));
    let w = run();
    await eventually(() => count(file, 'SELECT count(*) FROM "sink-killed"') > 0, 60000, () => `no rows yet; stderr:\n${w.stderr().slice(-2000)}`);
    await w.stop('SIGKILL');
    w = run();
    try {
      await eventually(
        async () => (await committedOffset(broker.bootstrapServers, name, topic)) === 2 * keys,
        90000,
        () => `rows ${count(file, 'SELECT count(*) FROM "sink-killed"')}; stderr:\n${w.stderr().slice(-2000)}`,
      );
      expect(count(file, 'SELECT count(*) FROM "sink-killed"')).toBe(keys);
      expect(count(file, 'SELECT count(DISTINCT id) FROM "sink-killed"')).toBe(keys);
      expect(count(file, "SELECT count(*) FROM \"sink-killed\" WHERE name = 'second' AND score = id")).toBe(keys);
    } finally {
      expect(await stopAndReport(w)).toBe(0);
    }
  });
});
