import { JdbcType } from '../dialect';

/**
 * Column types as the Java sqlite-jdbc driver reports them (JDBC3ResultSet getColumnType,
 * getColumnTypeName, getPrecision, getScale, isSigned), since Confluent's SqliteDatabaseDialect maps
 * columns by what that driver says. sqlite-jdbc looks at the declared type and at the storage
 * class of the value in the current row; with no row (or a NULL) only the declared type counts.
 */

/** The storage class of a value as better-sqlite3 returns it with safe integers on. */
export type SqliteValueKind = 'integer' | 'float' | 'text' | 'blob' | 'null';

export function valueKind(value: unknown): SqliteValueKind {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return 'integer';
  // With safe integers on, INTEGER storage always arrives as bigint, so a number is REAL storage (even 2.0).
  if (typeof value === 'number') return 'float';
  if (typeof value === 'string') return 'text';
  return 'blob';
}

export interface SqliteTypeInfo {
  readonly jdbcType: JdbcType;
  /** The type name sqlite-jdbc reports: the declared type up to `(`, upper case; or one from the value. */
  readonly typeName: string;
  readonly precision: number;
  readonly scale: number;
  readonly signed: boolean;
}

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;

/** The declared type of a result column, or the type of a `CAST(x AS type)` named column, or null. */
export function declaredType(declType: string | null, columnName: string): string | null {
  if (declType !== null && declType !== '') return declType;
  const cast = /cast\(.*?\s+as\s+(.*?)\s*\)/i.exec(columnName);
  return cast ? cast[1] : null;
}

/**
 * sqlite-jdbc's type for a column declared `declType` (null when none) holding `value` in the
 * current row. One deliberate difference: the type name is trimmed, so `VARCHAR (20)` reads as
 * VARCHAR rather than falling through to NUMERIC.
 */
export function sqliteTypeInfo(declType: string | null, value: unknown): SqliteTypeInfo {
  const kind = valueKind(value);
  let typeName: string;
  let precision = 0;
  let scale = 0;
  if (declType !== null) {
    typeName = (/^([^(]*)/.exec(declType)?.[1] ?? '').trim().toUpperCase();
    const p = /\((.*?)\)/.exec(declType);
    if (p) {
      const parts = p[1].split(',').map((s) => s.trim());
      precision = /^\d+$/.test(parts[0]) ? Number(parts[0]) : 0;
      if (parts.length === 2 && /^-?\d+$/.test(parts[1])) scale = Number(parts[1]);
    }
  } else {
    typeName = { integer: 'INTEGER', float: 'FLOAT', blob: 'BLOB', text: 'TEXT', null: 'NUMERIC' }[kind];
  }
  const signed = typeName === 'NUMERIC' || typeName === 'INTEGER' || typeName === 'REAL';
  return { jdbcType: jdbcTypeOf(typeName, kind, value), typeName: typeName.toLowerCase(), precision, scale, signed };
}

function jdbcTypeOf(t: string, kind: SqliteValueKind, value: unknown): JdbcType {
  if (kind === 'integer' || kind === 'null') {
    if (t === 'BOOLEAN') return JdbcType.BOOLEAN;
    if (t === 'TINYINT') return JdbcType.TINYINT;
    if (t === 'SMALLINT' || t === 'INT2') return JdbcType.SMALLINT;
    if (t === 'BIGINT' || t === 'INT8' || t === 'UNSIGNED BIG INT') return JdbcType.BIGINT;
    if (t === 'DATE' || t === 'DATETIME') return JdbcType.DATE;
    if (t === 'TIMESTAMP') return JdbcType.TIMESTAMP;
    if (kind === 'integer' || t === 'INT' || t === 'INTEGER' || t === 'MEDIUMINT') {
      const n = kind === 'integer' ? BigInt(value as bigint | number) : 0n;
      return n > INT32_MAX || n < INT32_MIN ? JdbcType.BIGINT : JdbcType.INTEGER;
    }
  }
  if (kind === 'float' || kind === 'null') {
    if (t === 'DECIMAL') return JdbcType.DECIMAL;
    if (t === 'DOUBLE' || t === 'DOUBLE PRECISION') return JdbcType.DOUBLE;
    if (t === 'NUMERIC') return JdbcType.NUMERIC;
    if (t === 'REAL') return JdbcType.REAL;
    if (kind === 'float' || t === 'FLOAT') return JdbcType.FLOAT;
  }
  if (kind === 'text' || kind === 'null') {
    if (t === 'CHARACTER' || t === 'NCHAR' || t === 'NATIVE CHARACTER' || t === 'CHAR') return JdbcType.CHAR;
    if (t === 'CLOB') return JdbcType.CLOB;
    if (t === 'DATE' || t === 'DATETIME') return JdbcType.DATE;
    if (t === 'TIMESTAMP') return JdbcType.TIMESTAMP;
    if (kind === 'text' || t === 'VARCHAR' || t === 'VARYING CHARACTER' || t === 'NVARCHAR' || t === 'TEXT') return JdbcType.VARCHAR;
  }
  if (kind === 'blob' || kind === 'null') {
    if (t === 'BINARY') return JdbcType.BINARY;
    if (kind === 'blob' || t === 'BLOB') return JdbcType.BLOB;
  }
  return JdbcType.NUMERIC;
}
