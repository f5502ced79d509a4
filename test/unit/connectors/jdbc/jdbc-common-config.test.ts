import { ConfigDef, ConfigError, ConfigType, Importance, Password } from '../../../../src/api';
import { JdbcCommonConfig, resolveTimeZone } from '../../../../connectors/jdbc/jdbc-common-config';

const URL = 'jdbc:sqlite:test.db';

function error(props: Record<string, string>): ConfigError {
  try {
    JdbcCommonConfig.parse(props);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected a failure');
}

describe('JdbcCommonConfig', () => {
  it("Confluent's defaults", () => {
    const c = JdbcCommonConfig.parse({ 'connection.url': URL });
    expect(c.url).toMatchObject({ protocol: 'sqlite', file: 'test.db' });
    expect(c.user).toBeNull();
    expect(c.password).toBeNull();
    expect(c.connectionAttempts).toBe(3);
    expect(c.connectionBackoffMs).toBe(10000);
    expect(c.dialectName).toBeNull();
    expect(c.timeZone).toBe('UTC');
    expect(c.quoteIdentifiers).toBe(true);
    expect(c.tableTypes).toEqual(['TABLE']);
  });

  it('declares the keys with Confluent types and importance', () => {
    const keys = Object.fromEntries(JdbcCommonConfig.CONFIG_DEF.configKeys().map((k) => [k.name, k]));
    expect(Object.keys(keys).sort()).toEqual(
      ['connection.attempts', 'connection.backoff.ms', 'connection.password', 'connection.url', 'connection.user', 'db.timezone', 'dialect.name', 'quote.sql.identifiers', 'table.types'],
    );
    expect(keys['connection.password'].type).toBe(ConfigType.PASSWORD);
    expect(keys['connection.url'].importance).toBe(Importance.HIGH);
    expect(keys['connection.backoff.ms'].type).toBe(ConfigType.LONG);
    expect(keys['table.types'].type).toBe(ConfigType.LIST);
  });

  it('every key parsed', () => {
    const c = JdbcCommonConfig.parse({
      'connection.url': 'jdbc:postgresql://h:5432/db',
      'connection.user': 'app',
      'connection.password': 'secret',
      'connection.attempts': '5',
      'connection.backoff.ms': '250',
      'dialect.name': 'PostgreSqlDatabaseDialect',
      'db.timezone': 'Europe/Paris',
      'quote.sql.identifiers': 'NEVER',
      'table.types': 'table, view',
    });
    expect(c.user).toBe('app');
    expect(c.password).toBeInstanceOf(Password);
    expect(c.password!.value()).toBe('secret');
    expect(String(c.password)).toBe('[hidden]');
    expect(c.connectionAttempts).toBe(5);
    expect(c.connectionBackoffMs).toBe(250);
    expect(c.dialectName).toBe('PostgreSqlDatabaseDialect');
    expect(c.timeZone).toBe('Europe/Paris');
    expect(c.quoteIdentifiers).toBe(false);
    expect(c.tableTypes).toEqual(['TABLE', 'VIEW']);
  });

  it('connection.url is required and validated', () => {
    expect(error({}).message).toBe('Missing required configuration "connection.url" which has no default value.');
    expect(error({ 'connection.url': 'jdbc:oracle:thin:@h:1521:x' }).message).toMatch(/for configuration connection.url: the database "oracle" is not supported .*Supported forms:/);
  });

  it('dialect.name: a Confluent dialect not implemented here gets its own message', () => {
    expect(error({ 'connection.url': URL, 'dialect.name': 'OracleDatabaseDialect' }).message).toBe(
      "Invalid value OracleDatabaseDialect for configuration dialect.name: OracleDatabaseDialect is a dialect of Confluent's connector that is not supported here; use one of: PostgreSqlDatabaseDialect, MySqlDatabaseDialect, SqliteDatabaseDialect, or leave it empty to choose by connection.url",
    );
    expect(error({ 'connection.url': URL, 'dialect.name': 'Postgres' }).message).toMatch(/^Invalid value Postgres for configuration dialect.name: Unknown dialect/);
    expect(JdbcCommonConfig.parse({ 'connection.url': URL, 'dialect.name': ' ' }).dialectName).toBeNull();
  });

  it('connection.attempts must be positive, backoff not negative', () => {
    expect(error({ 'connection.url': URL, 'connection.attempts': '0' }).message).toBe('Invalid value 0 for configuration connection.attempts: Value must be at least 1');
    expect(error({ 'connection.url': URL, 'connection.backoff.ms': '-1' }).message).toMatch(/connection.backoff.ms: Value must be at least 0/);
  });

  it('db.timezone: IANA names, Java short ids and offsets; anything else names the key', () => {
    expect(error({ 'connection.url': URL, 'db.timezone': 'Mars/Olympus' }).message).toMatch(/^Invalid value Mars\/Olympus for configuration db.timezone: Invalid time zone/);
    expect(JdbcCommonConfig.parse({ 'connection.url': URL, 'db.timezone': 'PST' }).timeZone).toBe('America/Los_Angeles');
    expect(resolveTimeZone('EST')).toBe('Etc/GMT+5');
    expect(resolveTimeZone('+02:00')).toBe('Etc/GMT-2');
    expect(resolveTimeZone('UTC-8')).toBe('Etc/GMT+8');
    expect(resolveTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(resolveTimeZone('')).toBeNull();
    expect(resolveTimeZone('+05:30')).toBeNull();
  });

  it('quote.sql.identifiers is always or never (any case)', () => {
    expect(error({ 'connection.url': URL, 'quote.sql.identifiers': 'sometimes' }).message).toBe(
      'Invalid value sometimes for configuration quote.sql.identifiers: String must be one of: always, never',
    );
    expect(JdbcCommonConfig.parse({ 'connection.url': URL, 'quote.sql.identifiers': 'Always' }).quoteIdentifiers).toBe(true);
  });

  it('table.types may not be empty', () => {
    expect(error({ 'connection.url': URL, 'table.types': '' }).message).toMatch(/table.types: List must name at least one table type/);
  });

  it('a connector merges the declaration into its own and reads it from one parse', () => {
    const def = new ConfigDef()
      .define({ name: 'topic.prefix', type: ConfigType.STRING, defaultValue: '', importance: Importance.HIGH, doc: 'x' })
      .merge(JdbcCommonConfig.CONFIG_DEF);
    const parsed = def.parse({ 'connection.url': URL, 'topic.prefix': 'p-', 'connection.user': '' });
    const c = JdbcCommonConfig.from(parsed);
    expect(parsed.getString('topic.prefix')).toBe('p-');
    expect(c.user).toBeNull();
    expect(c.url.file).toBe('test.db');
  });
});
