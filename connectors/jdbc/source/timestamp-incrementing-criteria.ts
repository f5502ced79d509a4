import { DatabaseDialect, SqlValue, TableId } from '../dialect';

/** The values a criteria's parameters are bound from (Confluent's CriteriaValues). */
export interface CriteriaValues {
  /** The last timestamp seen (the epoch when none), as timestampParam() or StoredTimestampBinding binds it. */
  readonly begin: SqlValue;
  /** The database's time minus timestamp.delay.interval.ms, bound the same way. */
  readonly end: SqlValue;
  /** The last incrementing value seen (-1 when none). */
  readonly lastIncrementing: number;
}

/** One generated statement: its SQL text and how to bind its parameters. */
export interface CriteriaStatement {
  readonly sql: string;
  params(values: CriteriaValues): SqlValue[];
}

export interface CriteriaOptions {
  readonly dialect: DatabaseDialect;
  /** quote.sql.identifiers=always. */
  readonly quote: boolean;
  /**
   * The SELECT the criteria is appended to: `SELECT * FROM <table>` in table mode, or in query
   * mode the user's query wrapped as a subquery, so a WHERE of its own still works.
   */
  readonly base: string;
  /** The incrementing column, or null when the mode uses none. */
  readonly incrementingColumn: string | null;
  /** The timestamp columns (coalesced when several); empty when the mode uses none. */
  readonly timestampColumns: readonly string[];
  /** Rows per page: the dialect's LIMIT clause is appended after the ORDER BY. */
  readonly limit: number | null;
  /** query.suffix, appended last; empty for none. */
  readonly suffix: string;
}

/**
 * Confluent's TimestampIncrementingCriteria: the WHERE and ORDER BY each incremental mode appends.
 *
 * - timestamp+incrementing: `ts < end AND ((ts = last AND inc > lastInc) OR ts > last) ORDER BY ts,inc ASC`
 * - incrementing: `inc > lastInc ORDER BY inc ASC`
 * - timestamp: `ts > last AND ts < end ORDER BY ts ASC`
 *
 * where `ts` is the timestamp column or `COALESCE(col1,col2,...)` of several. Columns are written
 * unqualified (Confluent qualifies them with the table name in table mode; the meaning is the same
 * in a single-table SELECT). Each page ends with the dialect's LIMIT, so a table is never read whole
 * into memory; (ts, inc) and inc are unique orders, so the next page resumes exactly after the last
 * row returned.
 *
 * For a dialect with timestampCriteria (SQLite), timestamp+incrementing also says `ts >= last`:
 * the same rows, but SQLite then searches an index on `ts` for one range, read in (ts, rowid) order,
 * instead of merging two searches and sorting every row after the offset for each page.
 */
export function criteriaStatement(options: CriteriaOptions): CriteriaStatement {
  const { dialect } = options;
  const inc = options.incrementingColumn === null ? null : dialect.quoteIdentifier(options.incrementingColumn, options.quote);
  const ts = options.timestampColumns.length === 0 ? null : coalesce(options);
  let where: string;
  let params: (values: CriteriaValues) => SqlValue[];
  if (ts !== null && inc !== null && dialect.timestampCriteria !== undefined) {
    where = ` WHERE ${ts} < ${p(options, 1)} AND ${ts} >= ${p(options, 2)} AND ((${ts} = ${p(options, 3)} AND ${inc} > ${p(options, 4)}) OR ${ts} > ${p(options, 5)}) ORDER BY ${ts},${inc} ASC`;
    params = (v) => [v.end, v.begin, v.begin, v.lastIncrementing, v.begin];
  } else if (ts !== null && inc !== null) {
    where = ` WHERE ${ts} < ${p(options, 1)} AND ((${ts} = ${p(options, 2)} AND ${inc} > ${p(options, 3)}) OR ${ts} > ${p(options, 4)}) ORDER BY ${ts},${inc} ASC`;
    params = (v) => [v.end, v.begin, v.lastIncrementing, v.begin];
  } else if (ts !== null) {
    where = ` WHERE ${ts} > ${p(options, 1)} AND ${ts} < ${p(options, 2)} ORDER BY ${ts} ASC`;
    params = (v) => [v.begin, v.end];
  } else if (inc !== null) {
    where = ` WHERE ${inc} > ${p(options, 1)} ORDER BY ${inc} ASC`;
    params = (v) => [v.lastIncrementing];
  } else {
    where = '';
    params = () => [];
  }
  return { sql: finish(options, options.base + where), params };
}

/**
 * Timestamp mode only: every row whose timestamp equals one value, for a page that ended in the
 * middle of rows sharing its last timestamp (the next `ts > last` query would skip the rest).
 */
export function sameTimestampStatement(options: CriteriaOptions): { sql: string; params(at: SqlValue): SqlValue[] } {
  const ts = coalesce(options);
  const sql = `${options.base} WHERE ${ts} = ${p(options, 1)} ORDER BY ${ts} ASC`;
  return { sql: options.suffix === '' ? sql : `${sql} ${options.suffix}`, params: (at) => [at] };
}

/**
 * The newest and the oldest non-null timestamp as stored: `SELECT ts FROM ... WHERE ts IS NOT NULL
 * ORDER BY ts DESC` (ASC) with one row, an index search when `ts` is an indexed column. Their raw
 * values show the form the column stores, for a dialect with timestampCriteria.
 */
export function storedTimestampStatements(options: CriteriaOptions): { newest: string; oldest: string } {
  const ts = coalesce(options);
  const from = options.base.replace(/^SELECT \* /, `SELECT ${ts} `);
  const sql = (order: string): string => finish({ ...options, limit: 1 }, `${from} WHERE ${ts} IS NOT NULL ORDER BY ${ts} ${order}`);
  return { newest: sql('DESC'), oldest: sql('ASC') };
}

/** `SELECT * FROM <table>` with the table's name as the dialect writes it. */
export function tableSelect(dialect: DatabaseDialect, table: TableId, quote: boolean): string {
  return `SELECT * FROM ${dialect.tableName(table, quote)}`;
}

/**
 * The user's query as a subquery, so criteria can be appended even when it has its own WHERE. Any
 * trailing semicolon is dropped, as it would end the statement inside the parentheses.
 */
export function querySelect(query: string): string {
  const trimmed = query.trim().replace(/;+\s*$/, '');
  return `SELECT * FROM (${trimmed}) connect_query`;
}

/** The timestamp column, or COALESCE of several, as the criteria write it. */
export function timestampExpression(options: CriteriaOptions): string {
  return coalesce(options);
}

function coalesce(options: CriteriaOptions): string {
  const columns = options.timestampColumns.map((c) => options.dialect.quoteIdentifier(c, options.quote));
  return columns.length === 1 ? columns[0] : `COALESCE(${columns.join(',')})`;
}

function p(options: CriteriaOptions, index: number): string {
  return options.dialect.placeholder(index);
}

function finish(options: CriteriaOptions, sql: string): string {
  let out = sql;
  if (options.limit !== null) out += ` ${options.dialect.limitClause(options.limit)}`;
  if (options.suffix !== '') out += ` ${options.suffix}`;
  return out;
}
