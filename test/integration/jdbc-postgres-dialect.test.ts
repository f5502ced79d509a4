import { BigDecimal, Schema } from '../../src/api';
import { ColumnDefinition, DatabaseError, DbConnection, NumericMapping, TableId } from '../../connectors/jdbc/dialect';
import { openPostgresConnection } from '../../connectors/jdbc/dialects/postgres-connection';
import { postgresDialect } from '../../connectors/jdbc/dialects/postgres-dialect';
import { parseJdbcUrl } from '../../connectors/jdbc/jdbc-url';
import { freePort } from '../harness/db-server-process';
import { startPostgres } from '../harness/postgres-server';
import { usePostgres } from './helpers/databases';

/**
 * The PostgreSQL dialect and driver module against a real server: every mapped type to its Connect
 * schema and value (golden, per numeric.mapping), table discovery, paging with a server-side cursor,
 * and the errors users see.
 */

const pg = usePostgres();
const open = (overrides: { password?: string; url?: string; timeZone?: string } = {}): Promise<DbConnection> =>
  openPostgresConnection({
    url: parseJdbcUrl(overrides.url ?? pg.url),
    user: pg.user,
    password: overrides.password ?? pg.password,
    timeZone: overrides.timeZone ?? 'UTC',
  });

/** A schema in one line: `TYPE[?] [logical name] [parameters]`. */
function shape(schema: Schema): string {
  let s = `${schema.type}${schema.optional ? '?' : ''}`;
  if (schema.name) s += ` ${schema.name.replace('org.apache.kafka.connect.data.', '')}`;
  if (schema.parameters) s += ` ${JSON.stringify(schema.parameters)}`;
  return s;
}

/** A Connect value in a comparable form. */
function plain(value: unknown): unknown {
  if (value instanceof BigDecimal) return `decimal:${value.toString()}`;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return `hex:${value.toString('hex')}`;
  if (typeof value === 'bigint') return `${value}n`;
  return value;
}

const DDL = `
  CREATE TYPE mood AS ENUM ('sad', 'happy');
  CREATE TABLE all_types (
    id SERIAL PRIMARY KEY,
    c_bool BOOLEAN NOT NULL,
    c_bit1 BIT(1),
    c_bit4 BIT(4),
    c_bit16 BIT(16),
    c_int2 SMALLINT,
    c_int4 INTEGER NOT NULL,
    c_int8 BIGINT,
    c_num NUMERIC(10,2),
    c_num_int NUMERIC(5,0),
    c_num_big NUMERIC(30,5),
    c_num_free NUMERIC,
    c_real REAL,
    c_double DOUBLE PRECISION,
    c_money MONEY,
    c_text TEXT NOT NULL,
    c_varchar VARCHAR(20),
    c_char CHAR(3),
    c_bytea BYTEA,
    c_date DATE,
    c_time TIME,
    c_timetz TIMETZ,
    c_ts TIMESTAMP,
    c_tstz TIMESTAMPTZ,
    c_uuid UUID,
    c_json JSON,
    c_jsonb JSONB,
    c_xml XML,
    c_enum mood,
    c_int_arr INTEGER[],
    c_interval INTERVAL
  );
  INSERT INTO all_types (c_bool, c_bit1, c_bit4, c_bit16, c_int2, c_int4, c_int8, c_num, c_num_int, c_num_big, c_num_free,
    c_real, c_double, c_money, c_text, c_varchar, c_char, c_bytea, c_date, c_time, c_timetz, c_ts, c_tstz, c_uuid, c_json,
    c_jsonb, c_xml, c_enum, c_int_arr, c_interval)
  VALUES (true, B'1', B'0101', B'1010101010101010', -32768, 2147483647, 9223372036854775807, 12345678.91, 99999,
    '1234567890123456789012345.12345', 4242.125, 1.5, 0.1, 1234.56, 'héllo ✓', 'v', 'ab', '\\xdeadbeef', '2024-02-29',
    '13:14:15.123456', '13:14:15+02', '2024-02-29 13:14:15.678', '2024-02-29 13:14:15.678+02',
    'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1,  2]}', '{"a": [1,  2]}', '<a>1</a>', 'happy', '{1,2}', '1 day');
  INSERT INTO all_types (c_bool, c_int4, c_text) VALUES (false, 0, '');
`;

// Schema of every column under each numeric.mapping; null = skipped, as Confluent skips the type.
const SCHEMAS: Record<string, Record<NumericMapping, string | null> | string | null> = {
  id: 'INT32',
  c_bool: 'BOOLEAN',
  c_bit1: 'BOOLEAN?',
  c_bit4: 'INT8?',
  c_bit16: 'BYTES?',
  c_int2: 'INT16?',
  c_int4: 'INT32',
  c_int8: 'INT64?',
  c_num: {
    none: 'BYTES? Decimal {"scale":"2","connect.decimal.precision":"10"}',
    precision_only: 'BYTES? Decimal {"scale":"2","connect.decimal.precision":"10"}',
    best_fit: 'FLOAT64?',
    best_fit_eager_double: 'FLOAT64?',
  },
  c_num_int: {
    none: 'BYTES? Decimal {"scale":"0","connect.decimal.precision":"5"}',
    precision_only: 'INT32?',
    best_fit: 'INT32?',
    best_fit_eager_double: 'INT32?',
  },
  c_num_big: {
    none: 'BYTES? Decimal {"scale":"5","connect.decimal.precision":"30"}',
    precision_only: 'BYTES? Decimal {"scale":"5","connect.decimal.precision":"30"}',
    best_fit: 'BYTES? Decimal {"scale":"5","connect.decimal.precision":"30"}',
    best_fit_eager_double: 'FLOAT64?',
  },
  // pgjdbc reports an unconstrained NUMERIC as precision 0, scale 0. Confluent's PostgreSQL dialect
  // reads it at scale 127 under numeric.mapping=none, but as INT8 under the other mappings (any value
  // over 127 or with a fraction then fails); here it is the exact Decimal at scale 127 under all four.
  c_num_free: {
    none: 'BYTES? Decimal {"scale":"127","connect.decimal.precision":"0"}',
    precision_only: 'BYTES? Decimal {"scale":"127","connect.decimal.precision":"0"}',
    best_fit: 'BYTES? Decimal {"scale":"127","connect.decimal.precision":"0"}',
    best_fit_eager_double: 'BYTES? Decimal {"scale":"127","connect.decimal.precision":"0"}',
  },
  c_real: 'FLOAT32?',
  c_double: 'FLOAT64?',
  c_money: 'FLOAT64?',
  c_text: 'STRING',
  c_varchar: 'STRING?',
  c_char: 'STRING?',
  c_bytea: 'BYTES?',
  c_date: 'INT32? Date',
  c_time: 'INT32? Time',
  c_timetz: 'INT32? Time',
  c_ts: 'INT64? Timestamp',
  c_tstz: 'INT64? Timestamp',
  c_uuid: 'STRING?',
  c_json: 'STRING?',
  c_jsonb: 'STRING?',
  c_xml: 'STRING?',
  c_enum: 'STRING?',
  c_int_arr: null,
  c_interval: null,
};

const VALUES: Record<string, Record<NumericMapping, unknown> | unknown> = {
  id: 1,
  c_bool: true,
  c_bit1: true,
  c_bit4: 5,
  c_bit16: `hex:${Buffer.from('1010101010101010').toString('hex')}`,
  c_int2: -32768,
  c_int4: 2147483647,
  c_int8: '9223372036854775807n',
  c_num: { none: 'decimal:12345678.91', precision_only: 'decimal:12345678.91', best_fit: 12345678.91, best_fit_eager_double: 12345678.91 },
  c_num_int: { none: 'decimal:99999', precision_only: 99999, best_fit: 99999, best_fit_eager_double: 99999 },
  c_num_big: {
    none: 'decimal:1234567890123456789012345.12345',
    precision_only: 'decimal:1234567890123456789012345.12345',
    best_fit: 'decimal:1234567890123456789012345.12345',
    best_fit_eager_double: 1.2345678901234568e24,
  },
  c_num_free: 'decimal:4242.1250000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000',
  c_real: 1.5,
  c_double: 0.1,
  c_money: 1234.56,
  c_text: 'héllo ✓',
  c_varchar: 'v',
  c_char: 'ab ',
  c_bytea: 'hex:deadbeef',
  c_date: '2024-02-29T00:00:00.000Z',
  c_time: '1970-01-01T13:14:15.123Z',
  c_timetz: '1970-01-01T11:14:15.000Z',
  c_ts: '2024-02-29T13:14:15.678Z',
  c_tstz: '2024-02-29T11:14:15.678Z',
  c_uuid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
  c_json: '{"a": [1,  2]}',
  c_jsonb: '{"a": [1, 2]}',
  c_xml: '<a>1</a>',
  c_enum: 'happy',
};

function pick<T>(entry: Record<NumericMapping, T> | T, mapping: NumericMapping): T {
  return entry !== null && typeof entry === 'object' && 'none' in (entry as object) ? (entry as Record<NumericMapping, T>)[mapping] : (entry as T);
}

describe('PostgreSQL dialect and connection', () => {
  let conn: DbConnection;
  beforeAll(async () => {
    await pg.adminQuery(`SET ROLE ${pg.user}; ${DDL} RESET ROLE;`);
    conn = await open();
  });
  afterAll(async () => {
    await conn?.close();
  });

  describe.each<NumericMapping>(['none', 'precision_only', 'best_fit', 'best_fit_eager_double'])('numeric.mapping=%s', (mapping) => {
    it('maps every column of a query result to the golden schema and values', async () => {
      const result = await conn.query('SELECT * FROM all_types ORDER BY id');
      const mappings = result.columns.map((c) => postgresDialect.columnMapping(c, mapping, 'UTC'));
      const schemas = Object.fromEntries(result.columns.map((c, i) => [c.name, mappings[i] ? shape(mappings[i]!.schema) : null]));
      expect(schemas).toEqual(Object.fromEntries(Object.entries(SCHEMAS).map(([k, v]) => [k, pick(v, mapping)])));

      const [full, empty] = result.rows.map((row) =>
        Object.fromEntries(result.columns.flatMap((c, i) => (mappings[i] ? [[c.name, plain(mappings[i]!.convert(row[i]))]] : []))),
      );
      expect(full).toEqual(Object.fromEntries(Object.entries(VALUES).map(([k, v]) => [k, pick(v, mapping)])));
      const nulls = Object.fromEntries(Object.keys(VALUES).map((k) => [k, null]));
      expect(empty).toEqual({ ...nulls, id: 2, c_bool: false, c_int4: 0, c_text: '' });
    });
  });

  it('reports result columns as pgjdbc does (JDBC type, type name, precision/scale, nullability, table)', async () => {
    const { columns } = await conn.query('SELECT id, c_num, c_num_free, c_text, c_varchar, c_tstz, c_uuid, c_int_arr, c_enum, 1 + 1 AS expr FROM all_types');
    const view = (c: ColumnDefinition) => [c.name, c.jdbcType, c.typeName, c.precision, c.scale, c.nullable, c.autoIncrement, c.table?.toString() ?? null];
    expect(columns.map(view)).toEqual([
      ['id', 'INTEGER', 'int4', 10, 0, false, true, 'public.all_types'],
      ['c_num', 'NUMERIC', 'numeric', 10, 2, true, false, 'public.all_types'],
      ['c_num_free', 'NUMERIC', 'numeric', 0, 0, true, false, 'public.all_types'],
      ['c_text', 'VARCHAR', 'text', 2147483647, 0, false, false, 'public.all_types'],
      ['c_varchar', 'VARCHAR', 'varchar', 20, 0, true, false, 'public.all_types'],
      ['c_tstz', 'TIMESTAMP', 'timestamptz', 35, 6, true, false, 'public.all_types'],
      ['c_uuid', 'OTHER', 'uuid', 2147483647, 0, true, false, 'public.all_types'],
      ['c_int_arr', 'ARRAY', '_int4', 2147483647, 0, true, false, 'public.all_types'],
      ['c_enum', 'VARCHAR', 'mood', 2147483647, 0, true, false, 'public.all_types'],
      ['expr', 'INTEGER', 'int4', 10, 0, true, false, null],
    ]);
  });

  it('reads zone-less timestamps and times in db.timezone; zoned ones keep their instant', async () => {
    const ny = await open({ timeZone: 'America/New_York' });
    try {
      const { columns, rows } = await ny.query('SELECT c_ts, c_tstz, c_time FROM all_types WHERE id = 1');
      const values = columns.map((c, i) => plain(postgresDialect.columnMapping(c, 'none', 'America/New_York')!.convert(rows[0][i])));
      expect(values).toEqual(['2024-02-29T18:14:15.678Z', '2024-02-29T11:14:15.678Z', '1970-01-01T18:14:15.123Z']);
      // A Date parameter means the same instant for both kinds of column.
      const match = await ny.query('SELECT count(*) FROM all_types WHERE c_ts = $1 AND c_tstz = $2', [
        new Date('2024-02-29T18:14:15.678Z'),
        new Date('2024-02-29T11:14:15.678Z'),
      ]);
      expect(match.rows[0][0]).toBe('1');
    } finally {
      await ny.close();
    }
  });

  it('lists tables by table.types, schema.pattern and catalog.pattern, without a catalog (as Confluent)', async () => {
    await pg.adminQuery(`SET ROLE ${pg.user};
      CREATE VIEW v_all AS SELECT id FROM all_types;
      CREATE TABLE parted (id int, part int) PARTITION BY LIST (part);
      CREATE TABLE parted_1 PARTITION OF parted FOR VALUES IN (1);
      CREATE SCHEMA other; CREATE TABLE other.t2 (id int);
      RESET ROLE;`);
    const list = async (tableTypes: string[], schemaPattern: string | null = null, catalogPattern: string | null = null) =>
      (await postgresDialect.listTables(conn, { tableTypes, schemaPattern, catalogPattern })).map((t) => [t.catalog, t.schema, t.table]);
    expect(await list(['TABLE'])).toEqual([
      [null, 'other', 't2'],
      [null, 'public', 'all_types'],
      [null, 'public', 'parted_1'],
    ]);
    expect(await list(['TABLE'], 'oth%')).toEqual([[null, 'other', 't2']]);
    expect(await list(['VIEW'])).toEqual([[null, 'public', 'v_all']]);
    expect(await list(['PARTITIONED TABLE', 'VIEW'])).toEqual([
      [null, 'public', 'parted'],
      [null, 'public', 'v_all'],
    ]);
    expect(await list(['TABLE'], 'public', pg.database)).toHaveLength(2);
    expect(await list(['TABLE'], null, 'no_such_db')).toEqual([]);
    expect((await list(['SYSTEM TABLE'])).length).toBeGreaterThan(10);
  });

  it('describes a table: columns in order, keys, auto-increment and nullability', async () => {
    const cols = await postgresDialect.describeTable(conn, new TableId(null, 'public', 'all_types'));
    expect(cols.map((c) => c.name)).toEqual(Object.keys(SCHEMAS));
    const id = cols[0];
    expect([id.typeName, id.jdbcType, id.primaryKey, id.autoIncrement, id.nullable]).toEqual(['serial', 'INTEGER', true, true, false]);
    const num = cols.find((c) => c.name === 'c_num')!;
    expect([num.precision, num.scale, num.nullable, num.primaryKey]).toEqual([10, 2, true, false]);
    expect(cols.find((c) => c.name === 'c_text')!.nullable).toBe(false);
    expect(await postgresDialect.describeTable(conn, new TableId(null, 'public', 'no_such_table'))).toEqual([]);
  });

  it('quotes identifiers, uses $n placeholders and LIMIT', () => {
    expect(postgresDialect.tableName(new TableId(null, 'public', 'we"ird'), true)).toBe('"public"."we""ird"');
    expect(postgresDialect.tableName(new TableId(null, 'public', 'plain'), false)).toBe('public.plain');
    expect(postgresDialect.placeholder(3)).toBe('$3');
    expect(postgresDialect.limitClause(50)).toBe('LIMIT 50');
  });

  it('gives the database time', async () => {
    const before = Date.now();
    const now = await postgresDialect.currentTime(conn);
    expect(Math.abs(now.getTime() - before)).toBeLessThan(60_000);
  });

  describe('queryPages', () => {
    beforeAll(async () => {
      await pg.adminQuery(`SET ROLE ${pg.user};
        CREATE TABLE many (n int PRIMARY KEY, t text NOT NULL);
        INSERT INTO many SELECT g, 'row ' || g FROM generate_series(1, 2500) g;
        RESET ROLE;`);
    });

    it('reads a result larger than a page through a cursor, a page at a time, with parameters', async () => {
      const sizes: number[] = [];
      const seen: number[] = [];
      for await (const page of conn.queryPages('SELECT n, t FROM many WHERE n > $1 ORDER BY n;', [100], 1000)) {
        sizes.push(page.rows.length);
        expect(page.columns.map((c) => c.name)).toEqual(['n', 't']);
        seen.push(...page.rows.map((r) => r[0] as number));
      }
      expect(sizes).toEqual([1000, 1000, 400]);
      expect(seen).toEqual(Array.from({ length: 2400 }, (_, i) => i + 101));
    });

    it('gives no empty page after an exact multiple, one empty page (with columns) for an empty result', async () => {
      const sizes: number[] = [];
      for await (const page of conn.queryPages('SELECT n FROM many WHERE n <= $1', [2000], 1000)) sizes.push(page.rows.length);
      expect(sizes).toEqual([1000, 1000]);
      const empty: number[] = [];
      for await (const page of conn.queryPages('SELECT n FROM many WHERE n < 0', [], 10)) {
        empty.push(page.rows.length);
        expect(page.columns.map((c) => c.name)).toEqual(['n']);
      }
      expect(empty).toEqual([0]);
    });

    it('closes the cursor and its transaction when the reader stops early', async () => {
      for await (const page of conn.queryPages('SELECT n FROM many', [], 100)) {
        expect(page.rows).toHaveLength(100);
        break;
      }
      const open = await conn.query("SELECT count(*) FROM pg_cursors");
      expect(open.rows[0][0]).toBe('0');
      // Not left inside a transaction: a row written now is visible to another session at once.
      await conn.query("INSERT INTO many VALUES (9999, 'after')");
      expect(await pg.adminQuery('SELECT t FROM many WHERE n = 9999')).toEqual([{ t: 'after' }]);
    });

    it('runs inside a caller transaction without ending it', async () => {
      await conn.transaction(async (tx) => {
        await tx.query("INSERT INTO many VALUES (10000, 'in tx')");
        let count = 0;
        for await (const page of tx.queryPages('SELECT n FROM many WHERE n >= $1', [9999], 1)) count += page.rows.length;
        expect(count).toBe(2);
        throw new Error('roll back');
      }).catch((err) => expect((err as Error).message).toBe('roll back'));
      expect((await conn.query('SELECT count(*) FROM many WHERE n = 10000')).rows[0][0]).toBe('0');
    });
  });

  it('is valid while the server answers', async () => {
    expect(await conn.isValid(5000)).toBe(true);
  });

  it('names the user and the URL, not the password, when authentication fails', async () => {
    const err = await open({ password: 'wrong-secret' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    const e = err as DatabaseError;
    expect(e.message).toContain(`PostgreSQL authentication failed for user "${pg.user}" at ${pg.url}`);
    expect(e.message).not.toContain('wrong-secret');
    expect([e.retriable, e.sqlState]).toEqual([false, '28P01']);
  });

  it('says it cannot connect to host:port when nothing listens there (retriable)', async () => {
    const port = await freePort();
    const err = (await open({ url: `jdbc:postgresql://127.0.0.1:${port}/x` }).catch((e: unknown) => e)) as DatabaseError;
    expect(err).toBeInstanceOf(DatabaseError);
    expect(err.message).toMatch(new RegExp(`^Cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${port} \\(jdbc:postgresql://127\\.0\\.0\\.1:${port}/x\\): .*ECONNREFUSED`));
    expect(err.retriable).toBe(true);
  });

  it('classifies a statement error with its SQLSTATE, not retriable', async () => {
    const err = (await conn.query('SELECT * FROM no_such_table').catch((e: unknown) => e)) as DatabaseError;
    expect(err).toBeInstanceOf(DatabaseError);
    expect([err.sqlState, err.retriable]).toEqual(['42P01', false]);
    expect(err.message).toContain('relation "no_such_table" does not exist');
  });

  it('marks a connection the server ended retriable and no longer valid', async () => {
    const victim = await open();
    try {
      const pid = (await victim.query('SELECT pg_backend_pid()')).rows[0][0];
      await pg.adminQuery('SELECT pg_terminate_backend($1)', [pid]);
      const err = (await victim.query('SELECT 1').catch((e: unknown) => e)) as DatabaseError;
      expect(err).toBeInstanceOf(DatabaseError);
      expect(err.retriable).toBe(true);
      expect(await victim.isValid(2000)).toBe(false);
    } finally {
      await victim.close();
    }
  });

  it('marks a deadlock victim retriable (40P01)', async () => {
    await pg.adminQuery(`CREATE TABLE locks (id int PRIMARY KEY, v int); INSERT INTO locks VALUES (1, 0), (2, 0); GRANT ALL ON locks TO ${pg.user};`);
    const other = await open();
    try {
      const settle = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
      let release!: () => void;
      const bothLocked = new Promise<void>((r) => (release = r));
      let locked = 0;
      const lockThen = (c: DbConnection, first: number, second: number) =>
        c.transaction(async (tx) => {
          await tx.query('UPDATE locks SET v = v + 1 WHERE id = $1', [first]);
          if (++locked === 2) release();
          await bothLocked;
          await tx.query('UPDATE locks SET v = v + 1 WHERE id = $1', [second]);
        });
      const results = await Promise.all([settle(lockThen(conn, 1, 2)), settle(lockThen(other, 2, 1))]);
      const failures = results.filter((r): r is DatabaseError => r !== null);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toBeInstanceOf(DatabaseError);
      expect([failures[0].sqlState, failures[0].retriable]).toEqual(['40P01', true]);
    } finally {
      await other.close();
    }
  });
});

describe('the PostgreSQL test harness', () => {
  it('fails (never skips) naming the Debian package when the server binaries are missing', async () => {
    const saved = process.env.PG_BIN;
    process.env.PG_BIN = '/nonexistent/postgresql/bin';
    try {
      await expect(startPostgres()).rejects.toThrow(/initdb is missing\. Install the Debian package postgresql/);
    } finally {
      if (saved === undefined) delete process.env.PG_BIN;
      else process.env.PG_BIN = saved;
    }
  });
});
