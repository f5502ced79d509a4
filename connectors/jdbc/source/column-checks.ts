import { ConfigError, ConnectError } from '../../../src/api';
import { ColumnDefinition, DatabaseDialect, DbConnection, TableId } from '../dialect';
import { INCREMENTING_COLUMN_NAME_CONFIG, TIMESTAMP_COLUMN_NAME_CONFIG } from './jdbc-source-config';

export interface ColumnCheckOptions {
  /** The configured incrementing column ('' = the auto-increment column), or null when the mode uses none. */
  readonly incrementingColumn: string | null;
  readonly timestampColumns: readonly string[];
  readonly validateNonNull: boolean;
}

/**
 * Confluent's start-up checks of one table: the offset columns exist (names compared ignoring case),
 * an empty incrementing.column.name resolves to the table's auto-increment column, and with
 * validate.non.null the incrementing column and at least one timestamp column are NOT NULL.
 * Returns the incrementing column to use (null when the mode uses none).
 */
export async function checkTableColumns(conn: DbConnection, dialect: DatabaseDialect, table: TableId, options: ColumnCheckOptions): Promise<string | null> {
  const columns = await dialect.describeTable(conn, table);
  const byName = (name: string): ColumnDefinition | undefined =>
    columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());

  let incrementing = options.incrementingColumn;
  if (incrementing === '') {
    const auto = columns.find((c) => c.autoIncrement);
    if (auto === undefined) {
      throw new ConfigError(
        `${INCREMENTING_COLUMN_NAME_CONFIG} is not set and table '${table.toString()}' has no auto-incrementing column to use instead: set ${INCREMENTING_COLUMN_NAME_CONFIG}`,
      );
    }
    incrementing = auto.name;
  }
  if (incrementing !== null && byName(incrementing) === undefined) {
    throw new ConfigError(`Incrementing column: ${incrementing} does not exist in table '${table.toString()}' (${INCREMENTING_COLUMN_NAME_CONFIG})`);
  }
  const missing = options.timestampColumns.filter((c) => byName(c) === undefined);
  if (missing.length > 0) {
    throw new ConfigError(`Timestamp columns: ${missing.join(', ')} do not exist in table '${table.toString()}' (${TIMESTAMP_COLUMN_NAME_CONFIG})`);
  }
  if (options.validateNonNull) {
    if (incrementing !== null && byName(incrementing)?.nullable === true) {
      throw new ConnectError(
        `Cannot make incremental queries using incrementing column ${incrementing} on ${table.toString()} because this column is nullable (set validate.non.null=false to skip this check)`,
      );
    }
    if (options.timestampColumns.length > 0 && options.timestampColumns.every((c) => byName(c)?.nullable === true)) {
      throw new ConnectError(
        `Cannot make incremental queries using timestamp columns ${options.timestampColumns.join(',')} on ${table.toString()} because all of these columns are nullable (set validate.non.null=false to skip this check)`,
      );
    }
  }
  return incrementing;
}
