import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { DbConnection } from '../../../../../connectors/jdbc/dialect';
import { parseJdbcUrl } from '../../../../../connectors/jdbc/jdbc-url';
import { openSqliteConnection } from '../../../../../connectors/jdbc/dialects/sqlite-connection';

/**
 * A 1,000,000-row SQLite table read through queryPages keeps the event loop free (a 10 ms timer is
 * never held up long) and memory flat (pages are dropped as they are consumed). With the whole
 * table read in one synchronous step (PAGE_ROWS = ROWS) the lateness check fails: the timer waits
 * for the full read, well over a second.
 */
const ROWS = 1_000_000;
const PAGE_ROWS = Number(process.env.SQLITE_PAGING_TEST_PAGE_ROWS ?? 1000);

let dir: string;
let conn: DbConnection;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-paging-'));
  const file = path.join(dir, 'big.db');
  const db = new Database(file);
  db.exec(`CREATE TABLE big (id INTEGER PRIMARY KEY, name TEXT NOT NULL, v REAL);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
    INSERT INTO big SELECT i, 'row-' || i || '-padding-padding-padding', i / 3.0 FROM n;`);
  db.close();
  conn = await openSqliteConnection(
    { url: parseJdbcUrl(`jdbc:sqlite:${file}`), user: null, password: null, timeZone: 'UTC' },
    PAGE_ROWS >= ROWS ? { yieldEveryRows: ROWS + 1 } : {},
  );
}, 60_000);

afterAll(async () => {
  await conn?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('reads 1M rows in pages with a free event loop and bounded memory', async () => {
  const heapBefore = process.memoryUsage().heapUsed;
  let maxHeapGrowth = 0;
  let worstLateness = 0;
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    worstLateness = Math.max(worstLateness, now - last - 10);
    last = now;
  }, 10);
  let count = 0;
  let lastId = 0n;
  try {
    for await (const page of conn.queryPages('SELECT id, name, v FROM big ORDER BY id', [], PAGE_ROWS)) {
      for (const row of page.rows) {
        const id = row[0] as bigint;
        if (id !== lastId + 1n) throw new Error(`row ${id} after ${lastId}`);
        lastId = id;
      }
      count += page.rows.length;
      maxHeapGrowth = Math.max(maxHeapGrowth, process.memoryUsage().heapUsed - heapBefore);
    }
  } finally {
    // The wait since the timer last ran counts too: a read that never yields never lets it run at all.
    worstLateness = Math.max(worstLateness, Date.now() - last - 10);
    clearInterval(timer);
  }
  expect(count).toBe(ROWS);
  expect(worstLateness).toBeLessThan(150);
  // The whole table held at once is well over 150 MB of JS objects; pages keep it to a few.
  expect(maxHeapGrowth).toBeLessThan(64 * 1024 * 1024);
}, 120_000);
