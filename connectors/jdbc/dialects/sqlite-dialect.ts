import { ColumnDefinition, ColumnMapping, DatabaseDialect, DbConnection, JdbcType, ListTablesOptions, NumericMapping, TableId } from '../dialect';
import { genericColumnMapping } from '../column-mapping';
import { parseTimestampText } from '../zoned-time';
import { sqliteSink } from './sqlite-sink';
import { sqliteTimestampCriteria, withJulianDays } from './sqlite-timestamps';
import { sqliteTypeInfo } from './sqlite-types';

/** sqlite_master's `type` for each `table.types` entry SQLite has. */
const MASTER_TYPES: Readonly<Record<string, string>> = { TABLE: 'table', VIEW: 'view' };

function quote(identifier: string): string {
  return `\`${identifier.replace(/`/g, '``')}\``;
}

function asNumber(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value);
}

/**
 * Confluent's SqliteDatabaseDialect: backtick quoting, `?` placeholders, LIMIT paging, tables from
 * sqlite_master (skipping SQLite's own sqlite_* tables, which the Java driver does not mark as
 * system tables), column types as sqlite-jdbc reports them, and the generic type mapping. SQLite
 * has no catalogs or schemas: a TableId is just the table name.
 */
export const sqliteDialect: DatabaseDialect = {
  name: 'SqliteDatabaseDialect',
  sink: sqliteSink,
  // Stored values may be text in any form, integers or reals: parameters take the column's stored form.
  timestampCriteria: sqliteTimestampCriteria,

  quoteIdentifier(identifier: string, quoteIt: boolean): string {
    return quoteIt ? quote(identifier) : identifier;
  },

  tableName(table: TableId, quoteIt: boolean): string {
    return [table.catalog, table.schema, table.table]
      .filter((p): p is string => p !== null && p !== '')
      .map((p) => (quoteIt ? quote(p) : p))
      .join('.');
  },

  placeholder(): string {
    return '?';
  },

  limitClause(rows: number): string {
    return `LIMIT ${Math.trunc(rows)}`;
  },

  async listTables(conn: DbConnection, options: ListTablesOptions): Promise<TableId[]> {
    const types = options.tableTypes.map((t) => MASTER_TYPES[t.toUpperCase()]).filter((t): t is string => t !== undefined);
    if (types.length === 0) return [];
    const result = await conn.query(
      `SELECT name FROM sqlite_master WHERE type IN (${types.map(() => '?').join(', ')}) AND substr(name, 1, 7) <> 'sqlite_' ORDER BY name`,
      types,
    );
    return result.rows.map((r) => new TableId(null, null, String(r[0])));
  },

  async describeTable(conn: DbConnection, table: TableId): Promise<ColumnDefinition[]> {
    const info = await conn.query(`PRAGMA table_info(${quote(table.table)})`);
    const master = await conn.query('SELECT sql FROM sqlite_master WHERE name = ?', [table.table]);
    const createSql = String(master.rows[0]?.[0] ?? '');
    const pkCount = info.rows.filter((r) => asNumber(r[5]) > 0).length;
    return info.rows.map((r) => {
      const declType = String(r[2] ?? '');
      // With no row to look at, sqlite-jdbc goes by the declared type alone.
      const t = sqliteTypeInfo(declType === '' ? null : declType, null);
      const pk = asNumber(r[5]) > 0;
      return {
        name: String(r[1]),
        table,
        jdbcType: t.jdbcType,
        typeName: t.typeName,
        nullable: asNumber(r[3]) === 0,
        precision: t.precision,
        scale: t.scale,
        autoIncrement: pk && pkCount === 1 && declType.toUpperCase() === 'INTEGER' && /\bAUTOINCREMENT\b/i.test(createSql),
        signed: t.signed,
        primaryKey: pk,
      };
    });
  },

  async currentTime(conn: DbConnection): Promise<Date> {
    const result = await conn.query("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')");
    return new Date(parseTimestampText(String(result.rows[0][0]), 'UTC', 'SQLite current time'));
  },

  columnMapping(column: ColumnDefinition, numericMapping: NumericMapping, timeZone: string): ColumnMapping | null {
    const mapping = genericColumnMapping(column, numericMapping, timeZone);
    if (mapping === null) return null;
    if (column.jdbcType === JdbcType.DATE || column.jdbcType === JdbcType.TIME || column.jdbcType === JdbcType.TIMESTAMP) {
      // sqlite-jdbc reads a REAL date/time as a Julian day number and an INTEGER one as epoch milliseconds.
      return { ...mapping, convert: withJulianDays(mapping.convert) };
    }
    return mapping;
  },
};
