import {
  BigDecimal,
  ConnectDate,
  ConnectError,
  ConnectTime,
  ConnectTimestamp,
  DataError,
  Decimal,
  Schema,
  SchemaBuilder,
} from '../../src/api';
import { ColumnDefinition, DbConnection, SinkField, SqlValue, TableId } from '../../connectors/jdbc/dialect';
import { openMysqlConnection } from '../../connectors/jdbc/dialects/mysql-connection';
import { mysqlDialect } from '../../connectors/jdbc/dialects/mysql-dialect';
import { mysqlSink as sink } from '../../connectors/jdbc/dialects/mysql-sink';
import { parseJdbcUrl } from '../../connectors/jdbc/jdbc-url';
import { useMariadb } from './helpers/databases';

/**
 * The MySQL/MariaDB sink SQL against a real MariaDB server: Confluent's DDL text per Connect type
 * (golden, from MySqlDatabaseDialectTest), the DDL runs and makes Confluent's column types, every
 * type round-trips through bindValue, multi-row insert/upsert/delete, alter, schemaless values.
 */

const db = useMariadb();
const open = (timeZone = 'UTC'): Promise<DbConnection> =>
  openMysqlConnection({ url: parseJdbcUrl(db.url), user: db.user, password: db.password, timeZone });

const field = (name: string, schema: Schema, primaryKey = false): SinkField => ({ name, schema, primaryKey });
const T = (name: string): TableId => new TableId(null, null, name);
const MARCH_15_2001 = new Date(Date.UTC(2001, 2, 15));

/** The fields of Confluent's BaseDialectTest (c1..c9). */
const CONFLUENT_FIELDS: SinkField[] = [
  field('c1', Schema.INT32_SCHEMA, true),
  field('c2', Schema.INT64_SCHEMA),
  field('c3', Schema.STRING_SCHEMA),
  field('c4', Schema.OPTIONAL_STRING_SCHEMA),
  field('c5', ConnectDate.builder().optional().defaultValue(MARCH_15_2001).build()),
  field('c6', ConnectTime.builder().optional().defaultValue(MARCH_15_2001).build()),
  field('c7', ConnectTimestamp.builder().optional().defaultValue(MARCH_15_2001).build()),
  field('c8', Decimal.builder(4).optional().build()),
  field('c9', SchemaBuilder.bool().defaultValue(true).build()),
];

let conn: DbConnection;
beforeAll(async () => {
  conn = await open();
});
afterAll(async () => {
  await conn?.close();
});

const rowsOf = async (sql: string, params: SqlValue[] = []): Promise<unknown[][]> => (await conn.query(sql, params)).rows as unknown[][];

/** COLUMN_TYPE per column (integer display widths, which MariaDB adds, left out). */
async function columnTypes(table: string): Promise<Record<string, string>> {
  const rows = await rowsOf(
    'SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [table],
  );
  return Object.fromEntries(
    rows.map(([name, type, nullable]) => [String(name), `${String(type).replace(/^(tinyint|smallint|int|bigint)\(\d+\)/, '$1')}${nullable === 'NO' ? ' not null' : ''}`]),
  );
}

describe('MySQL sink DDL text (Confluent MySqlDatabaseDialectTest)', () => {
  it('maps every Connect type to Confluent\'s column type', () => {
    const types: [Schema, string][] = [
      [Schema.INT8_SCHEMA, 'TINYINT'],
      [Schema.INT16_SCHEMA, 'SMALLINT'],
      [Schema.INT32_SCHEMA, 'INT'],
      [Schema.INT64_SCHEMA, 'BIGINT'],
      [Schema.FLOAT32_SCHEMA, 'FLOAT'],
      [Schema.FLOAT64_SCHEMA, 'DOUBLE'],
      [Schema.BOOLEAN_SCHEMA, 'TINYINT'],
      [Schema.BYTES_SCHEMA, 'VARBINARY(1024)'],
      [Schema.STRING_SCHEMA, 'TEXT'],
      [Decimal.schema(0), 'DECIMAL(65,0)'],
      [Decimal.schema(2), 'DECIMAL(65,2)'],
      [ConnectDate.SCHEMA, 'DATE'],
      [ConnectTime.SCHEMA, 'TIME(3)'],
      [ConnectTimestamp.SCHEMA, 'DATETIME(3)'],
    ];
    expect(types.map(([s]) => sink.sqlType(field('f', s)))).toEqual(types.map(([, t]) => t));
    // A TEXT primary key is refused by MySQL and MariaDB; Confluent's earlier VARCHAR(256) is not.
    expect(sink.sqlType(field('k', Schema.STRING_SCHEMA, true))).toBe('VARCHAR(256)');
  });

  it('refuses arrays, maps and structs naming the field', () => {
    expect(() => sink.sqlType(field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build()))).toThrow(/Field "tags" has Connect type ARRAY/);
    expect(() => sink.sqlType(field('m', SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build()))).toThrow(DataError);
    expect(() => sink.sqlType(field('addr', SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).build()))).toThrow(/Field "addr" has Connect type STRUCT/);
  });

  it('writes CREATE TABLE and ALTER TABLE as Confluent does', () => {
    expect(sink.createTableStatement(T('myTable'), CONFLUENT_FIELDS, true)).toBe(
      'CREATE TABLE `myTable` (\n' +
        '`c1` INT NOT NULL,\n' +
        '`c2` BIGINT NOT NULL,\n' +
        '`c3` TEXT NOT NULL,\n' +
        '`c4` TEXT NULL,\n' +
        "`c5` DATE DEFAULT '2001-03-15',\n" +
        "`c6` TIME(3) DEFAULT '00:00:00.000',\n" +
        "`c7` DATETIME(3) DEFAULT '2001-03-15 00:00:00.000',\n" +
        '`c8` DECIMAL(65,4) NULL,\n' +
        '`c9` TINYINT DEFAULT 1,\n' +
        'PRIMARY KEY(`c1`))',
    );
    expect(sink.alterTableStatements(T('myTable'), CONFLUENT_FIELDS, true)).toEqual([
      'ALTER TABLE `myTable` \n' +
        'ADD `c1` INT NOT NULL,\n' +
        'ADD `c2` BIGINT NOT NULL,\n' +
        'ADD `c3` TEXT NOT NULL,\n' +
        'ADD `c4` TEXT NULL,\n' +
        "ADD `c5` DATE DEFAULT '2001-03-15',\n" +
        "ADD `c6` TIME(3) DEFAULT '00:00:00.000',\n" +
        "ADD `c7` DATETIME(3) DEFAULT '2001-03-15 00:00:00.000',\n" +
        'ADD `c8` DECIMAL(65,4) NULL,\n' +
        'ADD `c9` TINYINT DEFAULT 1',
    ]);
    const pks = [field('pk1', Schema.INT32_SCHEMA, true), field('pk2', Schema.INT32_SCHEMA, true), field('col1', Schema.INT32_SCHEMA)];
    expect(sink.createTableStatement(T('myTable'), pks, false)).toBe(
      'CREATE TABLE myTable (\npk1 INT NOT NULL,\npk2 INT NOT NULL,\ncol1 INT NOT NULL,\nPRIMARY KEY(pk1,pk2))',
    );
    expect(sink.alterTableStatements(T('myTable'), [field('newcol1', Schema.OPTIONAL_INT32_SCHEMA)], true)).toEqual([
      'ALTER TABLE `myTable` ADD `newcol1` INT NULL',
    ]);
    expect(
      sink.alterTableStatements(
        T('myTable'),
        [field('newcol1', Schema.OPTIONAL_INT32_SCHEMA), field('newcol2', SchemaBuilder.int32().defaultValue(42).build())],
        true,
      ),
    ).toEqual(['ALTER TABLE `myTable` \nADD `newcol1` INT NULL,\nADD `newcol2` INT DEFAULT 42']);
    // Strings are escaped for MySQL (quote doubled, backslash doubled), bytes are hex literals.
    expect(
      sink.createTableStatement(
        T('t'),
        [field('s', SchemaBuilder.string().defaultValue("it's a \\ test").build()), field('b', SchemaBuilder.bytes().defaultValue(Buffer.from([1, 171])).build())],
        true,
      ),
    ).toBe("CREATE TABLE `t` (\n`s` TEXT DEFAULT 'it''s a \\\\ test',\n`b` VARBINARY(1024) DEFAULT x'01ab')");
  });

  it('writes insert, upsert, update and delete as Confluent does, with many rows', () => {
    expect(sink.upsertStatement(T('actor'), ['actor_id'], ['first_name', 'last_name', 'score'], 1, true)).toBe(
      'insert into `actor`(`actor_id`,`first_name`,`last_name`,`score`) values(?,?,?,?) on duplicate key update ' +
        '`first_name`=values(`first_name`),`last_name`=values(`last_name`),`score`=values(`score`)',
    );
    expect(sink.upsertStatement(T('actor'), ['actor_id'], ['first_name', 'last_name', 'score'], 1, false)).toBe(
      'insert into actor(actor_id,first_name,last_name,score) values(?,?,?,?) on duplicate key update ' +
        'first_name=values(first_name),last_name=values(last_name),score=values(score)',
    );
    expect(sink.upsertStatement(T('actor'), ['actor_id'], [], 2, true)).toBe(
      'insert into `actor`(`actor_id`) values(?),(?) on duplicate key update `actor_id`=values(`actor_id`)',
    );
    expect(sink.insertStatement(T('customers'), ['age', 'firstName', 'lastName'], 1, true)).toBe(
      'INSERT INTO `customers`(`age`,`firstName`,`lastName`) VALUES(?,?,?)',
    );
    expect(sink.insertStatement(new TableId('shop', null, 'customers'), ['age', 'name'], 2, true)).toBe(
      'INSERT INTO `shop`.`customers`(`age`,`name`) VALUES(?,?),(?,?)',
    );
    expect(sink.updateStatement(T('customers'), ['id'], ['age', 'firstName', 'lastName'], true)).toBe(
      'UPDATE `customers` SET `age` = ?, `firstName` = ?, `lastName` = ? WHERE `id` = ?',
    );
    expect(sink.deleteStatement(T('customers'), ['id'], 1, true)).toBe('DELETE FROM `customers` WHERE `id` = ?');
    expect(sink.deleteStatement(T('customers'), ['id'], 3, true)).toBe('DELETE FROM `customers` WHERE `id` IN (?,?,?)');
    expect(sink.deleteStatement(T('customers'), ['a', 'b'], 2, false)).toBe('DELETE FROM customers WHERE (a,b) IN ((?,?),(?,?))');
    expect(() => sink.deleteStatement(T('customers'), [], 2, true)).toThrow(ConnectError);
  });

  it('parses table names as database.table', () => {
    expect(sink.parseTableName('orders')).toEqual(new TableId(null, null, 'orders'));
    expect(sink.parseTableName('shop.orders')).toEqual(new TableId('shop', null, 'orders'));
    expect(sink.parseTableName('`my.db`.`Orders`')).toEqual(new TableId('my.db', null, 'Orders'));
    expect(() => sink.parseTableName('a.b.c')).toThrow(/expected table or database\.table/);
  });
});

describe('MySQL sink statements on a real MariaDB server', () => {
  const ALL_TYPES: SinkField[] = [
    field('id', Schema.STRING_SCHEMA, true),
    field('i8', Schema.OPTIONAL_INT8_SCHEMA),
    field('i16', Schema.OPTIONAL_INT16_SCHEMA),
    field('i32', Schema.OPTIONAL_INT32_SCHEMA),
    field('i64', Schema.OPTIONAL_INT64_SCHEMA),
    field('f32', Schema.OPTIONAL_FLOAT32_SCHEMA),
    field('f64', Schema.OPTIONAL_FLOAT64_SCHEMA),
    field('b', Schema.OPTIONAL_BOOLEAN_SCHEMA),
    field('s', Schema.OPTIONAL_STRING_SCHEMA),
    field('by', Schema.OPTIONAL_BYTES_SCHEMA),
    field('dec', Decimal.builder(5).optional().build()),
    field('d', ConnectDate.builder().optional().build()),
    field('t', ConnectTime.builder().optional().build()),
    field('ts', ConnectTimestamp.builder().optional().build()),
    field('dflt', SchemaBuilder.int32().defaultValue(7).build()),
  ];
  const VALUES: unknown[] = [
    'key-1',
    -128,
    32767,
    -2147483648,
    9223372036854775807n,
    Math.fround(1.5),
    0.1,
    true,
    "it's \\ \"quoted\" ✓",
    Buffer.from([0, 1, 39, 92, 254, 255]),
    new BigDecimal(-123456789012345678901234567890123n, 5),
    new Date(Date.UTC(1999, 11, 31)),
    new Date(Date.UTC(1970, 0, 1, 23, 59, 58, 123)),
    new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789)),
    7,
  ];

  it('creates every type as Confluent\'s column types, and values round-trip through bindValue', async () => {
    await conn.query(sink.createTableStatement(T('all_types'), ALL_TYPES, true));
    expect(await columnTypes('all_types')).toEqual({
      id: 'varchar(256) not null',
      i8: 'tinyint',
      i16: 'smallint',
      i32: 'int',
      i64: 'bigint',
      f32: 'float',
      f64: 'double',
      b: 'tinyint',
      s: 'text',
      by: 'varbinary(1024)',
      dec: 'decimal(65,5)',
      d: 'date',
      t: 'time(3)',
      ts: 'datetime(3)',
      dflt: 'int', // DEFAULT without NOT NULL, as Confluent writes it
    });
    const params = ALL_TYPES.map((f, i) => sink.bindValue(f.schema, VALUES[i], 'UTC'));
    await conn.query(sink.insertStatement(T('all_types'), ALL_TYPES.map((f) => f.name), 1, true), params);
    const rows = await rowsOf(`SELECT ${ALL_TYPES.map((f) => `CAST(\`${f.name}\` AS CHAR)`).join(',')}, HEX(\`by\`) FROM all_types`);
    expect(rows).toEqual([
      [
        'key-1',
        '-128',
        '32767',
        '-2147483648',
        '9223372036854775807',
        '1.5',
        '0.1',
        '1',
        "it's \\ \"quoted\" ✓",
        expect.anything(), // bytes: compared as HEX below
        '-1234567890123456789012345678.90123',
        '1999-12-31',
        '23:59:58.123',
        '2024-02-29 12:34:56.789',
        '7',
        '0001275CFEFF',
      ],
    ]);
    const nulls = ALL_TYPES.slice(0, -1).map((f, i) => sink.bindValue(f.schema, i === 0 ? 'key-2' : null, 'UTC'));
    await conn.query(sink.insertStatement(T('all_types'), ALL_TYPES.slice(0, -1).map((f) => f.name), 1, true), nulls);
    const [back] = await rowsOf("SELECT * FROM all_types WHERE id = 'key-2'");
    expect(back.slice(1, -1).every((v) => v === null)).toBe(true);
    expect(back[back.length - 1]).toBe(7);
  });

  it('reads back the same Connect values through the source mapping', async () => {
    const columns = await mysqlDialect.describeTable(conn, T('all_types'));
    const result = await conn.query("SELECT i64, `dec`, d, t, ts, `by`, f32 FROM all_types WHERE id = 'key-1'");
    const byName = new Map(columns.map((c) => [c.name, c]));
    const read = (name: string, i: number): unknown => mysqlDialect.columnMapping(byName.get(name)!, 'none', 'UTC')!.convert(result.rows[0][i]);
    expect(read('i64', 0)).toBe(9223372036854775807n);
    expect((read('dec', 1) as BigDecimal).toPlainString()).toBe('-1234567890123456789012345678.90123');
    expect(read('d', 2)).toEqual(new Date(Date.UTC(1999, 11, 31)));
    expect(read('t', 3)).toEqual(new Date(Date.UTC(1970, 0, 1, 23, 59, 58, 123)));
    expect(read('ts', 4)).toEqual(new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789)));
    expect(read('by', 5)).toEqual(Buffer.from([0, 1, 39, 92, 254, 255]));
    expect(read('f32', 6)).toBe(1.5);
  });

  // A zone without DST: the test server has no time zone tables, so the session gets the offset
  // in force at connect time (see mysql-connection.ts).
  it('writes date/time/timestamp in db.timezone; a TIMESTAMP column keeps the instant', async () => {
    const zone = 'Asia/Kolkata';
    const nyConn = await open(zone);
    try {
      await nyConn.query('CREATE TABLE tz_test (id INT PRIMARY KEY, dt DATETIME(3), tsz TIMESTAMP(3) NULL, t TIME(3), d DATE)');
      const instant = new Date(Date.UTC(2024, 6, 1, 12, 0, 0, 250)); // 17:30:00.250 in Kolkata
      await nyConn.query(sink.insertStatement(T('tz_test'), ['id', 'dt', 'tsz', 't', 'd'], 1, true), [
        1,
        sink.bindValue(ConnectTimestamp.SCHEMA, instant, zone),
        sink.bindValue(ConnectTimestamp.SCHEMA, instant, zone),
        sink.bindValue(ConnectTime.SCHEMA, new Date(Date.UTC(1970, 0, 1, 12, 0, 0)), zone),
        sink.bindValue(ConnectDate.SCHEMA, new Date(Date.UTC(2024, 6, 1)), 'UTC'),
      ]);
      expect(await rowsOf('SELECT CAST(dt AS CHAR), UNIX_TIMESTAMP(tsz), CAST(t AS CHAR), CAST(d AS CHAR) FROM tz_test')).toEqual([
        ['2024-07-01 17:30:00.250', (instant.getTime() / 1000).toFixed(3), '17:30:00.000', '2024-07-01'],
      ]);
    } finally {
      await nyConn.close();
    }
  });

  it('multi-row insert, upsert twice (one row per key, latest values), update, delete by keys', async () => {
    await conn.query(
      sink.createTableStatement(
        T('people'),
        [field('id', Schema.STRING_SCHEMA, true), field('name', Schema.STRING_SCHEMA), field('age', Schema.OPTIONAL_INT32_SCHEMA)],
        true,
      ),
    );
    const b = (id: string, name: string, age: number | null): SqlValue[] => [
      sink.bindValue(Schema.STRING_SCHEMA, id, 'UTC'),
      sink.bindValue(Schema.STRING_SCHEMA, name, 'UTC'),
      sink.bindValue(Schema.OPTIONAL_INT32_SCHEMA, age, 'UTC'),
    ];
    await conn.query(sink.insertStatement(T('people'), ['id', 'name', 'age'], 3, true), [...b('p1', 'a', 10), ...b('p2', 'b', 20), ...b('p3', 'c', null)]);
    await expect(conn.query(sink.insertStatement(T('people'), ['id', 'name', 'age'], 1, true), b('p1', 'dup', 1))).rejects.toThrow(/Duplicate entry/);

    const upsert = sink.upsertStatement(T('people'), ['id'], ['name', 'age'], 2, true);
    await conn.query(upsert, [...b('p2', 'b2', 21), ...b('p4', 'd', 40)]);
    await conn.query(upsert, [...b('p2', 'b3', 22), ...b('p4', 'd2', null)]);
    // The same key twice in one statement: the later row wins.
    await conn.query(upsert, [...b('p5', 'first', 1), ...b('p5', 'second', 2)]);
    expect(await rowsOf('SELECT id, name, age FROM people ORDER BY id')).toEqual([
      ['p1', 'a', 10],
      ['p2', 'b3', 22],
      ['p3', 'c', null],
      ['p4', 'd2', null],
      ['p5', 'second', 2],
    ]);

    await conn.query(sink.updateStatement(T('people'), ['id'], ['name', 'age'], true), ['c2', 33, 'p3']);
    await conn.query(sink.deleteStatement(T('people'), ['id'], 3, true), ['p1', 'p4', 'nobody']);
    expect(await rowsOf('SELECT id, name, age FROM people ORDER BY id')).toEqual([
      ['p2', 'b3', 22],
      ['p3', 'c2', 33],
      ['p5', 'second', 2],
    ]);
  });

  it('upsert with only key columns leaves existing rows alone; composite-key delete', async () => {
    const keys = [field('a', Schema.INT32_SCHEMA, true), field('b', Schema.STRING_SCHEMA, true), field('v', Schema.OPTIONAL_INT32_SCHEMA)];
    await conn.query(sink.createTableStatement(T('pairs'), keys, true));
    await conn.query(sink.insertStatement(T('pairs'), ['a', 'b', 'v'], 4, true), [1, 'x', 1, 1, 'y', 2, 2, 'x', 3, 2, 'y', 4]);
    await conn.query(sink.upsertStatement(T('pairs'), ['a', 'b'], [], 2, true), [1, 'x', 3, 'z']);
    await conn.query(sink.deleteStatement(T('pairs'), ['a', 'b'], 3, true), [1, 'y', 2, 'x', 9, 'none']);
    expect(await rowsOf('SELECT a, b, v FROM pairs ORDER BY a, b')).toEqual([
      [1, 'x', 1],
      [2, 'y', 4],
      [3, 'z', null],
    ]);
  });

  it('alter adds nullable columns (and defaulted ones) to a table with rows', async () => {
    await conn.query('CREATE TABLE evolving (id INT PRIMARY KEY)');
    await conn.query('INSERT INTO evolving VALUES (1)');
    for (const statement of sink.alterTableStatements(
      T('evolving'),
      [
        field('note', Schema.OPTIONAL_STRING_SCHEMA),
        field('score', SchemaBuilder.float64().defaultValue(0.5).build()),
        field('flag', SchemaBuilder.bool().optional().defaultValue(false).build()),
        field('day', ConnectDate.builder().optional().build()),
      ],
      true,
    )) {
      await conn.query(statement);
    }
    expect(await columnTypes('evolving')).toEqual({ id: 'int not null', note: 'text', score: 'double', flag: 'tinyint', day: 'date' });
    expect(await rowsOf('SELECT * FROM evolving')).toEqual([[1, null, 0.5, 0, null]]);
  });

  it('a statement may carry maxParameters parameters', async () => {
    await conn.query('CREATE TABLE wide (a INT, b INT, c INT, d INT, e INT)');
    const rows = sink.maxParameters / 5;
    const params = Array.from({ length: rows * 5 }, (_, i) => i);
    await conn.query(sink.insertStatement(T('wide'), ['a', 'b', 'c', 'd', 'e'], rows, false), params);
    expect(await rowsOf('SELECT COUNT(*), MAX(e) FROM wide')).toEqual([[BigInt(rows).toString(), rows * 5 - 1]]);
  });

  it('tableExists honours table.types and the database', async () => {
    await conn.query('CREATE VIEW people_view AS SELECT * FROM people');
    const database = db.database;
    expect(await sink.tableExists(conn, T('people'), ['TABLE'])).toBe(true);
    expect(await sink.tableExists(conn, new TableId(database, null, 'people'), ['TABLE'])).toBe(true);
    expect(await sink.tableExists(conn, new TableId('no_such_db', null, 'people'), ['TABLE'])).toBe(false);
    expect(await sink.tableExists(conn, T('nope'), ['TABLE'])).toBe(false);
    expect(await sink.tableExists(conn, T('people_view'), ['TABLE'])).toBe(false);
    expect(await sink.tableExists(conn, T('people_view'), ['TABLE', 'VIEW'])).toBe(true);
  });
});

describe('MySQL schemaless values into an existing table', () => {
  let columns: Map<string, ColumnDefinition>;
  beforeAll(async () => {
    await conn.query(`CREATE TABLE loose (
      id BIGINT UNSIGNED PRIMARY KEY, n INT, small SMALLINT, num DECIMAL(30,10), fl DOUBLE, r FLOAT, txt TEXT, vc VARCHAR(20),
      j JSON, d DATE, t TIME(6), dt DATETIME(6), tsz TIMESTAMP(3) NULL, ok BOOLEAN, bit1 BIT(1), raw BLOB, y YEAR, e ENUM('red','blue'))`);
    columns = new Map((await mysqlDialect.describeTable(conn, T('loose'))).map((c) => [c.name, c]));
  });

  const bind = (name: string, value: unknown, zone = 'UTC'): SqlValue => sink.bindSchemaless(columns.get(name)!, value, zone);

  it('writes JSON values by the column\'s type, exactly', async () => {
    const row: Record<string, unknown> = {
      id: 18446744073709551615n,
      n: 42,
      small: '7',
      num: 12345678901234567890.5,
      fl: 0.1,
      r: 2.5,
      txt: 'hello',
      vc: true,
      j: { a: [1, 'two', null], big: 12345678901234567890n },
      d: '2024-02-29',
      t: '13:14:15.123456',
      dt: '2024-02-29T10:11:12.345678',
      tsz: '2024-02-29T10:11:12+01:00',
      ok: true,
      bit1: false,
      raw: 'AQID',
      y: 2024,
      e: 'blue',
    };
    const names = Object.keys(row);
    await conn.query(sink.insertStatement(T('loose'), names, 1, true), names.map((k) => bind(k, row[k])));
    const [back] = await rowsOf(`SELECT ${names.map((k) => `CAST(\`${k}\` AS CHAR)`).join(', ')}, UNIX_TIMESTAMP(tsz), HEX(bit1) FROM loose`);
    expect(back).toEqual([
      '18446744073709551615',
      '42',
      '7',
      '12345678901234567000.0000000000', // the JSON double's shortest text
      '0.1',
      '2.5',
      'hello',
      'true',
      '{"a":[1,"two",null],"big":12345678901234567890}',
      '2024-02-29',
      '13:14:15.123456',
      '2024-02-29 10:11:12.345678',
      '2024-02-29 09:11:12.000',
      '1',
      expect.anything(),
      '\u0001\u0002\u0003',
      '2024',
      'blue',
      String(Date.UTC(2024, 1, 29, 9, 11, 12) / 1000) + '.000',
      '0',
    ]);
  });

  it('reads epoch millis and zoned or zone-less text into date/time columns in db.timezone', async () => {
    const zone = 'Europe/Paris';
    const parisConn = await open(zone);
    try {
      const names = ['id', 'd', 't', 'dt', 'tsz'];
      const epoch = Date.UTC(2024, 0, 15, 23, 30, 0); // 00:30 on the 16th in Paris
      await parisConn.query(sink.insertStatement(T('loose'), names, 2, true), [
        ...[2, epoch, epoch, epoch, epoch].map((v, i) => sink.bindSchemaless(columns.get(names[i])!, v, zone)),
        ...[3, '2024-01-15 08:00:00', '08:00:00Z', '2024-01-15T08:00:00+00:00', '2024-01-15 08:00:00'].map((v, i) =>
          sink.bindSchemaless(columns.get(names[i])!, v, zone),
        ),
      ]);
      expect(
        await rowsOf('SELECT id, CAST(d AS CHAR), CAST(t AS CHAR), CAST(dt AS CHAR), UNIX_TIMESTAMP(tsz) FROM loose WHERE id IN (2, 3) ORDER BY id'),
      ).toEqual([
        ['2', '2024-01-16', '00:30:00.000000', '2024-01-16 00:30:00.000000', `${epoch / 1000}.000`],
        ['3', '2024-01-15', '09:00:00.000000', '2024-01-15 09:00:00.000000', `${Date.UTC(2024, 0, 15, 7) / 1000}.000`],
      ]);
    } finally {
      await parisConn.close();
    }
  });

  it('refuses a value the column cannot hold, naming the column and table', () => {
    const table = `${db.database}.loose`;
    expect(() => bind('n', 'forty-two')).toThrow(DataError);
    expect(() => bind('n', 'forty-two')).toThrow(`Cannot write "forty-two" into column "n" (int) of table ${table}: expected an integer`);
    expect(() => bind('num', [1])).toThrow(/column "num" \(decimal\).*expected a decimal number/);
    expect(() => bind('dt', 'tomorrow')).toThrow(/column "dt" \(datetime\).*expected epoch milliseconds/);
    expect(() => bind('ok', 'maybe')).toThrow(/column "ok" \(bit\).*expected a boolean/);
    expect(() => bind('bit1', { on: true })).toThrow(/column "bit1" \(bit\).*expected a boolean/);
    expect(() => bind('raw', 'not base64!')).toThrow(/column "raw" \(blob\)/);
    expect(() => bind('t', 'noon')).toThrow(/column "t" \(time\)/);
  });
});
