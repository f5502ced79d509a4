import Database from 'better-sqlite3';
import { ConnectTimestamp, Logger, OffsetMap, Schema, SourceTaskContext } from '../../../../../src/api';
import {
  ColumnDefinition,
  ColumnMapping,
  DatabaseDialect,
  DatabaseError,
  DbConnection,
  DbConnectionFactory,
  JdbcType,
  QueryResult,
  SqlValue,
  TableId,
} from '../../../../../connectors/jdbc/dialect';

/**
 * A small stand-in database for the source's unit tests: better-sqlite3 in memory with a dialect
 * that reports TIMESTAMP columns (stored as `YYYY-MM-DD HH:MM:SS.fff[fff]` UTC text, so text order is
 * time order) as timestamps,
 * INTEGER as BIGINT and TEXT as VARCHAR. Its clock is set by the test, and every statement run is
 * recorded, so tests can check the SQL and the page sizes.
 */
export class FakeDb {
  readonly db = new Database(':memory:');
  now = new Date('2030-01-01T00:00:00.000Z');
  readonly statements: { sql: string; params: readonly SqlValue[] }[] = [];
  /** Set to make the next statement fail with this error. */
  failNext: Error | null = null;
  opened = 0;
  closed = 0;

  readonly dialect: DatabaseDialect = {
    name: 'FakeDialect',
    quoteIdentifier: (id, quote) => (quote ? `"${id}"` : id),
    tableName: (t, quote) => [t.catalog, t.schema, t.table].filter((p): p is string => p !== null).map((p) => (quote ? `"${p}"` : p)).join('.'),
    placeholder: () => '?',
    limitClause: (rows) => `LIMIT ${rows}`,
    listTables: async () =>
      (this.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => new TableId(null, null, r.name)),
    describeTable: async (_conn, table) =>
      (this.db.prepare(`PRAGMA table_info("${table.table}")`).all() as { name: string; type: string; notnull: number; pk: number }[]).map((c) =>
        column(c.name, c.type, table, c.notnull === 0 && c.pk === 0, c.pk === 1 && c.type.toUpperCase() === 'INTEGER'),
      ),
    currentTime: async () => this.now,
    columnMapping: (c): ColumnMapping | null => {
      const optional = c.nullable;
      switch (c.jdbcType) {
        case JdbcType.BIGINT:
          return { column: c, fieldName: c.name, schema: optional ? Schema.OPTIONAL_INT64_SCHEMA : Schema.INT64_SCHEMA, convert: (v) => BigInt(v as number) };
        case JdbcType.VARCHAR:
          return { column: c, fieldName: c.name, schema: optional ? Schema.OPTIONAL_STRING_SCHEMA : Schema.STRING_SCHEMA, convert: (v) => String(v) };
        case JdbcType.TIMESTAMP: {
          const b = ConnectTimestamp.builder();
          if (optional) b.optional();
          return { column: c, fieldName: c.name, schema: b.build(), convert: (v) => new Date(`${String(v).replace(' ', 'T')}Z`) };
        }
        default:
          return null;
      }
    },
  };

  exec(sql: string): void {
    this.db.exec(sql);
  }

  insert(table: string, row: Record<string, SqlValue>): void {
    const keys = Object.keys(row);
    this.db.prepare(`INSERT INTO "${table}" (${keys.map((k) => `"${k}"`).join(',')}) VALUES (${keys.map(() => '?').join(',')})`).run(...keys.map((k) => bind(row[k])));
  }

  factory(): DbConnectionFactory {
    return { dialect: this.dialect, connect: async () => this.connection() };
  }

  private connection(): DbConnection {
    this.opened++;
    const run = (sql: string, params: readonly SqlValue[]) => {
      this.statements.push({ sql, params });
      const fail = this.failNext;
      this.failNext = null;
      if (fail) throw fail;
      const stmt = this.db.prepare(sql);
      return { stmt, bound: params.map(bind) };
    };
    const conn: DbConnection = {
      query: async (sql, params = []) => {
        const { stmt, bound } = run(sql, params);
        const rows = stmt.raw(true).all(...bound) as unknown[][];
        return { columns: this.columnsOf(stmt), rows };
      },
      queryPages: (sql, params, pageSize) => {
        const self = this;
        return {
          async *[Symbol.asyncIterator](): AsyncGenerator<QueryResult> {
            const { stmt, bound } = run(sql, params);
            const columns = self.columnsOf(stmt);
            let page: unknown[][] = [];
            for (const row of stmt.raw(true).iterate(...bound) as IterableIterator<unknown[]>) {
              page.push(row);
              if (page.length === pageSize) {
                yield { columns, rows: page };
                page = [];
              }
            }
            if (page.length > 0) yield { columns, rows: page };
          },
        };
      },
      transaction: async (work) => work(conn),
      isValid: async () => true,
      close: async () => {
        this.closed++;
      },
    };
    return conn;
  }

  private columnsOf(stmt: Database.Statement): ColumnDefinition[] {
    return stmt.columns().map((c) => {
      const notNull = c.table !== null && c.column !== null ? this.notNull(c.table, c.column) : false;
      return column(c.name, c.type ?? 'TEXT', c.table === null ? null : new TableId(null, null, c.table), !notNull, false);
    });
  }

  private notNull(table: string, name: string): boolean {
    const info = this.db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; notnull: number; pk: number }[];
    const c = info.find((i) => i.name === name);
    return c !== undefined && (c.notnull === 1 || c.pk === 1);
  }
}

function bind(v: SqlValue): unknown {
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

function column(name: string, declared: string, table: TableId | null, nullable: boolean, autoIncrement: boolean): ColumnDefinition {
  const t = declared.toUpperCase();
  const jdbcType = t === 'INTEGER' ? JdbcType.BIGINT : t === 'TIMESTAMP' ? JdbcType.TIMESTAMP : t === 'BLOB' ? JdbcType.BLOB : JdbcType.VARCHAR;
  return { name, table, jdbcType, typeName: t.toLowerCase(), nullable, precision: 0, scale: 0, autoIncrement, signed: true, primaryKey: autoIncrement };
}

/** A DatabaseError as a driver module would raise for a lost connection. */
export function connectionLost(): DatabaseError {
  return new DatabaseError('Connection lost: the server closed the connection', { retriable: true, sqlState: '08006' });
}

export const silentLogger: Logger & { warnings: string[] } = Object.assign(
  {
    warnings: [] as string[],
    debug: () => undefined,
    info: () => undefined,
    error: () => undefined,
    isLevelEnabled: () => false,
  },
  {
    warn(this: { warnings: string[] }, msg: string) {
      this.warnings.push(msg);
    },
  },
);

/** A task context whose offset reader serves `offsets` (partitions compared with sorted keys). */
export function taskContext(offsets: { partition: OffsetMap; offset: OffsetMap }[] = [], logger: Logger = silentLogger): SourceTaskContext {
  const key = (p: OffsetMap) => JSON.stringify(Object.keys(p).sort().map((k) => [k, p[k]]));
  const byKey = new Map(offsets.map((o) => [key(o.partition), o.offset]));
  return {
    connectorName: 'jdbc-test',
    taskId: 0,
    logger,
    offsetStorageReader: {
      offset: (p) => byKey.get(key(p)) ?? null,
      offsets: (ps) => new Map(ps.map((p) => [p, byKey.get(key(p)) ?? null])),
    },
  };
}
