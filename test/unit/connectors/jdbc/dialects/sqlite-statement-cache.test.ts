import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { DbConnection } from '../../../../../connectors/jdbc/dialect';
import { parseJdbcUrl } from '../../../../../connectors/jdbc/jdbc-url';
import { openSqliteConnection } from '../../../../../connectors/jdbc/dialects/sqlite-connection';

/** The connection keeps prepared statements and column flags; a schema change must not leave them stale. */
let dir: string;
let file: string;
let conn: DbConnection;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-stmt-cache-'));
  file = path.join(dir, 'db.sqlite');
  const db = new Database(file);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO t VALUES (1, \'a\')');
  db.close();
  conn = await openSqliteConnection({ url: parseJdbcUrl(`jdbc:sqlite:${file}`), user: null, password: null, timeZone: 'UTC' });
});

afterEach(async () => {
  await conn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('sees a column another connection added after the same query ran', async () => {
  const first = await conn.query('SELECT * FROM t ORDER BY id');
  expect(first.columns.map((c) => c.name)).toEqual(['id', 'name']);
  const other = new Database(file);
  other.exec("ALTER TABLE t ADD COLUMN extra TEXT NOT NULL DEFAULT 'x'; INSERT INTO t VALUES (2, 'b', 'y')");
  other.close();
  const second = await conn.query('SELECT * FROM t ORDER BY id');
  expect(second.columns.map((c) => [c.name, c.nullable])).toEqual([
    ['id', true],
    ['name', false],
    ['extra', false],
  ]);
  expect(second.rows).toEqual([
    [1n, 'a', 'x'],
    [2n, 'b', 'y'],
  ]);
});

it('sees NOT NULL flags of a table recreated under the same name on the same connection', async () => {
  expect((await conn.query('SELECT name FROM t')).columns[0].nullable).toBe(false);
  await conn.query('DROP TABLE t');
  await conn.query('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
  await conn.query("INSERT INTO t VALUES (1, 'a')");
  expect((await conn.query('SELECT name FROM t')).columns[0].nullable).toBe(true);
});

it('runs a repeated parameterized statement with new parameters each time', async () => {
  for (let i = 2; i <= 5; i++) await conn.query('INSERT INTO t (id, name) VALUES (?, ?)', [i, `n${i}`]);
  const rows = (await conn.query('SELECT id, name FROM t WHERE id > ? ORDER BY id', [3])).rows;
  expect(rows).toEqual([
    [4n, 'n4'],
    [5n, 'n5'],
  ]);
});
