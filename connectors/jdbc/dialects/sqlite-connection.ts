import * as fs from 'fs';
import * as path from 'path';
import Database from 'better-sqlite3';
import { ColumnDefinition, ConnectOptions, DatabaseError, DbConnection, QueryResult, SqlValue, TableId } from '../dialect';
import { zoneOffsetMs } from '../zoned-time';
import { declaredType, sqliteTypeInfo } from './sqlite-types';

/** How the SQLite driver module opens a file beyond what ConnectOptions says. */
export interface SqliteOpenSettings {
  /**
   * Create the database file when it does not exist. False by default: a source pointed at a
   * mistyped path must fail naming the file, not read a new empty database.
   */
  readonly create?: boolean;
  /** Rows read between two yields to the event loop inside one query or page (default 2000). */
  readonly yieldEveryRows?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 3000; // sqlite-jdbc's default busy_timeout
const DEFAULT_YIELD_EVERY_ROWS = 2000;
/** Prepared statements kept per connection: the source's page queries and the sink's INSERTs repeat. */
const STATEMENT_CACHE_LIMIT = 64;
/** Codes of failures another try may get past: the file is locked by another writer. */
const RETRIABLE_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY']);

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Opens a SQLite database with better-sqlite3. better-sqlite3 is synchronous, so reads step a
 * statement iterator a bounded number of rows at a time and yield to the event loop in between:
 * no call holds the loop for long however big the result. Integers come back as bigint (SQLite
 * integers are 64-bit); column types are reported as sqlite-jdbc reports them. Throws DatabaseError
 * naming the file when it does not exist (unless `settings.create`) or cannot be opened.
 */
export async function openSqliteConnection(options: ConnectOptions, settings: SqliteOpenSettings = {}): Promise<DbConnection> {
  const file = options.url.file;
  if (file === null) throw new DatabaseError(`${options.url.display} is not a SQLite URL`);
  const memory = file === ':memory:';
  const fullPath = memory ? file : path.resolve(file);
  if (!memory && !settings.create && !fs.existsSync(fullPath)) {
    throw new DatabaseError(`SQLite database file ${fullPath} does not exist (connection.url ${options.url.display}); create it first or fix the path`);
  }
  const busy = Number(options.url.params.busy_timeout ?? DEFAULT_BUSY_TIMEOUT_MS);
  let db: Database.Database;
  try {
    db = new Database(memory ? ':memory:' : fullPath, {
      fileMustExist: !memory && !settings.create,
      timeout: Number.isFinite(busy) && busy >= 0 ? busy : DEFAULT_BUSY_TIMEOUT_MS,
    });
  } catch (err) {
    throw new DatabaseError(`Cannot open SQLite database ${fullPath} (connection.url ${options.url.display}): ${(err as Error).message}`, {
      cause: err,
      retriable: RETRIABLE_CODES.has((err as { code?: string }).code ?? ''),
      sqlState: (err as { code?: string }).code ?? null,
    });
  }
  try {
    const journal = options.url.params.journal_mode;
    if (journal !== undefined && /^[a-z]+$/i.test(journal)) db.pragma(`journal_mode = ${journal}`);
  } catch (err) {
    db.close();
    throw wrap(err, `PRAGMA journal_mode on ${fullPath}`);
  }
  return new SqliteConnection(db, options.timeZone, settings.yieldEveryRows ?? DEFAULT_YIELD_EVERY_ROWS);
}

function wrap(err: unknown, what: string): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const code = (err as { code?: unknown }).code;
  const sqlState = typeof code === 'string' ? code : null;
  return new DatabaseError(`SQLite: ${(err as Error).message ?? String(err)}${sqlState ? ` (${sqlState})` : ''} in ${what}`, {
    cause: err,
    retriable: sqlState !== null && RETRIABLE_CODES.has(sqlState),
    sqlState,
  });
}

function shortSql(sql: string): string {
  const oneLine = sql.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}

/**
 * A Date parameter as SQLite's own date/time text (`YYYY-MM-DD HH:MM:SS[.SSS]`, milliseconds only
 * when non-zero, as CURRENT_TIMESTAMP and datetime() write it) in `zone`, so it compares with
 * date/time text columns.
 */
export function sqliteDateText(date: Date, zone: string): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new DatabaseError('Cannot bind an invalid Date as a SQL parameter');
  const wall = new Date(ms + zoneOffsetMs(zone, ms));
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const text = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
  return wall.getUTCMilliseconds() === 0 ? text : `${text}.${pad(wall.getUTCMilliseconds(), 3)}`;
}

type Row = unknown[];

/** What SQLite says about a table column beyond its declared type. */
export interface ColumnMeta {
  readonly notNull: boolean;
  readonly pk: boolean;
  readonly autoIncrement: boolean;
}

class SqliteConnection implements DbConnection {
  /** Open page iterations; SQLite cannot run another statement on the connection meanwhile. */
  private openIterations = 0;
  private savepoints = 0;
  /** Prepared statements by SQL text, and table column flags by "db.table", both for schemaVersion. */
  private readonly statements = new Map<string, Database.Statement>();
  private readonly tableColumns = new Map<string, Map<string, ColumnMeta>>();
  private schemaVersion: number | null = null;
  private schemaVersionStatement: Database.Statement | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly timeZone: string,
    private readonly yieldEvery: number,
  ) {}

  private bind(params: readonly SqlValue[] | undefined): unknown[] {
    if (!params) return [];
    return params.map((p) => (p instanceof Date ? sqliteDateText(p, this.timeZone) : typeof p === 'boolean' ? (p ? 1 : 0) : p));
  }

  private prepare(sql: string): Database.Statement {
    if (!this.db.open) throw new DatabaseError('The SQLite connection is closed');
    if (this.openIterations > 0) {
      throw new DatabaseError(`Cannot run "${shortSql(sql)}": this SQLite connection is still reading pages of another query; finish or leave that loop first`);
    }
    try {
      this.dropStaleCaches();
      let stmt = this.statements.get(sql);
      if (stmt === undefined) {
        stmt = this.db.prepare(sql);
        if (this.statements.size >= STATEMENT_CACHE_LIMIT) this.statements.delete(this.statements.keys().next().value as string);
        this.statements.set(sql, stmt);
      }
      return stmt;
    } catch (err) {
      throw wrap(err, `"${shortSql(sql)}"`);
    }
  }

  /**
   * Forgets cached statements and column flags once the schema changed (DDL on any connection bumps
   * schema_version): SQLite re-prepares a statement by itself, but better-sqlite3 fixed whether it
   * returns rows at prepare time, and columns() before the first step describe the old schema. After
   * another connection's DDL this connection still holds the old schema until a statement steps
   * into the database, so one does before anything is prepared again.
   */
  private dropStaleCaches(): void {
    this.schemaVersionStatement ??= this.db.prepare('PRAGMA schema_version').pluck();
    const version = this.schemaVersionStatement.get() as number;
    if (version !== this.schemaVersion) {
      this.db.prepare('SELECT 1 FROM sqlite_master LIMIT 1').get();
      this.statements.clear();
      this.tableColumns.clear();
      this.schemaVersion = version;
    }
  }

  async query(sql: string, params?: readonly SqlValue[]): Promise<QueryResult> {
    const stmt = this.prepare(sql);
    const args = this.bind(params);
    try {
      if (!stmt.reader) {
        stmt.run(...args);
        return { columns: [], rows: [] };
      }
      stmt.safeIntegers(true).raw(true);
      const meta = this.columnMetas(stmt);
      const iterator = stmt.iterate(...args) as IterableIterator<Row>;
      this.openIterations++;
      const rows: Row[] = [];
      try {
        for (;;) {
          const batch = this.take(iterator, this.yieldEvery);
          for (const r of batch) rows.push(r);
          if (batch.length < this.yieldEvery) break;
          await yieldToEventLoop();
        }
      } finally {
        iterator.return?.();
        this.openIterations--;
      }
      return { columns: this.describe(stmt, meta, rows[0]), rows };
    } catch (err) {
      throw wrap(err, `"${shortSql(sql)}"`);
    }
  }

  async *queryPages(sql: string, params: readonly SqlValue[], pageSize: number): AsyncIterable<QueryResult> {
    if (!(pageSize >= 1)) throw new DatabaseError(`Page size must be at least 1, got ${pageSize}`);
    const stmt = this.prepare(sql);
    if (!stmt.reader) throw new DatabaseError(`queryPages needs a statement that returns rows: "${shortSql(sql)}"`);
    stmt.safeIntegers(true).raw(true);
    let iterator: IterableIterator<Row>;
    let meta: (ColumnMeta | null)[];
    try {
      meta = this.columnMetas(stmt);
      iterator = stmt.iterate(...this.bind(params)) as IterableIterator<Row>;
    } catch (err) {
      throw wrap(err, `"${shortSql(sql)}"`);
    }
    this.openIterations++;
    try {
      let columns: ColumnDefinition[] | null = null;
      for (;;) {
        const rows: Row[] = [];
        let done = false;
        while (rows.length < pageSize) {
          const want = Math.min(this.yieldEvery, pageSize - rows.length);
          const batch = this.take(iterator, want);
          for (const r of batch) rows.push(r);
          if (batch.length < want) {
            done = true;
            break;
          }
          if (rows.length < pageSize) await yieldToEventLoop();
        }
        // One result set, one set of column types: sqlite-jdbc decides them on the first row.
        columns ??= this.describe(stmt, meta, rows[0]);
        if (rows.length > 0) yield { columns, rows };
        if (done || rows.length === 0) return;
        await yieldToEventLoop();
      }
    } catch (err) {
      throw wrap(err, `"${shortSql(sql)}"`);
    } finally {
      iterator.return?.();
      this.openIterations--;
    }
  }

  private take(iterator: IterableIterator<Row>, max: number): Row[] {
    const out: Row[] = [];
    while (out.length < max) {
      const next = iterator.next();
      if (next.done) break;
      out.push(next.value);
    }
    return out;
  }

  /** NOT NULL / key flags of each result column that comes straight from a table (read before iterating). */
  private columnMetas(stmt: Database.Statement): (ColumnMeta | null)[] {
    const cache = this.tableColumns;
    return stmt.columns().map((c) => {
      if (c.table === null || c.column === null) return null;
      const key = `${c.database ?? 'main'}.${c.table}`;
      let columns = cache.get(key);
      if (columns === undefined) {
        columns = sqliteTableColumns(this.db, c.database ?? 'main', c.table);
        cache.set(key, columns);
      }
      return columns.get(c.column) ?? null;
    });
  }

  /** Column definitions as sqlite-jdbc's ResultSetMetaData would give them for this result. */
  private describe(stmt: Database.Statement, meta: readonly (ColumnMeta | null)[], firstRow: Row | undefined): ColumnDefinition[] {
    return stmt.columns().map((c, i) => {
      const info = sqliteTypeInfo(declaredType(c.type, c.name), firstRow?.[i] ?? null);
      const m = meta[i];
      return {
        name: c.name,
        table: c.table !== null ? new TableId(null, null, c.table) : null,
        jdbcType: info.jdbcType,
        typeName: info.typeName,
        nullable: !(m?.notNull ?? false),
        precision: info.precision,
        scale: info.scale,
        autoIncrement: m?.autoIncrement ?? false,
        signed: info.signed,
        primaryKey: m?.pk ?? false,
      };
    });
  }

  async transaction<T>(work: (conn: DbConnection) => Promise<T>): Promise<T> {
    const nested = this.db.inTransaction;
    const savepoint = `sp_${++this.savepoints}`;
    if (nested) this.exec(`SAVEPOINT ${savepoint}`);
    else this.run('BEGIN');
    try {
      const result = await work(this);
      if (nested) this.exec(`RELEASE ${savepoint}`);
      else this.run('COMMIT');
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.exec(nested ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
      throw err;
    }
  }

  /** One cached statement without parameters or rows (BEGIN, COMMIT). */
  private run(sql: string): void {
    const stmt = this.prepare(sql);
    try {
      stmt.run();
    } catch (err) {
      throw wrap(err, `"${sql}"`);
    }
  }

  private exec(sql: string): void {
    if (this.openIterations > 0) throw new DatabaseError(`Cannot run "${sql}": this SQLite connection is still reading pages of another query`);
    try {
      this.db.exec(sql);
    } catch (err) {
      throw wrap(err, `"${sql}"`);
    }
  }

  async isValid(): Promise<boolean> {
    if (!this.db.open || this.openIterations > 0) return this.db.open;
    try {
      this.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** NOT NULL, primary-key and AUTOINCREMENT flags of a table's columns, as sqlite3_table_column_metadata gives them. */
export function sqliteTableColumns(db: Database.Database, database: string, table: string): Map<string, ColumnMeta> {
  const out = new Map<string, ColumnMeta>();
  const quotedDb = `"${database.replace(/"/g, '""')}"`;
  const rows = db.prepare(`PRAGMA ${quotedDb}.table_info("${table.replace(/"/g, '""')}")`).all() as { name: string; type: string; notnull: number; pk: number }[];
  const master = database === 'temp' ? 'sqlite_temp_master' : `${quotedDb}.sqlite_master`;
  const sql = (db.prepare(`SELECT sql FROM ${master} WHERE name = ?`).get(table) as { sql?: string } | undefined)?.sql ?? '';
  const pkCount = rows.filter((r) => r.pk > 0).length;
  const autoIncrementTable = /\bAUTOINCREMENT\b/i.test(sql);
  for (const r of rows) {
    const rowidAlias = r.pk > 0 && pkCount === 1 && r.type.toUpperCase() === 'INTEGER';
    out.set(r.name, { notNull: r.notnull !== 0, pk: r.pk > 0, autoIncrement: rowidAlias && autoIncrementTable });
  }
  return out;
}
