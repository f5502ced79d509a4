import { ConnectError, DataError, Decimal, LogicalNames, Schema, SchemaType } from '../../../src/api';
import { ColumnDefinition, DbConnection, JdbcType, SinkDialect, SinkField, SqlValue, TableId } from '../dialect';
import {
  alterTable,
  bindCommon,
  checkRows,
  createTable,
  deleteByKeys,
  describe,
  genericLiteral,
  jsonText,
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
 * The sink side of Confluent's MySqlDatabaseDialect (jdbc:mysql and jdbc:mariadb): its column
 * types, DDL, `insert ... on duplicate key update c=values(c)` upserts (VALUES() is what both
 * MariaDB and MySQL 8 accept; MySQL's row alias is unknown to MariaDB), and bindField. A table's
 * database is its catalog, as Connector/J reports it.
 *
 * One difference from Confluent: a STRING primary-key column is VARCHAR(256) (Confluent's type
 * before it moved every string to TEXT), because MySQL and MariaDB refuse a TEXT primary key
 * without a prefix length, so Confluent's auto.create fails for string keys.
 */

/** The protocol's parameter count of a prepared statement is 16 bits. */
const MAX_PARAMETERS = 65_535;

function quote(identifier: string): string {
  return `\`${identifier.replace(/`/g, '``')}\``;
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

/** Backslash is an escape in MySQL strings (unless NO_BACKSLASH_ESCAPES), so it is doubled too. */
function stringLiteral(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

function sqlType(field: SinkField): string {
  const { schema } = field;
  switch (schema.name) {
    case LogicalNames.DECIMAL:
      // 65 is MySQL's widest DECIMAL.
      return `DECIMAL(65,${Decimal.scale(schema)})`;
    case LogicalNames.DATE:
      return 'DATE';
    case LogicalNames.TIME:
      return 'TIME(3)';
    case LogicalNames.TIMESTAMP:
      return 'DATETIME(3)';
    default:
      break;
  }
  switch (schema.type) {
    case SchemaType.INT8:
      return 'TINYINT';
    case SchemaType.INT16:
      return 'SMALLINT';
    case SchemaType.INT32:
      return 'INT';
    case SchemaType.INT64:
      return 'BIGINT';
    case SchemaType.FLOAT32:
      return 'FLOAT';
    case SchemaType.FLOAT64:
      return 'DOUBLE';
    case SchemaType.BOOLEAN:
      return 'TINYINT';
    case SchemaType.STRING:
      return field.primaryKey ? 'VARCHAR(256)' : 'TEXT';
    case SchemaType.BYTES:
      return 'VARBINARY(1024)';
    default:
      throw unsupportedField('MySQL', field, 'arrays, maps and structs have no column type; flatten them first (e.g. the Flatten transform)');
  }
}

const sql: SqlText = {
  identifier: ident,
  table: tableName,
  sqlType,
  literal(schema: Schema, value: unknown, timeZone: string, field: string): string {
    return genericLiteral(schema, value, timeZone, field, stringLiteral, (b) => `x'${b.toString('hex')}'`);
  },
};

const placeholder = (): string => '?';

function columnList(columns: readonly string[], shouldQuote: boolean): string {
  return columns.map((c) => ident(c, shouldQuote)).join(',');
}

/** Connector/J's getTables() TABLE_TYPE for information_schema's TABLE_TYPE. */
const TABLE_EXISTS_SQL =
  'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND ' +
  "(CASE WHEN TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN ('mysql', 'performance_schema') THEN 'SYSTEM TABLE' " +
  "WHEN TABLE_TYPE = 'BASE TABLE' THEN 'TABLE' WHEN TABLE_TYPE = 'TEMPORARY' THEN 'LOCAL TEMPORARY' ELSE TABLE_TYPE END) IN ";

function bindSchemaless(column: ColumnDefinition, value: unknown, timeZone: string): SqlValue {
  if (value === null || value === undefined) return null;
  const type = column.typeName.toLowerCase();
  switch (column.jdbcType) {
    case JdbcType.BIT:
      // TINYINT(1)/BOOLEAN and BIT(n) (both BIT here): booleans, or the bits as a number or bytes.
      if (typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value))) return schemalessBoolean(column, value);
      if (Buffer.isBuffer(value)) return value;
      if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint') return schemalessInteger(column, value);
      throw schemalessError(column, value, 'a boolean (or the bits as an integer)');
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
      return schemalessDecimal(column, value);
    case JdbcType.CHAR:
    case JdbcType.VARCHAR:
    case JdbcType.LONGVARCHAR:
    case JdbcType.NCHAR:
    case JdbcType.NVARCHAR:
    case JdbcType.LONGNVARCHAR:
    case JdbcType.CLOB:
    case JdbcType.NCLOB:
      return type === 'json' ? jsonText(column, value) : schemalessText(column, value);
    case JdbcType.BINARY:
    case JdbcType.VARBINARY:
    case JdbcType.LONGVARBINARY:
    case JdbcType.BLOB:
      return schemalessBytes(column, value);
    case JdbcType.DATE:
      if (type === 'year') return schemalessInteger(column, value);
      return schemalessDate(column, value, timeZone);
    case JdbcType.TIME:
      return schemalessTime(column, value, timeZone);
    case JdbcType.TIMESTAMP:
      return schemalessTimestamp(column, value, timeZone);
    default:
      throw schemalessError(column, value, `a type the sink can write (the column's JDBC type is ${column.jdbcType})`);
  }
}

export const mysqlSink: SinkDialect = {
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
    return `INSERT INTO ${tableName(table, shouldQuote)}(${columnList(columns, shouldQuote)}) VALUES${valueRows(rows, columns.length, placeholder)}`;
  },

  upsertStatement(table: TableId, keyColumns: readonly string[], nonKeyColumns: readonly string[], rows: number, shouldQuote: boolean): string {
    requireColumns('an upsert (it needs primary key columns)', table, keyColumns);
    checkRows(rows);
    const all = [...keyColumns, ...nonKeyColumns];
    // With only key columns, Confluent sets each key to itself: an existing row stays as it is.
    const updated = (nonKeyColumns.length > 0 ? nonKeyColumns : keyColumns)
      .map((c) => `${ident(c, shouldQuote)}=values(${ident(c, shouldQuote)})`)
      .join(',');
    return (
      `insert into ${tableName(table, shouldQuote)}(${columnList(all, shouldQuote)}) values${valueRows(rows, all.length, placeholder)}` +
      ` on duplicate key update ${updated}`
    );
  },

  updateStatement(table: TableId, keyColumns: readonly string[], nonKeyColumns: readonly string[], shouldQuote: boolean): string {
    requireColumns('an UPDATE (it needs non-key columns to set)', table, nonKeyColumns);
    requireColumns('an UPDATE (it needs primary key columns)', table, keyColumns);
    const set = nonKeyColumns.map((c) => `${ident(c, shouldQuote)} = ?`).join(', ');
    const where = keyColumns.map((c) => `${ident(c, shouldQuote)} = ?`).join(' AND ');
    return `UPDATE ${tableName(table, shouldQuote)} SET ${set} WHERE ${where}`;
  },

  deleteStatement(table: TableId, keyColumns: readonly string[], rows: number, shouldQuote: boolean): string {
    requireColumns('a DELETE (it needs primary key columns)', table, keyColumns);
    return deleteByKeys(tableName(table, shouldQuote), keyColumns.map((c) => ident(c, shouldQuote)), rows, placeholder);
  },

  bindValue(schema: Schema, value: unknown, timeZone: string): SqlValue {
    // Timestamps go as wall-clock text in db.timezone, the session's time_zone, so TIMESTAMP
    // columns keep the instant and DATETIME columns the wall-clock time Confluent writes.
    const bound = bindCommon(schema, value, timeZone);
    if (bound !== undefined) return bound;
    throw new DataError(`Unsupported source data type: ${schema.type} (value ${describe(value)})`);
  },

  bindSchemaless,

  async tableExists(conn: DbConnection, table: TableId, tableTypes: readonly string[]): Promise<boolean> {
    const types = tableTypes.map((t) => t.trim().toUpperCase());
    if (types.length === 0) return false;
    const { rows } = await conn.query(`${TABLE_EXISTS_SQL}(${types.map(() => '?').join(', ')}) LIMIT 1`, [
      table.catalog ?? table.schema,
      table.table,
      ...types,
    ]);
    return rows.length > 0;
  },

  parseTableName(name: string): TableId {
    const parts = splitQualifiedName(name, '`');
    if (parts.length === 1) return new TableId(null, null, parts[0]);
    if (parts.length === 2) return new TableId(parts[0], null, parts[1]);
    throw new ConnectError(`Invalid table name ${JSON.stringify(name)} for MySQL: expected table or database.table`);
  },
};
