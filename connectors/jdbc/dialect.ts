import { ConnectError, Schema } from '../../src/api';

/**
 * The contract between the JDBC connectors and the databases they talk to. One implementation per
 * database (dialects/postgres-dialect.ts, dialects/mysql-dialect.ts, dialects/sqlite-dialect.ts);
 * the source and sink code use only what is declared here, so they never know which driver is
 * underneath.
 */

/** A table's name as Confluent's TableId: catalog and schema are null where the database has none. */
export class TableId {
  constructor(
    readonly catalog: string | null,
    readonly schema: string | null,
    readonly table: string,
  ) {}

  /**
   * The unquoted dotted name (catalog.schema.table, absent parts left out), as Confluent writes it
   * in the `table` field of its protocol-1 source partitions.
   */
  toString(): string {
    return [this.catalog, this.schema, this.table].filter((p): p is string => p !== null && p !== '').join('.');
  }

  equals(other: TableId): boolean {
    return other.catalog === this.catalog && other.schema === this.schema && other.table === this.table;
  }
}

/**
 * The JDBC type (java.sql.Types) the database's Java driver reports for a column. Confluent's
 * connector maps columns to Connect schemas by this value (plus the type name where the dialect
 * overrides it), so each dialect reports what the Java driver would, and the mapping can follow
 * Confluent's exactly.
 */
export enum JdbcType {
  BIT = 'BIT',
  BOOLEAN = 'BOOLEAN',
  TINYINT = 'TINYINT',
  SMALLINT = 'SMALLINT',
  INTEGER = 'INTEGER',
  BIGINT = 'BIGINT',
  REAL = 'REAL',
  FLOAT = 'FLOAT',
  DOUBLE = 'DOUBLE',
  NUMERIC = 'NUMERIC',
  DECIMAL = 'DECIMAL',
  CHAR = 'CHAR',
  VARCHAR = 'VARCHAR',
  LONGVARCHAR = 'LONGVARCHAR',
  NCHAR = 'NCHAR',
  NVARCHAR = 'NVARCHAR',
  LONGNVARCHAR = 'LONGNVARCHAR',
  CLOB = 'CLOB',
  NCLOB = 'NCLOB',
  DATALINK = 'DATALINK',
  SQLXML = 'SQLXML',
  BINARY = 'BINARY',
  VARBINARY = 'VARBINARY',
  LONGVARBINARY = 'LONGVARBINARY',
  BLOB = 'BLOB',
  DATE = 'DATE',
  TIME = 'TIME',
  TIME_WITH_TIMEZONE = 'TIME_WITH_TIMEZONE',
  TIMESTAMP = 'TIMESTAMP',
  TIMESTAMP_WITH_TIMEZONE = 'TIMESTAMP_WITH_TIMEZONE',
  ARRAY = 'ARRAY',
  STRUCT = 'STRUCT',
  ROWID = 'ROWID',
  OTHER = 'OTHER',
  NULL = 'NULL',
}

/** One column of a table or a query result, as Confluent's ColumnDefinition (the parts the connectors use). */
export interface ColumnDefinition {
  /** The column's name (the label in a query result). */
  readonly name: string;
  /** The table it belongs to, when known (null for an expression in a query). */
  readonly table: TableId | null;
  readonly jdbcType: JdbcType;
  /** The database's own type name, lower case, e.g. `int4`, `numeric`, `varchar`, `bigint unsigned`. */
  readonly typeName: string;
  /** Whether the column may hold NULL. Unknown counts as nullable, as Confluent does. */
  readonly nullable: boolean;
  /** Precision (digits for numerics, length for strings); 0 when the database does not say. */
  readonly precision: number;
  /** Scale for numerics; 0 when none. Confluent treats -127 (NUMERIC without scale) specially. */
  readonly scale: number;
  readonly autoIncrement: boolean;
  /** False for unsigned integer columns (MySQL), which widen by one Connect type. */
  readonly signed: boolean;
  /** True when this column is part of the table's primary key (sink: upsert keys, DDL). */
  readonly primaryKey: boolean;
}

/** A value as drivers return it and take it as a parameter. */
export type SqlValue = string | number | bigint | boolean | Date | Buffer | null;

/**
 * One open connection. Implementations keep the event loop free: a call never holds it for more
 * than a few milliseconds (SQLite reads are paged or run off the main thread).
 */
export interface DbConnection {
  /**
   * Runs one statement with positional parameters (written with the dialect's placeholder()) and
   * returns the rows, each an array in column order, with the result's column definitions. Rows
   * come back as the driver gives them; the dialect's columnConverter() turns them into Connect
   * values. Throws DatabaseError.
   */
  query(sql: string, params?: readonly SqlValue[]): Promise<QueryResult>;
  /**
   * Runs a SELECT and yields its rows in pages of at most `pageSize` rows, reading the next page
   * only when the consumer asks for it (a server-side cursor, a streamed result, or a SQLite
   * iterator advanced a page at a time with a yield to the event loop between pages), so a result
   * of any size is never whole in memory. Leaving the loop early closes the cursor.
   */
  queryPages(sql: string, params: readonly SqlValue[], pageSize: number): AsyncIterable<QueryResult>;
  /** Runs statements in one transaction: commits if `work` resolves, rolls back if it throws. */
  transaction<T>(work: (conn: DbConnection) => Promise<T>): Promise<T>;
  /** True when the connection still answers (a cheap round trip). */
  isValid(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface QueryResult {
  readonly columns: readonly ColumnDefinition[];
  readonly rows: readonly (readonly unknown[])[];
}

/** `numeric.mapping` as Confluent's NumericMapping. */
export type NumericMapping = 'none' | 'precision_only' | 'best_fit' | 'best_fit_eager_double';

/** Turns one driver value of a column into its Connect value (null stays null). */
export type ColumnConverter = (value: unknown) => unknown;

/** How a column appears in a record: its Connect field schema and the converter for its values. */
export interface ColumnMapping {
  readonly column: ColumnDefinition;
  readonly fieldName: string;
  readonly schema: Schema;
  readonly convert: ColumnConverter;
}

export interface ListTablesOptions {
  /** `table.types`, upper case (TABLE, VIEW, ...). */
  readonly tableTypes: readonly string[];
  /** `schema.pattern` / `catalog.pattern` as JDBC patterns (% and _), null for any. */
  readonly schemaPattern: string | null;
  readonly catalogPattern: string | null;
}

/** A database's SQL and type rules (Confluent's DatabaseDialect), the parts the connectors need. */
export interface DatabaseDialect {
  /** Confluent's dialect name, the value `dialect.name` takes: PostgreSqlDatabaseDialect, MySqlDatabaseDialect, SqliteDatabaseDialect. */
  readonly name: string;
  /** Quotes one identifier when `quote` is true (quote.sql.identifiers=always), else returns it as is. */
  quoteIdentifier(identifier: string, quote: boolean): string;
  /** The table's name for SQL text: its parts quoted (or not) and joined with dots. */
  tableName(table: TableId, quote: boolean): string;
  /** The placeholder for the index-th (1-based) parameter: `$1` for PostgreSQL, `?` elsewhere. */
  placeholder(index: number): string;
  /** A LIMIT clause for a page of `rows` rows, appended at the end of a SELECT. */
  limitClause(rows: number): string;
  /** The tables the connection can read, filtered as Confluent's tableIds(). */
  listTables(conn: DbConnection, options: ListTablesOptions): Promise<TableId[]>;
  /** The columns of one table in column order, with nullability and keys. */
  describeTable(conn: DbConnection, table: TableId): Promise<ColumnDefinition[]>;
  /** The database's current time (Confluent's currentTimeOnDB), for timestamp criteria and timestamp.initial=-1. */
  currentTime(conn: DbConnection): Promise<Date>;
  /**
   * The Connect schema and converter for one column, as Confluent's addFieldToSchema and
   * createColumnConverter do for this database; null for a type Confluent skips (the caller warns).
   * `timeZone` is `db.timezone` (an IANA name), used to read zone-less date/time values.
   */
  columnMapping(column: ColumnDefinition, numericMapping: NumericMapping, timeZone: string): ColumnMapping | null;
  /** The sink's SQL for this database (JDBC sink connector); see SinkDialect. */
  readonly sink?: SinkDialect;
  /**
   * How the source binds its timestamp criteria on a database whose timestamp columns have no one
   * stored type (SQLite keeps text in any form, integers or reals in one column): the column is
   * compared and ordered as stored, so an index on it serves, with parameters written in the form
   * its values take. Absent: the column is compared as is with timestamp parameters.
   */
  readonly timestampCriteria?: TimestampCriteria;
}

/** An instant with nanosecond precision: epoch `millis` and `nanos`, the fraction of its second (0..999,999,999). */
export interface PreciseInstant {
  readonly millis: number;
  readonly nanos: number;
}

/** See DatabaseDialect.timestampCriteria. */
export interface TimestampCriteria {
  /**
   * The form of one stored value of a timestamp column, as the driver returned it (never null):
   * the storage and shape the parameters compared with that column must take. `timeZone` is
   * db.timezone, for zone-less text. Throws DataError naming `label` (the column) for a value the
   * dialect's columnMapping() cannot read as a timestamp.
   */
  formOf(value: unknown, label: string, timeZone: string): TimestampForm;
}

/** How one column stores timestamps (see TimestampCriteria.formOf). */
export interface TimestampForm {
  /**
   * Equal for two forms whose stored values compare among themselves as the instants they hold
   * (one writer's values); different forms in one column compare wrongly.
   */
  readonly key: string;
  /** The form for messages, e.g. `text 'YYYY-MM-DD HH:MM:SS.fff'` or `INTEGER epoch milliseconds`. */
  readonly description: string;
  /**
   * `instant` written in this form. `exact`: compares with stored values of the form exactly as
   * the instant does (more digits than the form has when the instant needs them). `floor`: the
   * greatest value the form can hold at or before the instant (for an exclusive upper bound).
   */
  render(instant: PreciseInstant, rounding: 'exact' | 'floor'): SqlValue;
}

/** One column the sink writes, from a record's schema (Confluent's SinkRecordField). */
export interface SinkField {
  readonly name: string;
  /** The field's Connect schema: type, logical name and parameters, optional, default value. */
  readonly schema: Schema;
  readonly primaryKey: boolean;
}

/**
 * The sink side of a dialect (Confluent's DatabaseDialect insert/upsert/update/delete/DDL builders
 * and bindField). Statements take many rows at once so a batch is one round trip, not one per row;
 * parameters are numbered row after row, column by column, in the order the columns are given.
 */
export interface SinkDialect {
  /** Most parameters one statement may carry (callers split bigger batches). */
  readonly maxParameters: number;
  /** The column type Confluent's dialect uses for this field (getSqlType); throws ConnectError naming the field for a type it cannot store. */
  sqlType(field: SinkField): string;
  /**
   * CREATE TABLE with the fields as columns (NOT NULL unless optional, DEFAULT from the schema's
   * default, PRIMARY KEY of the key fields), as Confluent's dialect writes it. `timeZone`
   * (db.timezone, default UTC) formats Date/Time/Timestamp defaults, as Confluent's formatColumnValue.
   */
  createTableStatement(table: TableId, fields: readonly SinkField[], quote: boolean, timeZone?: string): string;
  /** ALTER TABLE statement(s) adding these (optional, or with a default) fields as columns; `timeZone` as for createTableStatement. */
  alterTableStatements(table: TableId, fields: readonly SinkField[], quote: boolean, timeZone?: string): string[];
  /** A multi-row INSERT of `rows` rows. */
  insertStatement(table: TableId, columns: readonly string[], rows: number, quote: boolean): string;
  /**
   * A multi-row upsert keyed on the primary key only: PostgreSQL and SQLite `ON CONFLICT (keys) DO
   * UPDATE SET col = excluded.col`, MySQL `ON DUPLICATE KEY UPDATE`. With no non-key columns, an
   * insert that ignores existing keys.
   */
  upsertStatement(table: TableId, keyColumns: readonly string[], nonKeyColumns: readonly string[], rows: number, quote: boolean): string;
  /** One row's UPDATE ... SET non-key columns WHERE key columns (parameters: non-key values, then key values). */
  updateStatement(table: TableId, keyColumns: readonly string[], nonKeyColumns: readonly string[], quote: boolean): string;
  /** A DELETE of `rows` rows by their key columns. */
  deleteStatement(table: TableId, keyColumns: readonly string[], rows: number, quote: boolean): string;
  /** A Connect value (as src/api holds it: bigint, BigDecimal, Date, Buffer, ...) as this driver's parameter, per the field's schema (Confluent's bindField); `timeZone` is db.timezone (for Date fields, the zone `date.timezone` picks: db.timezone or UTC), in which Date/Time/Timestamp values are written as Confluent's Calendar does. */
  bindValue(schema: Schema, value: unknown, timeZone: string): SqlValue;
  /**
   * A schemaless value (a JSON number, string, boolean, null, or nested map/array) as the parameter
   * for an existing column, from its definition; throws DataError naming the column when it cannot
   * be stored there.
   */
  bindSchemaless(column: ColumnDefinition, value: unknown, timeZone: string): SqlValue;
  /** Whether the table exists (Confluent's tableExists, honouring table.types). */
  tableExists(conn: DbConnection, table: TableId, tableTypes: readonly string[]): Promise<boolean>;
  /** The table named by a sink's `table.name.format` result (`a`, `schema.a`, `db.schema.a`), as Confluent's parseTableIdentifier. */
  parseTableName(name: string): TableId;
}

/** A parsed `connection.url` (jdbc-url.ts parses it). */
export interface JdbcUrl {
  readonly protocol: 'postgresql' | 'mysql' | 'mariadb' | 'sqlite';
  /** host:port pairs in the order given (PostgreSQL and MySQL URLs may list several); empty for SQLite. */
  readonly hosts: readonly { readonly host: string; readonly port: number | null }[];
  /** The database name; null when the URL names none. For SQLite, null. */
  readonly database: string | null;
  /** The SQLite file path, or `:memory:`; null for server databases. */
  readonly file: string | null;
  /** Query-string properties (`?user=...&ssl=true`), decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The URL as given with any password in it masked, for messages and logs. */
  readonly display: string;
}

/** What a driver module needs to open one connection. */
export interface ConnectOptions {
  readonly url: JdbcUrl;
  /** `connection.user` (or the URL's user property), null for none. */
  readonly user: string | null;
  /** `connection.password` (or the URL's password property), null for none. Never put in a message. */
  readonly password: string | null;
  /** `db.timezone`, an IANA zone name (UTC by default). */
  readonly timeZone: string;
}

/**
 * Opens connections for one `connection.url`. `connect()` tries `connection.attempts` times with
 * `connection.backoff.ms` between tries on connection failures, and throws ConnectError with one
 * clear message (wrong credentials, unreachable host, missing database file) naming the URL without
 * its password.
 */
export interface DbConnectionFactory {
  readonly dialect: DatabaseDialect;
  connect(): Promise<DbConnection>;
}

/**
 * A failed database call. `retriable` is true for transient failures (connection lost, deadlock,
 * serialization failure, server shutting down), so the runtime's retries apply; `sqlState` is the
 * SQLSTATE (or driver code) when the driver gave one.
 */
export class DatabaseError extends ConnectError {
  readonly sqlState: string | null;

  constructor(message: string, options: { cause?: unknown; retriable?: boolean; sqlState?: string | null } = {}) {
    super(message, { cause: options.cause, retriable: options.retriable ?? false });
    this.sqlState = options.sqlState ?? null;
  }
}
