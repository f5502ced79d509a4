import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import Database from 'better-sqlite3';
import { Struct } from '../../../../../src/api';
import { createConnectionFactory } from '../../../../../connectors/jdbc/connection-factory';
import { JdbcSourceTask } from '../../../../../connectors/jdbc/source/jdbc-source-task';
import { taskContext } from './fake-db';

/**
 * A 1,000,000-row SQLite file read by the real JdbcSourceTask (the real connection factory, driver
 * and dialect) to its end, in bulk and in incrementing mode: every row once (count and sum of the
 * ids), and the live heap (sampled after a full collection every few polls, the first poll
 * included) never grows by more than a fraction of what the table takes as records. The
 * records of one poll are dropped before the next, as the runtime does once they are sent.
 *
 * The table as records (a Struct with four fields per row) is several hundred MB of JS objects. With
 * one page holding the whole table (LARGE_TABLE_TEST_BATCH_ROWS=1000000, i.e. a querier that reads
 * the table in one query) the heap bound fails.
 */
const ROWS = 1_000_000;
const BATCH_ROWS = process.env.LARGE_TABLE_TEST_BATCH_ROWS ?? '1000';
const HEAP_BOUND = 100 * 1024 * 1024;
// Live memory, not garbage V8 has not collected yet: a full collection before each sample.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const SAMPLE_EVERY_POLLS = 20;

let dir: string;
let url: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jdbc-large-table-'));
  const file = path.join(dir, 'big.db');
  const db = new Database(file);
  db.exec(`CREATE TABLE big (id INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, amount REAL, note TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO big SELECT i, 'row-' || i || '-padding-padding', i / 4.0, CASE WHEN i % 3 = 0 THEN NULL ELSE 'note ' || i END FROM n;`);
  db.close();
  url = `jdbc:sqlite:${file}`;
}, 60_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Drained {
  count: number;
  idSum: bigint;
  distinctOk: boolean;
  maxHeapGrowth: number;
  caughtUp: boolean;
}

/** Polls a fresh task until it says it caught up, keeping only a count, a sum and the heap's peak. */
async function drain(mode: Record<string, string>): Promise<Drained> {
  const task = new JdbcSourceTask({ connectionFactory: (config) => createConnectionFactory(config), maxPollWaitMs: 20 });
  task.initialize(taskContext());
  await task.start({
    'connection.url': url,
    'topic.prefix': 'big-',
    // Long enough that a table read to its end is not queried again during the test.
    'poll.interval.ms': '3600000',
    'batch.max.rows': BATCH_ROWS,
    tables: '[[null,null,"big"]]',
    ...mode,
  });
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let maxHeapGrowth = 0;
  let count = 0;
  let idSum = 0n;
  let lastId = 0n;
  let distinctOk = true;
  try {
    for (let polls = 0; ; polls++) {
      if (polls > ROWS + 10) throw new Error('the task never caught up');
      const records = await task.poll();
      // Sampled while this poll's records are still held, as the runtime holds them until sent.
      if (polls % SAMPLE_EVERY_POLLS === 0) {
        gc();
        maxHeapGrowth = Math.max(maxHeapGrowth, process.memoryUsage().heapUsed - heapBefore);
      }
      if (records === null) {
        if (task.caughtUp()) break;
        continue;
      }
      for (const r of records) {
        const id = BigInt((r.value as Struct).get('id') as number | bigint);
        // Both modes read in id order here (bulk: the table's rowid order), so "once each" is "ascending by one".
        if (id !== lastId + 1n) distinctOk = false;
        lastId = id;
        idSum += id;
      }
      count += records.length;
    }
    return { count, idSum, distinctOk, maxHeapGrowth, caughtUp: task.caughtUp() };
  } finally {
    await task.stop();
  }
}

const EXPECTED_SUM = (BigInt(ROWS) * BigInt(ROWS + 1)) / 2n;

it.each([
  ['bulk', { mode: 'bulk' }],
  ['incrementing', { mode: 'incrementing', 'incrementing.column.name': 'id' }],
])('%s: 1M rows, each exactly once, with the heap bounded', async (_name, mode) => {
  const r = await drain(mode);
  if (process.env.LARGE_TABLE_TEST_VERBOSE) console.log(`${_name}: peak heap growth ${(r.maxHeapGrowth / 1048576).toFixed(0)} MB`);
  expect(r.count).toBe(ROWS);
  expect(r.idSum).toBe(EXPECTED_SUM);
  expect(r.distinctOk).toBe(true);
  expect(r.caughtUp).toBe(true);
  expect(r.maxHeapGrowth).toBeLessThan(HEAP_BOUND);
}, 120_000);
