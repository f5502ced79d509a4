import { BigDecimal, ConnectError, DataError, LogicalNames, Schema, SchemaType } from '../../../src/api';
import { ColumnDefinition, SinkField, SqlValue, TableId } from '../dialect';
import { parseTimestampText, parseTimeText, zoneOffsetMs } from '../zoned-time';

/**
 * The SQL both server dialects' sinks share, laid out as Confluent's GenericDatabaseDialect writes
 * it (buildCreateTableStatement, buildAlterTable, writeColumnSpec, formatColumnValue, bindField),
 * and the JSON-to-column conversions of schemaless records. Each dialect supplies its quoting,
 * placeholders, column types and literal forms.
 */

export interface SqlText {
  /** Quotes one identifier when `quote` is true. */
  identifier(name: string, quote: boolean): string;
  table(table: TableId, quote: boolean): string;
  /** The SQL type of a field (the dialect's getSqlType). */
  sqlType(field: SinkField): string;
  /** A default value as a SQL literal (the dialect's formatColumnValue). */
  literal(schema: Schema, value: unknown, timeZone: string, field: string): string;
}

/** Confluent's writeColumnSpec: `name TYPE DEFAULT v`, `name TYPE NULL` or `name TYPE NOT NULL`. */
export function columnSpec(sql: SqlText, field: SinkField, quote: boolean, timeZone: string): string {
  const head = `${sql.identifier(field.name, quote)} ${sql.sqlType(field)}`;
  const { schema } = field;
  if (schema.defaultValue !== null && schema.defaultValue !== undefined) {
    return `${head} DEFAULT ${sql.literal(schema, schema.defaultValue, timeZone, field.name)}`;
  }
  return `${head} ${schema.optional ? 'NULL' : 'NOT NULL'}`;
}

/** Confluent's buildCreateTableStatement layout: one column per line, then PRIMARY KEY(...). */
export function createTable(sql: SqlText, table: TableId, fields: readonly SinkField[], quote: boolean, timeZone: string): string {
  if (fields.length === 0) throw new ConnectError(`Cannot create table ${table.toString()} with no columns`);
  const columns = fields.map((f) => `\n${columnSpec(sql, f, quote, timeZone)}`).join(',');
  const keys = fields.filter((f) => f.primaryKey).map((f) => sql.identifier(f.name, quote));
  const pk = keys.length > 0 ? `,\nPRIMARY KEY(${keys.join(',')})` : '';
  return `CREATE TABLE ${sql.table(table, quote)} (${columns}${pk})`;
}

/** Confluent's buildAlterTable: one statement, `ADD` per column, on its own line when there are several. */
export function alterTable(sql: SqlText, table: TableId, fields: readonly SinkField[], quote: boolean, timeZone: string): string[] {
  if (fields.length === 0) return [];
  const newline = fields.length > 1 ? '\n' : '';
  const adds = fields.map((f) => `${newline}ADD ${columnSpec(sql, f, quote, timeZone)}`).join(',');
  return [`ALTER TABLE ${sql.table(table, quote)} ${adds}`];
}

/** `(p1,p2),(p3,p4)`: `rows` groups of `width` placeholders, numbered row after row. */
export function valueRows(rows: number, width: number, placeholder: (index: number) => string, open = '(', first = 1): string {
  checkRows(rows);
  const groups: string[] = [];
  let n = first;
  for (let r = 0; r < rows; r++) {
    const row: string[] = [];
    for (let c = 0; c < width; c++) row.push(placeholder(n++));
    groups.push(`${open}${row.join(',')})`);
  }
  return groups.join(',');
}

export function checkRows(rows: number): void {
  if (!Number.isInteger(rows) || rows < 1) throw new ConnectError(`A statement needs a positive whole number of rows, got ${rows}`);
}

export function requireColumns(what: string, table: TableId, columns: readonly string[]): void {
  if (columns.length === 0) throw new ConnectError(`Cannot build ${what} for table ${table.toString()}: no columns given`);
}

/**
 * A multi-row DELETE by key: Confluent's `k1 = ? AND k2 = ?` for one row, `k IN (...)` or
 * `(k1,k2) IN ((...),(...))` for several.
 */
export function deleteByKeys(
  tableName: string,
  keys: readonly string[],
  rows: number,
  placeholder: (index: number) => string,
): string {
  checkRows(rows);
  if (rows === 1) {
    return `DELETE FROM ${tableName} WHERE ${keys.map((k, i) => `${k} = ${placeholder(i + 1)}`).join(' AND ')}`;
  }
  if (keys.length === 1) {
    return `DELETE FROM ${tableName} WHERE ${keys[0]} IN (${Array.from({ length: rows }, (_, i) => placeholder(i + 1)).join(',')})`;
  }
  return `DELETE FROM ${tableName} WHERE (${keys.join(',')}) IN (${valueRows(rows, keys.length, placeholder)})`;
}

/** Confluent's parseQualifiedIdentifier: dot-separated parts, each possibly quoted with `quoteChar`. */
export function splitQualifiedName(fqn: string, quoteChar: string): string[] {
  const parts: string[] = [];
  let rest = fqn;
  const bad = (why: string): never => {
    throw new ConnectError(`Invalid table name ${JSON.stringify(fqn)}: ${why}`);
  };
  do {
    let segment: string;
    if (rest.startsWith(quoteChar)) {
      const end = rest.indexOf(quoteChar, 1);
      if (end < 0) bad('missing closing quote');
      segment = rest.slice(1, end);
      rest = rest.slice(end + 1);
      if (rest.startsWith('.')) {
        rest = rest.slice(1);
        if (rest === '') bad('it ends with a dot');
      } else if (rest !== '') bad('text after a closing quote');
    } else {
      const dot = rest.indexOf('.');
      if (dot < 0) {
        segment = rest;
        rest = '';
      } else {
        segment = rest.slice(0, dot);
        rest = rest.slice(dot + 1);
        if (rest === '') bad('it ends with a dot');
      }
    }
    parts.push(segment);
  } while (rest.length > 0);
  if (parts.length > 3 || parts.some((p) => p === '')) bad('expected table, schema.table or catalog.schema.table');
  return parts;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function wallFields(date: Date, zone: string, what: string): Date {
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (Number.isNaN(ms)) throw new DataError(`Expected a valid JS Date for ${what}, got ${describe(date)}`);
  return new Date(ms + zoneOffsetMs(zone, ms));
}

function yearText(year: number): string {
  return year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
}

/** `yyyy-MM-dd` of the instant in `zone` (Confluent's DateTimeUtils.formatDate). */
export function formatDate(date: Date, zone: string, what = 'a Date value'): string {
  const w = wallFields(date, zone, what);
  return `${yearText(w.getUTCFullYear())}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())}`;
}

/** `HH:mm:ss.SSS` of the instant in `zone` (Confluent's DateTimeUtils.formatTime). */
export function formatTime(date: Date, zone: string, what = 'a Time value'): string {
  const w = wallFields(date, zone, what);
  return `${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}.${pad(w.getUTCMilliseconds(), 3)}`;
}

/** `yyyy-MM-dd HH:mm:ss.SSS` of the instant in `zone` (Confluent's DateTimeUtils.formatTimestamp). */
export function formatTimestamp(date: Date, zone: string, what = 'a Timestamp value'): string {
  return `${formatDate(date, zone, what)} ${formatTime(date, zone, what)}`;
}

/** The zone's offset at the instant as `+hh:mm` (or `+hh:mm:ss` for historical offsets). */
export function offsetText(date: Date, zone: string): string {
  const seconds = Math.round(zoneOffsetMs(zone, date.getTime()) / 1000);
  const abs = Math.abs(seconds);
  const text = `${seconds < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600))}:${pad(Math.floor(abs / 60) % 60)}`;
  return abs % 60 === 0 ? text : `${text}:${pad(abs % 60)}`;
}

export function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (value instanceof BigDecimal) return value.toString();
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}…` : text;
  } catch {
    return String(value);
  }
}

function mismatch(schema: Schema, value: unknown, expected: string): DataError {
  const type = schema.name ? `${schema.name} (${schema.type})` : schema.type;
  return new DataError(`Cannot bind ${describe(value)} (${typeof value}) as a ${type} value: expected ${expected}`);
}

function asDate(schema: Schema, value: unknown): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  throw mismatch(schema, value, 'a JS Date');
}

function asInteger(schema: Schema, value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  throw mismatch(schema, value, 'an integer number');
}

export function asDecimalText(schema: Schema, value: unknown): string {
  if (value instanceof BigDecimal) return value.toPlainString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return BigDecimal.fromNumber(value).toPlainString();
  throw mismatch(schema, value, 'a BigDecimal');
}

/**
 * Confluent's bindField for the types both server dialects bind alike: logical types as text in
 * `timeZone` (its Calendar), Decimal as exact text, INT64 as bigint, BYTES as a Buffer. Returns
 * undefined for a type the dialect binds itself (arrays, maps, structs).
 */
export function bindCommon(schema: Schema, value: unknown, timeZone: string): SqlValue | undefined {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      return asDecimalText(schema, value);
    case LogicalNames.DATE:
      return formatDate(asDate(schema, value), timeZone);
    case LogicalNames.TIME:
      return formatTime(asDate(schema, value), timeZone);
    case LogicalNames.TIMESTAMP:
      return formatTimestamp(asDate(schema, value), timeZone);
    default:
      break;
  }
  switch (schema.type) {
    case SchemaType.INT8:
    case SchemaType.INT16:
    case SchemaType.INT32:
      return asInteger(schema, value);
    case SchemaType.INT64:
      if (typeof value === 'bigint') return value;
      if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
      throw mismatch(schema, value, 'a bigint');
    case SchemaType.FLOAT32:
    case SchemaType.FLOAT64:
      if (typeof value === 'number') return value;
      throw mismatch(schema, value, 'a number');
    case SchemaType.BOOLEAN:
      if (typeof value === 'boolean') return value;
      throw mismatch(schema, value, 'a boolean');
    case SchemaType.STRING:
      if (typeof value === 'string') return value;
      throw mismatch(schema, value, 'a string');
    case SchemaType.BYTES:
      if (Buffer.isBuffer(value)) return value;
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      throw mismatch(schema, value, 'a Buffer');
    default:
      return undefined;
  }
}

/** The error for a Connect type the dialect has no column type or binding for, naming the field. */
export function unsupportedField(dialect: string, field: SinkField, what: string): ConnectError {
  const type = field.schema.name ? `${field.schema.name} (${field.schema.type})` : field.schema.type;
  return new DataError(`Field ${JSON.stringify(field.name)} has Connect type ${type}, which ${dialect} cannot store: ${what}`);
}

/**
 * Generic literal forms (Confluent's GenericDatabaseDialect.formatColumnValue) for DEFAULT clauses;
 * `escapeString` quotes a string for this database.
 */
export function genericLiteral(
  schema: Schema,
  value: unknown,
  timeZone: string,
  field: string,
  escapeString: (s: string) => string,
  hexLiteral: (b: Buffer) => string,
): string {
  const what = `the default of field ${JSON.stringify(field)}`;
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      return asDecimalText(schema, value);
    case LogicalNames.DATE:
      return escapeString(formatDate(asDate(schema, value), timeZone, what));
    case LogicalNames.TIME:
      return escapeString(formatTime(asDate(schema, value), timeZone, what));
    case LogicalNames.TIMESTAMP:
      return escapeString(formatTimestamp(asDate(schema, value), timeZone, what));
    default:
      break;
  }
  switch (schema.type) {
    case SchemaType.INT8:
    case SchemaType.INT16:
    case SchemaType.INT32:
    case SchemaType.INT64:
    case SchemaType.FLOAT32:
    case SchemaType.FLOAT64:
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') return String(value);
      throw new DataError(`Cannot write ${describe(value)} as ${what} (${schema.type}): expected a finite number`);
    case SchemaType.BOOLEAN:
      return value === true ? '1' : '0';
    case SchemaType.STRING:
      return escapeString(String(value));
    case SchemaType.BYTES: {
      const bytes = Buffer.isBuffer(value) ? value : value instanceof Uint8Array ? Buffer.from(value) : null;
      if (bytes === null) throw new DataError(`Cannot write ${describe(value)} as ${what} (BYTES): expected a Buffer`);
      return hexLiteral(bytes);
    }
    default:
      throw new DataError(`Unsupported type for column value: ${schema.type} (${what})`);
  }
}

// ---- schemaless values into existing columns ----

export function schemalessError(column: ColumnDefinition, value: unknown, expected: string): DataError {
  const table = column.table ? ` of table ${column.table.toString()}` : '';
  return new DataError(
    `Cannot write ${describe(value)} into column ${JSON.stringify(column.name)} (${column.typeName})${table}: expected ${expected}`,
  );
}

/** A JSON integer for an integer column: number, bigint or integer text. */
export function schemalessInteger(column: ColumnDefinition, value: unknown): SqlValue {
  if (typeof value === 'number' && Number.isInteger(value)) return Number.isSafeInteger(value) ? value : BigInt(value);
  if (typeof value === 'bigint') return value;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return BigInt(value.trim());
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw schemalessError(column, value, 'an integer');
}

/** A JSON number for a DECIMAL/NUMERIC column as exact text. */
export function schemalessDecimal(column: ColumnDefinition, value: unknown): SqlValue {
  if (value instanceof BigDecimal) return value.toPlainString();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isFinite(value)) return BigDecimal.fromNumber(value).toPlainString();
  if (typeof value === 'string') {
    try {
      return BigDecimal.parse(value).toPlainString();
    } catch {
      // fall through to the column's error
    }
  }
  throw schemalessError(column, value, 'a decimal number');
}

export function schemalessFloat(column: ColumnDefinition, value: unknown): SqlValue {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof BigDecimal) return Number(value.toPlainString());
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  throw schemalessError(column, value, 'a number');
}

export function schemalessBoolean(column: ColumnDefinition, value: unknown): SqlValue {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  if (value === 0n || value === 1n) return value === 1n;
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  throw schemalessError(column, value, 'a boolean');
}

/** Text columns take strings as they are and any other JSON value as its JSON text. */
export function schemalessText(column: ColumnDefinition, value: unknown): SqlValue {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof BigDecimal) return value.toString();
  return jsonText(column, value);
}

const BIGINT_MARK = '\u0000';
const BIGINT_JSON = /"\\u0000(-?\d+)\\u0000"/g;

/** Any JSON value as JSON text (a string becomes a JSON string), for json columns. */
export function jsonText(column: ColumnDefinition, value: unknown): string {
  try {
    // bigints keep every digit: written as bare JSON numbers.
    const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${BIGINT_MARK}${v}${BIGINT_MARK}` : v));
    if (text !== undefined) return text.replace(BIGINT_JSON, '$1');
  } catch {
    // fall through to the column's error
  }
  throw schemalessError(column, value, 'a JSON value');
}

/** Binary columns take Buffers, and strings as base64 (how JsonConverter writes bytes). */
export function schemalessBytes(column: ColumnDefinition, value: unknown): SqlValue {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  if (typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0) return Buffer.from(value, 'base64');
  throw schemalessError(column, value, 'bytes as a base64 string');
}

const MS_PER_DAY = 86_400_000;
const DATE_ONLY = /^\s*[+-]?\d{4,}-\d{1,2}-\d{1,2}\s*$/;
const ZONED = /(Z|[+-]\d{2}(:?\d{2}){0,2})\s*$/i;

/** The instant a JSON timestamp names: epoch millis, or ISO / `YYYY-MM-DD HH:MM:SS` text read in `zone`. */
function instantOf(column: ColumnDefinition, value: unknown, zone: string): Date {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value === 'bigint') return new Date(Number(value));
  if (typeof value === 'string') {
    try {
      return new Date(parseTimestampText(value, zone, `column ${JSON.stringify(column.name)}`));
    } catch {
      // fall through to the column's error
    }
  }
  throw schemalessError(column, value, 'epoch milliseconds or an ISO-8601 / "YYYY-MM-DD HH:MM:SS" timestamp');
}

/** A DATE column: `YYYY-MM-DD` as given, or the date of a timestamp / epoch millis in `zone`. */
export function schemalessDate(column: ColumnDefinition, value: unknown, zone: string): SqlValue {
  if (typeof value === 'string' && DATE_ONLY.test(value)) {
    instantOf(column, value, 'UTC'); // validates the fields
    return value.trim();
  }
  return formatDate(instantOf(column, value, zone), zone);
}

/** A TIME column: `HH:MM[:SS[.f]]` as given (an offset converts it to `zone`), or the time of day of a timestamp. */
export function schemalessTime(column: ColumnDefinition, value: unknown, zone: string): SqlValue {
  if (typeof value === 'string' && !/^\s*[+-]?\d{4,}-/.test(value)) {
    let ms: number;
    try {
      ms = parseTimeText(value, zone, `column ${JSON.stringify(column.name)}`);
    } catch {
      throw schemalessError(column, value, 'a time of day "HH:MM:SS[.fff]"');
    }
    return ZONED.test(value) ? formatTime(new Date(ms), zone) : value.trim();
  }
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value < MS_PER_DAY) {
    // Milliseconds since midnight, as a Connect Time holds it.
    return formatTime(new Date(value), 'UTC');
  }
  return formatTime(instantOf(column, value, zone), zone);
}

/**
 * A TIMESTAMP column: zone-less text as given (it is already wall-clock time in `zone`, with every
 * digit), zoned text and epoch millis as wall-clock text in `zone`, plus `suffix(instant)` (the
 * offset, where the database keeps it).
 */
export function schemalessTimestamp(column: ColumnDefinition, value: unknown, zone: string, suffix: (d: Date) => string = () => ''): SqlValue {
  const instant = instantOf(column, value, zone);
  if (typeof value === 'string' && DATE_ONLY.test(value)) return `${value.trim()} 00:00:00${suffix(instant)}`;
  if (typeof value === 'string' && !ZONED.test(value.replace(/^\s*[+-]?\d{4,}-\d{1,2}-\d{1,2}/, ''))) {
    return `${value.trim().replace('T', ' ')}${suffix(instant)}`;
  }
  return `${formatTimestamp(instant, zone)}${suffix(instant)}`;
}
