import { OffsetMap, RetriableError, SourceRecord, Struct } from '../../../../../src/api';
import { PREFETCH_ROWS } from '../../../../../connectors/jdbc/source/incrementing-querier';
import { JdbcSourceTask } from '../../../../../connectors/jdbc/source/jdbc-source-task';
import { connectionLost, FakeDb, taskContext } from './fake-db';

/** A timestamp as the stand-in database stores it; `s` may carry a fraction of the second. */
const T = (s: string) => `2024-01-01 00:00:${s.includes('.') ? s : `${s}.000`}`;
const D = (s: string) => new Date(`${T(s).replace(' ', 'T')}Z`);

function props(extra: Record<string, string>): Record<string, string> {
  return { 'connection.url': 'jdbc:sqlite::memory:', 'topic.prefix': 'db-', 'poll.interval.ms': '0', tables: '[[null,null,"t"]]', ...extra };
}

async function startTask(db: FakeDb, extra: Record<string, string>, offsets: { partition: OffsetMap; offset: OffsetMap }[] = []): Promise<JdbcSourceTask> {
  const task = new JdbcSourceTask({ connectionFactory: () => db.factory(), maxPollWaitMs: 50 });
  task.initialize(taskContext(offsets));
  await task.start(props(extra));
  return task;
}

/** Polls until a poll returns nothing, collecting every record. */
async function drain(task: JdbcSourceTask): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (let i = 0; i < 100; i++) {
    const records = await task.poll();
    if (records === null) return out;
    out.push(...records);
  }
  throw new Error('never drained');
}

const ids = (records: SourceRecord[]) => records.map((r) => Number((r.value as Struct).get('id')));

describe('JdbcSourceTask', () => {
  let db: FakeDb;
  beforeEach(() => {
    db = new FakeDb();
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, ts TIMESTAMP NOT NULL, name TEXT)');
  });

  it('incrementing: records as Confluent (topic, null key, struct named after the table) with {"incrementing": n}, batch.max.rows per poll', async () => {
    for (let i = 1; i <= 5; i++) db.insert('t', { id: i, ts: T('01'), name: `n${i}` });
    const task = await startTask(db, { mode: 'incrementing', 'batch.max.rows': '2' });
    const first = await task.poll();
    expect(first).toHaveLength(2);
    const r = first![0];
    expect(r).toMatchObject({ topic: 'db-t', key: null, keySchema: null, sourcePartition: { protocol: '1', table: 't' }, sourceOffset: { incrementing: 1 } });
    expect(r.valueSchema!.name).toBe('t');
    expect(r.valueSchema!.fields.map((f) => f.name)).toEqual(['id', 'ts', 'name']);
    expect(ids((await task.poll())!)).toEqual([3, 4]);
    const rest = await drain(task);
    expect(ids([...first!, ...rest])).toEqual([1, 2, 5]);
    expect(rest[rest.length - 1].sourceOffset).toEqual({ incrementing: 5 });
    // Every statement is one page (ORDER BY and LIMIT) of at least PREFETCH_ROWS rows, handed out batch.max.rows at a time.
    const pages = db.statements.filter((s) => s.sql.startsWith('SELECT * FROM "t"'));
    expect(pages[0]).toEqual({ sql: `SELECT * FROM "t" WHERE "id" > ? ORDER BY "id" ASC LIMIT ${PREFETCH_ROWS}`, params: [-1] });
    expect(pages.slice(1).map((s) => s.params[0])).toEqual(pages.slice(1).map(() => 5));
    await task.stop();
  });

  it('resumes from a stored offset, found under the protocol-0 partition too', async () => {
    for (let i = 1; i <= 4; i++) db.insert('t', { id: i, ts: T('01') });
    const v1 = await startTask(db, { mode: 'incrementing' }, [{ partition: { protocol: '1', table: 't' }, offset: { incrementing: 2 } }]);
    expect(ids(await drain(v1))).toEqual([3, 4]);
    await v1.stop();
    const v0 = await startTask(db, { mode: 'incrementing' }, [{ partition: { table: 't' }, offset: { incrementing: 3 } }]);
    expect(ids(await drain(v0))).toEqual([4]);
    await v0.stop();
  });

  it('timestamp+incrementing: a row with the last timestamp seen and a higher id is read once, after a restart too', async () => {
    db.now = D('10');
    db.insert('t', { id: 1, ts: T('01') });
    db.insert('t', { id: 2, ts: T('02') });
    const task = await startTask(db, { mode: 'timestamp+incrementing', 'timestamp.column.name': 'ts', 'incrementing.column.name': 'id' });
    const first = await drain(task);
    expect(ids(first)).toEqual([1, 2]);
    const last = first[1].sourceOffset!;
    expect(last).toEqual({ incrementing: 2, timestamp: D('02').getTime(), timestamp_nanos: 0 });
    await task.stop();
    db.insert('t', { id: 3, ts: T('02') });
    const again = await startTask(db, { mode: 'timestamp+incrementing', 'timestamp.column.name': 'ts', 'incrementing.column.name': 'id' }, [
      { partition: { protocol: '1', table: 't' }, offset: last },
    ]);
    expect(ids(await drain(again))).toEqual([3]);
    expect(ids(await drain(again))).toEqual([]);
    await again.stop();
  });

  it('timestamp+incrementing: rows newer than db time - timestamp.delay.interval.ms wait for a later poll', async () => {
    db.now = D('10');
    db.insert('t', { id: 1, ts: T('05') });
    db.insert('t', { id: 2, ts: T('09') });
    const task = await startTask(db, { mode: 'timestamp+incrementing', 'timestamp.column.name': 'ts', 'timestamp.delay.interval.ms': '3000' });
    expect(ids(await drain(task))).toEqual([1]);
    db.now = D('13');
    expect(ids(await drain(task))).toEqual([2]);
    await task.stop();
  });

  it('timestamp: a page is never cut in the middle of rows sharing a timestamp', async () => {
    db.now = D('59');
    // batch.max.rows=3; rows 3..7 share one timestamp, so a page ends in the middle of them twice.
    const times = ['01', '02', '03', '03', '03', '03', '03', '04', '05'];
    times.forEach((s, i) => db.insert('t', { id: i + 1, ts: T(s) }));
    const task = await startTask(db, { mode: 'timestamp', 'timestamp.column.name': 'ts', 'batch.max.rows': '3' });
    const polls: number[][] = [];
    for (;;) {
      const records = await task.poll();
      if (records === null) break;
      polls.push(ids(records));
    }
    expect(polls.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...polls.map((p) => p.length))).toBeLessThanOrEqual(3);
    await task.stop();
  });

  it("timestamp: offsets follow Confluent's rule, so a restart re-reads rows sharing the last committed timestamp rather than skipping them", async () => {
    db.now = D('59');
    db.insert('t', { id: 1, ts: T('01') });
    db.insert('t', { id: 2, ts: T('02') });
    db.insert('t', { id: 3, ts: T('02') });
    db.insert('t', { id: 4, ts: T('03') });
    const task = await startTask(db, { mode: 'timestamp', 'timestamp.column.name': 'ts' });
    const records = await drain(task);
    const ts = (s: string) => ({ timestamp: D(s).getTime(), timestamp_nanos: 0 });
    expect(records.map((r) => r.sourceOffset)).toEqual([ts('01'), ts('01'), ts('02'), ts('03')]);
    await task.stop();
    // Restarting from the offset of record 2 (acknowledged before a crash) reads 2 and 3 again, not 3 only.
    const again = await startTask(db, { mode: 'timestamp', 'timestamp.column.name': 'ts' }, [{ partition: { protocol: '1', table: 't' }, offset: records[1].sourceOffset! }]);
    expect(ids(await drain(again))).toEqual([2, 3, 4]);
    await again.stop();
  });

  it('keeps sub-millisecond timestamps in timestamp_nanos, so a row is not read again', async () => {
    db.now = D('30');
    db.insert('t', { id: 1, ts: T('01.123456') });
    const task = await startTask(db, { mode: 'timestamp+incrementing', 'timestamp.column.name': 'ts', 'incrementing.column.name': 'id' });
    const records = await drain(task);
    expect(ids(records)).toEqual([1]);
    expect(records[0].sourceOffset).toEqual({ incrementing: 1, timestamp: D('01.123').getTime(), timestamp_nanos: 123456000 });
    expect(ids(await drain(task))).toEqual([]);
    // The stored offset binds with every digit: a restart does not read the row again either.
    await task.stop();
    const again = await startTask(db, { mode: 'timestamp', 'timestamp.column.name': 'ts' }, [{ partition: { protocol: '1', table: 't' }, offset: records[0].sourceOffset! }]);
    expect(ids(await drain(again))).toEqual([]);
    expect(db.statements[db.statements.length - 1].params).toContain('2024-01-01 00:00:01.123456');
    await again.stop();
  });

  it('timestamp.initial=-1 starts at the database time', async () => {
    db.now = D('30');
    db.insert('t', { id: 1, ts: T('10') });
    const task = await startTask(db, { mode: 'timestamp', 'timestamp.column.name': 'ts', 'timestamp.initial': '-1' });
    expect(await drain(task)).toEqual([]);
    db.insert('t', { id: 2, ts: T('40') });
    db.now = D('50');
    expect(ids(await drain(task))).toEqual([2]);
    await task.stop();
  });

  it('bulk: the whole table at each poll interval in pages, partition {"table": name}, no offset', async () => {
    for (let i = 1; i <= 3; i++) db.insert('t', { id: i, ts: T('01') });
    const task = await startTask(db, { mode: 'bulk', 'batch.max.rows': '2', 'poll.interval.ms': '300' });
    const records = await drain(task);
    expect(ids(records)).toEqual([1, 2, 3]);
    expect(records[0]).toMatchObject({ sourcePartition: { table: 't' }, sourceOffset: null });
    expect(db.statements.map((s) => s.sql)).toEqual(['SELECT * FROM "t"']);
    await new Promise((r) => setTimeout(r, 300));
    expect(ids(await drain(task))).toEqual([1, 2, 3]);
    await task.stop();
  });

  it('query mode: the query wrapped so its own WHERE works, topic = topic.prefix, unnamed schema, {"query":"query"}', async () => {
    for (let i = 1; i <= 4; i++) db.insert('t', { id: i, ts: T('01'), name: i % 2 === 0 ? 'even' : 'odd' });
    const task = await startTask(db, { mode: 'incrementing', 'incrementing.column.name': 'id', query: "SELECT id, name FROM t WHERE name = 'even'", tables: '[]', 'topic.prefix': 'evens' });
    const records = await drain(task);
    expect(ids(records)).toEqual([2, 4]);
    expect(records[0]).toMatchObject({ topic: 'evens', sourcePartition: { query: 'query' }, sourceOffset: { incrementing: 2 } });
    expect(records[0].valueSchema!.name).toBeNull();
    await task.stop();
  });

  it('validate.non.null fails on a nullable incrementing column, naming it', async () => {
    db.exec('DROP TABLE t; CREATE TABLE t (id INTEGER, ts TIMESTAMP)');
    await expect(startTask(db, { mode: 'incrementing', 'incrementing.column.name': 'id' })).rejects.toThrow(/incrementing column id on t because this column is nullable/);
    await expect(startTask(db, { mode: 'timestamp', 'timestamp.column.name': 'ts' })).rejects.toThrow(/timestamp columns ts on t because all of these columns are nullable/);
    await expect(startTask(db, { mode: 'incrementing', 'incrementing.column.name': 'nope', 'validate.non.null': 'false' })).rejects.toThrow(/Incrementing column: nope does not exist in table 't'/);
  });

  it('incrementing without a column name uses the auto-increment column', async () => {
    db.insert('t', { id: 7, ts: T('01') });
    const task = await startTask(db, { mode: 'incrementing' });
    expect(ids(await drain(task))).toEqual([7]);
    await task.stop();
  });

  it('a lost connection is a RetriableError; the next poll reconnects and resumes from the last offset', async () => {
    for (let i = 1; i <= 3; i++) db.insert('t', { id: i, ts: T('01') });
    const task = await startTask(db, { mode: 'incrementing', 'batch.max.rows': '1' });
    expect(ids(await drain(task))).toEqual([1, 2, 3]);
    db.insert('t', { id: 4, ts: T('01') });
    db.insert('t', { id: 5, ts: T('01') });
    db.failNext = connectionLost();
    await expect(task.poll()).rejects.toBeInstanceOf(RetriableError);
    expect(db.closed).toBe(1);
    expect(ids(await drain(task))).toEqual([4, 5]);
    expect(db.opened).toBe(2);
    await task.stop();
  });

  it('caughtUp() only after a poll that found nothing new', async () => {
    for (let i = 1; i <= 3; i++) db.insert('t', { id: i, ts: T('01') });
    const task = await startTask(db, { mode: 'incrementing', 'batch.max.rows': '2' });
    expect(task.caughtUp()).toBe(false);
    await task.poll();
    expect(task.caughtUp()).toBe(false);
    expect(ids((await task.poll())!)).toEqual([3]);
    expect(task.caughtUp()).toBe(false);
    expect(await task.poll()).toBeNull();
    expect(task.caughtUp()).toBe(true);
    db.insert('t', { id: 4, ts: T('01') });
    expect(ids((await task.poll())!)).toEqual([4]);
    expect(task.caughtUp()).toBe(false);
    await task.stop();
  });

  it('progress() counts the rows poll() returned (the total is not counted)', async () => {
    for (let i = 1; i <= 3; i++) db.insert('t', { id: i, ts: T('01') });
    const task = await startTask(db, { mode: 'incrementing', 'batch.max.rows': '2' });
    expect(task.progress()).toEqual({ done: 0, total: null, unit: 'rows' });
    await task.poll();
    expect(task.progress()).toEqual({ done: 2, total: null, unit: 'rows' });
    await task.poll();
    expect(task.progress()).toEqual({ done: 3, total: null, unit: 'rows' });
    await task.stop();
  });

  it('stop() wakes a poll waiting for the next poll interval', async () => {
    const task = new JdbcSourceTask({ connectionFactory: () => db.factory(), maxPollWaitMs: 60_000 });
    task.initialize(taskContext());
    await task.start(props({ mode: 'incrementing', 'poll.interval.ms': '60000' }));
    // The first query finds the table empty; the next is due in a minute, and poll() waits for it.
    const pending = task.poll();
    await new Promise((r) => setTimeout(r, 20));
    await task.stop();
    await expect(pending).resolves.toBeNull();
  });

  it('leaves out columns of unsupported types with one warning each', async () => {
    db.exec('DROP TABLE t; CREATE TABLE t (id INTEGER PRIMARY KEY, ts TIMESTAMP NOT NULL, data BLOB)');
    db.insert('t', { id: 1, ts: T('01'), data: Buffer.from('x') });
    db.insert('t', { id: 2, ts: T('01'), data: Buffer.from('y') });
    const context = taskContext();
    const warnings: string[] = [];
    const logger = { ...context.logger, warn: (m: string) => warnings.push(m) };
    const task = new JdbcSourceTask({ connectionFactory: () => db.factory(), maxPollWaitMs: 50 });
    task.initialize({ ...context, logger });
    await task.start(props({ mode: 'bulk', 'batch.max.rows': '1', 'poll.interval.ms': '60000' }));
    const records = await drain(task);
    expect(records[0].valueSchema!.fields.map((f) => f.name)).toEqual(['id', 'ts']);
    expect(warnings.filter((w) => /column data/.test(w))).toHaveLength(1);
    await task.stop();
  });
});
