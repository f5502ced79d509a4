import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { Struct } from '../../../../../src/api';
import { createConnectionFactory } from '../../../../../connectors/jdbc/connection-factory';
import { DbConnection, DbConnectionFactory, SqlValue } from '../../../../../connectors/jdbc/dialect';
import { JdbcCommonConfig } from '../../../../../connectors/jdbc/jdbc-common-config';
import { JdbcSourceTask } from '../../../../../connectors/jdbc/source/jdbc-source-task';
import { taskContext } from './fake-db';

/**
 * The timestamp modes on SQLite compare and order by the timestamp column itself, with parameters
 * in the form the column stores, so SQLite uses an index on the column and a page query stops after
 * its LIMIT rows. Two checks through the real JdbcSourceTask:
 * - the page queries it runs use the index (EXPLAIN QUERY PLAN: an index search, no temporary
 *   B-tree to sort);
 * - reading a 1,000,000-row indexed table page by page keeps the event loop free (a 10 ms timer is
 *   never held up long). When each page query compares a function of the column, every page scans
 *   and sorts the whole table in one synchronous step, and the first late timer fails the test.
 */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jdbc-sqlite-ts-index-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2024, 0, 1);

/** A factory whose connections record every statement the task runs. */
function recordingFactory(statements: { sql: string; params: readonly SqlValue[] }[]): (config: JdbcCommonConfig) => DbConnectionFactory {
  return (config) => {
    const inner = createConnectionFactory(config);
    return {
      dialect: inner.dialect,
      connect: async (): Promise<DbConnection> => {
        const conn = await inner.connect();
        return {
          query: (sql, params = []) => {
            statements.push({ sql, params });
            return conn.query(sql, params);
          },
          queryPages: (sql, params, size) => {
            statements.push({ sql, params });
            return conn.queryPages(sql, params, size);
          },
          transaction: (work) => conn.transaction(work),
          isValid: (ms) => conn.isValid(ms),
          close: () => conn.close(),
        };
      },
    };
  };
}

/** EXPLAIN QUERY PLAN's detail lines for a statement. */
function plan(db: Database.Database, sql: string, params: readonly SqlValue[]): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params.map((p) => (typeof p === 'boolean' ? Number(p) : p))) as { detail: string }[];
  return rows.map((r) => r.detail);
}

const PLAN_ROWS = 1050;

describe.each([
  ['text', (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')],
  ['epoch ms', (ms: number) => BigInt(ms)],
] as const)('SQLite timestamp column stored as %s, indexed', (_name, form) => {
  it.each(['timestamp', 'timestamp+incrementing'])('%s mode: the page queries search the index and need no sort', async (mode) => {
    const file = path.join(dir, `plan-${_name.replace(' ', '-')}-${mode}.db`);
    const db = new Database(file);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY NOT NULL, ts TIMESTAMP NOT NULL, name TEXT); CREATE INDEX t_ts ON t (ts)');
    const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
    // More rows than one incrementing query reads ahead (PREFETCH_ROWS), so that mode queries twice too.
    for (let i = 1; i <= PLAN_ROWS; i++) insert.run(i, form(T0 + i * 1000), `row${i}`);
    db.exec('ANALYZE');
    const statements: { sql: string; params: readonly SqlValue[] }[] = [];
    const task = new JdbcSourceTask({ connectionFactory: recordingFactory(statements), maxPollWaitMs: 30 });
    task.initialize(taskContext());
    await task.start({
      'connection.url': `jdbc:sqlite:${file}`,
      'topic.prefix': 'db-',
      'poll.interval.ms': '0',
      tables: '[[null,null,"t"]]',
      mode,
      'timestamp.column.name': 'ts',
      ...(mode === 'timestamp+incrementing' ? { 'incrementing.column.name': 'id' } : {}),
      'batch.max.rows': '10',
    });
    let read = 0;
    for (let i = 0; i < 300 && read < PLAN_ROWS; i++) read += (await task.poll())?.length ?? 0;
    await task.stop();
    expect(read).toBe(PLAN_ROWS);

    const pageQueries = statements.filter((s) => /\bLIMIT (10|1000)\b/.test(s.sql) && /\bFROM `t` WHERE\b/.test(s.sql));
    expect(pageQueries.length).toBeGreaterThan(1);
    for (const q of pageQueries) {
      const details = plan(db, q.sql, q.params);
      expect({ sql: q.sql, plan: details.join(' | ') }).toEqual({ sql: q.sql, plan: expect.stringMatching(/USING (COVERING )?INDEX t_ts/) });
      expect(details.join(' | ')).not.toMatch(/TEMP B-TREE/);
    }
    db.close();
  }, 30_000);
});

const ROWS = 1_000_000;
const LATENESS_BOUND_MS = 150;

it('timestamp mode on a 1M-row indexed table: the event loop stays free page after page', async () => {
  const file = path.join(dir, 'big.db');
  const db = new Database(file);
  // CURRENT_TIMESTAMP's form, one row per second from 2024-01-01 00:00:00 UTC.
  db.exec(`CREATE TABLE big (id INTEGER PRIMARY KEY NOT NULL, ts TIMESTAMP NOT NULL, name TEXT NOT NULL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO big SELECT i, datetime(${T0 / 1000} + i, 'unixepoch'), 'row-' || i FROM n;
    CREATE INDEX big_ts ON big (ts);`);
  db.close();

  const task = new JdbcSourceTask({ connectionFactory: (config) => createConnectionFactory(config), maxPollWaitMs: 20 });
  task.initialize(taskContext());
  await task.start({
    'connection.url': `jdbc:sqlite:${file}`,
    'topic.prefix': 'big-',
    'poll.interval.ms': '3600000',
    'batch.max.rows': '500',
    tables: '[[null,null,"big"]]',
    mode: 'timestamp',
    'timestamp.column.name': 'ts',
  });
  let worstLateness = 0;
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    worstLateness = Math.max(worstLateness, now - last - 10);
    last = now;
  }, 10);
  let count = 0;
  let lastTs = 0;
  let ordered = true;
  try {
    // Stops at the first late timer: with whole-table scans each page takes seconds.
    for (let polls = 0; count < ROWS && worstLateness < LATENESS_BOUND_MS; polls++) {
      if (polls > ROWS) throw new Error('the task never caught up');
      const records = await task.poll();
      worstLateness = Math.max(worstLateness, Date.now() - last - 10);
      for (const r of records ?? []) {
        const ts = ((r.value as Struct).get('ts') as Date).getTime();
        if (ts !== lastTs + 1000 && lastTs !== 0) ordered = false;
        lastTs = ts;
      }
      count += records?.length ?? 0;
      if (records === null && task.caughtUp()) break;
      // As the runtime does while it hands records to the producer: timers get their turn between polls.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    clearInterval(timer);
    await task.stop();
  }
  if (process.env.SQLITE_TS_INDEX_TEST_VERBOSE) console.log(`${count} rows, worst timer lateness ${worstLateness} ms`);
  expect(worstLateness).toBeLessThan(LATENESS_BOUND_MS);
  expect(count).toBe(ROWS);
  expect(ordered).toBe(true);
}, 300_000);
