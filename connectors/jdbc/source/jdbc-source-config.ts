import { AbstractConfig, ConfigDef, ConfigError, ConfigType, Importance, NO_DEFAULT, Validator, Validators } from '../../../src/api';
import { NumericMapping, TableId } from '../dialect';
import { JdbcCommonConfig } from '../jdbc-common-config';

export type SourceMode = 'bulk' | 'incrementing' | 'timestamp' | 'timestamp+incrementing';

export const MODE_CONFIG = 'mode';
export const INCREMENTING_COLUMN_NAME_CONFIG = 'incrementing.column.name';
export const TIMESTAMP_COLUMN_NAME_CONFIG = 'timestamp.column.name';
export const TIMESTAMP_DELAY_INTERVAL_MS_CONFIG = 'timestamp.delay.interval.ms';
export const TIMESTAMP_INITIAL_CONFIG = 'timestamp.initial';
export const VALIDATE_NON_NULL_CONFIG = 'validate.non.null';
export const TABLE_WHITELIST_CONFIG = 'table.whitelist';
export const TABLE_BLACKLIST_CONFIG = 'table.blacklist';
export const TABLE_INCLUDE_LIST_CONFIG = 'table.include.list';
export const TABLE_EXCLUDE_LIST_CONFIG = 'table.exclude.list';
export const SCHEMA_PATTERN_CONFIG = 'schema.pattern';
export const CATALOG_PATTERN_CONFIG = 'catalog.pattern';
export const QUERY_CONFIG = 'query';
export const QUERY_SUFFIX_CONFIG = 'query.suffix';
export const TOPIC_PREFIX_CONFIG = 'topic.prefix';
export const POLL_INTERVAL_MS_CONFIG = 'poll.interval.ms';
export const BATCH_MAX_ROWS_CONFIG = 'batch.max.rows';
export const TABLE_POLL_INTERVAL_MS_CONFIG = 'table.poll.interval.ms';
export const NUMERIC_MAPPING_CONFIG = 'numeric.mapping';
export const NUMERIC_PRECISION_MAPPING_CONFIG = 'numeric.precision.mapping';

/** `timestamp.initial=-1`: start from the database's current time. */
export const TIMESTAMP_INITIAL_CURRENT = -1;

const MODES: readonly SourceMode[] = ['bulk', 'timestamp', 'incrementing', 'timestamp+incrementing'];
const NUMERIC_MAPPINGS: readonly NumericMapping[] = ['none', 'precision_only', 'best_fit', 'best_fit_eager_double'];

/** Each entry a regular expression, matched against the whole unquoted table name. */
function regexListValidator(): Validator {
  return {
    ensureValid(name, value) {
      for (const regex of (value as string[] | null) ?? []) {
        try {
          new RegExp(regex.trim());
        } catch (err) {
          throw ConfigError.invalidValue(name, value, `Must be a valid comma-separated list of regular expression patterns: ${(err as Error).message}`);
        }
      }
    },
    describe: () => 'a comma-separated list of regular expressions',
  };
}

/** As Confluent: a topic name prefix of ASCII letters, digits, '.', '_' and '-', at most 249 characters. */
function topicPrefixValidator(): Validator {
  return {
    ensureValid(name, value) {
      const trimmed = String(value).trim();
      if (trimmed.length > 249) throw ConfigError.invalidValue(name, value, 'Topic prefix length must not exceed max topic name length, 249 chars');
      if (/[^a-zA-Z0-9._-]/.test(trimmed)) {
        throw ConfigError.invalidValue(name, value, "Topic prefix must not contain any character other than ASCII alphanumerics, '.', '_' and '-'.");
      }
    },
    describe: () => "ASCII alphanumerics, '.', '_' and '-', at most 249 characters",
  };
}

function caseInsensitiveIn(allowed: readonly string[]): Validator {
  return {
    ensureValid(name, value) {
      if (!allowed.includes(String(value).toLowerCase())) throw ConfigError.invalidValue(name, value, `String must be one of: ${allowed.join(', ')}`);
    },
    describe: () => `[${allowed.join(', ')}]`,
  };
}

/**
 * The keys only the JDBC source has (Confluent's JdbcSourceConnectorConfig), with Confluent's
 * defaults. The connection keys shared with the sink come from jdbc-common-config.ts.
 */
export const SOURCE_CONFIG_DEF: ConfigDef = new ConfigDef()
  .define({
    name: MODE_CONFIG,
    type: ConfigType.STRING,
    defaultValue: NO_DEFAULT,
    validator: Validators.in(...MODES),
    importance: Importance.HIGH,
    doc:
      'The mode for updating a table each time it is polled. bulk: read the entire table each time it is polled. ' +
      'incrementing: use a strictly incrementing column on each table to detect only new rows (modifications and deletions of existing rows are not detected). ' +
      'timestamp: use a timestamp (or timestamp-like) column to detect new and modified rows; values are assumed to increase monotonically but need not be unique. ' +
      'timestamp+incrementing: use a timestamp column to detect new and modified rows and a strictly incrementing column as a unique id for each update, so each row has a unique position.',
  })
  .define({
    name: INCREMENTING_COLUMN_NAME_CONFIG,
    type: ConfigType.STRING,
    defaultValue: '',
    importance: Importance.MEDIUM,
    doc:
      'The name of the strictly incrementing column used to detect new rows. Empty means the first auto-incrementing column of each table is used (in query mode it must be set). The column may not be nullable.',
  })
  .define({
    name: TIMESTAMP_COLUMN_NAME_CONFIG,
    type: ConfigType.LIST,
    defaultValue: [],
    importance: Importance.MEDIUM,
    doc:
      'Comma-separated list of one or more timestamp columns used to detect new or modified rows; with several, the first non-null value of each row (COALESCE) is its timestamp. Rows whose timestamp is greater than the largest seen are read at each poll. At least one column should not be nullable.',
  })
  .define({
    name: TIMESTAMP_DELAY_INTERVAL_MS_CONFIG,
    type: ConfigType.LONG,
    defaultValue: 0,
    validator: Validators.atLeast(0),
    importance: Importance.HIGH,
    doc:
      'How long to wait after a row with a certain timestamp appears before it is included, so transactions that committed late with an earlier timestamp are still read: each query reads rows up to the database time minus this delay.',
  })
  .define({
    name: TIMESTAMP_INITIAL_CONFIG,
    type: ConfigType.LONG,
    defaultValue: null,
    importance: Importance.LOW,
    doc: 'The epoch timestamp (milliseconds) the first timestamp query starts from when no offset is stored. -1 means the database\'s current time. Unset: all rows are read.',
  })
  .define({
    name: VALIDATE_NON_NULL_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.LOW,
    doc:
      'Check at start that the incrementing column and at least one timestamp column of each table are NOT NULL, and fail the task if not. false disables the check. Only tables are checked, not queries.',
  })
  .define({
    name: TABLE_WHITELIST_CONFIG,
    type: ConfigType.LIST,
    defaultValue: [],
    importance: Importance.MEDIUM,
    doc: 'List of tables to copy (names, or fully qualified names). If set, table.blacklist may not be set.',
  })
  .define({
    name: TABLE_BLACKLIST_CONFIG,
    type: ConfigType.LIST,
    defaultValue: [],
    importance: Importance.MEDIUM,
    doc: 'List of tables not to copy (names, or fully qualified names). If set, table.whitelist may not be set.',
  })
  .define({
    name: TABLE_INCLUDE_LIST_CONFIG,
    type: ConfigType.LIST,
    defaultValue: [],
    validator: regexListValidator(),
    importance: Importance.MEDIUM,
    doc:
      'Comma-separated regular expressions matched against the whole fully qualified table name (case-sensitive), e.g. schema1\\.customer.*. If set, table.whitelist and table.blacklist may not be set.',
  })
  .define({
    name: TABLE_EXCLUDE_LIST_CONFIG,
    type: ConfigType.LIST,
    defaultValue: [],
    validator: regexListValidator(),
    importance: Importance.MEDIUM,
    doc: 'Comma-separated regular expressions of fully qualified table names not to copy among those table.include.list matches. Requires table.include.list.',
  })
  .define({
    name: CATALOG_PATTERN_CONFIG,
    type: ConfigType.STRING,
    defaultValue: null,
    importance: Importance.MEDIUM,
    doc: 'Catalog pattern (JDBC: % and _ wildcards) to fetch table metadata from. "" retrieves tables without a catalog; unset: any catalog.',
  })
  .define({
    name: SCHEMA_PATTERN_CONFIG,
    type: ConfigType.STRING,
    defaultValue: null,
    importance: Importance.HIGH,
    doc: 'Schema pattern (JDBC: % and _ wildcards) to fetch table metadata from. "" retrieves tables without a schema; unset: any schema.',
  })
  .define({
    name: NUMERIC_PRECISION_MAPPING_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.LOW,
    doc: 'Deprecated: use numeric.mapping. true is numeric.mapping=precision_only when numeric.mapping is not set.',
  })
  .define({
    name: NUMERIC_MAPPING_CONFIG,
    type: ConfigType.STRING,
    defaultValue: null,
    validator: caseInsensitiveIn(NUMERIC_MAPPINGS),
    importance: Importance.LOW,
    doc:
      'How NUMERIC columns map by precision and scale. none: always Decimal. best_fit: INT8/16/32/64 or FLOAT64 when the value fits without losing precision, else Decimal. ' +
      'best_fit_eager_double: as best_fit, and FLOAT64 for any column with a scale. precision_only: integers by precision when the scale is 0. Unset: none (or precision_only with numeric.precision.mapping=true).',
  })
  .define({
    name: QUERY_CONFIG,
    type: ConfigType.STRING,
    defaultValue: '',
    importance: Importance.MEDIUM,
    doc:
      'If set, the query to read rows with instead of copying whole tables (joins, a subset of columns, filters), written to one topic: topic.prefix. ' +
      'Unlike Confluent\'s connector, which appends its WHERE clause to the query, the incremental modes wrap it as a subquery (SELECT * FROM (<query>) ... WHERE ...), so the query may have a WHERE clause of its own.',
  })
  .define({
    name: QUERY_SUFFIX_CONFIG,
    type: ConfigType.STRING,
    defaultValue: '',
    importance: Importance.LOW,
    doc: 'Suffix appended at the end of each generated query (after the ORDER BY and the LIMIT of each page).',
  })
  .define({
    name: TOPIC_PREFIX_CONFIG,
    type: ConfigType.STRING,
    defaultValue: '',
    validator: topicPrefixValidator(),
    importance: Importance.HIGH,
    doc: 'Prefix prepended to table names to make the topic names; in query mode, the whole topic name.',
  })
  .define({
    name: POLL_INTERVAL_MS_CONFIG,
    type: ConfigType.INT,
    defaultValue: 5000,
    validator: Validators.atLeast(0),
    importance: Importance.HIGH,
    doc: 'How often, in milliseconds, each table is queried for new data.',
  })
  .define({
    name: BATCH_MAX_ROWS_CONFIG,
    type: ConfigType.INT,
    defaultValue: 1000,
    validator: Validators.atLeast(1),
    importance: Importance.LOW,
    doc: 'Maximum number of rows in one batch when polling: also the page size (LIMIT) of each query, which bounds the rows held in memory.',
  })
  .define({
    name: TABLE_POLL_INTERVAL_MS_CONFIG,
    type: ConfigType.LONG,
    defaultValue: 60000,
    validator: Validators.atLeast(1),
    importance: Importance.LOW,
    doc: 'How often, in milliseconds, to look for new or removed tables; a change reconfigures the tasks to read added tables and stop reading removed ones.',
  });

/** The source keys, parsed once into typed fields (the shared connection keys are parsed apart). */
export interface JdbcSourceSettings {
  readonly mode: SourceMode;
  /** '' means: use the table's auto-increment column. */
  readonly incrementingColumn: string;
  readonly timestampColumns: readonly string[];
  readonly timestampDelayMs: number;
  /** null: from the epoch; -1: the database's current time. */
  readonly timestampInitial: number | null;
  readonly validateNonNull: boolean;
  readonly whitelist: readonly string[];
  readonly blacklist: readonly string[];
  readonly includeList: readonly RegExp[];
  readonly excludeList: readonly RegExp[];
  readonly catalogPattern: string | null;
  readonly schemaPattern: string | null;
  readonly numericMapping: NumericMapping;
  /** null in table mode. */
  readonly query: string | null;
  readonly querySuffix: string;
  readonly topicPrefix: string;
  readonly pollIntervalMs: number;
  readonly batchMaxRows: number;
  readonly tablePollIntervalMs: number;
}

export function usesTimestamp(mode: SourceMode): boolean {
  return mode === 'timestamp' || mode === 'timestamp+incrementing';
}

export function usesIncrementing(mode: SourceMode): boolean {
  return mode === 'incrementing' || mode === 'timestamp+incrementing';
}

/** Reads the source keys from a parsed config and checks the rules between keys; throws ConfigError naming the keys at fault. */
export function sourceSettings(parsed: AbstractConfig): JdbcSourceSettings {
  const mode = parsed.getString(MODE_CONFIG) as SourceMode;
  const query = (parsed.getString(QUERY_CONFIG) ?? '').trim();
  const timestampColumns = parsed.getList(TIMESTAMP_COLUMN_NAME_CONFIG).map((c) => c.trim()).filter((c) => c !== '');
  const incrementingColumn = (parsed.getString(INCREMENTING_COLUMN_NAME_CONFIG) ?? '').trim();
  const whitelist = nonEmpty(parsed.getList(TABLE_WHITELIST_CONFIG));
  const blacklist = nonEmpty(parsed.getList(TABLE_BLACKLIST_CONFIG));
  const includeList = nonEmpty(parsed.getList(TABLE_INCLUDE_LIST_CONFIG));
  const excludeList = nonEmpty(parsed.getList(TABLE_EXCLUDE_LIST_CONFIG));
  const topicPrefix = (parsed.getString(TOPIC_PREFIX_CONFIG) ?? '').trim();

  if (whitelist.length > 0 && blacklist.length > 0) {
    throw new ConfigError(`${TABLE_WHITELIST_CONFIG} and ${TABLE_BLACKLIST_CONFIG} may not both be set: list the tables to copy or the tables to leave out, not both`);
  }
  const legacy = [whitelist.length > 0 ? TABLE_WHITELIST_CONFIG : null, blacklist.length > 0 ? TABLE_BLACKLIST_CONFIG : null].filter((k): k is string => k !== null);
  const regex = [includeList.length > 0 ? TABLE_INCLUDE_LIST_CONFIG : null, excludeList.length > 0 ? TABLE_EXCLUDE_LIST_CONFIG : null].filter((k): k is string => k !== null);
  if (legacy.length > 0 && regex.length > 0) {
    throw new ConfigError(
      `${legacy.join(' and ')} cannot be combined with ${regex.join(' and ')}: use either ${TABLE_WHITELIST_CONFIG}/${TABLE_BLACKLIST_CONFIG} (exact names) or ${TABLE_INCLUDE_LIST_CONFIG}/${TABLE_EXCLUDE_LIST_CONFIG} (regular expressions)`,
    );
  }
  if (excludeList.length > 0 && includeList.length === 0) {
    throw new ConfigError(`${TABLE_EXCLUDE_LIST_CONFIG} cannot be used without ${TABLE_INCLUDE_LIST_CONFIG}: the exclude list only applies to tables the include list matches`);
  }
  if (query !== '') {
    const filters = [...legacy, ...regex];
    if (filters.length > 0) throw new ConfigError(`${QUERY_CONFIG} may not be combined with whole-table copying settings: remove ${filters.join(', ')} or ${QUERY_CONFIG}`);
    if (topicPrefix === '') throw new ConfigError(`${TOPIC_PREFIX_CONFIG} must be set when ${QUERY_CONFIG} is set: in query mode it is the whole topic name`);
  }
  if (usesTimestamp(mode) && timestampColumns.length === 0) {
    throw new ConfigError(`${TIMESTAMP_COLUMN_NAME_CONFIG} must name at least one column when ${MODE_CONFIG} is ${mode}`);
  }
  if (usesIncrementing(mode) && query !== '' && incrementingColumn === '') {
    throw new ConfigError(
      `${INCREMENTING_COLUMN_NAME_CONFIG} must be set when ${MODE_CONFIG} is ${mode} with a ${QUERY_CONFIG}: a query has no table whose auto-increment column could be used`,
    );
  }

  const numericMappingValue = parsed.getString(NUMERIC_MAPPING_CONFIG);
  const numericMapping: NumericMapping =
    numericMappingValue !== null ? (numericMappingValue.toLowerCase() as NumericMapping) : parsed.getBoolean(NUMERIC_PRECISION_MAPPING_CONFIG) ? 'precision_only' : 'none';
  const timestampInitialValue = parsed.getLong(TIMESTAMP_INITIAL_CONFIG) as number | null;

  return {
    mode,
    incrementingColumn,
    timestampColumns,
    timestampDelayMs: parsed.getLong(TIMESTAMP_DELAY_INTERVAL_MS_CONFIG),
    timestampInitial: timestampInitialValue,
    validateNonNull: parsed.getBoolean(VALIDATE_NON_NULL_CONFIG),
    whitelist,
    blacklist,
    includeList: includeList.map((r) => new RegExp(`^(?:${r.trim()})$`)),
    excludeList: excludeList.map((r) => new RegExp(`^(?:${r.trim()})$`)),
    catalogPattern: parsed.getString(CATALOG_PATTERN_CONFIG),
    schemaPattern: parsed.getString(SCHEMA_PATTERN_CONFIG),
    numericMapping,
    query: query === '' ? null : query,
    querySuffix: (parsed.getString(QUERY_SUFFIX_CONFIG) ?? '').trim(),
    topicPrefix,
    pollIntervalMs: parsed.getInt(POLL_INTERVAL_MS_CONFIG),
    batchMaxRows: parsed.getInt(BATCH_MAX_ROWS_CONFIG),
    tablePollIntervalMs: parsed.getLong(TABLE_POLL_INTERVAL_MS_CONFIG),
  };
}

function nonEmpty(list: readonly string[]): string[] {
  return list.map((s) => s.trim()).filter((s) => s !== '');
}

/** The task-only key: the tables one task reads, as JSON `[[catalog, schema, table], ...]`. */
export const TABLES_CONFIG = 'tables';

/** Every key the JDBC source connector accepts: the shared connection keys, then the source keys. */
export const JDBC_SOURCE_CONFIG_DEF: ConfigDef = JdbcCommonConfig.CONFIG_DEF.merge(SOURCE_CONFIG_DEF);

const TASK_CONFIG_DEF: ConfigDef = JDBC_SOURCE_CONFIG_DEF.merge(
  new ConfigDef().define({
    name: TABLES_CONFIG,
    type: ConfigType.STRING,
    defaultValue: '[]',
    importance: Importance.HIGH,
    doc: 'Set by the connector: the tables this task reads.',
  }),
);

/** The JDBC source configuration, parsed once: the shared connection settings and the source settings. */
export class JdbcSourceConfig {
  private constructor(
    readonly common: JdbcCommonConfig,
    readonly source: JdbcSourceSettings,
    /** Task configs only: the tables assigned to the task. */
    readonly tables: readonly TableId[],
  ) {}

  /** Parses the connector's config; throws ConfigError naming the key at fault. */
  static parse(props: Record<string, string>): JdbcSourceConfig {
    const parsed = JDBC_SOURCE_CONFIG_DEF.parse(props, 'JdbcSourceConnectorConfig');
    return new JdbcSourceConfig(JdbcCommonConfig.from(parsed), sourceSettings(parsed), []);
  }

  /** Parses a task's config (the connector's keys plus `tables`). */
  static parseTask(props: Record<string, string>): JdbcSourceConfig {
    const parsed = TASK_CONFIG_DEF.parse(props, 'JdbcSourceTaskConfig');
    return new JdbcSourceConfig(JdbcCommonConfig.from(parsed), sourceSettings(parsed), decodeTables(parsed.getString(TABLES_CONFIG) ?? '[]'));
  }
}

export function encodeTables(tables: readonly TableId[]): string {
  return JSON.stringify(tables.map((t) => [t.catalog, t.schema, t.table]));
}

function decodeTables(text: string): TableId[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const valid = (e: unknown): e is [string | null, string | null, string] =>
    Array.isArray(e) && e.length === 3 && (e[0] === null || typeof e[0] === 'string') && (e[1] === null || typeof e[1] === 'string') && typeof e[2] === 'string';
  if (!Array.isArray(value) || !value.every(valid)) throw ConfigError.invalidValue(TABLES_CONFIG, text, 'Expected the JSON list of tables the connector assigns to the task');
  return value.map(([catalog, schema, table]) => new TableId(catalog, schema, table));
}
