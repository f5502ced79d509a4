import { BigDecimal, ConnectError, DataError, javaDoubleToString, javaFloatToString, LogicalNames, Schema, SchemaType } from '../../../src/api';
import { ColumnDefinition, DbConnection, JdbcType, SinkDialect, SinkField, SqlValue, TableId } from '../dialect';
import { zoneOffsetMs } from '../zoned-time';

/** sqlite_master's `type` for each `table.types` entry SQLite has. */
const MASTER_TYPES: Readonly<Record<string, string>> = { TABLE: 'table', VIEW: 'view' };

function quoteName(identifier: string, quote: boolean): string {
  return quote ? `\`${identifier.replace(/`/g, '``')}\`` : identifier;
}

function tableSql(table: TableId, quote: boolean): string {
  return [table.catalog, table.schema, table.table]
    .filter((p): p is string => p !== null && p !== '')
    .map((p) => quoteName(p, quote))
    .join('.');
}

function columnList(columns: readonly string[], quote: boolean): string {
  return columns.map((c) => quoteName(c, quote)).join(',');
}

function valuesRows(width: number, rows: number): string {
  const row = `(${new Array(width).fill('?').join(',')})`;
  return new Array(rows).fill(row).join(',');
}

function isLogical(schema: Schema, name: string): boolean {
  return schema.name === name;
}

const LOGICAL_NUMERIC = new Set<string>([LogicalNames.DECIMAL, LogicalNames.DATE, LogicalNames.TIME, LogicalNames.TIMESTAMP]);

/** Confluent's DateTimeUtils formats for DDL defaults: yyyy-MM-dd, HH:mm:ss.SSS, yyyy-MM-dd HH:mm:ss.SSS. */
function wallClock(date: Date, zone: string): { date: string; time: string } {
  const wall = new Date(date.getTime() + zoneOffsetMs(zone, date.getTime()));
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return {
    date: `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`,
    time: `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}.${pad(wall.getUTCMilliseconds(), 3)}`,
  };
}

function stringLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * A schema default as a SQL literal (Confluent's formatColumnValue). The contract gives the DDL no
 * db.timezone, so date/time defaults are written in UTC.
 */
function defaultLiteral(schema: Schema, value: unknown): string {
  if (schema.name === LogicalNames.DECIMAL) return value instanceof BigDecimal ? value.toString() : String(value);
  if (schema.name === LogicalNames.DATE || schema.name === LogicalNames.TIME || schema.name === LogicalNames.TIMESTAMP) {
    const date = value instanceof Date ? value : new Date(Number(value));
    const wall = wallClock(date, 'UTC');
    if (schema.name === LogicalNames.DATE) return stringLiteral(wall.date);
    if (schema.name === LogicalNames.TIME) return stringLiteral(wall.time);
    return stringLiteral(`${wall.date} ${wall.time}`);
  }
  switch (schema.type) {
    case SchemaType.INT8:
    case SchemaType.INT16:
    case SchemaType.INT32:
    case SchemaType.INT64:
      return String(value);
    case SchemaType.FLOAT32:
      return javaFloatToString(Number(value));
    case SchemaType.FLOAT64:
      return javaDoubleToString(Number(value));
    case SchemaType.BOOLEAN:
      return value ? '1' : '0';
    case SchemaType.STRING:
      return stringLiteral(String(value));
    case SchemaType.BYTES:
      return `x'${Buffer.from(value as Uint8Array).toString('hex')}'`;
    default:
      throw new ConnectError(`Unsupported type for column value: ${schema.type}`);
  }
}

function sqlTypeOf(field: SinkField): string {
  const schema = field.schema;
  if (schema.name !== null && LOGICAL_NUMERIC.has(schema.name)) return 'NUMERIC';
  switch (schema.type) {
    case SchemaType.BOOLEAN:
    case SchemaType.INT8:
    case SchemaType.INT16:
    case SchemaType.INT32:
    case SchemaType.INT64:
      return 'INTEGER';
    case SchemaType.FLOAT32:
    case SchemaType.FLOAT64:
      return 'REAL';
    case SchemaType.STRING:
      return 'TEXT';
    case SchemaType.BYTES:
      return 'BLOB';
    default:
      throw new ConnectError(`${schema.name ?? 'null'} (${schema.type}) type doesn't have a mapping to the SQL database column type (field ${field.name})`);
  }
}

/** Confluent's writeColumnSpec: name, type, then DEFAULT, NULL or NOT NULL. */
function columnSpec(field: SinkField, quote: boolean): string {
  const head = `${quoteName(field.name, quote)} ${sqlTypeOf(field)}`;
  const dflt = field.schema.defaultValue;
  if (dflt !== null && dflt !== undefined) return `${head} DEFAULT ${defaultLiteral(field.schema, dflt)}`;
  return `${head} ${field.schema.optional ? 'NULL' : 'NOT NULL'}`;
}

function dateMillis(value: unknown, what: string): bigint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new DataError(`Invalid date for ${what}`);
    return BigInt(ms);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === 'bigint') return value;
  throw new DataError(`Expected a Date for ${what}, got ${typeof value}`);
}

function describe(value: unknown): string {
  if (value instanceof Map) return 'a JSON object';
  if (Array.isArray(value)) return 'a JSON array';
  return `${typeof value} ${JSON.stringify(typeof value === 'bigint' ? value.toString() : value)}`;
}

/** A nested schemaless value (Map, array) as JSON text. */
function jsonText(value: unknown): string {
  const plain = (v: unknown): unknown => {
    if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), plain(x)]));
    if (Array.isArray(v)) return v.map(plain);
    if (Buffer.isBuffer(v)) return v.toString('base64');
    if (v instanceof BigDecimal) return Number(v.toString());
    return v;
  };
  return JSON.stringify(plain(value), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}

const INTEGER_TYPES = new Set([JdbcType.BIT, JdbcType.BOOLEAN, JdbcType.TINYINT, JdbcType.SMALLINT, JdbcType.INTEGER, JdbcType.BIGINT]);
const FLOAT_TYPES = new Set([JdbcType.REAL, JdbcType.FLOAT, JdbcType.DOUBLE]);
const EXACT_TYPES = new Set([JdbcType.NUMERIC, JdbcType.DECIMAL]);
const DATE_TYPES = new Set([JdbcType.DATE, JdbcType.TIME, JdbcType.TIMESTAMP, JdbcType.TIME_WITH_TIMEZONE, JdbcType.TIMESTAMP_WITH_TIMEZONE]);
const BINARY_TYPES = new Set([JdbcType.BINARY, JdbcType.VARBINARY, JdbcType.LONGVARBINARY, JdbcType.BLOB]);

/**
 * The sink side of Confluent's SqliteDatabaseDialect: Connect types as INTEGER/REAL/TEXT/BLOB, and
 * NUMERIC for Decimal, Date, Time and Timestamp; ALTER TABLE one column per statement (SQLite adds
 * one at a time); values bound as sqlite-jdbc stores them (booleans 1/0, Decimal as its text,
 * Date/Time/Timestamp as epoch milliseconds, the driver's default date class). One deliberate
 * difference: upserts are `INSERT ... ON CONFLICT(keys) DO UPDATE`, keyed on the primary key only,
 * instead of Confluent's `INSERT OR REPLACE`, which deletes the old row on any unique conflict and
 * resets the columns the record does not carry (SQLite 3.24+; better-sqlite3 ships 3.5x).
 */
export const sqliteSink: SinkDialect = {
  // SQLITE_MAX_VARIABLE_NUMBER since SQLite 3.32.
  maxParameters: 32766,

  sqlType: sqlTypeOf,

  createTableStatement(table: TableId, fields: readonly SinkField[], quote: boolean): string {
    const lines = fields.map((f) => `\n${columnSpec(f, quote)}`);
    const keys = fields.filter((f) => f.primaryKey).map((f) => f.name);
    if (keys.length > 0) lines.push(`\nPRIMARY KEY(${columnList(keys, quote)})`);
    return `CREATE TABLE ${tableSql(table, quote)} (${lines.join(',')})`;
  },

  alterTableStatements(table: TableId, fields: readonly SinkField[], quote: boolean): string[] {
    return fields.map((f) => `ALTER TABLE ${tableSql(table, quote)} ADD ${columnSpec(f, quote)}`);
  },

  insertStatement(table: TableId, columns: readonly string[], rows: number, quote: boolean): string {
    return `INSERT INTO ${tableSql(table, quote)}(${columnList(columns, quote)}) VALUES${valuesRows(columns.length, rows)}`;
  },

  upsertStatement(table: TableId, keyColumns: readonly string[], nonKeyColumns: readonly string[], rows: number, quote: boolean): string {
    const insert = sqliteSink.insertStatement(table, [...keyColumns, ...nonKeyColumns], rows, quote);
    const target = `ON CONFLICT(${columnList(keyColumns, quote)})`;
    if (nonKeyColumns.length === 0) return `${insert} ${target} DO NOTHING`;
    const sets = nonKeyColumns.map((c) => `${quoteName(c, quote)}=excluded.${quoteName(c, quote)}`).join(',');
    return `${insert} ${target} DO UPDATE SET ${sets}`;
  },

  updateStatement(table: TableId, keyColumns: readonly string[], nonKeyColumns: readonly string[], quote: boolean): string {
    const sets = nonKeyColumns.map((c) => `${quoteName(c, quote)} = ?`).join(', ');
    const where = keyColumns.length > 0 ? ` WHERE ${keyColumns.map((c) => `${quoteName(c, quote)} = ?`).join(' AND ')}` : '';
    return `UPDATE ${tableSql(table, quote)} SET ${sets}${where}`;
  },

  deleteStatement(table: TableId, keyColumns: readonly string[], rows: number, quote: boolean): string {
    const head = `DELETE FROM ${tableSql(table, quote)} WHERE `;
    // IN lists rather than OR chains: SQLite caps expression depth at 1000.
    if (keyColumns.length === 1) return `${head}${quoteName(keyColumns[0], quote)} IN (${new Array(rows).fill('?').join(',')})`;
    return `${head}(${columnList(keyColumns, quote)}) IN (VALUES${valuesRows(keyColumns.length, rows)})`;
  },

  bindValue(schema: Schema, value: unknown): SqlValue {
    if (value === null || value === undefined) return null;
    if (schema.name !== null) {
      if (isLogical(schema, LogicalNames.DECIMAL)) {
        if (value instanceof BigDecimal) return value.toString();
        throw new DataError(`Expected a BigDecimal for a Decimal value, got ${typeof value}`);
      }
      if (isLogical(schema, LogicalNames.DATE) || isLogical(schema, LogicalNames.TIME) || isLogical(schema, LogicalNames.TIMESTAMP)) {
        return dateMillis(value, schema.name);
      }
    }
    switch (schema.type) {
      case SchemaType.INT8:
      case SchemaType.INT16:
      case SchemaType.INT32:
      case SchemaType.FLOAT32:
      case SchemaType.FLOAT64:
        return Number(value);
      case SchemaType.INT64:
        return typeof value === 'bigint' ? value : BigInt(value as number);
      case SchemaType.BOOLEAN:
        return value ? 1 : 0;
      case SchemaType.STRING:
        return String(value);
      case SchemaType.BYTES:
        return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array);
      default:
        throw new DataError(`Unsupported source data type: ${schema.type}`);
    }
  },

  bindSchemaless(column: ColumnDefinition, value: unknown): SqlValue {
    if (value === null || value === undefined) return null;
    const t = column.jdbcType;
    const cannot = (): DataError => new DataError(`Cannot write ${describe(value)} to column ${column.name} (${column.typeName || t})`);
    const nested = value instanceof Map || Array.isArray(value);
    if (INTEGER_TYPES.has(t)) {
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'bigint') return value;
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      throw cannot();
    }
    if (FLOAT_TYPES.has(t)) {
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      throw cannot();
    }
    if (EXACT_TYPES.has(t)) {
      if (typeof value === 'number' || typeof value === 'bigint') return value;
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (value instanceof BigDecimal) return value.toString();
      if (typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return value.trim();
      throw cannot();
    }
    if (DATE_TYPES.has(t)) {
      // Numbers are epoch milliseconds (how this dialect stores Connect dates); text is SQLite date text.
      if (typeof value === 'number' || typeof value === 'bigint') return dateMillis(value, column.name);
      if (value instanceof Date) return dateMillis(value, column.name);
      if (typeof value === 'string') return value;
      throw cannot();
    }
    if (BINARY_TYPES.has(t)) {
      if (Buffer.isBuffer(value)) return value;
      if (value instanceof Uint8Array) return Buffer.from(value);
      if (typeof value === 'string') return Buffer.from(value, 'utf8');
      throw cannot();
    }
    // Text columns (and SQLite's typeless ones): scalars as text, nested values as JSON text.
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint') return t === JdbcType.NUMERIC || t === JdbcType.OTHER ? value : String(value);
    if (typeof value === 'boolean') return t === JdbcType.NUMERIC ? (value ? 1 : 0) : String(value);
    if (Buffer.isBuffer(value)) return value;
    if (nested) return jsonText(value);
    throw cannot();
  },

  async tableExists(conn: DbConnection, table: TableId, tableTypes: readonly string[]): Promise<boolean> {
    const types = tableTypes.map((t) => MASTER_TYPES[t.toUpperCase()]).filter((t): t is string => t !== undefined);
    if (types.length === 0) return false;
    const result = await conn.query(`SELECT 1 FROM sqlite_master WHERE type IN (${types.map(() => '?').join(', ')}) AND name = ?`, [...types, table.table]);
    return result.rows.length > 0;
  },

  parseTableName(name: string): TableId {
    const parts = splitQualified(name);
    if (parts.length === 0 || parts.some((p) => p === '')) throw new ConnectError(`Invalid fully qualified name: '${name}'`);
    if (parts.length === 1) return new TableId(null, null, parts[0]);
    if (parts.length === 2) return new TableId(null, parts[0], parts[1]);
    if (parts.length === 3) return new TableId(parts[0], parts[1], parts[2]);
    throw new ConnectError(`Invalid fully qualified name: '${name}' has more than three parts`);
  },
};

/** Confluent's IdentifierRules.parseQualifiedIdentifier for SQLite: dots separate parts, backticks quote them. */
function splitQualified(name: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '`') {
      if (quoted && name[i + 1] === '`') {
        current += '`';
        i++;
      } else {
        quoted = !quoted;
      }
    } else if (ch === '.' && !quoted) {
      parts.push(current.trim());
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current.trim());
  return parts;
}
