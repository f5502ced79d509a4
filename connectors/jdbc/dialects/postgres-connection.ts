import * as fs from 'node:fs';
import { Client, ClientConfig, FieldDef, types as pgTypes } from 'pg';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { ColumnDefinition, ConnectOptions, DatabaseError, DbConnection, JdbcType, QueryResult, SqlValue, TableId } from '../dialect';
import { answersWithin, bindParams, causeText, networkCode, serverTransaction } from './driver-support';
import {
  CORE_TYPES,
  isSignedType,
  lookedUpType,
  OID,
  parseMoney,
  PgTypeInfo,
  precisionOf,
  scaleOf,
  TYPE_LOOKUP_SQL,
} from './postgres-types';

/**
 * PostgreSQL through `pg`: rows as arrays, column definitions as pgjdbc reports them, exact values
 * (int8 and numeric as text, dates and times as text the column mapping reads in `db.timezone`).
 * The session runs in `db.timezone` so zone-less text and Date parameters agree.
 */

/** pgjdbc's default connectTimeout (seconds). */
const DEFAULT_CONNECT_TIMEOUT_S = 10;
// Connection-class failures, server shutdown/startup, serialization failure, deadlock, too many connections.
const RETRIABLE_STATES = new Set(['57P01', '57P02', '57P03', '40001', '40P01', '53300']);
const AUTH_STATES = new Set(['28P01', '28000']);

const byteaParser = pgTypes.getTypeParser(OID.BYTEA, 'text');
const identity = (value: string): string => value;

/** Text parsers for this driver only (pg's global parsers stay untouched). */
function typeParser(oid: number): (value: string) => unknown {
  switch (oid) {
    case OID.BOOL:
      return (v) => v === 't';
    case OID.INT2:
    case OID.INT4:
      return (v) => Number.parseInt(v, 10);
    case OID.FLOAT4:
    case OID.FLOAT8:
      return (v) => Number(v);
    case OID.MONEY:
      return parseMoney;
    case OID.BYTEA:
      return byteaParser;
    default:
      return identity; // int8, numeric, dates, json, arrays, ...: the exact text
  }
}

const TYPES = { getTypeParser: ((oid: number) => typeParser(oid)) as unknown as typeof pgTypes.getTypeParser };

export async function openPostgresConnection(options: ConnectOptions): Promise<DbConnection> {
  const { url } = options;
  const hosts = url.hosts.length > 0 ? url.hosts : [{ host: 'localhost', port: null }];
  let last: DatabaseError | null = null;
  for (const { host, port } of hosts) {
    const client = new Client(clientConfig(options, host, port ?? 5432));
    try {
      await client.connect();
      return new PostgresConnection(client, options.timeZone);
    } catch (err) {
      client.end().catch(() => undefined);
      last = openError(err, options, `${host}:${port ?? 5432}`);
      if (!last.retriable) throw last; // wrong password, no such database: another host will not help
    }
  }
  throw last!;
}

function clientConfig(options: ConnectOptions, host: string, port: number): ClientConfig {
  const p = options.url.params;
  const timeoutS = Number(p.connectTimeout ?? p.loginTimeout ?? DEFAULT_CONNECT_TIMEOUT_S);
  const startup = [`-c TimeZone=${escapeOption(options.timeZone)}`];
  if (p.currentSchema) startup.push(`-c search_path=${escapeOption(p.currentSchema)}`);
  return {
    host,
    port,
    database: options.url.database ?? options.user ?? undefined,
    user: options.user ?? undefined,
    password: options.password ?? undefined,
    connectionTimeoutMillis: Number.isFinite(timeoutS) && timeoutS > 0 ? timeoutS * 1000 : 0,
    application_name: p.ApplicationName ?? 'connect-standalone',
    options: startup.join(' '),
    ssl: sslOptions(p),
    types: TYPES,
  };
}

function escapeOption(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/ /g, '\\ ');
}

/**
 * pgjdbc's `ssl`/`sslmode` (and `sslrootcert`) in pg's terms. `prefer` and `allow` (try TLS, fall
 * back to plain) have no pg equivalent and connect without TLS, like `disable`.
 */
function sslOptions(p: Readonly<Record<string, string>>): boolean | TlsOptions {
  const mode = (p.sslmode ?? (p.ssl === 'true' || p.ssl === '' ? 'verify-full' : 'disable')).toLowerCase();
  if (mode === 'disable' || mode === 'allow' || mode === 'prefer') return false;
  const tls: TlsOptions = { rejectUnauthorized: mode === 'verify-ca' || mode === 'verify-full' };
  if (p.sslrootcert) tls.ca = fs.readFileSync(p.sslrootcert);
  if (p.sslcert) tls.cert = fs.readFileSync(p.sslcert);
  if (p.sslkey) tls.key = fs.readFileSync(p.sslkey);
  if (mode === 'verify-ca') tls.checkServerIdentity = () => undefined;
  return tls;
}

function sqlStateOf(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

function isConnectionFailure(err: unknown): boolean {
  const state = sqlStateOf(err);
  if (state !== null) return state.startsWith('08') || RETRIABLE_STATES.has(state);
  if (networkCode(err) !== null) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(causeText(err));
}

function openError(err: unknown, options: ConnectOptions, hostPort: string): DatabaseError {
  const state = sqlStateOf(err);
  const display = options.url.display;
  if (state !== null && AUTH_STATES.has(state)) {
    return new DatabaseError(
      `PostgreSQL authentication failed for user "${options.user ?? ''}" at ${display}: ${causeText(err)}`,
      { cause: err, sqlState: state },
    );
  }
  if (state === '3D000') {
    return new DatabaseError(`PostgreSQL database does not exist at ${display}: ${causeText(err)}`, { cause: err, sqlState: state });
  }
  if (isConnectionFailure(err)) {
    return new DatabaseError(`Cannot connect to PostgreSQL at ${hostPort} (${display}): ${causeText(err)}`, {
      cause: err,
      retriable: true,
      sqlState: state,
    });
  }
  return new DatabaseError(`Cannot open a PostgreSQL connection to ${display}: ${causeText(err)}`, { cause: err, sqlState: state });
}

/** A failed statement as DatabaseError, retriable for connection loss, deadlock and serialization failure. */
function queryError(err: unknown, sql: string): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const state = sqlStateOf(err);
  const statement = sql.length > 200 ? `${sql.slice(0, 200)}…` : sql;
  return new DatabaseError(`PostgreSQL error${state ? ` ${state}` : ''}: ${causeText(err)} (in: ${statement})`, {
    cause: err,
    retriable: isConnectionFailure(err),
    sqlState: state,
  });
}

interface AttributeInfo {
  readonly table: TableId;
  readonly notNull: boolean;
  readonly autoIncrement: boolean;
}

const ATTRIBUTE_LOOKUP_SQL =
  'SELECT c.oid::int8 AS relid, a.attnum, n.nspname, c.relname, ' +
  "(a.attnotnull OR (t.typtype = 'd' AND t.typnotnull)) AS not_null, " +
  "(a.attidentity <> '' OR coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%', false)) AS auto_inc " +
  'FROM pg_catalog.pg_attribute a ' +
  'JOIN pg_catalog.pg_class c ON c.oid = a.attrelid ' +
  'JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
  'JOIN pg_catalog.pg_type t ON t.oid = a.atttypid ' +
  'LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum ' +
  'WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped';

class PostgresConnection implements DbConnection {
  private readonly typeCache = new Map<number, PgTypeInfo>(CORE_TYPES);
  private readonly attributeCache = new Map<string, AttributeInfo | null>();
  private readonly transactionState = { open: false };
  private cursorCount = 0;
  private broken: Error | null = null;

  constructor(
    private readonly client: Client,
    private readonly timeZone: string,
  ) {
    // A dropped link is reported on the next call; without a listener it would crash the process.
    client.on('error', (err) => {
      this.broken = err;
    });
  }

  private async raw(sql: string, params?: readonly SqlValue[]): Promise<{ fields: FieldDef[]; rows: unknown[][] }> {
    if (this.broken) throw queryError(this.broken, sql);
    try {
      const result = await this.client.query({ text: sql, values: bindParams(params, this.timeZone), rowMode: 'array' });
      return { fields: result.fields ?? [], rows: result.rows as unknown[][] };
    } catch (err) {
      throw queryError(err, sql);
    }
  }

  async query(sql: string, params?: readonly SqlValue[]): Promise<QueryResult> {
    const { fields, rows } = await this.raw(sql, params);
    return { columns: await this.describe(fields), rows };
  }

  async *queryPages(sql: string, params: readonly SqlValue[], pageSize: number): AsyncIterable<QueryResult> {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new DatabaseError(`queryPages: pageSize must be a positive integer, got ${pageSize}`);
    const owned = !this.transactionState.open;
    const cursor = `connect_cursor_${++this.cursorCount}`;
    const select = sql.replace(/[\s;]+$/, '');
    if (owned) await this.raw('BEGIN');
    let failed = false;
    try {
      await this.raw(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${select}`, params);
      let columns: readonly ColumnDefinition[] | null = null;
      for (;;) {
        const { fields, rows } = await this.raw(`FETCH FORWARD ${pageSize} FROM ${cursor}`);
        // The first page is yielded even when empty: it carries the result's columns.
        if (columns !== null && rows.length === 0) break;
        columns ??= await this.describe(fields);
        yield { columns, rows };
        if (rows.length < pageSize) break;
      }
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      // An early exit or an error ends the cursor; the transaction it lived in ends with it.
      if (owned) await this.raw(failed ? 'ROLLBACK' : 'COMMIT').catch(() => undefined);
      else if (!failed) await this.raw(`CLOSE ${cursor}`).catch(() => undefined);
    }
  }

  transaction<T>(work: (conn: DbConnection) => Promise<T>): Promise<T> {
    return serverTransaction(this.transactionState, (sql) => this.raw(sql), 'BEGIN', () => work(this));
  }

  async isValid(timeoutMs: number): Promise<boolean> {
    return !this.broken && (await answersWithin(() => this.client.query('SELECT 1'), timeoutMs));
  }


  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  /** Column definitions for a result, looking up non-core types and table columns once per connection. */
  private async describe(fields: readonly FieldDef[]): Promise<ColumnDefinition[]> {
    const unknownTypes = [...new Set(fields.map((f) => f.dataTypeID).filter((oid) => !this.typeCache.has(oid)))];
    if (unknownTypes.length > 0) {
      const { rows } = await this.raw(TYPE_LOOKUP_SQL, [`{${unknownTypes.join(',')}}`]);
      for (const [oid, typname, typtype, isArray] of rows) {
        this.typeCache.set(Number(oid), lookedUpType(String(typname), String(typtype), isArray === true));
      }
    }
    const unknownTables = [
      ...new Set(fields.filter((f) => f.tableID && !this.attributeCache.has(`${f.tableID}.${f.columnID}`)).map((f) => f.tableID)),
    ];
    if (unknownTables.length > 0) {
      const { rows } = await this.raw(ATTRIBUTE_LOOKUP_SQL, [`{${unknownTables.join(',')}}`]);
      for (const [relid, attnum, nspname, relname, notNull, autoInc] of rows) {
        this.attributeCache.set(`${relid}.${attnum}`, {
          table: new TableId(null, String(nspname), String(relname)),
          notNull: notNull === true,
          autoIncrement: autoInc === true,
        });
      }
      for (const f of fields) {
        if (f.tableID && !this.attributeCache.has(`${f.tableID}.${f.columnID}`)) this.attributeCache.set(`${f.tableID}.${f.columnID}`, null);
      }
    }
    return fields.map((f) => {
      const type = this.typeCache.get(f.dataTypeID) ?? { name: `oid ${f.dataTypeID}`, jdbcType: JdbcType.OTHER };
      const attribute = f.tableID ? this.attributeCache.get(`${f.tableID}.${f.columnID}`) ?? null : null;
      return {
        name: f.name,
        table: attribute?.table ?? null,
        jdbcType: type.jdbcType,
        typeName: type.name,
        // pgjdbc: NOT NULL only for a table column declared so; expressions are "unknown", i.e. nullable.
        nullable: !(attribute?.notNull ?? false),
        precision: precisionOf(f.dataTypeID, f.dataTypeModifier),
        scale: scaleOf(f.dataTypeID, f.dataTypeModifier),
        autoIncrement: attribute?.autoIncrement ?? false,
        signed: isSignedType(f.dataTypeID),
        primaryKey: false,
      };
    });
  }
}
