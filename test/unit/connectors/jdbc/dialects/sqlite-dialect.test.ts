import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { BigDecimal, LogicalNames, Schema } from '../../../../../src/api';
import { ColumnDefinition, DatabaseError, DbConnection, JdbcType, TableId } from '../../../../../connectors/jdbc/dialect';
import { parseJdbcUrl } from '../../../../../connectors/jdbc/jdbc-url';
import { openSqliteConnection } from '../../../../../connectors/jdbc/dialects/sqlite-connection';
import { sqliteDialect } from '../../../../../connectors/jdbc/dialects/sqlite-dialect';
import { sqliteTypeInfo } from '../../../../../connectors/jdbc/dialects/sqlite-types';

let dir: string;
let file: string;
let conn: DbConnection;

function open(url: string, create = false): Promise<DbConnection> {
  return openSqliteConnection({ url: parseJdbcUrl(url), user: null, password: null, timeZone: 'UTC' }, { create });
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-dialect-'));
  file = path.join(dir, 'test.db');
  const db = new Database(file);
  db.exec(`
    CREATE TABLE orders (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, price NUMERIC(10,2), qty INT, ratio REAL,
      photo BLOB, born DATE, seen DATETIME, at TIMESTAMP, flag BOOLEAN, small SMALLINT, tiny TINYINT, big BIGINT, dbl DOUBLE,
      code VARCHAR(20), c CHAR(3), untyped, dec DECIMAL(5,1), fl FLOAT, cl CLOB);
    CREATE TABLE "we\`ird" (k TEXT PRIMARY KEY, v TEXT);
    CREATE VIEW order_names AS SELECT name FROM orders;
    CREATE TABLE pairs (a INTEGER NOT NULL, b INTEGER NOT NULL, PRIMARY KEY (a, b));
  `);
  db.close();
  conn = await open(`jdbc:sqlite:${file}`);
});

afterEach(async () => {
  await conn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('sqliteDialect SQL pieces', () => {
  it('backtick quoting (doubled inside), ? placeholders, LIMIT', () => {
    expect(sqliteDialect.name).toBe('SqliteDatabaseDialect');
    expect(sqliteDialect.quoteIdentifier('a`b', true)).toBe('`a``b`');
    expect(sqliteDialect.quoteIdentifier('ab', false)).toBe('ab');
    expect(sqliteDialect.tableName(new TableId(null, null, 'orders'), true)).toBe('`orders`');
    expect(sqliteDialect.tableName(new TableId(null, null, 'orders'), false)).toBe('orders');
    expect(sqliteDialect.placeholder(3)).toBe('?');
    expect(sqliteDialect.limitClause(100)).toBe('LIMIT 100');
  });
});

describe('sqliteDialect.listTables', () => {
  const opts = (tableTypes: string[]) => ({ tableTypes, schemaPattern: null, catalogPattern: null });

  it('tables by default, views when asked, never sqlite_* tables', async () => {
    expect((await sqliteDialect.listTables(conn, opts(['TABLE']))).map(String)).toEqual(['orders', 'pairs', 'we`ird']);
    expect((await sqliteDialect.listTables(conn, opts(['VIEW']))).map(String)).toEqual(['order_names']);
    expect((await sqliteDialect.listTables(conn, opts(['TABLE', 'VIEW']))).map(String)).toEqual(['order_names', 'orders', 'pairs', 'we`ird']);
    expect(await sqliteDialect.listTables(conn, opts(['SYNONYM']))).toEqual([]);
    // AUTOINCREMENT created sqlite_sequence; it must not be listed.
    const all = await conn.query("SELECT name FROM sqlite_master WHERE type = 'table'");
    expect(all.rows.map((r) => r[0])).toContain('sqlite_sequence');
  });
});

describe('sqliteDialect.describeTable', () => {
  it('types as sqlite-jdbc reports them, nullability, keys', async () => {
    const cols = await sqliteDialect.describeTable(conn, new TableId(null, null, 'orders'));
    const byName = Object.fromEntries(cols.map((c) => [c.name, c]));
    expect(cols.map((c) => c.name)).toEqual(['id', 'name', 'price', 'qty', 'ratio', 'photo', 'born', 'seen', 'at', 'flag', 'small', 'tiny', 'big', 'dbl', 'code', 'c', 'untyped', 'dec', 'fl', 'cl']);
    expect(byName.id).toMatchObject({ jdbcType: JdbcType.INTEGER, primaryKey: true, autoIncrement: true, nullable: true, signed: true });
    expect(byName.name).toMatchObject({ jdbcType: JdbcType.VARCHAR, nullable: false, primaryKey: false });
    expect(byName.price).toMatchObject({ jdbcType: JdbcType.NUMERIC, precision: 10, scale: 2, signed: true, typeName: 'numeric' });
    expect(byName.qty).toMatchObject({ jdbcType: JdbcType.INTEGER, signed: false });
    expect(byName.ratio.jdbcType).toBe(JdbcType.REAL);
    expect(byName.photo.jdbcType).toBe(JdbcType.BLOB);
    expect(byName.born.jdbcType).toBe(JdbcType.DATE);
    expect(byName.seen.jdbcType).toBe(JdbcType.DATE);
    expect(byName.at.jdbcType).toBe(JdbcType.TIMESTAMP);
    expect(byName.flag.jdbcType).toBe(JdbcType.BOOLEAN);
    expect(byName.small).toMatchObject({ jdbcType: JdbcType.SMALLINT, signed: false });
    expect(byName.tiny).toMatchObject({ jdbcType: JdbcType.TINYINT, signed: false });
    expect(byName.big.jdbcType).toBe(JdbcType.BIGINT);
    expect(byName.dbl.jdbcType).toBe(JdbcType.DOUBLE);
    expect(byName.code).toMatchObject({ jdbcType: JdbcType.VARCHAR, precision: 20 });
    expect(byName.c.jdbcType).toBe(JdbcType.CHAR);
    expect(byName.untyped.jdbcType).toBe(JdbcType.NUMERIC);
    expect(byName.dec).toMatchObject({ jdbcType: JdbcType.DECIMAL, precision: 5, scale: 1 });
    expect(byName.fl.jdbcType).toBe(JdbcType.FLOAT);
    expect(byName.cl.jdbcType).toBe(JdbcType.CLOB);
  });

  it('composite keys, odd names', async () => {
    const pairs = await sqliteDialect.describeTable(conn, new TableId(null, null, 'pairs'));
    expect(pairs.map((c) => [c.name, c.primaryKey, c.nullable, c.autoIncrement])).toEqual([
      ['a', true, false, false],
      ['b', true, false, false],
    ]);
    const weird = await sqliteDialect.describeTable(conn, new TableId(null, null, 'we`ird'));
    expect(weird.map((c) => c.name)).toEqual(['k', 'v']);
  });
});

describe('sqlite-jdbc type rules follow the first row', () => {
  it.each<[string | null, unknown, JdbcType]>([
    ['INTEGER', 5n, JdbcType.INTEGER],
    ['INTEGER', 5_000_000_000n, JdbcType.BIGINT],
    ['INTEGER', null, JdbcType.INTEGER],
    ['INTEGER', 'text in an integer column', JdbcType.VARCHAR],
    ['TEXT', null, JdbcType.VARCHAR],
    ['REAL', 1.5, JdbcType.REAL],
    ['REAL', 2, JdbcType.REAL],
    ['NUMERIC', 7n, JdbcType.INTEGER],
    ['NUMERIC', 7.5, JdbcType.NUMERIC],
    ['DATETIME', '2024-01-01 00:00:00', JdbcType.DATE],
    ['TIMESTAMP', 1700000000000n, JdbcType.TIMESTAMP],
    ['BLOB', Buffer.from([1]), JdbcType.BLOB],
    [null, 1n, JdbcType.INTEGER],
    [null, 1.5, JdbcType.FLOAT],
    [null, 'x', JdbcType.VARCHAR],
    [null, Buffer.from([1]), JdbcType.BLOB],
    [null, null, JdbcType.NUMERIC],
    ['VARCHAR (20)', null, JdbcType.VARCHAR],
  ])('declared %s holding %p -> %s', (decl, value, expected) => {
    expect(sqliteTypeInfo(decl, value).jdbcType).toBe(expected);
  });
});

describe('query results through the dialect mapping', () => {
  it('maps a row of every declared type to Connect values', async () => {
    await conn.query(
      `INSERT INTO orders (name, price, qty, ratio, photo, born, seen, at, flag, small, tiny, big, dbl, code, c, untyped, dec, fl, cl)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ['widget', '12.30', 7, 0.5, Buffer.from([1, 2]), '2024-03-01', '2024-03-02 10:00:00', '2024-03-03 04:05:06.789', true, 3, 1, 9007199254740993n, 2.25, 'A1', 'abc', 'u', '1.25', 1.5, 'long'],
    );
    const result = await conn.query('SELECT * FROM orders');
    const mappings = result.columns.map((c) => sqliteDialect.columnMapping(c, 'none', 'UTC'));
    const values = Object.fromEntries(mappings.map((m, i) => [m!.fieldName, m!.convert(result.rows[0][i])]));
    const schemas = Object.fromEntries(mappings.map((m) => [m!.fieldName, m!.schema]));
    expect(schemas.id).toBe(Schema.OPTIONAL_INT32_SCHEMA);
    expect(values.id).toBe(1);
    expect(schemas.name).toBe(Schema.STRING_SCHEMA);
    expect(values.name).toBe('widget');
    expect(schemas.price.name).toBe(LogicalNames.DECIMAL);
    expect(values.price).toEqual(new BigDecimal(1230n, 2));
    expect(schemas.qty).toBe(Schema.OPTIONAL_INT64_SCHEMA); // INT is not "signed" for sqlite-jdbc
    expect(values.qty).toBe(7n);
    expect(values.ratio).toBe(0.5);
    expect(values.photo).toEqual(Buffer.from([1, 2]));
    expect(values.born).toEqual(new Date(Date.UTC(2024, 2, 1)));
    expect(values.seen).toEqual(new Date(Date.UTC(2024, 2, 2)));
    expect(schemas.at.name).toBe(LogicalNames.TIMESTAMP);
    expect(values.at).toEqual(new Date(Date.UTC(2024, 2, 3, 4, 5, 6, 789)));
    expect(values.flag).toBe(true);
    expect(values.small).toBe(3);
    expect(values.tiny).toBe(1);
    expect(values.big).toBe(9007199254740993n);
    expect(values.dbl).toBe(2.25);
    expect(values.code).toBe('A1');
    expect(values.cl).toBe('long');
  });

  it('REAL dates are Julian days, INTEGER ones epoch milliseconds (as sqlite-jdbc)', async () => {
    await conn.query('CREATE TABLE t (at TIMESTAMP)');
    await conn.query('INSERT INTO t VALUES (2460310.5), (1700000000000)');
    const result = await conn.query('SELECT at FROM t');
    const column: ColumnDefinition = { ...result.columns[0], jdbcType: JdbcType.TIMESTAMP };
    const m = sqliteDialect.columnMapping(column, 'none', 'UTC')!;
    expect(m.convert(result.rows[0][0])).toEqual(new Date(Date.UTC(2024, 0, 1)));
    expect(m.convert(result.rows[1][0])).toEqual(new Date(1700000000000));
  });

  it('Date parameters bind as SQLite date/time text in db.timezone', async () => {
    await conn.query('CREATE TABLE t (at TEXT)');
    await conn.query('INSERT INTO t VALUES (?), (?)', [new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))]);
    expect((await conn.query('SELECT at FROM t')).rows).toEqual([['2024-01-02 03:04:05'], ['2024-01-02 03:04:05.006']]);
  });

  it('currentTime is the database clock', async () => {
    const before = Date.now();
    const now = await sqliteDialect.currentTime(conn);
    expect(Math.abs(now.getTime() - before)).toBeLessThan(60_000);
  });
});

describe('openSqliteConnection', () => {
  it('a missing file is an error naming it, and is not created', async () => {
    const missing = path.join(dir, 'nope.db');
    const err = await open(`jdbc:sqlite:${missing}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as DatabaseError).message).toBe(`SQLite database file ${missing} does not exist (connection.url jdbc:sqlite:${missing}); create it first or fix the path`);
    expect((err as DatabaseError).retriable).toBe(false);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('creates the file when asked', async () => {
    const created = path.join(dir, 'new.db');
    const c = await open(`jdbc:sqlite:${created}`, true);
    await c.query('CREATE TABLE x (a)');
    await c.close();
    expect(fs.existsSync(created)).toBe(true);
  });

  it(':memory: works', async () => {
    const c = await open('jdbc:sqlite::memory:');
    await c.query('CREATE TABLE x (a INTEGER)');
    await c.query('INSERT INTO x VALUES (?)', [1]);
    expect((await c.query('SELECT a FROM x')).rows).toEqual([[1n]]);
    expect(await c.isValid(1000)).toBe(true);
    await c.close();
    expect(await c.isValid(1000)).toBe(false);
  });

  it('SQL errors are DatabaseErrors with the SQLite code', async () => {
    const err = await conn.query('SELEC 1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as DatabaseError).sqlState).toBe('SQLITE_ERROR');
    expect((err as DatabaseError).message).toMatch(/syntax error.*"SELEC 1"/);
  });

  it('transactions commit or roll back', async () => {
    await conn.query('CREATE TABLE x (a INTEGER)');
    await conn.transaction(async (c) => {
      await c.query('INSERT INTO x VALUES (1)');
    });
    await expect(
      conn.transaction(async (c) => {
        await c.query('INSERT INTO x VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await conn.query('SELECT a FROM x')).rows).toEqual([[1n]]);
  });

  it('queryPages: pages of the asked size, same columns, early exit closes the cursor', async () => {
    await conn.query('CREATE TABLE x (a INTEGER NOT NULL)');
    await conn.query('WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25) INSERT INTO x SELECT i FROM n');
    const sizes: number[] = [];
    for await (const page of conn.queryPages('SELECT a FROM x WHERE a > ? ORDER BY a', [0], 10)) {
      sizes.push(page.rows.length);
      expect(page.columns[0]).toMatchObject({ name: 'a', nullable: false, jdbcType: JdbcType.INTEGER });
    }
    expect(sizes).toEqual([10, 10, 5]);
    for await (const page of conn.queryPages('SELECT a FROM x', [], 10)) {
      expect(page.rows[0]).toEqual([1n]);
      const busy = await conn.query('SELECT 1').catch((e: unknown) => e);
      expect((busy as Error).message).toMatch(/still reading pages of another query/);
      break;
    }
    expect((await conn.query('SELECT count(*) FROM x')).rows).toEqual([[25n]]);
    const none: unknown[] = [];
    for await (const page of conn.queryPages('SELECT a FROM x WHERE a < 0', [], 10)) none.push(page);
    expect(none).toEqual([]);
  });
});
