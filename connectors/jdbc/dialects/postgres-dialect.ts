import { Schema } from '../../../src/api';
import { genericColumnMapping, GenericConverters, NUMERIC_TYPE_SCALE_UNSET, primitive, toBytes } from '../column-mapping';
import {
  ColumnDefinition,
  ColumnMapping,
  DatabaseDialect,
  DatabaseError,
  DbConnection,
  JdbcType,
  ListTablesOptions,
  NumericMapping,
  TableId,
} from '../dialect';
import { CORE_TYPES, isSignedType, lookedUpType, precisionOf, scaleOf } from './postgres-types';
import { postgresSink } from './postgres-sink';

/**
 * Confluent's PostgreSqlDatabaseDialect: double-quoted identifiers, `$n` placeholders, LIMIT, and
 * its type overrides (bool and bit(n) by length; json, jsonb and uuid as strings) on top of the
 * generic mapping. Discovered tables carry no catalog, as Confluent's dialect drops the database
 * name pgjdbc reports, so source partitions read `schema.table`.
 */

/** pgjdbc's getTables() TABLE_TYPE for a pg_class relkind in a schema. */
const TABLE_TYPE_SQL =
  "CASE WHEN n.nspname ~ '^pg_temp_' OR n.nspname ~ '^pg_toast_temp_' THEN " +
  "  CASE c.relkind WHEN 'r' THEN 'TEMPORARY TABLE' WHEN 'v' THEN 'TEMPORARY VIEW' WHEN 'S' THEN 'TEMPORARY SEQUENCE' WHEN 'i' THEN 'TEMPORARY INDEX' END " +
  "WHEN n.nspname ~ '^pg_' OR n.nspname = 'information_schema' THEN " +
  "  CASE c.relkind WHEN 'r' THEN 'SYSTEM TABLE' WHEN 'v' THEN 'SYSTEM VIEW' WHEN 'i' THEN 'SYSTEM INDEX' WHEN 't' THEN 'SYSTEM TOAST TABLE' END " +
  "ELSE CASE c.relkind WHEN 'r' THEN 'TABLE' WHEN 'p' THEN 'PARTITIONED TABLE' WHEN 'v' THEN 'VIEW' " +
  "  WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' WHEN 'S' THEN 'SEQUENCE' WHEN 'i' THEN 'INDEX' " +
  "  WHEN 'I' THEN 'PARTITIONED INDEX' WHEN 'c' THEN 'TYPE' END END";

const LIST_TABLES_SQL =
  `SELECT * FROM (SELECT n.nspname AS schema, c.relname AS name, ${TABLE_TYPE_SQL} AS table_type ` +
  'FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
  "WHERE ($1::text IS NULL OR n.nspname LIKE $1) AND ($2::text IS NULL OR current_database() LIKE $2)) t " +
  'WHERE table_type = ANY($3::text[]) ORDER BY table_type, schema, name';

const DESCRIBE_SQL =
  'SELECT a.attname, a.atttypid::int8, a.atttypmod, ' +
  "(a.attnotnull OR (t.typtype = 'd' AND t.typnotnull)) AS not_null, " +
  "(a.attidentity <> '' OR coalesce(pg_catalog.pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%', false)) AS auto_inc, " +
  'coalesce(a.attnum = ANY(i.indkey), false) AS pk, t.typname, t.typtype, ' +
  "(t.typelem <> 0 AND t.typlen = -1 AND t.typcategory = 'A') AS is_array " +
  'FROM pg_catalog.pg_attribute a ' +
  'JOIN pg_catalog.pg_class c ON c.oid = a.attrelid ' +
  'JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
  'JOIN pg_catalog.pg_type t ON t.oid = a.atttypid ' +
  'LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum ' +
  'LEFT JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary ' +
  'WHERE c.relname = $1 AND ($2::text IS NULL OR n.nspname = $2) AND (($2::text IS NOT NULL) OR pg_catalog.pg_table_is_visible(c.oid)) ' +
  'AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum';

function quote(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function isJsonType(column: ColumnDefinition): boolean {
  const name = column.typeName.toLowerCase();
  return name === 'json' || name === 'jsonb';
}

/** A PostgreSQL bit string (`0101`) as the byte pgjdbc's getByte would give for bit(2..8). */
function bitStringByte(value: unknown): number {
  if (typeof value === 'string' && /^[01]+$/.test(value)) {
    const n = Number.parseInt(value, 2);
    return (n << 24) >> 24;
  }
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw new DatabaseError(`Cannot read ${JSON.stringify(value)} as a bit string`);
}

export const postgresDialect: DatabaseDialect = {
  name: 'PostgreSqlDatabaseDialect',

  quoteIdentifier(identifier: string, shouldQuote: boolean): string {
    return shouldQuote ? quote(identifier) : identifier;
  },

  tableName(table: TableId, shouldQuote: boolean): string {
    return [table.catalog, table.schema, table.table]
      .filter((p): p is string => p !== null && p !== '')
      .map((p) => (shouldQuote ? quote(p) : p))
      .join('.');
  },

  placeholder(index: number): string {
    return `$${index}`;
  },

  limitClause(rows: number): string {
    return `LIMIT ${rows}`;
  },

  async listTables(conn: DbConnection, options: ListTablesOptions): Promise<TableId[]> {
    const types = options.tableTypes.map((t) => t.trim().toUpperCase());
    const { rows } = await conn.query(LIST_TABLES_SQL, [options.schemaPattern, options.catalogPattern, `{${types.map((t) => `"${t}"`).join(',')}}`]);
    return rows.map(([schema, name]) => new TableId(null, String(schema), String(name)));
  },

  async describeTable(conn: DbConnection, table: TableId): Promise<ColumnDefinition[]> {
    const { rows } = await conn.query(DESCRIBE_SQL, [table.table, table.schema]);
    return rows.map(([name, oid, typmod, notNull, autoInc, pk, typname, typtype, isArray]) => {
      const typeOid = Number(oid);
      const type = CORE_TYPES.get(typeOid) ?? lookedUpType(String(typname), String(typtype), isArray === true);
      // pgjdbc's getColumns() names an int4/int8 fed by a sequence serial/bigserial.
      let typeName = type.name;
      if (autoInc === true && typeName === 'int4') typeName = 'serial';
      else if (autoInc === true && typeName === 'int8') typeName = 'bigserial';
      return {
        name: String(name),
        table,
        jdbcType: type.jdbcType,
        typeName,
        nullable: !(notNull === true || pk === true),
        precision: precisionOf(typeOid, Number(typmod)),
        scale: scaleOf(typeOid, Number(typmod)),
        autoIncrement: autoInc === true,
        signed: isSignedType(typeOid),
        primaryKey: pk === true,
      };
    });
  },

  async currentTime(conn: DbConnection): Promise<Date> {
    const { rows } = await conn.query('SELECT CURRENT_TIMESTAMP');
    const value = rows[0]?.[0];
    const ms = typeof value === 'string' ? Date.parse(value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00')) : NaN;
    if (Number.isNaN(ms)) throw new DatabaseError(`Unable to get the current time from PostgreSQL (got ${JSON.stringify(value)})`);
    return new Date(ms);
  },

  columnMapping(column: ColumnDefinition, numericMapping: NumericMapping, timeZone: string): ColumnMapping | null {
    const optional = column.nullable;
    const mapped = (schema: Schema, convert: (v: unknown) => unknown): ColumnMapping => ({
      column,
      fieldName: column.name,
      schema: primitive(schema, optional),
      convert: GenericConverters.nullSafe(convert),
    });
    switch (column.jdbcType) {
      case JdbcType.BIT: {
        // bool and bit(1) are booleans; bit(2..8) a byte; longer bit strings their text's bytes.
        if (column.precision <= 1) {
          return mapped(Schema.BOOLEAN_SCHEMA, (v) => v === true || v === 't' || v === '1' || v === 1);
        }
        if (column.precision <= 8) return mapped(Schema.INT8_SCHEMA, bitStringByte);
        return mapped(Schema.BYTES_SCHEMA, (v) => toBytes(v, `column ${JSON.stringify(column.name)}`));
      }
      case JdbcType.OTHER:
        if (isJsonType(column) || column.typeName.toLowerCase() === 'uuid') {
          return mapped(Schema.STRING_SCHEMA, (v) => (typeof v === 'string' ? v : JSON.stringify(v)));
        }
        return null;
      case JdbcType.NUMERIC:
      case JdbcType.DECIMAL:
        // pgjdbc reports an unconstrained NUMERIC as precision 0, scale 0. Read as scale 0 it would
        // round 12.12 to 12, and best_fit would make it INT8 (Confluent does: values over 127 fail);
        // as Confluent's decimalScale() does for numeric.mapping=none, it is read at scale 127, and
        // here under every mapping, since its precision is unknown.
        if (column.precision === 0 && column.scale === 0) {
          return genericColumnMapping({ ...column, scale: NUMERIC_TYPE_SCALE_UNSET }, numericMapping, timeZone);
        }
        return genericColumnMapping(column, numericMapping, timeZone);
      default:
        return genericColumnMapping(column, numericMapping, timeZone);
    }
  },

  sink: postgresSink,
};
