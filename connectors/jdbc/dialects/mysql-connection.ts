import { Connection, ConnectionOptions, createConnection, FieldPacket } from 'mysql2';
import type { TypeCast } from 'mysql2/typings/mysql/lib/parsers/typeCast';
import { ColumnDefinition, ConnectOptions, DatabaseError, DbConnection, QueryResult, SqlValue, TableId } from '../dialect';
import { zoneOffsetMs } from '../zoned-time';
import { answersWithin, causeText, networkCode, serverTransaction, wallClockText } from './driver-support';
import { decimalPrecision, fieldTypeName, FLAG, isNumericTypeName, jdbcTypeOfName } from './mysql-types';

/**
 * MySQL and MariaDB through `mysql2`: rows as arrays, column definitions as MySQL Connector/J
 * reports them, exact values (BIGINT and DECIMAL as text, dates and times as text the column
 * mapping reads in `db.timezone`, YEAR as its 1 January). The session's time_zone is `db.timezone`
 * so TIMESTAMP text and Date parameters agree with it. Large results stream with back-pressure.
 */

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
// Deadlock, lock wait timeout, too many connections, server shutting down, connection killed.
const RETRIABLE_ERRNOS = new Set([1213, 1205, 1040, 1053, 1927]);
const RETRIABLE_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_SERVER_SHUTDOWN']);
const AUTH_ERRNOS = new Set([1045, 1044, 1698]);
const ER_UNKNOWN_TIME_ZONE = 1298;

/** YEAR as the date Connector/J gives it; BIT and GEOMETRY as raw bytes; everything else as mysql2 reads it. */
const typeCast: TypeCast = (field, next) => {
  switch (field.type) {
    case 'YEAR': {
      const text = field.string();
      return text === null ? null : `${text.padStart(4, '0')}-01-01`;
    }
    case 'BIT':
    case 'GEOMETRY':
      return field.buffer();
    default:
      return next();
  }
};

export async function openMysqlConnection(options: ConnectOptions): Promise<DbConnection> {
  const { url } = options;
  const hosts = url.hosts.length > 0 ? url.hosts : [{ host: 'localhost', port: null }];
  let last: DatabaseError | null = null;
  for (const { host, port } of hosts) {
    const hostPort = `${host}:${port ?? 3306}`;
    let core: Connection | null = null;
    try {
      core = await connect(connectionOptions(options, host, port ?? 3306));
      const conn = new MysqlConnection(core, options.timeZone);
      await conn.setSessionTimeZone();
      return conn;
    } catch (err) {
      core?.destroy();
      last = openError(err, options, hostPort);
      if (!last.retriable) throw last;
    }
  }
  throw last!;
}

function connect(config: ConnectionOptions): Promise<Connection> {
  return new Promise((resolve, reject) => {
    const core = createConnection(config);
    core.once('error', reject);
    core.connect((err) => {
      if (err) reject(err);
      else resolve(core);
    });
  });
}

function connectionOptions(options: ConnectOptions, host: string, port: number): ConnectionOptions {
  const p = options.url.params;
  const timeout = Number(p.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_MS);
  const sslMode = (p.sslMode ?? p.sslmode ?? (p.useSSL === 'true' || p.requireSSL === 'true' ? 'REQUIRED' : 'DISABLED')).toUpperCase();
  return {
    host,
    port,
    user: options.user ?? undefined,
    password: options.password ?? undefined,
    database: options.url.database ?? undefined,
    connectTimeout: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_CONNECT_TIMEOUT_MS,
    charset: 'utf8mb4',
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    dateStrings: true,
    jsonStrings: true,
    // PREFERRED (try TLS, fall back to plain) has no mysql2 equivalent and connects without TLS.
    ssl:
      sslMode === 'REQUIRED' ? { rejectUnauthorized: false }
      : sslMode === 'VERIFY_CA' || sslMode === 'VERIFY_IDENTITY' ? { rejectUnauthorized: true }
      : undefined,
  };
}

function errnoOf(err: unknown): number | null {
  const errno = (err as { errno?: unknown } | null)?.errno;
  return typeof errno === 'number' ? errno : null;
}

function sqlStateOf(err: unknown): string | null {
  const e = err as { sqlState?: unknown; code?: unknown } | null;
  if (typeof e?.sqlState === 'string' && e.sqlState !== '' && e.sqlState !== 'HY000') return e.sqlState;
  return typeof e?.code === 'string' ? e.code : null;
}

function isTransient(err: unknown): boolean {
  const errno = errnoOf(err);
  if (errno !== null && RETRIABLE_ERRNOS.has(errno)) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && RETRIABLE_CODES.has(code)) return true;
  return networkCode(err) !== null || (err as { fatal?: unknown } | null)?.fatal === true;
}

function openError(err: unknown, options: ConnectOptions, hostPort: string): DatabaseError {
  const display = options.url.display;
  const errno = errnoOf(err);
  const sqlState = sqlStateOf(err);
  if (errno !== null && AUTH_ERRNOS.has(errno)) {
    return new DatabaseError(`MySQL authentication failed for user "${options.user ?? ''}" at ${display}: ${causeText(err)}`, {
      cause: err,
      sqlState,
    });
  }
  if (errno === 1049) {
    return new DatabaseError(`MySQL database does not exist at ${display}: ${causeText(err)}`, { cause: err, sqlState });
  }
  if (isTransient(err) || /ETIMEDOUT|connect timeout/i.test(causeText(err))) {
    return new DatabaseError(`Cannot connect to MySQL at ${hostPort} (${display}): ${causeText(err)}`, {
      cause: err,
      retriable: true,
      sqlState,
    });
  }
  return new DatabaseError(`Cannot open a MySQL connection to ${display}: ${causeText(err)}`, { cause: err, sqlState });
}

function queryError(err: unknown, sql: string): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const statement = sql.length > 200 ? `${sql.slice(0, 200)}…` : sql;
  const errno = errnoOf(err);
  return new DatabaseError(`MySQL error${errno !== null ? ` ${errno}` : ''}: ${causeText(err)} (in: ${statement})`, {
    cause: err,
    retriable: isTransient(err),
    sqlState: sqlStateOf(err),
  });
}

/** The `+hh:mm` offset of `zone` now: the fallback when the server has no time zone tables. */
function currentOffset(zone: string): string {
  const minutes = Math.round(zoneOffsetMs(zone, Date.now()) / 60_000);
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Parameters for mysql2's client-side formatting; bigints go in as bare digits so no DOUBLE comparison loses them. */
function bind(params: readonly SqlValue[] | undefined, zone: string): unknown[] {
  if (!params) return [];
  return params.map((p) => {
    if (p instanceof Date) return wallClockText(p, zone);
    if (typeof p === 'bigint') {
      const digits = p.toString();
      return { toSqlString: () => digits };
    }
    return p;
  });
}

function describeFields(fields: readonly FieldPacket[]): ColumnDefinition[] {
  return fields.map((f) => {
    const flags = typeof f.flags === 'number' ? f.flags : 0;
    const length = f.columnLength ?? f.length ?? 0;
    const base = fieldTypeName(f.columnType ?? f.type ?? -1, flags, f.characterSet ?? 0, length);
    const unsigned = (flags & FLAG.UNSIGNED) !== 0 && isNumericTypeName(base);
    const jdbcType = jdbcTypeOfName(base, length);
    const isDecimal = base === 'decimal';
    return {
      name: f.name,
      table: f.orgTable ? new TableId(f.db || f.schema || null, null, f.orgTable) : null,
      jdbcType,
      typeName: jdbcType === 'BIT' && base === 'tinyint' ? 'bit' : unsigned ? `${base} unsigned` : base,
      nullable: (flags & FLAG.NOT_NULL) === 0,
      precision: isDecimal ? decimalPrecision(length, f.decimals, unsigned) : length,
      scale: isDecimal ? f.decimals : 0,
      autoIncrement: (flags & FLAG.AUTO_INCREMENT) !== 0,
      signed: isNumericTypeName(base) && !unsigned,
      primaryKey: (flags & FLAG.PRI_KEY) !== 0,
    };
  });
}

class MysqlConnection implements DbConnection {
  private readonly transactionState = { open: false };
  private broken: Error | null = null;

  constructor(
    private readonly core: Connection,
    private readonly timeZone: string,
  ) {
    // A dropped link is reported on the next call; without a listener it would crash the process.
    core.on('error', (err) => {
      this.broken = err;
    });
  }

  /**
   * Servers without time zone tables know no IANA names: they get the zone's offset at connect
   * time instead, which is exact for fixed-offset zones and until the next DST change otherwise.
   */
  async setSessionTimeZone(): Promise<void> {
    try {
      await this.raw('SET time_zone = ?', [this.timeZone]);
    } catch (err) {
      if ((err as DatabaseError).cause === undefined || errnoOf((err as DatabaseError).cause) !== ER_UNKNOWN_TIME_ZONE) throw err;
      await this.raw('SET time_zone = ?', [currentOffset(this.timeZone)]);
    }
  }

  private raw(sql: string, params?: readonly SqlValue[]): Promise<{ fields: FieldPacket[]; rows: unknown[][] }> {
    if (this.broken) return Promise.reject(queryError(this.broken, sql));
    return new Promise((resolve, reject) => {
      this.core.query({ sql, values: bind(params, this.timeZone), rowsAsArray: true, typeCast }, (err, rows, fields) => {
        if (err) reject(queryError(err, sql));
        else resolve({ fields: (fields as FieldPacket[] | undefined) ?? [], rows: Array.isArray(rows) ? (rows as unknown[][]) : [] });
      });
    });
  }

  async query(sql: string, params?: readonly SqlValue[]): Promise<QueryResult> {
    const { fields, rows } = await this.raw(sql, params);
    return { columns: describeFields(fields), rows };
  }

  async *queryPages(sql: string, params: readonly SqlValue[], pageSize: number): AsyncIterable<QueryResult> {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new DatabaseError(`queryPages: pageSize must be a positive integer, got ${pageSize}`);
    if (this.broken) throw queryError(this.broken, sql);
    const query = this.core.query({ sql, values: bind(params, this.timeZone), rowsAsArray: true, typeCast });
    let columns: ColumnDefinition[] | null = null;
    const buffer: unknown[][] = [];
    let done = false;
    let failure: unknown = null;
    let paused = false;
    let wake: (() => void) | null = null;
    const notify = (): void => {
      const w = wake;
      wake = null;
      w?.();
    };
    const onRow = (row: unknown): void => {
      buffer.push(row as unknown[]);
      // Back-pressure: stop reading the socket while a whole page waits for the consumer.
      if (buffer.length >= pageSize && !paused) {
        paused = true;
        this.core.pause();
      }
      notify();
    };
    query.on('fields', (fields: FieldPacket[]) => {
      columns = describeFields(fields);
      notify();
    });
    query.on('result', onRow);
    query.on('error', (err) => {
      failure = err;
      notify();
    });
    query.on('end', () => {
      done = true;
      notify();
    });
    try {
      let yielded = false;
      for (;;) {
        while (failure === null && !done && buffer.length < pageSize) await new Promise<void>((r) => (wake = r));
        if (failure !== null) throw queryError(failure, sql);
        const rows = buffer.splice(0, pageSize);
        if (rows.length > 0 || !yielded) {
          yielded = true;
          yield { columns: columns ?? [], rows };
        }
        if (paused && buffer.length < pageSize) {
          paused = false;
          this.core.resume();
        }
        if (done && buffer.length === 0) return;
      }
    } finally {
      if (!done && failure === null) {
        // Left early: the protocol cannot cancel a result, so the rest is read and dropped.
        query.removeListener('result', onRow);
        query.on('result', () => undefined);
        buffer.length = 0;
        if (paused) this.core.resume();
        while (!done && failure === null) await new Promise<void>((r) => (wake = r));
      }
    }
  }

  transaction<T>(work: (conn: DbConnection) => Promise<T>): Promise<T> {
    return serverTransaction(this.transactionState, (sql) => this.raw(sql), 'START TRANSACTION', () => work(this));
  }

  async isValid(timeoutMs: number): Promise<boolean> {
    return !this.broken && (await answersWithin(() => this.raw('SELECT 1'), timeoutMs));
  }


  close(): Promise<void> {
    return new Promise((resolve) => {
      this.core.end(() => {
        resolve();
      });
    });
  }
}
