import { BigDecimal, ConnectDate, ConnectError, ConnectTimestamp, Decimal, RetriableError, Schema, SchemaBuilder, SinkRecord } from '../../../../../src/api';
import { DatabaseError } from '../../../../../connectors/jdbc/dialect';
import { interceptingConnection, memoryReporter, sinkRecord, sqliteFile, SqliteFile, startTask, struct } from './sink-fixtures';

/** JdbcSinkTask against real SQLite files: modes, keys, DDL, schemaless records, bad records, transient failures. */
let s: SqliteFile;
beforeEach(() => {
  s = sqliteFile();
});
afterEach(() => s.cleanup());

const props = (extra: Record<string, string> = {}): Record<string, string> => ({ 'connection.url': s.url, ...extra });
const rows = (sql: string) => s.db.prepare(sql).all();

const PERSON = SchemaBuilder.struct().name('person').field('id', Schema.INT64_SCHEMA).field('name', Schema.STRING_SCHEMA).field('age', Schema.OPTIONAL_INT32_SCHEMA).build();
const person = (id: number, name: string, age: number | null = null, topic = 'people'): SinkRecord =>
  sinkRecord({ topic, valueSchema: PERSON, value: struct(PERSON, { id: BigInt(id), name, age }) });
const ID_KEY = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).build();
const keyed = (id: number, name: string | null): SinkRecord =>
  sinkRecord({ topic: 'people', keySchema: ID_KEY, key: struct(ID_KEY, { id: BigInt(id) }), valueSchema: name === null ? null : PERSON, value: name === null ? null : struct(PERSON, { id: BigInt(id), name }) });

async function failure(p: Promise<unknown> | unknown): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

describe('JdbcSinkTask on SQLite', () => {
  it('insert with pk.mode=none and auto.create: the table Confluent would create, rows in order', async () => {
    const { task, logger } = startTask(props({ 'auto.create': 'true' }));
    await task.put([person(1, 'ann', 30), person(2, 'bob')]);
    expect(s.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'people'").pluck().get()).toBe('CREATE TABLE `people` (\n`id` INTEGER NOT NULL,\n`name` TEXT NOT NULL,\n`age` INTEGER NULL)');
    expect(rows('SELECT * FROM people ORDER BY rowid')).toEqual([{ id: 1n, name: 'ann', age: 30n }, { id: 2n, name: 'bob', age: null }]);
    expect(logger.lines.some((l) => l.msg.startsWith('Creating table people with SQL: CREATE TABLE'))).toBe(true);
    await task.stop();
  });

  it('upsert with pk.mode=record_value: one row per key with the latest values, within a put and across puts', async () => {
    const { task } = startTask(props({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id' }));
    await task.put([person(1, 'ann', 30), person(2, 'bob'), person(1, 'ann2', 31)]);
    await task.put([person(2, 'bob2', 40), person(3, 'cy')]);
    expect(rows('SELECT * FROM people ORDER BY id')).toEqual([{ id: 1n, name: 'ann2', age: 31n }, { id: 2n, name: 'bob2', age: 40n }, { id: 3n, name: 'cy', age: null }]);
    expect(rows("SELECT name, pk FROM pragma_table_info('people') WHERE pk > 0")).toEqual([{ name: 'id', pk: 1n }]);
    await task.stop();
  });

  it('upsert with pk.mode=record_key: a struct key, and a primitive key named by pk.fields', async () => {
    const a = startTask(props({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key' }));
    await a.task.put([keyed(1, 'ann'), keyed(1, 'ann2')]);
    expect(rows('SELECT id, name FROM people')).toEqual([{ id: 1n, name: 'ann2' }]);
    await a.task.stop();
    const b = startTask(props({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'pk.fields': 'code', 'table.name.format': 'by_code' }));
    const V = SchemaBuilder.struct().field('name', Schema.STRING_SCHEMA).build();
    const rec = (code: string, name: string) => sinkRecord({ topic: 't', keySchema: Schema.STRING_SCHEMA, key: code, valueSchema: V, value: struct(V, { name }) });
    await b.task.put([rec('x', 'one'), rec('y', 'two'), rec('x', 'three')]);
    expect(rows('SELECT name, code FROM by_code ORDER BY code')).toEqual([{ name: 'three', code: 'x' }, { name: 'two', code: 'y' }]);
    await b.task.stop();
  });

  it('pk.mode=kafka: topic, partition and offset columns as the key', async () => {
    const { task } = startTask(props({ 'auto.create': 'true', 'pk.mode': 'kafka', 'table.name.format': 'kafka_${topic}' }));
    const r = sinkRecord({ topic: 'people', kafkaPartition: 3, kafkaOffset: 42n, valueSchema: PERSON, value: struct(PERSON, { id: 7n, name: 'k' }) });
    await task.put([r]);
    expect(rows('SELECT * FROM kafka_people')).toEqual([{ __connect_topic: 'people', __connect_partition: 3n, __connect_offset: 42n, id: 7n, name: 'k', age: null }]);
    await task.stop();
  });

  it('insert.mode=update changes existing rows only', async () => {
    s.db.exec("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER); INSERT INTO people VALUES (1, 'ann', 1)");
    const { task } = startTask(props({ 'insert.mode': 'update', 'pk.mode': 'record_value', 'pk.fields': 'id' }));
    await task.put([person(1, 'ann2', 2), person(9, 'nobody')]);
    expect(rows('SELECT * FROM people')).toEqual([{ id: 1n, name: 'ann2', age: 2n }]);
    await task.stop();
  });

  it('tombstones delete by the record key with delete.enabled, in record order with the upserts', async () => {
    const { task } = startTask(props({ 'auto.create': 'true', 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'delete.enabled': 'true' }));
    await task.put([keyed(1, 'a'), keyed(2, 'b'), keyed(3, 'c')]);
    await task.put([keyed(1, null), keyed(2, null), keyed(2, 'b again'), keyed(3, 'c2'), keyed(3, null)]);
    expect(rows('SELECT id, name FROM people ORDER BY id')).toEqual([{ id: 2n, name: 'b again' }]);
    await task.stop();
  });

  it('a tombstone without delete.enabled fails naming the record and the key', async () => {
    s.db.exec('CREATE TABLE people (id INTEGER, name TEXT NOT NULL, age INTEGER)');
    const { task } = startTask(props());
    const err = await failure(task.put([person(1, 'ok'), sinkRecord({ topic: 'people', kafkaOffset: 77n })]));
    expect(err.message).toMatch(/Cannot write the record at people-0 offset 77 to table people: .*'delete.enabled=false'.*tombstone/);
    expect(rows('SELECT * FROM people')).toEqual([]);
    await task.stop();
  });

  it('a missing table without auto.create names the table and the key', async () => {
    const { task } = startTask(props());
    const err = await failure(task.put([person(1, 'x')]));
    expect(err.message).toContain('Table people is missing and auto-creation is disabled (auto.create=false)');
    await task.stop();
  });

  it('auto.evolve adds an optional new field; a required one, or auto.evolve=false, is an error saying which field and why', async () => {
    const { task } = startTask(props({ 'auto.create': 'true', 'auto.evolve': 'true' }));
    await task.put([person(1, 'ann')]);
    const V2 = SchemaBuilder.struct().name('person').field('id', Schema.INT64_SCHEMA).field('name', Schema.STRING_SCHEMA).field('age', Schema.OPTIONAL_INT32_SCHEMA)
      .field('email', Schema.OPTIONAL_STRING_SCHEMA).field('score', SchemaBuilder.float64().defaultValue(1.5).build()).build();
    await task.put([sinkRecord({ topic: 'people', valueSchema: V2, value: struct(V2, { id: 2n, name: 'bob', email: 'b@x' }) }), person(3, 'cy')]);
    expect(rows('SELECT id, email, score FROM people ORDER BY id')).toEqual([{ id: 1n, email: null, score: 1.5 }, { id: 2n, email: 'b@x', score: 1.5 }, { id: 3n, email: null, score: 1.5 }]);
    const V3 = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).field('name', Schema.STRING_SCHEMA).field('badge', Schema.INT32_SCHEMA).build();
    const err = await failure(task.put([sinkRecord({ topic: 'people', kafkaOffset: 5n, valueSchema: V3, value: struct(V3, { id: 4n, name: 'd', badge: 1 }) })]));
    expect(err.message).toContain('Cannot ALTER TABLE people to add missing field badge (INT32), as the field is not optional and does not have a default value');
    await task.stop();
    const off = startTask(props({ 'auto.evolve': 'false' }));
    const V4 = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).field('name', Schema.STRING_SCHEMA).field('nickname', Schema.OPTIONAL_STRING_SCHEMA).build();
    const err2 = await failure(off.task.put([sinkRecord({ topic: 'people', valueSchema: V4, value: struct(V4, { id: 5n, name: 'e', nickname: 'x' }) })]));
    expect(err2.message).toContain('Table people is missing fields (nickname (STRING, optional)) and auto-evolution is disabled (auto.evolve=false)');
    await off.task.stop();
  });

  it('logical types land as Confluent binds them on SQLite', async () => {
    const V = SchemaBuilder.struct().field('id', Schema.INT32_SCHEMA).field('price', Decimal.schema(2)).field('day', ConnectDate.SCHEMA).field('at', ConnectTimestamp.SCHEMA).field('raw', Schema.OPTIONAL_BYTES_SCHEMA).field('ok', Schema.BOOLEAN_SCHEMA).build();
    const { task } = startTask(props({ 'auto.create': 'true', 'table.name.format': 'typed' }));
    const at = new Date(Date.UTC(2024, 1, 3, 4, 5, 6, 789));
    await task.put([sinkRecord({ topic: 't', valueSchema: V, value: struct(V, { id: 1, price: new BigDecimal(1999n, 2), day: new Date(Date.UTC(2024, 1, 3)), at, raw: Buffer.from([0, 255]), ok: true }) })]);
    expect(rows('SELECT * FROM typed')).toEqual([{ id: 1n, price: 19.99, day: BigInt(Date.UTC(2024, 1, 3)), at: BigInt(at.getTime()), raw: Buffer.from([0, 255]), ok: 1n }]);
    await task.stop();
  });

  describe('schemaless records (JSON maps)', () => {
    const json = (value: Record<string, unknown>, offset?: bigint) => sinkRecord({ topic: 'events', value: new Map(Object.entries(value)), ...(offset !== undefined ? { kafkaOffset: offset } : {}) });

    it('are written into an existing table with its column types, upserted by the table primary key', async () => {
      s.db.exec('CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, amount REAL, meta TEXT)');
      const { task } = startTask(props({ 'insert.mode': 'upsert', 'pk.mode': 'record_value' }));
      await task.put([json({ kind: 'a', id: 1n, amount: 2.5 }), json({ id: 2n, kind: 'b', meta: new Map([['x', 1n]]) }), json({ id: 1n, kind: 'a2', amount: 3n })]);
      expect(rows('SELECT * FROM events ORDER BY id')).toEqual([{ id: 1n, kind: 'a2', amount: 3, meta: null }, { id: 2n, kind: 'b', amount: null, meta: '{"x":1}' }]);
      await task.stop();
    });

    it('a field the table does not have fails naming field and table, or is dropped with one warning (schemaless.unknown.fields=ignore)', async () => {
      s.db.exec('CREATE TABLE events (id INTEGER, kind TEXT)');
      const strict = startTask(props());
      const err = await failure(strict.task.put([json({ id: 1n, kind: 'a', extra: true }, 9n)]));
      expect(err.message).toContain('Field extra of the record at events-0 offset 9 is not a column of table events; add the column, or set schemaless.unknown.fields=ignore');
      await strict.task.stop();
      const lax = startTask(props({ 'schemaless.unknown.fields': 'ignore' }));
      await lax.task.put([json({ id: 1n, kind: 'a', extra: true }), json({ id: 2n, extra: false, kind: 'b' })]);
      expect(rows('SELECT * FROM events ORDER BY id')).toEqual([{ id: 1n, kind: 'a' }, { id: 2n, kind: 'b' }]);
      expect(lax.logger.lines.filter((l) => l.level === 'warn' && l.msg.includes('Field extra'))).toHaveLength(1);
      await lax.task.stop();
    });

    it('need an existing table, even with auto.create', async () => {
      const { task } = startTask(props({ 'auto.create': 'true' }));
      const err = await failure(task.put([json({ id: 1n })]));
      expect(err.message).toContain('Table events does not exist: records without a value schema are written only into an existing table');
      await task.stop();
    });
  });

  describe('bad records', () => {
    beforeEach(() => s.db.exec('CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (name <> \'bad\'), age INTEGER)'));

    it('a constraint violation mid-batch: the good rows are written and the bad one goes to the reporter', async () => {
      const reporter = memoryReporter();
      const { task } = startTask(props(), { reporter });
      const bad = person(2, 'bad');
      await task.put([person(1, 'a'), bad, person(3, 'c'), person(1, 'duplicate key')]);
      expect(rows('SELECT id, name FROM people ORDER BY id')).toEqual([{ id: 1n, name: 'a' }, { id: 3n, name: 'c' }]);
      expect(reporter.reported.map((r) => r.record.kafkaOffset)).toEqual([bad.kafkaOffset, bad.kafkaOffset + 3n]);
      expect(reporter.reported[0].error.message).toMatch(new RegExp(`^Cannot write the record at people-0 offset ${bad.kafkaOffset} to table people: .*CHECK constraint failed`));
      expect(reporter.reported[1].error.message).toMatch(/UNIQUE constraint failed: people.id/);
      await task.stop();
    });

    it('without a reporter the task fails naming the record, table and database message, and nothing of the put is written', async () => {
      const { task } = startTask(props());
      const bad = person(2, 'bad');
      const err = await failure(task.put([person(1, 'a'), bad, person(3, 'c')]));
      expect(err).toBeInstanceOf(ConnectError);
      expect((err as ConnectError).retriable).toBe(false);
      expect(err.message).toMatch(new RegExp(`^Cannot write the record at people-0 offset ${bad.kafkaOffset} to table people: SQLite: CHECK constraint failed`));
      expect(rows('SELECT * FROM people')).toEqual([]);
      await task.stop();
    });
  });

  describe('transient failures', () => {
    /** Fails the `nth` multi-row INSERT with a retriable error, as a lost connection would. */
    function failInsert(nth: number[]) {
      let inserts = 0;
      let closed = 0;
      return {
        closed: () => closed,
        wrap: (conn: Parameters<typeof interceptingConnection>[0]) => {
          const wrapped = interceptingConnection(conn, (sql) => {
            if (sql.startsWith('INSERT') && nth.includes(++inserts)) throw new DatabaseError('connection lost (test)', { retriable: true, sqlState: '08006' });
          });
          return { ...wrapped, close: async () => void closed++ };
        },
      };
    }

    it('roll back the whole put and become RetriableError after retry.backoff.ms; the redelivery writes once', async () => {
      const fault = failInsert([2]);
      s.db.exec('CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER)');
      const { task, sleeps } = startTask(props({ 'batch.size': '2', 'retry.backoff.ms': '1234' }), { wrap: fault.wrap });
      const batch = [person(1, 'a'), person(2, 'b'), person(3, 'c')];
      const err = await failure(task.put(batch));
      expect(err).toBeInstanceOf(RetriableError);
      expect(err.message).toBe('connection lost (test)');
      expect(sleeps).toEqual([1234]);
      expect(fault.closed()).toBe(1);
      expect(rows('SELECT * FROM people')).toEqual([]);
      await task.put(batch);
      expect(rows('SELECT id FROM people ORDER BY id')).toEqual([{ id: 1n }, { id: 2n }, { id: 3n }]);
      await task.stop();
    });

    it('after max.retries in a row the task fails with the last error', async () => {
      const fault = failInsert([1, 2, 3]);
      s.db.exec('CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER)');
      const { task } = startTask(props({ 'max.retries': '2' }), { wrap: fault.wrap });
      expect(await failure(task.put([person(1, 'a')]))).toBeInstanceOf(RetriableError);
      expect(await failure(task.put([person(1, 'a')]))).toBeInstanceOf(RetriableError);
      const last = await failure(task.put([person(1, 'a')]));
      expect(last).not.toBeInstanceOf(RetriableError);
      expect(last.message).toBe('Writing 1 records failed after 2 retries (max.retries): connection lost (test)');
      await task.stop();
    });
  });

  it('writes multi-row statements of at most batch.size rows, in one transaction per put', async () => {
    const sql: string[] = [];
    s.db.exec('CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, age INTEGER)');
    const { task } = startTask(props({ 'batch.size': '2' }), { wrap: (c) => interceptingConnection(c, (q) => void sql.push(q)) });
    await task.put([person(1, 'a'), person(2, 'b'), person(3, 'c'), person(4, 'd'), person(5, 'e')]);
    const inserts = sql.filter((q) => q.startsWith('INSERT'));
    expect(inserts).toEqual([
      'INSERT INTO `people`(`id`,`name`,`age`) VALUES(?,?,?),(?,?,?)',
      'INSERT INTO `people`(`id`,`name`,`age`) VALUES(?,?,?),(?,?,?)',
      'INSERT INTO `people`(`id`,`name`,`age`) VALUES(?,?,?)',
    ]);
    expect(rows('SELECT count(*) AS n FROM people')).toEqual([{ n: 5n }]);
    await task.stop();
  });
});
