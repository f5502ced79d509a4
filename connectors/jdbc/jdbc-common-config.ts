import { AbstractConfig, ConfigDef, ConfigError, ConfigType, Importance, NO_DEFAULT, Password, Validator, Validators } from '../../src/api';
import { JdbcUrl } from './dialect';
import { CONNECTION_URL_CONFIG, maskJdbcUrl, parseJdbcUrl } from './jdbc-url';
import { isKnownTimeZone } from './zoned-time';

/** Dialects this connector implements, by Confluent's dialect names. */
export const SUPPORTED_DIALECTS = ['PostgreSqlDatabaseDialect', 'MySqlDatabaseDialect', 'SqliteDatabaseDialect'] as const;
export type SupportedDialectName = (typeof SUPPORTED_DIALECTS)[number];

/** Confluent's other dialects: recognised so that a config naming one gets a precise error. */
const OTHER_CONFLUENT_DIALECTS = [
  'Db2DatabaseDialect',
  'DerbyDatabaseDialect',
  'GenericDatabaseDialect',
  'OracleDatabaseDialect',
  'SapHanaDatabaseDialect',
  'SqlServerDatabaseDialect',
  'SybaseDatabaseDialect',
  'VerticaDatabaseDialect',
];

/** Java's ZoneId.SHORT_IDS, which Confluent's db.timezone validator falls back to. */
const JAVA_SHORT_ZONE_IDS: Readonly<Record<string, string>> = {
  ACT: 'Australia/Darwin',
  AET: 'Australia/Sydney',
  AGT: 'America/Argentina/Buenos_Aires',
  ART: 'Africa/Cairo',
  AST: 'America/Anchorage',
  BET: 'America/Sao_Paulo',
  BST: 'Asia/Dhaka',
  CAT: 'Africa/Harare',
  CNT: 'America/St_Johns',
  CST: 'America/Chicago',
  CTT: 'Asia/Shanghai',
  EAT: 'Africa/Addis_Ababa',
  ECT: 'Europe/Paris',
  IET: 'America/Indiana/Indianapolis',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  MIT: 'Pacific/Apia',
  NET: 'Asia/Yerevan',
  NST: 'Pacific/Auckland',
  PLT: 'Asia/Karachi',
  PNT: 'America/Phoenix',
  PRT: 'America/Puerto_Rico',
  PST: 'America/Los_Angeles',
  SST: 'Pacific/Guadalcanal',
  VST: 'Asia/Ho_Chi_Minh',
  EST: 'Etc/GMT+5',
  MST: 'Etc/GMT+7',
  HST: 'Etc/GMT+10',
};

/** The IANA zone a `db.timezone` value names (Java short ids and whole-hour offsets translated), or null. */
export function resolveTimeZone(value: string): string | null {
  const name = value.trim();
  if (name === '') return null;
  const short = JAVA_SHORT_ZONE_IDS[name];
  if (short !== undefined) return short;
  if (name === 'Z') return 'UTC';
  // Fixed offsets (+05:00, UTC+01, GMT-8) as ZoneId.of reads them; Intl knows whole hours as Etc/GMT∓h.
  const offset = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?00)?$/.exec(name);
  if (offset) {
    const hours = Number(offset[2]);
    if (hours > 14) return null;
    if (hours === 0) return 'UTC';
    return `Etc/GMT${offset[1] === '+' ? '-' : '+'}${hours}`;
  }
  return isKnownTimeZone(name) ? name : null;
}

function jdbcUrlValidator(): Validator {
  return {
    ensureValid(_name, value) {
      parseJdbcUrl(String(value));
    },
    describe: () => 'a jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb: or jdbc:sqlite: URL',
  };
}

function timeZoneValidator(): Validator {
  return {
    ensureValid(name, value) {
      if (resolveTimeZone(String(value)) === null) {
        throw ConfigError.invalidValue(name, value, 'Invalid time zone: expected an IANA zone name such as UTC or Europe/Paris');
      }
    },
    describe: () => 'Any valid IANA time zone',
  };
}

/** Confluent reads QuoteMethod ignoring case. */
function quoteMethodValidator(): Validator {
  return {
    ensureValid(name, value) {
      if (!['always', 'never'].includes(String(value).trim().toLowerCase())) throw ConfigError.invalidValue(name, value, 'String must be one of: always, never');
    },
    describe: () => '[always, never]',
  };
}

function dialectValidator(): Validator {
  return {
    ensureValid(name, value) {
      const text = String(value).trim();
      if (text === '' || (SUPPORTED_DIALECTS as readonly string[]).includes(text)) return;
      if (OTHER_CONFLUENT_DIALECTS.includes(text)) {
        throw ConfigError.invalidValue(name, value, `${text} is a dialect of Confluent's connector that is not supported here; use one of: ${SUPPORTED_DIALECTS.join(', ')}, or leave it empty to choose by connection.url`);
      }
      throw ConfigError.invalidValue(name, value, `Unknown dialect; use one of: ${SUPPORTED_DIALECTS.join(', ')}, or leave it empty to choose by connection.url`);
    },
    describe: () => `[, ${SUPPORTED_DIALECTS.join(', ')}]`,
  };
}

/**
 * The keys every JDBC connector (source now, sink later) shares, declared once with Confluent's
 * names, types and defaults. A connector merges CONFIG_DEF into its own ConfigDef, parses once, and
 * builds a JdbcCommonConfig from that parse with from().
 */
export class JdbcCommonConfig {
  static readonly CONNECTION_URL_CONFIG = CONNECTION_URL_CONFIG;
  static readonly CONNECTION_USER_CONFIG = 'connection.user';
  static readonly CONNECTION_PASSWORD_CONFIG = 'connection.password';
  static readonly CONNECTION_ATTEMPTS_CONFIG = 'connection.attempts';
  static readonly CONNECTION_BACKOFF_CONFIG = 'connection.backoff.ms';
  static readonly DIALECT_NAME_CONFIG = 'dialect.name';
  static readonly DB_TIMEZONE_CONFIG = 'db.timezone';
  static readonly QUOTE_SQL_IDENTIFIERS_CONFIG = 'quote.sql.identifiers';
  static readonly TABLE_TYPES_CONFIG = 'table.types';

  static readonly CONFIG_DEF: ConfigDef = new ConfigDef()
    .define({
      name: JdbcCommonConfig.CONNECTION_URL_CONFIG,
      type: ConfigType.STRING,
      // Confluent defaults this to "" and fails when connecting; requiring it names the key up front.
      defaultValue: NO_DEFAULT,
      validator: jdbcUrlValidator(),
      // A password may sit in the URL's properties: the start-up log shows it masked.
      logValue: (value) => maskJdbcUrl(String(value)),
      importance: Importance.HIGH,
      doc:
        'The database to connect to, as a JDBC URL: jdbc:postgresql://host:port/database, jdbc:mysql://host:port/database, ' +
        'jdbc:mariadb://host:port/database or jdbc:sqlite:path/to/file.db. Driver properties go in the query string (?key=value&...). (Group: Database)',
    })
    .define({
      name: JdbcCommonConfig.CONNECTION_USER_CONFIG,
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.HIGH,
      doc: 'The database user. Takes precedence over a user given in connection.url. (Group: Database)',
    })
    .define({
      name: JdbcCommonConfig.CONNECTION_PASSWORD_CONFIG,
      type: ConfigType.PASSWORD,
      defaultValue: null,
      importance: Importance.HIGH,
      doc: "The database user's password; never logged. Takes precedence over a password in connection.url. Use a config provider (${file:...}, ${env:...}) to keep it out of the config file. (Group: Database)",
    })
    .define({
      name: JdbcCommonConfig.CONNECTION_ATTEMPTS_CONFIG,
      type: ConfigType.INT,
      defaultValue: 3,
      validator: Validators.atLeast(1),
      importance: Importance.LOW,
      doc: 'How many times to try opening a connection before giving up; at least 1. Only failures a retry can fix (refused, reset, timed out, server starting) are retried. (Group: Database)',
    })
    .define({
      name: JdbcCommonConfig.CONNECTION_BACKOFF_CONFIG,
      type: ConfigType.LONG,
      defaultValue: 10000,
      validator: Validators.atLeast(0),
      importance: Importance.LOW,
      doc: 'Milliseconds to wait between connection attempts. (Group: Database)',
    })
    .define({
      name: JdbcCommonConfig.DIALECT_NAME_CONFIG,
      type: ConfigType.STRING,
      defaultValue: '',
      validator: dialectValidator(),
      importance: Importance.LOW,
      doc: `The database dialect to use, by Confluent's name (${SUPPORTED_DIALECTS.join(', ')}). Empty (the default) picks it from connection.url. (Group: Database)`,
    })
    .define({
      name: JdbcCommonConfig.DB_TIMEZONE_CONFIG,
      type: ConfigType.STRING,
      defaultValue: 'UTC',
      validator: timeZoneValidator(),
      importance: Importance.MEDIUM,
      doc: 'The time zone the database uses for date/time values without a zone of their own: they are read, and time-based criteria written, in this zone. (Group: Connector)',
    })
    .define({
      name: JdbcCommonConfig.QUOTE_SQL_IDENTIFIERS_CONFIG,
      type: ConfigType.STRING,
      defaultValue: 'always',
      validator: quoteMethodValidator(),
      importance: Importance.MEDIUM,
      doc: 'Whether table, column and other identifiers are quoted in the SQL the connector writes: always (the default, for compatibility) or never. (Group: Mode)',
    })
    .define({
      name: JdbcCommonConfig.TABLE_TYPES_CONFIG,
      type: ConfigType.LIST,
      defaultValue: ['TABLE'],
      importance: Importance.LOW,
      doc: 'Comma-separated kinds of table to read, e.g. TABLE, VIEW (also SYSTEM TABLE, GLOBAL TEMPORARY, LOCAL TEMPORARY, ALIAS, SYNONYM where the database has them). Usually TABLE or VIEW. (Group: Connector)',
    });

  private constructor(
    /** `connection.url`, parsed. */
    readonly url: JdbcUrl,
    /** `connection.user`, null when unset or empty. */
    readonly user: string | null,
    /** `connection.password`, null when unset. */
    readonly password: Password | null,
    readonly connectionAttempts: number,
    readonly connectionBackoffMs: number,
    /** `dialect.name`, null when empty (chosen from the URL). */
    readonly dialectName: SupportedDialectName | null,
    /** `db.timezone` as an IANA zone name usable with Intl (Java short ids translated). */
    readonly timeZone: string,
    /** `quote.sql.identifiers=always`. */
    readonly quoteIdentifiers: boolean,
    /** `table.types`, trimmed and upper-cased. */
    readonly tableTypes: readonly string[],
  ) {}

  /** Parses and validates the common keys alone; throws ConfigError naming the key at fault. */
  static parse(props: Record<string, string>): JdbcCommonConfig {
    return JdbcCommonConfig.from(JdbcCommonConfig.CONFIG_DEF.parse(props, 'JdbcCommonConfig'));
  }

  /** Reads the common keys from a config parsed with a ConfigDef that includes CONFIG_DEF. */
  static from(parsed: AbstractConfig): JdbcCommonConfig {
    const user = parsed.getString(JdbcCommonConfig.CONNECTION_USER_CONFIG);
    const dialect = (parsed.getString(JdbcCommonConfig.DIALECT_NAME_CONFIG) ?? '').trim();
    const tableTypes = parsed.getList(JdbcCommonConfig.TABLE_TYPES_CONFIG).map((t) => t.trim().toUpperCase()).filter((t) => t !== '');
    if (tableTypes.length === 0) throw ConfigError.invalidValue(JdbcCommonConfig.TABLE_TYPES_CONFIG, '', 'List must name at least one table type, e.g. TABLE');
    return new JdbcCommonConfig(
      parseJdbcUrl(parsed.getString(JdbcCommonConfig.CONNECTION_URL_CONFIG) as string),
      user === null || user === '' ? null : user,
      parsed.getPassword(JdbcCommonConfig.CONNECTION_PASSWORD_CONFIG),
      parsed.getInt(JdbcCommonConfig.CONNECTION_ATTEMPTS_CONFIG),
      parsed.getLong(JdbcCommonConfig.CONNECTION_BACKOFF_CONFIG),
      dialect === '' ? null : (dialect as SupportedDialectName),
      resolveTimeZone(parsed.getString(JdbcCommonConfig.DB_TIMEZONE_CONFIG) as string) as string,
      (parsed.getString(JdbcCommonConfig.QUOTE_SQL_IDENTIFIERS_CONFIG) as string).trim().toLowerCase() === 'always',
      tableTypes,
    );
  }
}
