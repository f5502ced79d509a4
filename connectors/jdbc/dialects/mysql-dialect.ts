import { genericColumnMapping } from '../column-mapping';
import {
  ColumnDefinition,
  ColumnMapping,
  DatabaseDialect,
  DatabaseError,
  DbConnection,
  ListTablesOptions,
  NumericMapping,
  TableId,
} from '../dialect';
import { parseTimestampText } from '../zoned-time';
import { mysqlSink } from './mysql-sink';
import { isNumericTypeName, jdbcTypeOfName } from './mysql-types';

/**
 * Confluent's MySqlDatabaseDialect (for both jdbc:mysql and jdbc:mariadb URLs): backquoted
 * identifiers, `?` placeholders, LIMIT, the generic type mapping with no overrides. A table's
 * catalog is its database and it has no schema, as Connector/J reports them, so source partitions
 * read `database.table`.
 *
 * Where Confluent lists every database the user can see when `catalog.pattern` is unset
 * (Connector/J's nullCatalogMeansCurrent=false), this lists the URL's database; with no database
 * in the URL, every database except the server's own (mysql, sys, information_schema,
 * performance_schema).
 */

const SYSTEM_DATABASES = ['information_schema', 'mysql', 'performance_schema', 'sys'];

/** Connector/J's getTables() TABLE_TYPE for information_schema's TABLE_TYPE. */
const TABLE_TYPE_SQL =
  "CASE WHEN TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN ('mysql', 'performance_schema') THEN 'SYSTEM TABLE' " +
  "WHEN TABLE_TYPE = 'BASE TABLE' THEN 'TABLE' WHEN TABLE_TYPE = 'TEMPORARY' THEN 'LOCAL TEMPORARY' ELSE TABLE_TYPE END";

const LIST_TABLES_SQL =
  `SELECT TABLE_SCHEMA, TABLE_NAME, ${TABLE_TYPE_SQL} AS TYPE FROM information_schema.TABLES ` +
  'WHERE (? IS NOT NULL AND TABLE_SCHEMA LIKE ?) ' +
  `OR (? IS NULL AND (TABLE_SCHEMA = DATABASE() OR (DATABASE() IS NULL AND TABLE_SCHEMA NOT IN (${SYSTEM_DATABASES.map(() => '?').join(', ')})))) ` +
  'ORDER BY TYPE, TABLE_SCHEMA, TABLE_NAME';

const DESCRIBE_SQL =
  'SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_KEY, EXTRA, NUMERIC_PRECISION, NUMERIC_SCALE, ' +
  'CHARACTER_MAXIMUM_LENGTH, DATETIME_PRECISION, TABLE_SCHEMA ' +
  'FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION';

function quote(identifier: string): string {
  return `\`${identifier.replace(/`/g, '``')}\``;
}

/** The display width in a COLUMN_TYPE such as `tinyint(1) unsigned`, or -1. */
function displayWidth(columnType: string): number {
  const m = /^\w+\((\d+)\)/.exec(columnType);
  return m ? Number(m[1]) : -1;
}

function numberOr(value: unknown, fallback: number): number {
  return value === null || value === undefined ? fallback : Number(value);
}

export const mysqlDialect: DatabaseDialect = {
  name: 'MySqlDatabaseDialect',

  quoteIdentifier(identifier: string, shouldQuote: boolean): string {
    return shouldQuote ? quote(identifier) : identifier;
  },

  tableName(table: TableId, shouldQuote: boolean): string {
    return [table.catalog, table.schema, table.table]
      .filter((p): p is string => p !== null && p !== '')
      .map((p) => (shouldQuote ? quote(p) : p))
      .join('.');
  },

  placeholder(): string {
    return '?';
  },

  limitClause(rows: number): string {
    return `LIMIT ${rows}`;
  },

  async listTables(conn: DbConnection, options: ListTablesOptions): Promise<TableId[]> {
    const wanted = new Set(options.tableTypes.map((t) => t.trim().toUpperCase()));
    const pattern = options.catalogPattern;
    const { rows } = await conn.query(LIST_TABLES_SQL, [pattern, pattern, pattern, ...SYSTEM_DATABASES]);
    return rows
      .filter((row) => wanted.has(String(row[2]).toUpperCase()))
      .map(([db, name]) => new TableId(String(db), null, String(name)));
  },

  async describeTable(conn: DbConnection, table: TableId): Promise<ColumnDefinition[]> {
    const { rows } = await conn.query(DESCRIBE_SQL, [table.catalog, table.table]);
    return rows.map((row) => {
      const [name, dataType, columnType, isNullable, columnKey, extra, numPrecision, numScale, charLength, dtPrecision] = row;
      const base = String(dataType).toLowerCase();
      const fullType = String(columnType).toLowerCase();
      const unsigned = isNumericTypeName(base) && fullType.includes('unsigned');
      const jdbcType = jdbcTypeOfName(base, displayWidth(fullType));
      return {
        name: String(name),
        table: new TableId(String(row[10]), null, table.table),
        jdbcType,
        typeName: jdbcType === 'BIT' && base === 'tinyint' ? 'bit' : unsigned ? `${base} unsigned` : base,
        nullable: String(isNullable).toUpperCase() === 'YES',
        precision: numberOr(numPrecision, numberOr(charLength, numberOr(dtPrecision, 0))),
        scale: numberOr(numScale, 0),
        autoIncrement: /auto_increment/i.test(String(extra ?? '')),
        signed: isNumericTypeName(base) && !unsigned,
        primaryKey: String(columnKey) === 'PRI',
      };
    });
  },

  async currentTime(conn: DbConnection): Promise<Date> {
    const { rows } = await conn.query('SELECT UTC_TIMESTAMP(3)');
    const value = rows[0]?.[0];
    if (typeof value !== 'string') throw new DatabaseError(`Unable to get the current time from MySQL (got ${JSON.stringify(value)})`);
    return new Date(parseTimestampText(value, 'UTC', 'UTC_TIMESTAMP()'));
  },

  columnMapping(column: ColumnDefinition, numericMapping: NumericMapping, timeZone: string): ColumnMapping | null {
    return genericColumnMapping(column, numericMapping, timeZone);
  },

  sink: mysqlSink,
};
