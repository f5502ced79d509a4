import { DataError, LogicalNames, Schema, SchemaType } from '../../../src/api';
import { ColumnDefinition, DbConnection, JdbcType, SinkDialect, SinkField, SqlValue, TableId } from '../dialect';
import {
  alterTable,
  bindCommon,
  checkRows,
  createTable,
  deleteByKeys,
  describe,
  formatTimestamp,
  genericLiteral,
  jsonText,
  offsetText,
  requireColumns,
  schemalessBoolean,
  schemalessBytes,
  schemalessDate,
  schemalessDecimal,
  schemalessError,
  schemalessFloat,
  schemalessInteger,
  schemalessText,
  schemalessTime,
  schemalessTimestamp,
  splitQualifiedName,
  SqlText,
  unsupportedField,
  valueRows,
} from './sink-sql';

/**
 * The sink side of Confluent's PostgreSqlDatabaseDialect: its column types (getSqlType), DDL,
 * `INSERT ... ON CONFLICT (keys) DO UPDATE SET c=EXCLUDED.c` upserts, and bindField. Statements
 * carry many rows; values are bound as text the server reads exactly (numeric, timestamps with
 * their offset as pgjdbc sends them), so no value passes through a double it does not belong in.
 *
 * A multi-row upsert must not carry the same key twice (PostgreSQL refuses to update one row
 * twice in a statement): callers keep the last record per key of a batch.
 */

/** The Bind message counts parameters in an unsigned 16-bit field. */
const MAX_PARAMETERS = 65_535;
/** NAMEDATALEN - 1: longer names are truncated, as Confluent does after asking the server. */
const MAX_IDENTIFIER_LENGTH = 63;

const ARRAY_ELEMENT_TYPES = new Set([
  SchemaType.INT8,
  SchemaType.INT16,
  SchemaType.INT32,
  SchemaType.INT64,
  SchemaType.FLOAT32,
  SchemaType.FLOAT64,
  SchemaType.BOOLEAN,
  SchemaType.STRING,
]);

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function ident(name: string, shouldQuote: boolean): string {
  return shouldQuote ? quote(name) : name;
}

function tableName(table: TableId, shouldQuote: boolean): string {
  return [table.catalog, table.schema, table.table]
    .filter((p): p is string => p !== null && p !== '')
    .map((p) => ident(p, shouldQuote))
    .join('.');
}

function stringLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function primitiveSqlType(schema: Schema): string | null {
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      return 'DECIMAL';
    case LogicalNames.DATE:
      return 'DATE';
    case LogicalNames.TIME:
      return 'TIME';
    case LogicalNames.TIMESTAMP:
      return 'TIMESTAMP';
    default:
      break;
  }
  switch (schema.type) {
    case SchemaType.INT8:
    case SchemaType.INT16:
      return 'SMALLINT';
    case SchemaType.INT32:
      return 'INT';
    case SchemaType.INT64:
      return 'BIGINT';
    case SchemaType.FLOAT32:
      return 'REAL';
    case SchemaType.FLOAT64:
      return 'DOUBLE PRECISION';
    case SchemaType.BOOLEAN:
      return 'BOOLEAN';
    case SchemaType.STRING:
      return 'TEXT';
    case SchemaType.BYTES:
      return 'BYTEA';
    default:
      return null;
  }
}

function sqlType(field: SinkField): string {
  const { schema } = field;
  const primitive = primitiveSqlType(schema);
  if (primitive !== null) return primitive;
  if (schema.type === SchemaType.ARRAY) {
    const element = schema.valueSchema;
    if (element && element.name === null && ARRAY_ELEMENT_TYPES.has(element.type)) return `${primitiveSqlType(element)}[]`;
    throw unsupportedField('PostgreSQL', field, 'arrays are stored only with elements of a primitive type (no bytes, logical types or nested arrays)');
  }
  throw unsupportedField('PostgreSQL', field, 'maps and structs have no column type; flatten them first (e.g. the Flatten transform)');
}

/** One element of a PostgreSQL array literal (`{1,"a b",NULL}`). */
function arrayElement(value: unknown, what: string): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  throw new DataError(`Unsupported type for an array item of ${what}: ${describe(value)}`);
}

function arrayLiteral(values: readonly unknown[], what: string): string {
  return `{${values.map((v) => arrayElement(v, what)).join(',')}}`;
}

const sql: SqlText = {
  identifier: ident,
  table: tableName,
  sqlType,
  literal(schema: Schema, value: unknown, timeZone: string, field: string): string {
    if (schema.name === null && schema.type === SchemaType.BOOLEAN) return value === true ? 'TRUE' : 'FALSE';
    if (schema.name === null && schema.type === SchemaType.ARRAY) {
      if (!Array.isArray(value)) throw new DataError(`The default of field ${JSON.stringify(field)} is not an array`);
      const items = value.map((v) => (typeof v === 'string' ? stringLiteral(v) : v === null ? 'NULL' : typeof v === 'boolean' ? (v ? 'TRUE' : 'FALSE') : String(v)));
      return `ARRAY[${items.join(',')}]`;
    }
    // Confluent's x'..' is a bit string to PostgreSQL; bytea's own hex form is what a bytea default needs.
    return genericLiteral(schema, value, timeZone, field, stringLiteral, (b) => `'\\x${b.toString('hex')}'`);
  },
};

const placeholder = (index: number): string => `$${index}`;

function columnList(columns: readonly string[], shouldQuote: boolean): string {
  return columns.map((c) => ident(c, shouldQuote)).join(',');
}

const TABLE_TYPE_SQL =
  "CASE WHEN n.nspname ~ '^pg_temp_' THEN (CASE c.relkind WHEN 'r' THEN 'TEMPORARY TABLE' WHEN 'v' THEN 'TEMPORARY VIEW' END) " +
  "WHEN n.nspname ~ '^pg_' OR n.nspname = 'information_schema' THEN (CASE c.relkind WHEN 'r' THEN 'SYSTEM TABLE' WHEN 'v' THEN 'SYSTEM VIEW' END) " +
  "ELSE (CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' " +
  "WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' END) END";

// Without a schema, the table the unqualified name resolves to (search_path), which is where the sink writes.
const TABLE_EXISTS_SQL =
  'SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
  'WHERE c.relname = $1 AND (($2::text IS NULL AND pg_catalog.pg_table_is_visible(c.oid)) OR n.nspname = $2) ' +
  `AND ($3::text IS NULL OR $3 = current_database()) AND (${TABLE_TYPE_SQL}) = ANY($4::text[]) LIMIT 1`;

function bindSchemaless(column: ColumnDefinition, value: unknown, timeZone: string): SqlValue {
  if (value === null || value === undefined) return null;
  const type = column.typeName.toLowerCase();
  switch (column.jdbcType) {
    case JdbcType.TINYINT:
    case JdbcType.SMALLINT:
    case JdbcType.INTEGER:
    case JdbcType.BIGINT:
      return schemalessInteger(column, value);
    case JdbcType.REAL:
    case JdbcType.FLOAT:
    case JdbcType.DOUBLE:
      return schemalessFloat(column, value);
    case JdbcType.NUMERIC:
    case JdbcType.DECIMAL:
      return type === 'money' ? schemalessText(column, value) : schemalessDecimal(column, value);
    case JdbcType.BIT:
    case JdbcType.BOOLEAN:
      if (type === 'bool' || column.precision <= 1) return schemalessBoolean(column, value);
      if (typeof value === 'string' && /^[01]*$/.test(value)) return value;
      throw schemalessError(column, value, 'a bit string such as "0101"');
    case JdbcType.CHAR:
    case JdbcType.VARCHAR:
    case JdbcType.LONGVARCHAR:
    case JdbcType.NCHAR:
    case JdbcType.NVARCHAR:
    case JdbcType.LONGNVARCHAR:
    case JdbcType.CLOB:
    case JdbcType.NCLOB:
    case JdbcType.SQLXML:
      return schemalessText(column, value);
    case JdbcType.BINARY:
    case JdbcType.VARBINARY:
    case JdbcType.LONGVARBINARY:
    case JdbcType.BLOB:
      return schemalessBytes(column, value);
    case JdbcType.DATE:
      return schemalessDate(column, value, timeZone);
    case JdbcType.TIME:
      return schemalessTime(column, value, timeZone);
    case JdbcType.TIME_WITH_TIMEZONE:
      if (typeof value === 'string') return value;
      throw schemalessError(column, value, 'a time of day with offset, as text');
    case JdbcType.TIMESTAMP:
    case JdbcType.TIMESTAMP_WITH_TIMEZONE:
      return schemalessTimestamp(column, value, timeZone, (d) => offsetText(d, timeZone));
    case JdbcType.ARRAY:
      if (Array.isArray(value)) {
        try {
          return arrayLiteral(value, `column ${JSON.stringify(column.name)}`);
        } catch {
          throw schemalessError(column, value, 'an array of numbers, strings, booleans or nulls');
        }
      }
      throw schemalessError(column, value, 'an array');
    case JdbcType.OTHER:
      // json/jsonb take any JSON value as its text; uuid, enums, inet, ... take their text form.
      if (type === 'json' || type === 'jsonb') return jsonText(column, value);
      if (typeof value === 'object') throw schemalessError(column, value, `a value written as text (${column.typeName})`);
      return schemalessText(column, value);
    default:
      throw schemalessError(column, value, `a type the sink can write (the column's JDBC type is ${column.jdbcType})`);
  }
}

export const postgresSink: SinkDialect = {
  maxParameters: MAX_PARAMETERS,

  sqlType,

  createTableStatement(table: TableId, fields: readonly SinkField[], shouldQuote: boolean, timeZone = 'UTC'): string {
    return createTable(sql, table, fields, shouldQuote, timeZone);
  },

  alterTableStatements(table: TableId, fields: readonly SinkField[], shouldQuote: boolean, timeZone = 'UTC'): string[] {
    return alterTable(sql, table, fields, shouldQuote, timeZone);
  },

  insertStatement(table: TableId, columns: readonly string[], rows: number, shouldQuote: boolean): string {
    requireColumns('an INSERT', table, columns);
    checkRows(rows);
    return `INSERT INTO ${tableName(table, shouldQuote)} (${columnList(columns, shouldQuote)}) VALUES ${valueRows(rows, columns.length, placeholder)}`;
  },

  upsertStatement(table: TableId, keyColumns: readonly string[], nonKeyColumns: readonly string[], rows: number, shouldQuote: boolean): string {
    requireColumns('an upsert (it needs primary key columns)', table, keyColumns);
    checkRows(rows);
    const all = [...keyColumns, ...nonKeyColumns];
    const head =
      `INSERT INTO ${tableName(table, shouldQuote)} (${columnList(all, shouldQuote)}) VALUES ${valueRows(rows, all.length, placeholder)}` +
      ` ON CONFLICT (${columnList(keyColumns, shouldQuote)})`;
    if (nonKeyColumns.length === 0) return `${head} DO NOTHING`;
    const updates = nonKeyColumns.map((c) => `${ident(c, shouldQuote)}=EXCLUDED.${ident(c, shouldQuote)}`).join(',');
    return `${head} DO UPDATE SET ${updates}`;
  },

  updateStatement(table: TableId, keyColumns: readonly string[], nonKeyColumns: readonly string[], shouldQuote: boolean): string {
    requireColumns('an UPDATE (it needs non-key columns to set)', table, nonKeyColumns);
    requireColumns('an UPDATE (it needs primary key columns)', table, keyColumns);
    let n = 1;
    const set = nonKeyColumns.map((c) => `${ident(c, shouldQuote)} = ${placeholder(n++)}`).join(', ');
    const where = keyColumns.map((c) => `${ident(c, shouldQuote)} = ${placeholder(n++)}`).join(' AND ');
    return `UPDATE ${tableName(table, shouldQuote)} SET ${set} WHERE ${where}`;
  },

  deleteStatement(table: TableId, keyColumns: readonly string[], rows: number, shouldQuote: boolean): string {
    requireColumns('a DELETE (it needs primary key columns)', table, keyColumns);
    return deleteByKeys(tableName(table, shouldQuote), keyColumns.map((c) => ident(c, shouldQuote)), rows, placeholder);
  },

  bindValue(schema: Schema, value: unknown, timeZone: string): SqlValue {
    if (value === null || value === undefined) return null;
    // pgjdbc's setTimestamp(calendar) sends the wall-clock time with the zone's offset: a
    // timestamptz column keeps the instant, a timestamp column the wall-clock time in db.timezone.
    if (schema.name === LogicalNames.TIMESTAMP && (value instanceof Date || typeof value === 'number')) {
      const instant = new Date(value);
      return `${formatTimestamp(instant, timeZone)}${offsetText(instant, timeZone)}`;
    }
    const common = bindCommon(schema, value, timeZone);
    if (common !== undefined) return common;
    if (schema.type === SchemaType.ARRAY && Array.isArray(value)) return arrayLiteral(value, 'an ARRAY value');
    throw new DataError(`Unsupported source data type: ${schema.type} (value ${describe(value)})`);
  },

  bindSchemaless,

  async tableExists(conn: DbConnection, table: TableId, tableTypes: readonly string[]): Promise<boolean> {
    const types = tableTypes.map((t) => `"${t.trim().toUpperCase().replace(/"/g, '')}"`).join(',');
    const { rows } = await conn.query(TABLE_EXISTS_SQL, [table.table, table.schema, table.catalog, `{${types}}`]);
    return rows.length > 0;
  },

  parseTableName(name: string): TableId {
    const parts = splitQualifiedName(name, '"');
    const id =
      parts.length === 1 ? new TableId(null, null, parts[0])
      : parts.length === 2 ? new TableId(null, parts[0], parts[1])
      : new TableId(parts[0], parts[1], parts[2]);
    if (id.table.length <= MAX_IDENTIFIER_LENGTH) return id;
    return new TableId(id.catalog, id.schema, id.table.slice(0, MAX_IDENTIFIER_LENGTH));
  },
};
