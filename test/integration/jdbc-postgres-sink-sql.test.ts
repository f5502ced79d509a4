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
import { openPostgresConnection } from '../../connectors/jdbc/dialects/postgres-connection';
import { postgresDialect } from '../../connectors/jdbc/dialects/postgres-dialect';
import { postgresSink as sink } from '../../connectors/jdbc/dialects/postgres-sink';
import { parseJdbcUrl } from '../../connectors/jdbc/jdbc-url';
import { usePostgres } from './helpers/databases';

/**
 * The PostgreSQL sink SQL against a real server: Confluent's DDL text per Connect type (golden,
 * from PostgreSqlDatabaseDialectTest), the DDL runs and makes Confluent's column types, every
 * type round-trips through bindValue, multi-row insert/upsert/delete, alter, schemaless values.
 */

const pg = usePostgres();
const open = (timeZone = 'UTC'): Promise<DbConnection> =>
  openPostgresConnection({ url: parseJdbcUrl(pg.url), user: pg.user, password: pg.password, timeZone });

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

async function columnTypes(table: string): Promise<Record<string, string>> {
  const rows = await pg.adminQuery(
    'SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
    [table],
  );
  return Object.fromEntries(rows.map((r) => [String(r.column_name), `${r.data_type}${r.is_nullable === 'NO' ? ' not null' : ''}`]));
}

describe('PostgreSQL sink DDL text (Confluent PostgreSqlDatabaseDialectTest)', () => {
  it('maps every Connect type to Confluent\'s column type', () => {
    const types: [Schema, string][] = [
      [Schema.INT8_SCHEMA, 'SMALLINT'],
      [Schema.INT16_SCHEMA, 'SMALLINT'],
      [Schema.INT32_SCHEMA, 'INT'],
      [Schema.INT64_SCHEMA, 'BIGINT'],
      [Schema.FLOAT32_SCHEMA, 'REAL'],
      [Schema.FLOAT64_SCHEMA, 'DOUBLE PRECISION'],
      [Schema.BOOLEAN_SCHEMA, 'BOOLEAN'],
      [Schema.BYTES_SCHEMA, 'BYTEA'],
      [Schema.STRING_SCHEMA, 'TEXT'],
      [Decimal.schema(0), 'DECIMAL'],
      [Decimal.schema(5), 'DECIMAL'],
      [ConnectDate.SCHEMA, 'DATE'],
      [ConnectTime.SCHEMA, 'TIME'],
      [ConnectTimestamp.SCHEMA, 'TIMESTAMP'],
      [SchemaBuilder.array(Schema.INT32_SCHEMA).build(), 'INT[]'],
      [SchemaBuilder.array(Schema.STRING_SCHEMA).build(), 'TEXT[]'],
    ];
    expect(types.map(([s]) => sink.sqlType(field('f', s)))).toEqual(types.map(([, t]) => t));
  });

  it('refuses maps, structs and arrays of non-primitives naming the field', () => {
    const map = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.STRING_SCHEMA).build();
    const struct = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).build();
    const bytesArray = SchemaBuilder.array(Schema.BYTES_SCHEMA).build();
    expect(() => sink.sqlType(field('tags', map))).toThrow(/Field "tags" has Connect type MAP/);
    expect(() => sink.sqlType(field('addr', struct))).toThrow(/Field "addr" has Connect type STRUCT/);
    expect(() => sink.sqlType(field('blobs', bytesArray))).toThrow(/Field "blobs" has Connect type ARRAY/);
    expect(() => sink.createTableStatement(T('t'), [field('id', Schema.INT32_SCHEMA, true), field('m', map)], true)).toThrow(DataError);
  });

  it('writes CREATE TABLE as Confluent does, quoted and unquoted', () => {
    expect(sink.createTableStatement(T('myTable'), CONFLUENT_FIELDS, true)).toBe(
      'CREATE TABLE "myTable" (\n' +
        '"c1" INT NOT NULL,\n' +
        '"c2" BIGINT NOT NULL,\n' +
        '"c3" TEXT NOT NULL,\n' +
        '"c4" TEXT NULL,\n' +
        "\"c5\" DATE DEFAULT '2001-03-15',\n" +
        "\"c6\" TIME DEFAULT '00:00:00.000',\n" +
        "\"c7\" TIMESTAMP DEFAULT '2001-03-15 00:00:00.000',\n" +
        '"c8" DECIMAL NULL,\n' +
        '"c9" BOOLEAN DEFAULT TRUE,\n' +
        'PRIMARY KEY("c1"))',
    );
    expect(sink.createTableStatement(T('myTable'), CONFLUENT_FIELDS, false)).toBe(
      'CREATE TABLE myTable (\n' +
        'c1 INT NOT NULL,\n' +
        'c2 BIGINT NOT NULL,\n' +
        'c3 TEXT NOT NULL,\n' +
        'c4 TEXT NULL,\n' +
        "c5 DATE DEFAULT '2001-03-15',\n" +
        "c6 TIME DEFAULT '00:00:00.000',\n" +
        "c7 TIMESTAMP DEFAULT '2001-03-15 00:00:00.000',\n" +
        'c8 DECIMAL NULL,\n' +
        'c9 BOOLEAN DEFAULT TRUE,\n' +
        'PRIMARY KEY(c1))',
    );
    const pks = [field('pk1', Schema.INT32_SCHEMA, true), field('pk2', Schema.INT32_SCHEMA, true), field('col1', Schema.INT32_SCHEMA)];
    expect(sink.createTableStatement(T('myTable'), pks, true)).toBe(
      'CREATE TABLE "myTable" (\n"pk1" INT NOT NULL,\n"pk2" INT NOT NULL,\n"col1" INT NOT NULL,\nPRIMARY KEY("pk1","pk2"))',
    );
    expect(sink.createTableStatement(T('myTable'), [field('col1', Schema.INT32_SCHEMA)], true)).toBe('CREATE TABLE "myTable" (\n"col1" INT NOT NULL)');
  });

  it('writes defaults in db.timezone', () => {
    const ts = field('ts', ConnectTimestamp.builder().defaultValue(MARCH_15_2001).build());
    expect(sink.createTableStatement(T('t'), [ts], true, 'Asia/Kolkata')).toBe(
      "CREATE TABLE \"t\" (\n\"ts\" TIMESTAMP DEFAULT '2001-03-15 05:30:00.000')",
    );
  });

  it('writes ALTER TABLE as Confluent does', () => {
    expect(sink.alterTableStatements(T('myTable'), CONFLUENT_FIELDS, true)).toEqual([
      'ALTER TABLE "myTable" \n' +
        'ADD "c1" INT NOT NULL,\n' +
        'ADD "c2" BIGINT NOT NULL,\n' +
        'ADD "c3" TEXT NOT NULL,\n' +
        'ADD "c4" TEXT NULL,\n' +
        "ADD \"c5\" DATE DEFAULT '2001-03-15',\n" +
        "ADD \"c6\" TIME DEFAULT '00:00:00.000',\n" +
        "ADD \"c7\" TIMESTAMP DEFAULT '2001-03-15 00:00:00.000',\n" +
        'ADD "c8" DECIMAL NULL,\n' +
        'ADD "c9" BOOLEAN DEFAULT TRUE',
    ]);
    expect(sink.alterTableStatements(T('myTable'), [field('newcol1', Schema.OPTIONAL_INT32_SCHEMA)], true)).toEqual([
      'ALTER TABLE "myTable" ADD "newcol1" INT NULL',
    ]);
    expect(
      sink.alterTableStatements(
        T('myTable'),
        [field('newcol1', Schema.OPTIONAL_INT32_SCHEMA), field('newcol2', SchemaBuilder.int32().defaultValue(42).build())],
        true,
      ),
    ).toEqual(['ALTER TABLE "myTable" \nADD "newcol1" INT NULL,\nADD "newcol2" INT DEFAULT 42']);
  });

  it('writes insert, upsert, update and delete as Confluent does, with many rows', () => {
    const t = T('Customer');
    expect(sink.upsertStatement(t, ['id'], ['name', 'salary', 'address'], 1, true)).toBe(
      'INSERT INTO "Customer" ("id","name","salary","address") VALUES ($1,$2,$3,$4) ON CONFLICT ("id") DO UPDATE SET ' +
        '"name"=EXCLUDED."name","salary"=EXCLUDED."salary","address"=EXCLUDED."address"',
    );
    expect(sink.upsertStatement(t, ['id', 'name', 'salary', 'address'], [], 1, false)).toBe(
      'INSERT INTO Customer (id,name,salary,address) VALUES ($1,$2,$3,$4) ON CONFLICT (id,name,salary,address) DO NOTHING',
    );
    expect(sink.upsertStatement(t, ['id'], ['name'], 3, true)).toBe(
      'INSERT INTO "Customer" ("id","name") VALUES ($1,$2),($3,$4),($5,$6) ON CONFLICT ("id") DO UPDATE SET "name"=EXCLUDED."name"',
    );
    expect(sink.insertStatement(new TableId(null, 'public', 'myTable'), ['id1', 'id2', 'columnA'], 2, true)).toBe(
      'INSERT INTO "public"."myTable" ("id1","id2","columnA") VALUES ($1,$2,$3),($4,$5,$6)',
    );
    expect(sink.updateStatement(T('myTable'), ['id1', 'id2'], ['columnA', 'columnB'], true)).toBe(
      'UPDATE "myTable" SET "columnA" = $1, "columnB" = $2 WHERE "id1" = $3 AND "id2" = $4',
    );
    expect(sink.deleteStatement(T('myTable'), ['id1', 'id2'], 1, true)).toBe('DELETE FROM "myTable" WHERE "id1" = $1 AND "id2" = $2');
    expect(sink.deleteStatement(T('myTable'), ['id'], 3, false)).toBe('DELETE FROM myTable WHERE id IN ($1,$2,$3)');
    expect(sink.deleteStatement(T('myTable'), ['a', 'b'], 2, true)).toBe('DELETE FROM "myTable" WHERE ("a","b") IN (($1,$2),($3,$4))');
    expect(() => sink.deleteStatement(T('myTable'), [], 1, true)).toThrow(ConnectError);
    expect(() => sink.updateStatement(T('myTable'), ['id'], [], true)).toThrow(/non-key columns/);
  });

  it('parses table names as Confluent\'s parseTableIdentifier', () => {
    expect(sink.parseTableName('orders')).toEqual(new TableId(null, null, 'orders'));
    expect(sink.parseTableName('sales.orders')).toEqual(new TableId(null, 'sales', 'orders'));
    expect(sink.parseTableName('db.sales.orders')).toEqual(new TableId('db', 'sales', 'orders'));
    expect(sink.parseTableName('"my.schema"."Orders"')).toEqual(new TableId(null, 'my.schema', 'Orders'));
    expect(sink.parseTableName('x'.repeat(70)).table).toBe('x'.repeat(63));
    expect(() => sink.parseTableName('a.')).toThrow(/ends with a dot/);
    expect(() => sink.parseTableName('"a')).toThrow(/missing closing quote/);
  });
});

describe('PostgreSQL sink statements on a real server', () => {
  const ALL_TYPES: SinkField[] = [
    field('id', Schema.INT32_SCHEMA, true),
    field('i8', Schema.OPTIONAL_INT8_SCHEMA),
    field('i16', Schema.OPTIONAL_INT16_SCHEMA),
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
    field('arr', SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build()),
    field('dflt', SchemaBuilder.int32().defaultValue(7).build()),
  ];
  const VALUES: unknown[] = [
    1,
    -128,
    32767,
    9007199254740993n,
    Math.fround(1.5),
    0.1,
    true,
    "it's \"quoted\" ✓",
    Buffer.from([0, 1, 254, 255]),
    new BigDecimal(123456789012345678901234567890123n, 5),
    new Date(Date.UTC(1999, 11, 31)),
    new Date(Date.UTC(1970, 0, 1, 23, 59, 58, 123)),
    new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789)),
    ['a', 'b,c', null, 'd"e'],
    7,
  ];

  it('creates every type as Confluent\'s column types, and values round-trip through bindValue', async () => {
    await conn.query(sink.createTableStatement(T('all_types'), ALL_TYPES, true));
    expect(await columnTypes('all_types')).toEqual({
      id: 'integer not null',
      i8: 'smallint',
      i16: 'smallint',
      i64: 'bigint',
      f32: 'real',
      f64: 'double precision',
      b: 'boolean',
      s: 'text',
      by: 'bytea',
      dec: 'numeric',
      d: 'date',
      t: 'time without time zone',
      ts: 'timestamp without time zone',
      arr: 'ARRAY',
      dflt: 'integer',
    });
    const params = ALL_TYPES.map((f, i) => sink.bindValue(f.schema, VALUES[i], 'UTC'));
    await conn.query(sink.insertStatement(T('all_types'), ALL_TYPES.map((f) => f.name), 1, true), params);
    const { rows } = await conn.query(`SELECT ${ALL_TYPES.map((f) => `"${f.name}"::text`).join(',')} FROM all_types`);
    expect(rows).toEqual([
      [
        '1',
        '-128',
        '32767',
        '9007199254740993',
        '1.5',
        '0.1',
        'true',
        "it's \"quoted\" ✓",
        '\\x0001feff',
        '1234567890123456789012345678.90123',
        '1999-12-31',
        '23:59:58.123',
        '2024-02-29 12:34:56.789',
        '{a,"b,c",NULL,"d\\"e"}',
        '7',
      ],
    ]);
    // Nulls for every optional column.
    const nulls = ALL_TYPES.map((f, i) => (i === 0 ? sink.bindValue(f.schema, 2, 'UTC') : sink.bindValue(f.schema, null, 'UTC')));
    await conn.query(sink.insertStatement(T('all_types'), ALL_TYPES.slice(0, -1).map((f) => f.name), 1, true), nulls.slice(0, -1));
    const back = await conn.query('SELECT * FROM all_types WHERE id = 2');
    expect(back.rows[0].slice(1, -1).every((v) => v === null)).toBe(true);
    expect(back.rows[0][back.rows[0].length - 1]).toBe(7); // the DEFAULT applies
  });

  it('reads back the same Connect values through the source mapping', async () => {
    const columns = await postgresDialect.describeTable(conn, T('all_types'));
    const { rows } = await conn.query('SELECT i64, d, t, ts, by FROM all_types WHERE id = 1');
    const byName = new Map(columns.map((c) => [c.name, c]));
    const read = (name: string, i: number): unknown => postgresDialect.columnMapping(byName.get(name)!, 'none', 'UTC')!.convert(rows[0][i]);
    expect(read('i64', 0)).toBe(9007199254740993n);
    expect(read('d', 1)).toEqual(new Date(Date.UTC(1999, 11, 31)));
    expect(read('t', 2)).toEqual(new Date(Date.UTC(1970, 0, 1, 23, 59, 58, 123)));
    expect(read('ts', 3)).toEqual(new Date(Date.UTC(2024, 1, 29, 12, 34, 56, 789)));
    expect(read('by', 4)).toEqual(Buffer.from([0, 1, 254, 255]));
  });

  it('writes date/time/timestamp in db.timezone as Confluent\'s Calendar does; timestamptz keeps the instant', async () => {
    const zone = 'America/New_York';
    const nyConn = await open(zone);
    try {
      await nyConn.query('CREATE TABLE tz_test (id INT PRIMARY KEY, ts TIMESTAMP, tstz TIMESTAMPTZ, t TIME, d DATE)');
      const instant = new Date(Date.UTC(2024, 6, 1, 12, 0, 0, 250)); // 08:00:00.250 in New York (EDT)
      const params: SqlValue[] = [
        1,
        sink.bindValue(ConnectTimestamp.SCHEMA, instant, zone),
        sink.bindValue(ConnectTimestamp.SCHEMA, instant, zone),
        sink.bindValue(ConnectTime.SCHEMA, new Date(Date.UTC(1970, 0, 1, 12, 0, 0)), zone),
        sink.bindValue(ConnectDate.SCHEMA, new Date(Date.UTC(2024, 6, 1)), 'UTC'),
      ];
      await nyConn.query(sink.insertStatement(T('tz_test'), ['id', 'ts', 'tstz', 't', 'd'], 1, true), params);
      const rows = await pg.adminQuery("SELECT ts::text, (tstz AT TIME ZONE 'UTC')::text AS utc, t::text, d::text FROM tz_test");
      expect(rows).toEqual([{ ts: '2024-07-01 08:00:00.25', utc: '2024-07-01 12:00:00.25', t: '07:00:00', d: '2024-07-01' }]);
    } finally {
      await nyConn.close();
    }
  });

  it('a timestamp carries its offset, so a timestamptz column keeps the instant whatever the session zone', async () => {
    await conn.query('CREATE TABLE offsets (id INT PRIMARY KEY, ts TIMESTAMP, tstz TIMESTAMPTZ)');
    const instant = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));
    const bound = sink.bindValue(ConnectTimestamp.SCHEMA, instant, 'Asia/Kolkata');
    expect(bound).toBe('2024-01-01 05:30:00.000+05:30');
    await conn.query(sink.insertStatement(T('offsets'), ['id', 'ts', 'tstz'], 1, true), [1, bound, bound]); // session in UTC
    expect(await pg.adminQuery("SELECT ts::text, (tstz AT TIME ZONE 'UTC')::text AS utc FROM offsets")).toEqual([
      { ts: '2024-01-01 05:30:00', utc: '2024-01-01 00:00:00' },
    ]);
  });

  it('multi-row insert, upsert twice (one row per key, latest values), delete by keys', async () => {
    await conn.query(
      sink.createTableStatement(
        T('people'),
        [field('id', Schema.INT64_SCHEMA, true), field('name', Schema.STRING_SCHEMA), field('age', Schema.OPTIONAL_INT32_SCHEMA)],
        true,
      ),
    );
    const b = (id: number, name: string, age: number | null): SqlValue[] => [
      sink.bindValue(Schema.INT64_SCHEMA, BigInt(id), 'UTC'),
      sink.bindValue(Schema.STRING_SCHEMA, name, 'UTC'),
      sink.bindValue(Schema.OPTIONAL_INT32_SCHEMA, age, 'UTC'),
    ];
    await conn.query(sink.insertStatement(T('people'), ['id', 'name', 'age'], 3, true), [...b(1, 'a', 10), ...b(2, 'b', 20), ...b(3, 'c', null)]);
    await expect(conn.query(sink.insertStatement(T('people'), ['id', 'name', 'age'], 1, true), b(1, 'dup', 1))).rejects.toThrow(/duplicate key/);

    const upsert = sink.upsertStatement(T('people'), ['id'], ['name', 'age'], 2, true);
    await conn.query(upsert, [...b(2, 'b2', 21), ...b(4, 'd', 40)]);
    await conn.query(upsert, [...b(2, 'b3', 22), ...b(4, 'd2', null)]);
    expect(await pg.adminQuery('SELECT id::int, name, age FROM people ORDER BY id')).toEqual([
      { id: 1, name: 'a', age: 10 },
      { id: 2, name: 'b3', age: 22 },
      { id: 3, name: 'c', age: null },
      { id: 4, name: 'd2', age: null },
    ]);

    // PostgreSQL refuses one key twice in a statement (callers split there); nothing is written.
    await expect(conn.query(upsert, [...b(5, 'first', 1), ...b(5, 'second', 2)])).rejects.toMatchObject({
      message: expect.stringMatching(/cannot affect row a second time/),
      retriable: false,
    });
    await conn.query(sink.updateStatement(T('people'), ['id'], ['name', 'age'], true), [...b(3, 'c2', 33).slice(1), b(3, '', 0)[0]]);
    await conn.query(sink.deleteStatement(T('people'), ['id'], 2, true), [1n, 4n]);
    expect(await pg.adminQuery('SELECT id::int, name, age FROM people ORDER BY id')).toEqual([
      { id: 2, name: 'b3', age: 22 },
      { id: 3, name: 'c2', age: 33 },
    ]);
  });

  it('upsert with only key columns leaves existing rows alone', async () => {
    const keys = [field('a', Schema.INT32_SCHEMA, true), field('b', Schema.STRING_SCHEMA, true)];
    await conn.query(sink.createTableStatement(T('key_only'), keys, true));
    const upsert = sink.upsertStatement(T('key_only'), ['a', 'b'], [], 2, true);
    await conn.query(upsert, [1, 'x', 2, 'y']);
    await conn.query(upsert, [1, 'x', 3, 'z']);
    expect(await pg.adminQuery('SELECT a, b FROM key_only ORDER BY a')).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
      { a: 3, b: 'z' },
    ]);
  });

  it('deletes by a composite key, many rows in one statement', async () => {
    await conn.query('CREATE TABLE pairs (a INT, b TEXT, v INT, PRIMARY KEY (a, b))');
    await pg.adminQuery("INSERT INTO pairs VALUES (1,'x',1),(1,'y',2),(2,'x',3),(2,'y',4)");
    await conn.query(sink.deleteStatement(T('pairs'), ['a', 'b'], 3, true), [1, 'y', 2, 'x', 9, 'none']);
    expect(await pg.adminQuery('SELECT a, b FROM pairs ORDER BY a, b')).toEqual([
      { a: 1, b: 'x' },
      { a: 2, b: 'y' },
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
      ],
      true,
    )) {
      await conn.query(statement);
    }
    expect(await columnTypes('evolving')).toEqual({ id: 'integer not null', note: 'text', score: 'double precision', flag: 'boolean' });
    expect(await pg.adminQuery('SELECT * FROM evolving')).toEqual([{ id: 1, note: null, score: 0.5, flag: false }]);
  });

  it('a statement may carry maxParameters parameters', async () => {
    await conn.query('CREATE TABLE wide (a INT, b INT, c INT, d INT, e INT)');
    const rows = sink.maxParameters / 5;
    const params = Array.from({ length: rows * 5 }, (_, i) => i);
    await conn.query(sink.insertStatement(T('wide'), ['a', 'b', 'c', 'd', 'e'], rows, false), params);
    expect(await pg.adminQuery('SELECT count(*)::int AS n, max(e) AS m FROM wide')).toEqual([{ n: rows, m: rows * 5 - 1 }]);
  });

  it('tableExists honours table.types and the schema', async () => {
    await conn.query('CREATE SCHEMA other');
    await conn.query('CREATE TABLE other.only_there (id INT)');
    await conn.query('CREATE VIEW people_view AS SELECT * FROM people');
    expect(await sink.tableExists(conn, T('people'), ['TABLE'])).toBe(true);
    expect(await sink.tableExists(conn, new TableId(null, 'public', 'people'), ['TABLE'])).toBe(true);
    expect(await sink.tableExists(conn, T('nope'), ['TABLE'])).toBe(false);
    expect(await sink.tableExists(conn, T('people_view'), ['TABLE'])).toBe(false);
    expect(await sink.tableExists(conn, T('people_view'), ['TABLE', 'VIEW'])).toBe(true);
    expect(await sink.tableExists(conn, T('only_there'), ['TABLE'])).toBe(false); // not on the search_path
    expect(await sink.tableExists(conn, new TableId(null, 'other', 'only_there'), ['TABLE'])).toBe(true);
    expect(await sink.tableExists(conn, new TableId('elsewhere', 'other', 'only_there'), ['TABLE'])).toBe(false);
  });
});

describe('PostgreSQL schemaless values into an existing table', () => {
  let columns: Map<string, ColumnDefinition>;
  beforeAll(async () => {
    await conn.query(`CREATE TABLE loose (
      id BIGINT PRIMARY KEY, n INT, small SMALLINT, num NUMERIC(30,10), fl DOUBLE PRECISION, r REAL, txt TEXT, vc VARCHAR(20),
      j JSON, jb JSONB, d DATE, t TIME, ts TIMESTAMP, tstz TIMESTAMPTZ, ok BOOLEAN, raw BYTEA, u UUID, ints INT[])`);
    columns = new Map((await postgresDialect.describeTable(conn, T('loose'))).map((c) => [c.name, c]));
  });

  const bind = (name: string, value: unknown, zone = 'UTC'): SqlValue => sink.bindSchemaless(columns.get(name)!, value, zone);

  it('writes JSON values by the column\'s type, exactly', async () => {
    const row: Record<string, unknown> = {
      id: 9007199254740993n,
      n: 42,
      small: '7',
      num: 12345678901234567890.5,
      fl: 0.1,
      r: 2.5,
      txt: 'hello',
      vc: 12,
      j: { a: [1, 'two', null], big: 12345678901234567890n },
      jb: 'just a string',
      d: '2024-02-29',
      t: '13:14:15.5',
      ts: '2024-02-29T10:11:12.345678',
      tstz: '2024-02-29T10:11:12Z',
      ok: true,
      raw: Buffer.from('AQID', 'base64').toString('base64'),
      u: '123e4567-e89b-12d3-a456-426614174000',
      ints: [1, 2, null],
    };
    const names = Object.keys(row);
    await conn.query(
      sink.insertStatement(T('loose'), names, 1, true),
      names.map((k) => bind(k, row[k])),
    );
    const [back] = await pg.adminQuery(`SELECT ${names.map((k) => `${k}::text`).join(', ')} FROM loose`);
    expect(back).toEqual({
      id: '9007199254740993',
      n: '42',
      small: '7',
      num: '12345678901234567000.0000000000', // the JSON double's shortest text, not the reader's digits
      fl: '0.1',
      r: '2.5',
      txt: 'hello',
      vc: '12',
      j: '{"a":[1,"two",null],"big":12345678901234567890}',
      jb: '"just a string"',
      d: '2024-02-29',
      t: '13:14:15.5',
      ts: '2024-02-29 10:11:12.345678',
      tstz: '2024-02-29 10:11:12+00',
      ok: 'true',
      raw: '\\x010203',
      u: '123e4567-e89b-12d3-a456-426614174000',
      ints: '{1,2,NULL}',
    });
  });

  it('reads epoch millis and zoned or zone-less text into date/time columns in db.timezone', async () => {
    const zone = 'Europe/Paris';
    const nyConn = await open(zone);
    try {
      const names = ['id', 'd', 't', 'ts', 'tstz'];
      const epoch = Date.UTC(2024, 0, 15, 23, 30, 0); // 00:30 on the 16th in Paris
      await nyConn.query(sink.insertStatement(T('loose'), names, 2, true), [
        ...[2, epoch, epoch, epoch, epoch].map((v, i) => sink.bindSchemaless(columns.get(names[i])!, v, zone)),
        ...[3, '2024-01-15 08:00:00', '08:00:00+00:00', '2024-01-15T08:00:00+00:00', '2024-01-15 08:00:00'].map((v, i) =>
          sink.bindSchemaless(columns.get(names[i])!, v, zone),
        ),
      ]);
      const rows = await pg.adminQuery(
        "SELECT id::int, d::text, t::text, ts::text, (tstz AT TIME ZONE 'UTC')::text AS tstz FROM loose WHERE id IN (2, 3) ORDER BY id",
      );
      expect(rows).toEqual([
        { id: 2, d: '2024-01-16', t: '00:30:00', ts: '2024-01-16 00:30:00', tstz: '2024-01-15 23:30:00' },
        { id: 3, d: '2024-01-15', t: '09:00:00', ts: '2024-01-15 09:00:00', tstz: '2024-01-15 07:00:00' },
      ]);
    } finally {
      await nyConn.close();
    }
  });

  it('refuses a value the column cannot hold, naming the column and table', () => {
    expect(() => bind('n', 'forty-two')).toThrow(DataError);
    expect(() => bind('n', 'forty-two')).toThrow('Cannot write "forty-two" into column "n" (int4) of table loose: expected an integer');
    expect(() => bind('n', 1.5)).toThrow(/column "n"/);
    expect(() => bind('num', { x: 1 })).toThrow(/column "num" \(numeric\).*expected a decimal number/);
    expect(() => bind('ts', 'yesterday')).toThrow(/column "ts" \(timestamp\).*expected epoch milliseconds/);
    expect(() => bind('ok', 'maybe')).toThrow(/column "ok" \(bool\).*expected a boolean/);
    expect(() => bind('raw', 'not base64!')).toThrow(/column "raw" \(bytea\)/);
    expect(() => bind('u', { id: 1 })).toThrow(/column "u" \(uuid\)/);
  });
});
