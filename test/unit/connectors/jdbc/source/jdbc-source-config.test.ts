import { ConfigError } from '../../../../../src/api';
import { JdbcSourceConfig } from '../../../../../connectors/jdbc/source/jdbc-source-config';

const base = { 'connection.url': 'jdbc:sqlite:/tmp/x.db', mode: 'bulk' };

function parse(props: Record<string, string>): JdbcSourceConfig {
  return JdbcSourceConfig.parse({ ...base, ...props });
}

function errorOf(props: Record<string, string>): string {
  try {
    parse(props);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('JdbcSourceConfig', () => {
  it("has Confluent's defaults", () => {
    const { source, common } = parse({});
    expect(source).toMatchObject({
      mode: 'bulk',
      incrementingColumn: '',
      timestampColumns: [],
      timestampDelayMs: 0,
      timestampInitial: null,
      validateNonNull: true,
      catalogPattern: null,
      schemaPattern: null,
      numericMapping: 'none',
      query: null,
      querySuffix: '',
      topicPrefix: '',
      pollIntervalMs: 5000,
      batchMaxRows: 1000,
      tablePollIntervalMs: 60000,
    });
    expect(common.quoteIdentifiers).toBe(true);
    expect(common.tableTypes).toEqual(['TABLE']);
  });

  it('requires mode and accepts only the four modes', () => {
    expect(() => JdbcSourceConfig.parse({ 'connection.url': 'jdbc:sqlite:/tmp/x.db' })).toThrow(/"mode"/);
    expect(errorOf({ mode: 'timestamp-incrementing' })).toMatch(/Invalid value timestamp-incrementing for configuration mode/);
  });

  it('names the missing column keys of the incremental modes', () => {
    expect(errorOf({ mode: 'timestamp' })).toMatch(/timestamp\.column\.name must name at least one column when mode is timestamp/);
    expect(errorOf({ mode: 'timestamp+incrementing', 'incrementing.column.name': 'id' })).toMatch(/timestamp\.column\.name/);
    expect(errorOf({ mode: 'incrementing', query: 'SELECT * FROM t', 'topic.prefix': 't' })).toMatch(/incrementing\.column\.name must be set when mode is incrementing with a query/);
    // Table mode: an empty incrementing column means the auto-increment column.
    expect(parse({ mode: 'incrementing' }).source.incrementingColumn).toBe('');
  });

  it('parses timestamp.column.name as a list and timestamp.initial including -1', () => {
    const { source } = parse({ mode: 'timestamp', 'timestamp.column.name': 'updated_at, created_at', 'timestamp.initial': '-1', 'timestamp.delay.interval.ms': '2500' });
    expect(source.timestampColumns).toEqual(['updated_at', 'created_at']);
    expect(source.timestampInitial).toBe(-1);
    expect(source.timestampDelayMs).toBe(2500);
  });

  it('rejects table.whitelist with table.blacklist, naming both', () => {
    expect(errorOf({ 'table.whitelist': 'a', 'table.blacklist': 'b' })).toMatch(/table\.whitelist and table\.blacklist may not both be set/);
  });

  it('rejects the legacy lists with the regex lists, naming both', () => {
    const message = errorOf({ 'table.whitelist': 'a', 'table.include.list': 'main\\..*' });
    expect(message).toMatch(/table\.whitelist cannot be combined with table\.include\.list/);
    expect(errorOf({ 'table.blacklist': 'a', 'table.exclude.list': 'x', 'table.include.list': '.*' })).toMatch(/table\.blacklist cannot be combined with table\.include\.list and table\.exclude\.list/);
  });

  it('requires table.include.list for table.exclude.list', () => {
    expect(errorOf({ 'table.exclude.list': 'tmp_.*' })).toMatch(/table\.exclude\.list cannot be used without table\.include\.list/);
  });

  it('rejects an invalid regular expression naming its key', () => {
    expect(errorOf({ 'table.include.list': 'a(b' })).toMatch(/for configuration table\.include\.list: Must be a valid comma-separated list of regular expression patterns/);
  });

  it('anchors the include and exclude expressions on the whole name', () => {
    const { source } = parse({ 'table.include.list': 'main\\.order.*', 'table.exclude.list': '.*_tmp' });
    expect(source.includeList[0].test('main.orders')).toBe(true);
    expect(source.includeList[0].test('x.main.orders')).toBe(false);
    expect(source.excludeList[0].test('main.orders_tmp')).toBe(true);
  });

  it('rejects query with table filters, and query without topic.prefix', () => {
    expect(errorOf({ query: 'SELECT 1', 'topic.prefix': 't', 'table.whitelist': 'a' })).toMatch(/query may not be combined with whole-table copying settings: remove table\.whitelist/);
    expect(errorOf({ query: 'SELECT 1' })).toMatch(/topic\.prefix must be set when query is set/);
  });

  it('checks topic.prefix characters as Confluent', () => {
    expect(errorOf({ 'topic.prefix': 'bad prefix' })).toMatch(/for configuration topic\.prefix: Topic prefix must not contain any character other than ASCII alphanumerics/);
    expect(parse({ 'topic.prefix': ' db-1.' }).source.topicPrefix).toBe('db-1.');
  });

  it('maps numeric.mapping, and the deprecated numeric.precision.mapping only when numeric.mapping is unset', () => {
    expect(parse({ 'numeric.mapping': 'BEST_FIT' }).source.numericMapping).toBe('best_fit');
    expect(parse({ 'numeric.precision.mapping': 'true' }).source.numericMapping).toBe('precision_only');
    expect(parse({ 'numeric.precision.mapping': 'true', 'numeric.mapping': 'none' }).source.numericMapping).toBe('none');
    expect(errorOf({ 'numeric.mapping': 'fit' })).toMatch(/Invalid value fit for configuration numeric\.mapping/);
  });

  it('rejects batch.max.rows below 1', () => {
    expect(errorOf({ 'batch.max.rows': '0' })).toMatch(/Invalid value 0 for configuration batch\.max\.rows/);
  });

  it('reads the tables of a task config', () => {
    const config = JdbcSourceConfig.parseTask({ ...base, tables: '[[null,"main","a"],[null,null,"b"]]' });
    expect(config.tables.map((t) => t.toString())).toEqual(['main.a', 'b']);
    expect(() => JdbcSourceConfig.parseTask({ ...base, tables: 'a,b' })).toThrow(/configuration tables/);
  });
});
