import { ConfigDef, ConfigError, ConfigType, Importance, Validator, Validators } from '../../../src/api';
import { JdbcCommonConfig } from '../jdbc-common-config';

export type InsertMode = 'insert' | 'upsert' | 'update';
export type PrimaryKeyMode = 'none' | 'kafka' | 'record_key' | 'record_value';
export type UnknownFieldsPolicy = 'fail' | 'ignore';

export const INSERT_MODE_CONFIG = 'insert.mode';
export const BATCH_SIZE_CONFIG = 'batch.size';
export const DELETE_ENABLED_CONFIG = 'delete.enabled';
export const TABLE_NAME_FORMAT_CONFIG = 'table.name.format';
export const PK_MODE_CONFIG = 'pk.mode';
export const PK_FIELDS_CONFIG = 'pk.fields';
export const FIELDS_WHITELIST_CONFIG = 'fields.whitelist';
export const FIELDS_INCLUDE_LIST_CONFIG = 'fields.include.list';
export const AUTO_CREATE_CONFIG = 'auto.create';
export const AUTO_EVOLVE_CONFIG = 'auto.evolve';
export const MAX_RETRIES_CONFIG = 'max.retries';
export const RETRY_BACKOFF_MS_CONFIG = 'retry.backoff.ms';
export const SCHEMALESS_UNKNOWN_FIELDS_CONFIG = 'schemaless.unknown.fields';

/** Confluent's kafka-mode primary key columns: topic, partition, offset. */
export const DEFAULT_KAFKA_PK_NAMES: readonly string[] = ['__connect_topic', '__connect_partition', '__connect_offset'];

/** Confluent's EnumValidator: the value in lower or upper case, exactly. */
function enumValidator(values: readonly string[]): Validator {
  return {
    ensureValid(name, value) {
      const text = String(value);
      if (!values.some((v) => v === text || v.toUpperCase() === text)) {
        throw ConfigError.invalidValue(name, value, `Invalid enumerator: expected one of ${values.join(', ')}`);
      }
    },
    describe: () => `[${values.join(', ')}]`,
  };
}

/**
 * The keys only the JDBC sink has (Confluent's JdbcSinkConfig, with its defaults and validators),
 * plus `fields.include.list` (the inclusive name of fields.whitelist) and our
 * `schemaless.unknown.fields`. The connection keys come from jdbc-common-config.ts.
 */
export const SINK_CONFIG_DEF: ConfigDef = new ConfigDef()
  .define({
    name: INSERT_MODE_CONFIG,
    type: ConfigType.STRING,
    defaultValue: 'insert',
    validator: enumValidator(['insert', 'upsert', 'update']),
    importance: Importance.HIGH,
    doc:
      'How rows are written. insert: plain INSERT statements. upsert: insert or update by the primary key (PostgreSQL and SQLite ON CONFLICT ... DO UPDATE, MySQL ON DUPLICATE KEY UPDATE). ' +
      'update: UPDATE ... WHERE the primary key; a record whose row does not exist changes nothing. (Group: Writes)',
  })
  .define({
    name: BATCH_SIZE_CONFIG,
    type: ConfigType.INT,
    defaultValue: 3000,
    validator: Validators.atLeast(0),
    importance: Importance.MEDIUM,
    doc: 'Most records written by one multi-row statement. All records of one put() are written in one transaction. (Group: Writes)',
  })
  .define({
    name: DELETE_ENABLED_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.MEDIUM,
    doc: 'Whether a record with a null value (a tombstone) deletes the row with its key. Requires pk.mode=record_key. (Group: Writes)',
  })
  .define({
    name: TABLE_NAME_FORMAT_CONFIG,
    type: ConfigType.STRING,
    defaultValue: '${topic}',
    validator: Validators.nonEmptyString(),
    importance: Importance.MEDIUM,
    doc: "The destination table's name; ${topic} stands for the record's topic, e.g. kafka_${topic} writes topic orders to table kafka_orders. May name a schema (schema.table). (Group: Data Mapping)",
  })
  .define({
    name: PK_MODE_CONFIG,
    type: ConfigType.STRING,
    defaultValue: 'none',
    validator: enumValidator(['none', 'kafka', 'record_key', 'record_value']),
    importance: Importance.HIGH,
    doc:
      'Where the primary key comes from. none: no key. kafka: the topic, partition and offset (columns __connect_topic, __connect_partition, __connect_offset, or the three names in pk.fields). ' +
      'record_key: fields of the record key (a struct, or a primitive named by pk.fields). record_value: fields of the record value. (Group: Data Mapping)',
  })
  .define({
    name: PK_FIELDS_CONFIG,
    type: ConfigType.LIST,
    defaultValue: [],
    importance: Importance.MEDIUM,
    doc:
      'Comma-separated primary key field names, read per pk.mode: none: ignored. kafka: exactly three names for topic, partition and offset, or empty for the defaults. ' +
      'record_key: the key struct fields to use (empty: all), or for a primitive key the one column name. record_value: the value fields to use (empty: all). (Group: Data Mapping)',
  })
  .define({
    name: FIELDS_WHITELIST_CONFIG,
    type: ConfigType.LIST,
    defaultValue: [],
    importance: Importance.MEDIUM,
    doc: 'Comma-separated record value field names to write as non-key columns; empty writes all of them. pk.fields picks the key columns independently. (Group: Data Mapping)',
  })
  .define({
    name: FIELDS_INCLUDE_LIST_CONFIG,
    type: ConfigType.LIST,
    defaultValue: [],
    importance: Importance.MEDIUM,
    doc: 'Another name for fields.whitelist; set one of the two. (Group: Data Mapping)',
  })
  .define({
    name: AUTO_CREATE_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.MEDIUM,
    doc: "Whether a missing destination table is created (CREATE TABLE) from the record's key and value schemas. (Group: DDL Support)",
  })
  .define({
    name: AUTO_EVOLVE_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.MEDIUM,
    doc: "Whether columns missing from the table are added (ALTER TABLE) when a record's schema has new fields; only optional fields or fields with a default can be added. (Group: DDL Support)",
  })
  .define({
    name: MAX_RETRIES_CONFIG,
    type: ConfigType.INT,
    defaultValue: 10,
    validator: Validators.atLeast(0),
    importance: Importance.MEDIUM,
    doc: 'How many times in a row a write that failed with a transient database error (connection lost, deadlock, serialization failure) is retried before the task fails. (Group: Retries)',
  })
  .define({
    name: RETRY_BACKOFF_MS_CONFIG,
    type: ConfigType.INT,
    defaultValue: 3000,
    validator: Validators.atLeast(0),
    importance: Importance.MEDIUM,
    doc: 'Milliseconds to wait after a transient database error before the records are written again. (Group: Retries)',
  })
  .define({
    name: SCHEMALESS_UNKNOWN_FIELDS_CONFIG,
    type: ConfigType.STRING,
    defaultValue: 'fail',
    validator: Validators.in('fail', 'ignore'),
    importance: Importance.LOW,
    doc:
      'For schemaless records (a JSON map without a schema, e.g. JsonConverter with schemas.enable=false), which are written into an existing table with its column types: ' +
      'what a field the table has no column for does. fail: the record fails with an error naming the field and table. ignore: the field is dropped, with one warning per field and table. ' +
      'Not in Confluent\'s connector, which refuses schemaless records. (Group: Data Mapping)',
  });

/** Parsed JDBC sink configuration: the common keys and the sink's own. */
export class JdbcSinkConfig {
  static readonly CONFIG_DEF: ConfigDef = JdbcCommonConfig.CONFIG_DEF.merge(SINK_CONFIG_DEF);

  private constructor(
    readonly common: JdbcCommonConfig,
    readonly insertMode: InsertMode,
    /** `batch.size`, at least 1 (Confluent's 0 also writes one record per statement). */
    readonly batchSize: number,
    readonly deleteEnabled: boolean,
    readonly tableNameFormat: string,
    readonly pkMode: PrimaryKeyMode,
    readonly pkFields: readonly string[],
    /** `fields.whitelist` or `fields.include.list`; empty for all fields. */
    readonly fieldsWhitelist: ReadonlySet<string>,
    readonly autoCreate: boolean,
    readonly autoEvolve: boolean,
    readonly maxRetries: number,
    readonly retryBackoffMs: number,
    readonly unknownFields: UnknownFieldsPolicy,
  ) {}

  /** Parses and validates; throws ConfigError naming the key(s) at fault. */
  static parse(props: Record<string, string>): JdbcSinkConfig {
    const parsed = JdbcSinkConfig.CONFIG_DEF.parse(props, 'JdbcSinkConfig');
    const common = JdbcCommonConfig.from(parsed);
    const insertMode = (parsed.getString(INSERT_MODE_CONFIG) as string).toLowerCase() as InsertMode;
    const pkMode = (parsed.getString(PK_MODE_CONFIG) as string).toLowerCase() as PrimaryKeyMode;
    const deleteEnabled = parsed.getBoolean(DELETE_ENABLED_CONFIG);
    if (deleteEnabled && pkMode !== 'record_key') {
      throw new ConfigError(
        `Primary key mode must be 'record_key' when delete support is enabled: ${DELETE_ENABLED_CONFIG}=true needs ${PK_MODE_CONFIG}=record_key, but ${PK_MODE_CONFIG} is ${pkMode}`,
      );
    }
    // Confluent accepts this and then fails every record ("requires key field names to be known"); no record could ever be written.
    if ((insertMode === 'upsert' || insertMode === 'update') && pkMode === 'none') {
      throw new ConfigError(
        `${INSERT_MODE_CONFIG}=${insertMode} finds rows by their primary key, so it needs ${PK_MODE_CONFIG} set to kafka, record_key or record_value, but ${PK_MODE_CONFIG} is none`,
      );
    }
    const clean = (list: string[]): string[] => list.map((s) => s.trim()).filter((s) => s !== '');
    const whitelist = clean(parsed.getList(FIELDS_WHITELIST_CONFIG));
    const includeList = clean(parsed.getList(FIELDS_INCLUDE_LIST_CONFIG));
    if (whitelist.length > 0 && includeList.length > 0 && whitelist.join(',') !== includeList.join(',')) {
      throw new ConfigError(`${FIELDS_WHITELIST_CONFIG} and ${FIELDS_INCLUDE_LIST_CONFIG} are two names for one setting and are set differently (${whitelist.join(',')} vs ${includeList.join(',')}); set only one`);
    }
    return new JdbcSinkConfig(
      common,
      insertMode,
      Math.max(1, parsed.getInt(BATCH_SIZE_CONFIG)),
      deleteEnabled,
      (parsed.getString(TABLE_NAME_FORMAT_CONFIG) as string).trim(),
      pkMode,
      clean(parsed.getList(PK_FIELDS_CONFIG)),
      new Set(whitelist.length > 0 ? whitelist : includeList),
      parsed.getBoolean(AUTO_CREATE_CONFIG),
      parsed.getBoolean(AUTO_EVOLVE_CONFIG),
      parsed.getInt(MAX_RETRIES_CONFIG),
      parsed.getInt(RETRY_BACKOFF_MS_CONFIG),
      parsed.getString(SCHEMALESS_UNKNOWN_FIELDS_CONFIG) as UnknownFieldsPolicy,
    );
  }
}
