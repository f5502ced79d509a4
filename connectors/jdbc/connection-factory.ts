import { ConfigError } from '../../src/api';
import { ConnectOptions, DatabaseDialect, DatabaseError, DbConnection, DbConnectionFactory, JdbcUrl } from './dialect';
import { JdbcCommonConfig, SupportedDialectName } from './jdbc-common-config';

type OpenConnection = (options: ConnectOptions) => Promise<DbConnection>;

/** What the factory needs besides the config; tests inject sleep and the driver. */
export interface ConnectionFactoryOptions {
  /** Create a missing SQLite file (a sink may; a source must not). Default false. */
  readonly createDatabase?: boolean;
  /** Waits between attempts; default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Opens one connection; default the driver module for the URL. */
  readonly open?: OpenConnection;
}

interface Backend {
  readonly dialect: DatabaseDialect;
  readonly open: OpenConnection;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Driver modules load only when their database is used, so a SQLite-only install never loads pg or mysql2.
function sqliteBackend(createDatabase: boolean): Backend {
  const { openSqliteConnection } = require('./dialects/sqlite-connection') as { openSqliteConnection: (o: ConnectOptions, s: { create: boolean }) => Promise<DbConnection> };
  const { sqliteDialect } = require('./dialects/sqlite-dialect') as { sqliteDialect: DatabaseDialect };
  return { dialect: sqliteDialect, open: (o) => openSqliteConnection(o, { create: createDatabase }) };
}

function postgresBackend(): Backend {
  const { openPostgresConnection } = require('./dialects/postgres-connection') as { openPostgresConnection: OpenConnection };
  const { postgresDialect } = require('./dialects/postgres-dialect') as { postgresDialect: DatabaseDialect };
  return { dialect: postgresDialect, open: openPostgresConnection };
}

function mysqlBackend(): Backend {
  const { openMysqlConnection } = require('./dialects/mysql-connection') as { openMysqlConnection: OpenConnection };
  const { mysqlDialect } = require('./dialects/mysql-dialect') as { mysqlDialect: DatabaseDialect };
  return { dialect: mysqlDialect, open: openMysqlConnection };
}

const DIALECT_PROTOCOLS: Readonly<Record<SupportedDialectName, readonly JdbcUrl['protocol'][]>> = {
  PostgreSqlDatabaseDialect: ['postgresql'],
  MySqlDatabaseDialect: ['mysql', 'mariadb'],
  SqliteDatabaseDialect: ['sqlite'],
};

/** The dialect and driver for the URL, checked against `dialect.name` when that is set. */
function backendFor(config: JdbcCommonConfig, createDatabase: boolean): Backend {
  const protocol = config.url.protocol;
  if (config.dialectName !== null && !DIALECT_PROTOCOLS[config.dialectName].includes(protocol)) {
    throw ConfigError.invalidValue(
      JdbcCommonConfig.DIALECT_NAME_CONFIG,
      config.dialectName,
      `it does not fit connection.url ${config.url.display} (a ${protocol} URL); leave dialect.name empty or make them agree`,
    );
  }
  switch (protocol) {
    case 'sqlite':
      return sqliteBackend(createDatabase);
    case 'postgresql':
      return postgresBackend();
    case 'mysql':
    case 'mariadb':
      return mysqlBackend();
  }
}

/**
 * The connection factory for `config`: the dialect and driver chosen from the URL's database (and
 * `dialect.name` when set), user and password from connection.user/connection.password or else
 * the URL's user/password properties (the keys win, as in Confluent's connector). connect() tries
 * `connection.attempts` times, waiting `connection.backoff.ms` between tries, but only while the
 * failure is retriable; the error thrown at the end is the driver's one-line DatabaseError, with
 * the attempt count added when more than one try was made. Throws ConfigError at once when
 * dialect.name and the URL disagree.
 */
export function createConnectionFactory(config: JdbcCommonConfig, options: ConnectionFactoryOptions = {}): DbConnectionFactory {
  const backend = backendFor(config, options.createDatabase ?? false);
  const open = options.open ?? backend.open;
  const sleep = options.sleep ?? defaultSleep;
  const connectOptions: ConnectOptions = {
    url: config.url,
    user: config.user ?? config.url.params.user ?? null,
    password: config.password?.value() ?? config.url.params.password ?? null,
    timeZone: config.timeZone,
  };
  const attempts = config.connectionAttempts;
  return {
    dialect: backend.dialect,
    async connect(): Promise<DbConnection> {
      for (let attempt = 1; ; attempt++) {
        try {
          return await open(connectOptions);
        } catch (err) {
          const retriable = err instanceof DatabaseError ? err.retriable : (err as { retriable?: unknown }).retriable === true;
          if (!retriable || attempt >= attempts) throw finalError(err, attempt, config.url.display);
          await sleep(config.connectionBackoffMs);
        }
      }
    },
  };
}

function finalError(err: unknown, attempt: number, display: string): DatabaseError {
  const message = err instanceof Error ? err.message : String(err);
  const base = err instanceof DatabaseError ? message : `Cannot connect to ${display}: ${message}`;
  const text = attempt > 1 ? `${base} (gave up after ${attempt} attempts)` : base;
  if (attempt === 1 && err instanceof DatabaseError) return err;
  return new DatabaseError(text, {
    cause: err,
    retriable: err instanceof DatabaseError ? err.retriable : false,
    sqlState: err instanceof DatabaseError ? err.sqlState : null,
  });
}
