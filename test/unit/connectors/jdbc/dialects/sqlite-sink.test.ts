import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Schema, SchemaBuilder, SchemaType } from '../../../../../src/api';
import { DbConnection, SinkField, TableId } from '../../../../../connectors/jdbc/dialect';
import { parseJdbcUrl } from '../../../../../connectors/jdbc/jdbc-url';
import { openSqliteConnection } from '../../../../../connectors/jdbc/dialects/sqlite-connection';
import { sqliteDialect } from '../../../../../connectors/jdbc/dialects/sqlite-dialect';
import { sqliteSink } from '../../../../../connectors/jdbc/dialects/sqlite-sink';

const sink = sqliteDialect.sink!;
const t = new TableId(null, null, 'myTable');
const f = (name: string, schema: Schema, primaryKey = false): SinkField => ({ name, schema, primaryKey });

let dir: string;
let file: string;
let conn: DbConnection;
let db: Database.Database;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-sink-'));
  file = path.join(dir, 'sink.db');
  conn = await openSqliteConnection({ url: parseJdbcUrl(`jdbc:sqlite:${file}`), user: null, password: null, timeZone: 'UTC' }, { create: true });
  db = new Database(file);
  db.defaultSafeIntegers(true);
});

afterEach(async () => {
  db.close();
  await conn.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Confluent's SqliteDatabaseDialectTest fields c1..c9. */
const day = new Date(Date.UTC(2001, 2, 15));
const confluentFields: SinkField[] = [
  f('c1', Schema.INT32_SCHEMA, true),
  f('c2', Schema.INT64_SCHEMA),
  f('c3', Schema.STRING_SCHEMA),
  f('c4', Schema.OPTIONAL_STRING_SCHEMA),
  f('c5', ConnectDate.builder().defaultValue(day).build()),
  f('c6', ConnectTime.builder().defaultValue(new Date(0)).build()),
  f('c7', ConnectTimestamp.builder().defaultValue(day).build()),
  f('c8', Decimal.builder(4).optional().build()),
  f('c9', SchemaBuilder.bool().defaultValue(true).build()),
];

describe('SQLite sink dialect', () => {
  it('is the sink of sqliteDialect', () => {
    expect(sink).toBe(sqliteSink);
    expect(sink.maxParameters).toBe(32766);
  });

  it('maps Connect types as Confluent does', () => {
    const type = (schema: Schema) => sink.sqlType(f('x', schema));
    expect([SchemaType.INT8, SchemaType.INT16, SchemaType.INT32, SchemaType.INT64, SchemaType.BOOLEAN].map((s) => type(new Schema(s)))).toEqual(Array(5).fill('INTEGER'));
    expect(type(Schema.FLOAT32_SCHEMA)).toBe('REAL');
    expect(type(Schema.FLOAT64_SCHEMA)).toBe('REAL');
    expect(type(Schema.STRING_SCHEMA)).toBe('TEXT');
    expect(type(Schema.BYTES_SCHEMA)).toBe('BLOB');
    for (const s of [Decimal.schema(0), Decimal.schema(5), ConnectDate.SCHEMA, ConnectTime.SCHEMA, ConnectTimestamp.SCHEMA]) expect(type(s)).toBe('NUMERIC');
    expect(() => sink.sqlType(f('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build()))).toThrow(/ARRAY.*field tags/);
  });

  it('CREATE TABLE and ALTER TABLE as Confluent writes them, quoted or not', () => {
    expect(sink.createTableStatement(t, confluentFields, true)).toBe(
      'CREATE TABLE `myTable` (\n' +
        '`c1` INTEGER NOT NULL,\n' +
        '`c2` INTEGER NOT NULL,\n' +
        '`c3` TEXT NOT NULL,\n' +
        '`c4` TEXT NULL,\n' +
        "`c5` NUMERIC DEFAULT '2001-03-15',\n" +
        "`c6` NUMERIC DEFAULT '00:00:00.000',\n" +
        "`c7` NUMERIC DEFAULT '2001-03-15 00:00:00.000',\n" +
        '`c8` NUMERIC NULL,\n' +
        '`c9` INTEGER DEFAULT 1,\n' +
        'PRIMARY KEY(`c1`))',
    );
    expect(sink.createTableStatement(t, confluentFields.slice(0, 2), false)).toBe('CREATE TABLE myTable (\nc1 INTEGER NOT NULL,\nc2 INTEGER NOT NULL,\nPRIMARY KEY(c1))');
    expect(sink.alterTableStatements(t, [f('newcol1', Schema.OPTIONAL_INT32_SCHEMA), f('newcol2', SchemaBuilder.int32().defaultValue(42).build())], true)).toEqual([
      'ALTER TABLE `myTable` ADD `newcol1` INTEGER NULL',
      'ALTER TABLE `myTable` ADD `newcol2` INTEGER DEFAULT 42',
    ]);
    expect(sink.alterTableStatements(t, [f('d', SchemaBuilder.float64().defaultValue(1).build())], false)).toEqual(['ALTER TABLE myTable ADD d REAL DEFAULT 1.0']);
  });

  it('the DDL runs on SQLite, and ALTER adds each column', async () => {
    await conn.query(sink.createTableStatement(t, confluentFields, true));
    for (const sql of sink.alterTableStatements(t, [f('n1', Schema.OPTIONAL_STRING_SCHEMA), f('n2', SchemaBuilder.string().defaultValue("it's").build())], true)) await conn.query(sql);
    const cols = await sqliteDialect.describeTable(conn, t);
    expect(cols.map((c) => [c.name, c.typeName, c.nullable, c.primaryKey])).toEqual([
      ['c1', 'integer', false, true],
      ['c2', 'integer', false, false],
      ['c3', 'text', false, false],
      ['c4', 'text', true, false],
      ['c5', 'numeric', true, false],
      ['c6', 'numeric', true, false],
      ['c7', 'numeric', true, false],
      ['c8', 'numeric', true, false],
      ['c9', 'integer', true, false],
      ['n1', 'text', true, false],
      ['n2', 'text', true, false],
    ]);
    db.prepare("INSERT INTO myTable (c1, c2, c3) VALUES (1, 2, 'x')").run();
    expect(db.prepare('SELECT c5, c9, n2 FROM myTable').get()).toEqual({ c5: '2001-03-15', c9: 1n, n2: "it's" });
  });

  it('multi-row INSERT, upsert keyed on the primary key (a repeated key updates), UPDATE and DELETE', async () => {
    db.exec('CREATE TABLE kv (k INTEGER PRIMARY KEY, a TEXT, b TEXT, u TEXT UNIQUE)');
    expect(sink.insertStatement(t, ['a', 'b'], 2, true)).toBe('INSERT INTO `myTable`(`a`,`b`) VALUES(?,?),(?,?)');
    const kv = new TableId(null, null, 'kv');
    await conn.query(sink.insertStatement(kv, ['k', 'a', 'b', 'u'], 2, true), [1, 'a1', 'b1', 'u1', 2, 'a2', 'b2', 'u2']);
    const upsert = sink.upsertStatement(kv, ['k'], ['a', 'b'], 3, true);
    expect(upsert).toBe('INSERT INTO `kv`(`k`,`a`,`b`) VALUES(?,?,?),(?,?,?),(?,?,?) ON CONFLICT(`k`) DO UPDATE SET `a`=excluded.`a`,`b`=excluded.`b`');
    await conn.query(upsert, [1, 'A1', 'B1', 3, 'a3', 'b3', 3, 'A3', 'B3']);
    // Keyed on the primary key only: the untouched column u keeps its value (INSERT OR REPLACE would reset it).
    expect(db.prepare('SELECT k, a, b, u FROM kv ORDER BY k').all()).toEqual([
      { k: 1n, a: 'A1', b: 'B1', u: 'u1' },
      { k: 2n, a: 'a2', b: 'b2', u: 'u2' },
      { k: 3n, a: 'A3', b: 'B3', u: null },
    ]);
    await conn.query(sink.upsertStatement(kv, ['k'], [], 2, false), [1, 4]);
    expect(db.prepare('SELECT count(*) FROM kv').pluck().get()).toBe(4n);
    const update = sink.updateStatement(kv, ['k'], ['a', 'b'], true);
    expect(update).toBe('UPDATE `kv` SET `a` = ?, `b` = ? WHERE `k` = ?');
    await conn.query(update, ['x', 'y', 2]);
    expect(db.prepare('SELECT a, b FROM kv WHERE k = 2').get()).toEqual({ a: 'x', b: 'y' });
    const del = sink.deleteStatement(kv, ['k'], 2, true);
    expect(del).toBe('DELETE FROM `kv` WHERE `k` IN (?,?)');
    await conn.query(del, [1, 2]);
    expect(db.prepare('SELECT k FROM kv ORDER BY k').pluck().all()).toEqual([3n, 4n]);
  });

  it('deletes by a composite key, and a big batch does not hit the expression depth limit', async () => {
    db.exec('CREATE TABLE pairs (a INTEGER, b TEXT, v TEXT, PRIMARY KEY (a, b))');
    const pairs = new TableId(null, null, 'pairs');
    const rows = 5000;
    const params = Array.from({ length: rows }, (_, i) => [i, `b${i}`, 'v']).flat();
    await conn.query(sink.insertStatement(pairs, ['a', 'b', 'v'], rows, true), params);
    const del = sink.deleteStatement(pairs, ['a', 'b'], rows - 1, true);
    expect(del.startsWith('DELETE FROM `pairs` WHERE (`a`,`b`) IN (VALUES(?,?),(?,?)')).toBe(true);
    await conn.query(del, Array.from({ length: rows - 1 }, (_, i) => [i, `b${i}`]).flat());
    expect(db.prepare('SELECT a, b FROM pairs').all()).toEqual([{ a: BigInt(rows - 1), b: `b${rows - 1}` }]);
  });

  it('binds values as sqlite-jdbc stores them: 1/0, Decimal text, dates as epoch milliseconds', async () => {
    const ts = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    expect(sink.bindValue(Schema.BOOLEAN_SCHEMA, true, 'UTC')).toBe(1);
    expect(sink.bindValue(Schema.INT64_SCHEMA, 2n ** 62n, 'UTC')).toBe(2n ** 62n);
    expect(sink.bindValue(Decimal.schema(2), new BigDecimal(12345n, 2), 'UTC')).toBe('123.45');
    expect(sink.bindValue(ConnectTimestamp.SCHEMA, ts, 'Europe/Paris')).toBe(BigInt(ts.getTime()));
    expect(sink.bindValue(ConnectDate.SCHEMA, day, 'UTC')).toBe(BigInt(day.getTime()));
    expect(sink.bindValue(Schema.BYTES_SCHEMA, new Uint8Array([1, 2]), 'UTC')).toEqual(Buffer.from([1, 2]));
    expect(sink.bindValue(Schema.OPTIONAL_STRING_SCHEMA, null, 'UTC')).toBeNull();
    expect(() => sink.bindValue(SchemaBuilder.array(Schema.INT32_SCHEMA).build(), [1], 'UTC')).toThrow(DataError);

    await conn.query(sink.createTableStatement(t, [f('id', Schema.INT32_SCHEMA, true), f('price', Decimal.schema(2)), f('at', ConnectTimestamp.SCHEMA)], true));
    await conn.query(sink.insertStatement(t, ['id', 'price', 'at'], 1, true), [1, sink.bindValue(Decimal.schema(2), new BigDecimal(12345n, 2), 'UTC'), sink.bindValue(ConnectTimestamp.SCHEMA, ts, 'UTC')]);
    // What the source reads back from the NUMERIC columns.
    const read = await conn.query('SELECT price, at FROM myTable');
    const at = sqliteDialect.columnMapping(read.columns[1], 'none', 'UTC');
    expect(read.rows[0][0]).toBe(123.45);
    expect(read.rows[0][1]).toBe(BigInt(ts.getTime()));
    expect(at).not.toBeNull();
  });

  it('binds schemaless JSON values by the existing column, and names the column it cannot store a value in', async () => {
    db.exec('CREATE TABLE s (i INTEGER, r REAL, n NUMERIC(10,2), txt TEXT, b BLOB, d DATETIME, flag BOOLEAN)');
    const cols = await sqliteDialect.describeTable(conn, new TableId(null, null, 's'));
    const col = (name: string) => cols.find((c) => c.name === name)!;
    expect(sink.bindSchemaless(col('i'), 7n, 'UTC')).toBe(7n);
    expect(sink.bindSchemaless(col('flag'), true, 'UTC')).toBe(1);
    expect(sink.bindSchemaless(col('r'), 2n, 'UTC')).toBe(2);
    expect(sink.bindSchemaless(col('n'), '12.50', 'UTC')).toBe('12.50');
    expect(sink.bindSchemaless(col('txt'), new Map<string, unknown>([['a', 1n], ['b', [true]]]), 'UTC')).toBe('{"a":1,"b":[true]}');
    expect(sink.bindSchemaless(col('txt'), 5n, 'UTC')).toBe('5');
    expect(sink.bindSchemaless(col('b'), 'hi', 'UTC')).toEqual(Buffer.from('hi'));
    expect(sink.bindSchemaless(col('d'), 1000n, 'UTC')).toBe(1000n);
    expect(sink.bindSchemaless(col('i'), null, 'UTC')).toBeNull();
    expect(() => sink.bindSchemaless(col('i'), 'seven', 'UTC')).toThrow(/Cannot write string "seven" to column i \(integer\)/);
    expect(() => sink.bindSchemaless(col('i'), 1.5, 'UTC')).toThrow(DataError);
    expect(() => sink.bindSchemaless(col('r'), new Map(), 'UTC')).toThrow(/a JSON object to column r/);
  });

  it('tableExists honours table.types, and parseTableName splits as Confluent', async () => {
    db.exec('CREATE TABLE present (a INTEGER); CREATE VIEW v AS SELECT a FROM present');
    expect(await sink.tableExists(conn, new TableId(null, null, 'present'), ['TABLE'])).toBe(true);
    expect(await sink.tableExists(conn, new TableId(null, null, 'absent'), ['TABLE'])).toBe(false);
    expect(await sink.tableExists(conn, new TableId(null, null, 'v'), ['TABLE'])).toBe(false);
    expect(await sink.tableExists(conn, new TableId(null, null, 'v'), ['TABLE', 'VIEW'])).toBe(true);
    expect(sink.parseTableName('orders')).toEqual(new TableId(null, null, 'orders'));
    expect(sink.parseTableName('main.orders')).toEqual(new TableId(null, 'main', 'orders'));
    expect(sink.parseTableName('a.b.c')).toEqual(new TableId('a', 'b', 'c'));
    expect(sink.parseTableName('`my.table`')).toEqual(new TableId(null, null, 'my.table'));
    expect(() => sink.parseTableName('a..b')).toThrow(/Invalid fully qualified name: 'a..b'/);
  });
});
