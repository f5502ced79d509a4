import { BigDecimal, DataError, Schema } from '../../src/api';
import { ColumnDefinition, DatabaseError, DbConnection, NumericMapping, TableId } from '../../connectors/jdbc/dialect';
import { openMysqlConnection } from '../../connectors/jdbc/dialects/mysql-connection';
import { mysqlDialect } from '../../connectors/jdbc/dialects/mysql-dialect';
import { parseJdbcUrl } from '../../connectors/jdbc/jdbc-url';
import { freePort } from '../harness/db-server-process';
import { useMariadb } from './helpers/databases';

/**
 * The MySQL dialect and driver module against a real MariaDB server: every mapped type to its
 * Connect schema and value (golden), table discovery, streamed paging, and the errors users see.
 */

const db = useMariadb();
const open = (overrides: { password?: string; url?: string; timeZone?: string } = {}): Promise<DbConnection> =>
  openMysqlConnection({
    url: parseJdbcUrl(overrides.url ?? db.url),
    user: db.user,
    password: overrides.password ?? db.password,
    timeZone: overrides.timeZone ?? 'UTC',
  });

/** A schema in one line: `TYPE[?] [logical name] [parameters]`. */
function shape(schema: Schema): string {
  let s = `${schema.type}${schema.optional ? '?' : ''}`;
  if (schema.name) s += ` ${schema.name.replace('org.apache.kafka.connect.data.', '')}`;
  if (schema.parameters) s += ` ${JSON.stringify(schema.parameters)}`;
  return s;
}

function plain(value: unknown): unknown {
  if (value instanceof BigDecimal) return `decimal:${value.toString()}`;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `hex:${value.toString('hex')}`;
  if (typeof value === 'bigint') return `${value}n`;
  return value;
}

const DDL = `
  CREATE TABLE all_types (
    id INT AUTO_INCREMENT PRIMARY KEY,
    c_bool TINYINT(1) NOT NULL,
    c_tiny TINYINT,
    c_utiny TINYINT UNSIGNED,
    c_small SMALLINT,
    c_usmall SMALLINT UNSIGNED,
    c_medium MEDIUMINT,
    c_int INT NOT NULL,
    c_uint INT UNSIGNED,
    c_big BIGINT,
    c_ubig BIGINT UNSIGNED,
    c_dec DECIMAL(10,2),
    c_dec_int DECIMAL(5,0),
    c_float FLOAT,
    c_double DOUBLE,
    c_bit1 BIT(1),
    c_bit8 BIT(8),
    c_char CHAR(3),
    c_varchar VARCHAR(20) NOT NULL,
    c_tinytext TINYTEXT,
    c_text TEXT,
    c_mediumtext MEDIUMTEXT,
    c_longtext LONGTEXT,
    c_binary BINARY(3),
    c_varbinary VARBINARY(10),
    c_tinyblob TINYBLOB,
    c_blob BLOB,
    c_mediumblob MEDIUMBLOB,
    c_longblob LONGBLOB,
    c_enum ENUM('a', 'b'),
    c_set SET('x', 'y'),
    c_json JSON,
    c_date DATE,
    c_time TIME(3),
    c_datetime DATETIME(3),
    c_timestamp TIMESTAMP(3) NULL,
    c_year YEAR
  );
  INSERT INTO all_types VALUES (NULL, 1, -128, 255, -32768, 65535, -8388608, 2147483647, 4294967295,
    -9223372036854775808, 9223372036854775807, 12345678.91, 99999, 1.5, 0.1, b'1', b'00000101', 'ab', 'héllo ✓',
    't', 'text', 'm', 'l', X'0102', X'dead', X'01', X'02', X'03', X'04', 'b', 'x,y', '{"a": [1,  2]}',
    '2024-02-29', '13:14:15.123', '2024-02-29 13:14:15.678', '2024-02-29 13:14:15.678', 2024);
  INSERT INTO all_types (c_bool, c_int, c_varchar) VALUES (0, 0, '');
`;

const SCHEMAS: Record<string, string> = {
  id: 'INT32',
  c_bool: 'INT8', // TINYINT(1) is BIT for Connector/J, and BIT is INT8 for Confluent
  c_tiny: 'INT8?',
  c_utiny: 'INT16?',
  c_small: 'INT16?',
  c_usmall: 'INT32?',
  c_medium: 'INT32?',
  c_int: 'INT32',
  c_uint: 'INT64?',
  c_big: 'INT64?',
  c_ubig: 'INT64?',
  // DECIMAL (unlike NUMERIC) is a Decimal whatever numeric.mapping says, as in Confluent's connector.
  c_dec: 'BYTES? Decimal {"scale":"2","connect.decimal.precision":"10"}',
  c_dec_int: 'BYTES? Decimal {"scale":"0","connect.decimal.precision":"5"}',
  c_float: 'FLOAT32?',
  c_double: 'FLOAT64?',
  c_bit1: 'INT8?',
  c_bit8: 'INT8?',
  c_char: 'STRING?',
  c_varchar: 'STRING',
  c_tinytext: 'STRING?',
  c_text: 'STRING?',
  c_mediumtext: 'STRING?',
  c_longtext: 'STRING?',
  c_binary: 'BYTES?',
  c_varbinary: 'BYTES?',
  c_tinyblob: 'BYTES?',
  c_blob: 'BYTES?',
  c_mediumblob: 'BYTES?',
  c_longblob: 'BYTES?',
  c_enum: 'STRING?',
  c_set: 'STRING?',
  c_json: 'STRING?',
  c_date: 'INT32? Date',
  c_time: 'INT32? Time',
  c_datetime: 'INT64? Timestamp',
  c_timestamp: 'INT64? Timestamp',
  c_year: 'INT32? Date',
};

const VALUES: Record<string, unknown> = {
  id: 1,
  c_bool: 1,
  c_tiny: -128,
  c_utiny: 255,
  c_small: -32768,
  c_usmall: 65535,
  c_medium: -8388608,
  c_int: 2147483647,
  c_uint: '4294967295n',
  c_big: '-9223372036854775808n',
  c_ubig: '9223372036854775807n',
  c_dec: 'decimal:12345678.91',
  c_dec_int: 'decimal:99999',
  c_float: 1.5,
  c_double: 0.1,
  c_bit1: 1,
  c_bit8: 5,
  c_char: 'ab',
  c_varchar: 'héllo ✓',
  c_tinytext: 't',
  c_text: 'text',
  c_mediumtext: 'm',
  c_longtext: 'l',
  c_binary: 'hex:010200',
  c_varbinary: 'hex:dead',
  c_tinyblob: 'hex:01',
  c_blob: 'hex:02',
  c_mediumblob: 'hex:03',
  c_longblob: 'hex:04',
  c_enum: 'b',
  c_set: 'x,y',
  c_json: '{"a": [1,  2]}',
  c_date: '2024-02-29T00:00:00.000Z',
  c_time: '1970-01-01T13:14:15.123Z',
  c_datetime: '2024-02-29T13:14:15.678Z',
  c_timestamp: '2024-02-29T13:14:15.678Z',
  c_year: '2024-01-01T00:00:00.000Z',
};

describe('MySQL dialect and connection (MariaDB)', () => {
  let conn: DbConnection;
  beforeAll(async () => {
    await db.adminQuery(DDL);
    conn = await open();
  });
  afterAll(async () => {
    await conn?.close();
  });

  describe.each<NumericMapping>(['none', 'best_fit'])('numeric.mapping=%s', (mapping) => {
    it('maps every column of a query result to the golden schema and values', async () => {
      const result = await conn.query('SELECT * FROM all_types ORDER BY id');
      const mappings = result.columns.map((c) => mysqlDialect.columnMapping(c, mapping, 'UTC'));
      expect(Object.fromEntries(result.columns.map((c, i) => [c.name, mappings[i] ? shape(mappings[i]!.schema) : null]))).toEqual(SCHEMAS);
      const [full, empty] = result.rows.map((row) =>
        Object.fromEntries(result.columns.map((c, i) => [c.name, plain(mappings[i]!.convert(row[i]))])),
      );
      expect(full).toEqual(VALUES);
      const nulls = Object.fromEntries(Object.keys(VALUES).map((k) => [k, null]));
      expect(empty).toEqual({ ...nulls, id: 2, c_bool: 0, c_int: 0, c_varchar: '' });
    });
  });

  it('reports result columns as Connector/J does (JDBC type, type name, signedness, precision/scale, nullability, table)', async () => {
    const { columns } = await conn.query(
      'SELECT id, c_bool, c_utiny, c_uint, c_dec, c_year, c_enum, c_json, c_text, c_varbinary, c_blob, c_tinytext, 1 + 1 AS expr FROM all_types',
    );
    const view = (c: ColumnDefinition) => [c.name, c.jdbcType, c.typeName, c.signed, c.nullable, c.autoIncrement, c.primaryKey, c.table?.toString() ?? null];
    const t = `${db.database}.all_types`;
    expect(columns.map(view)).toEqual([
      ['id', 'INTEGER', 'int', true, false, true, true, t],
      ['c_bool', 'BIT', 'bit', true, false, false, false, t],
      ['c_utiny', 'TINYINT', 'tinyint unsigned', false, true, false, false, t],
      ['c_uint', 'INTEGER', 'int unsigned', false, true, false, false, t],
      ['c_dec', 'DECIMAL', 'decimal', true, true, false, false, t],
      ['c_year', 'DATE', 'year', false, true, false, false, t],
      ['c_enum', 'CHAR', 'enum', false, true, false, false, t],
      ['c_json', 'LONGVARCHAR', 'longtext', false, true, false, false, t],
      ['c_text', 'LONGVARCHAR', 'text', false, true, false, false, t],
      ['c_varbinary', 'VARBINARY', 'varbinary', false, true, false, false, t],
      ['c_blob', 'LONGVARBINARY', 'blob', false, true, false, false, t],
      ['c_tinytext', 'VARCHAR', 'tinytext', false, true, false, false, t],
      ['expr', 'INTEGER', 'int', true, false, false, false, null],
    ]);
    const dec = columns.find((c) => c.name === 'c_dec')!;
    expect([dec.precision, dec.scale]).toEqual([10, 2]);
  });

  it('fails a BIGINT UNSIGNED above the INT64 range as Confluent does, naming the column', async () => {
    await db.adminQuery('CREATE TABLE ubig (v BIGINT UNSIGNED); INSERT INTO ubig VALUES (18446744073709551615)');
    const { columns, rows } = await conn.query('SELECT v FROM ubig');
    const mapping = mysqlDialect.columnMapping(columns[0], 'none', 'UTC')!;
    expect(() => mapping.convert(rows[0][0])).toThrow(DataError);
    expect(() => mapping.convert(rows[0][0])).toThrow(/18446744073709551615 of column "v" does not fit in INT64/);
  });

  it('reads DATETIME in db.timezone; TIMESTAMP keeps its instant; Date and bigint parameters compare exactly', async () => {
    const ny = await open({ timeZone: 'America/New_York' });
    try {
      const { columns, rows } = await ny.query('SELECT c_datetime, c_timestamp FROM all_types WHERE id = 1');
      const values = columns.map((c, i) => plain(mysqlDialect.columnMapping(c, 'none', 'America/New_York')!.convert(rows[0][i])));
      expect(values).toEqual(['2024-02-29T18:14:15.678Z', '2024-02-29T13:14:15.678Z']);
      const match = await ny.query('SELECT count(*) FROM all_types WHERE c_datetime = ? AND c_timestamp = ? AND c_ubig = ?', [
        new Date('2024-02-29T18:14:15.678Z'),
        new Date('2024-02-29T13:14:15.678Z'),
        9223372036854775807n,
      ]);
      expect(match.rows[0][0]).toBe('1');
      // Bound as a string, a bigint would be read as a double in arithmetic and lose its last digits.
      const sum = await ny.query('SELECT ? + 1', [9223372036854775806n]);
      expect(sum.rows[0][0]).toBe('9223372036854775807');
    } finally {
      await ny.close();
    }
  });

  it('lists the URL database by table.types; catalog.pattern selects others; catalog is the database, no schema', async () => {
    await db.adminQuery(`CREATE VIEW v_all AS SELECT id FROM all_types;
      CREATE DATABASE other_db; CREATE TABLE other_db.t2 (id int);
      GRANT SELECT ON other_db.* TO '${db.user}'@'%';`);
    const list = async (tableTypes: string[], catalogPattern: string | null = null) =>
      (await mysqlDialect.listTables(conn, { tableTypes, schemaPattern: null, catalogPattern })).map((t) => [t.catalog, t.schema, t.table]);
    const tables = await list(['TABLE']);
    expect(tables).toContainEqual([db.database, null, 'all_types']);
    expect(tables.every(([catalog]) => catalog === db.database)).toBe(true);
    expect(await list(['VIEW'])).toEqual([[db.database, null, 'v_all']]);
    expect(await list(['TABLE'], 'other%')).toEqual([['other_db', null, 't2']]);
    expect(await list(['TABLE', 'VIEW'], 'no_such%')).toEqual([]);
  });

  it('describes a table: columns in order, keys, auto-increment, unsigned and nullability', async () => {
    const cols = await mysqlDialect.describeTable(conn, new TableId(db.database, null, 'all_types'));
    expect(cols.map((c) => c.name)).toEqual(Object.keys(SCHEMAS));
    const view = (c: ColumnDefinition) => [c.name, c.jdbcType, c.typeName, c.primaryKey, c.autoIncrement, c.nullable, c.signed];
    expect(cols.slice(0, 4).map(view)).toEqual([
      ['id', 'INTEGER', 'int', true, true, false, true],
      ['c_bool', 'BIT', 'bit', false, false, false, true],
      ['c_tiny', 'TINYINT', 'tinyint', false, false, true, true],
      ['c_utiny', 'TINYINT', 'tinyint unsigned', false, false, true, false],
    ]);
    const dec = cols.find((c) => c.name === 'c_dec')!;
    expect([dec.jdbcType, dec.precision, dec.scale]).toEqual(['DECIMAL', 10, 2]);
    // The same columns, described from the table or from a query, map to the same schemas.
    const schemas = cols.map((c) => {
      const m = mysqlDialect.columnMapping(c, 'none', 'UTC');
      return [c.name, m ? shape(m.schema) : null];
    });
    expect(Object.fromEntries(schemas)).toEqual(SCHEMAS);
    expect(await mysqlDialect.describeTable(conn, new TableId(null, null, 'no_such_table'))).toEqual([]);
  });

  it('quotes identifiers with backquotes, uses ? placeholders and LIMIT', () => {
    expect(mysqlDialect.tableName(new TableId('db', null, 'we`ird'), true)).toBe('`db`.`we``ird`');
    expect(mysqlDialect.tableName(new TableId('db', null, 'plain'), false)).toBe('db.plain');
    expect(mysqlDialect.placeholder(3)).toBe('?');
    expect(mysqlDialect.limitClause(50)).toBe('LIMIT 50');
    expect(mysqlDialect.name).toBe('MySqlDatabaseDialect');
  });

  it('gives the database time', async () => {
    const before = Date.now();
    const now = await mysqlDialect.currentTime(conn);
    expect(Math.abs(now.getTime() - before)).toBeLessThan(60_000);
  });

  describe('queryPages', () => {
    beforeAll(async () => {
      await db.adminQuery(`CREATE TABLE many (n INT PRIMARY KEY, t TEXT NOT NULL);
        INSERT INTO many SELECT seq, CONCAT('row ', seq) FROM seq_1_to_2500;`);
    });

    it('streams a result larger than a page, a page at a time, with parameters', async () => {
      const sizes: number[] = [];
      const seen: number[] = [];
      for await (const page of conn.queryPages('SELECT n, t FROM many WHERE n > ? ORDER BY n', [100], 1000)) {
        sizes.push(page.rows.length);
        expect(page.columns.map((c) => c.name)).toEqual(['n', 't']);
        seen.push(...page.rows.map((r) => r[0] as number));
      }
      expect(sizes).toEqual([1000, 1000, 400]);
      expect(seen).toEqual(Array.from({ length: 2400 }, (_, i) => i + 101));
    });

    it('gives no empty page after an exact multiple, one empty page (with columns) for an empty result', async () => {
      const sizes: number[] = [];
      for await (const page of conn.queryPages('SELECT n FROM many WHERE n <= ?', [2000], 1000)) sizes.push(page.rows.length);
      expect(sizes).toEqual([1000, 1000]);
      const empty: number[] = [];
      for await (const page of conn.queryPages('SELECT n FROM many WHERE n < 0', [], 10)) {
        empty.push(page.rows.length);
        expect(page.columns.map((c) => c.name)).toEqual(['n']);
      }
      expect(empty).toEqual([0]);
    });

    it('leaves the connection usable when the reader stops early', async () => {
      for await (const page of conn.queryPages('SELECT n FROM many ORDER BY n', [], 100)) {
        expect(page.rows).toHaveLength(100);
        break;
      }
      const { rows } = await conn.query('SELECT count(*), max(n) FROM many');
      expect(rows[0]).toEqual(['2500', 2500]);
    });

    it('stops reading while the consumer holds a page (back-pressure), then reads the rest', async () => {
      // ~9 MB of rows: far more than the socket buffers, so the server can only finish if we read.
      await db.adminQuery(`CREATE TABLE wide (n INT PRIMARY KEY, pad CHAR(60) NOT NULL);
        INSERT INTO wide SELECT seq, REPEAT('x', 60) FROM seq_1_to_150000;`);
      const reader = await open();
      try {
        const id = Number((await reader.query('SELECT CONNECTION_ID()')).rows[0][0]);
        let rows = 0;
        let pages = 0;
        for await (const page of reader.queryPages('SELECT n, pad FROM wide', [], 1000)) {
          if (pages++ === 0) {
            await new Promise((r) => setTimeout(r, 1000));
            const [state] = await db.adminQuery('SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
            expect(state).toEqual({ COMMAND: 'Query' }); // still sending: we have not read it all
          }
          rows += page.rows.length;
        }
        expect([rows, pages]).toEqual([150000, 150]);
      } finally {
        await reader.close();
      }
    });

    it('reports a failing statement as DatabaseError', async () => {
      const pages = conn.queryPages('SELECT * FROM no_such_table', [], 10);
      const err = (await (async () => {
        for await (const _ of pages) void _;
      })().catch((e: unknown) => e)) as DatabaseError;
      expect(err).toBeInstanceOf(DatabaseError);
      expect([err.sqlState, err.retriable]).toEqual(['42S02', false]);
    });
  });

  it('is valid while the server answers', async () => {
    expect(await conn.isValid(5000)).toBe(true);
  });

  it('names the user and the URL, not the password, when authentication fails', async () => {
    const err = (await open({ password: 'wrong-secret' }).catch((e: unknown) => e)) as DatabaseError;
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toContain(`MySQL authentication failed for user "${db.user}" at ${db.url}`);
    expect(err.message).not.toContain('wrong-secret');
    expect([err.retriable, err.sqlState]).toEqual([false, '28000']);
  });

  it('says it cannot connect to host:port when nothing listens there (retriable)', async () => {
    const port = await freePort();
    const err = (await open({ url: `jdbc:mysql://127.0.0.1:${port}/x` }).catch((e: unknown) => e)) as DatabaseError;
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toMatch(new RegExp(`^Cannot connect to MySQL at 127\\.0\\.0\\.1:${port} \\(jdbc:mysql://127\\.0\\.0\\.1:${port}/x\\): .*ECONNREFUSED`));
    expect(err.retriable).toBe(true);
  });

  it('marks a connection the server killed retriable and no longer valid', async () => {
    const victim = await open();
    try {
      const id = (await victim.query('SELECT CONNECTION_ID()')).rows[0][0];
      await db.adminQuery(`KILL ${Number(id)}`);
      const err = (await victim.query('SELECT 1').catch((e: unknown) => e)) as DatabaseError;
      expect(err).toBeInstanceOf(DatabaseError);
      expect(err.retriable).toBe(true);
      expect(await victim.isValid(2000)).toBe(false);
    } finally {
      await victim.close();
    }
  });

  it('marks a deadlock victim retriable (1213)', async () => {
    await db.adminQuery('CREATE TABLE locks (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO locks VALUES (1, 0), (2, 0)');
    const other = await open();
    try {
      const settle = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
      let release!: () => void;
      const bothLocked = new Promise<void>((r) => (release = r));
      let locked = 0;
      const lockThen = (c: DbConnection, first: number, second: number) =>
        c.transaction(async (tx) => {
          await tx.query('UPDATE locks SET v = v + 1 WHERE id = ?', [first]);
          if (++locked === 2) release();
          await bothLocked;
          await tx.query('UPDATE locks SET v = v + 1 WHERE id = ?', [second]);
        });
      const results = await Promise.all([settle(lockThen(conn, 1, 2)), settle(lockThen(other, 2, 1))]);
      const failures = results.filter((r): r is DatabaseError => r !== null);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toBeInstanceOf(DatabaseError);
      expect([failures[0].sqlState, failures[0].retriable]).toEqual(['40001', true]);
      expect(failures[0].message).toMatch(/^MySQL error 1213: Deadlock/);
    } finally {
      await other.close();
    }
  });
});
