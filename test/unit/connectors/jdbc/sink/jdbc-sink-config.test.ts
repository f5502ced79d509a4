import { ConfigError } from '../../../../../src/api';
import { JdbcSinkConfig } from '../../../../../connectors/jdbc/sink/jdbc-sink-config';

const base = { 'connection.url': 'jdbc:sqlite:/tmp/x.db' };
const parse = (props: Record<string, string>) => JdbcSinkConfig.parse({ ...base, ...props });
const error = (props: Record<string, string>): string => {
  try {
    parse(props);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('no error');
};

describe('JdbcSinkConfig', () => {
  it("has Confluent's defaults", () => {
    const c = parse({});
    expect(c.insertMode).toBe('insert');
    expect(c.pkMode).toBe('none');
    expect(c.pkFields).toEqual([]);
    expect(c.batchSize).toBe(3000);
    expect(c.deleteEnabled).toBe(false);
    expect(c.tableNameFormat).toBe('${topic}');
    expect(c.autoCreate).toBe(false);
    expect(c.autoEvolve).toBe(false);
    expect(c.maxRetries).toBe(10);
    expect(c.retryBackoffMs).toBe(3000);
    expect(c.unknownFields).toBe('fail');
    expect(c.common.quoteIdentifiers).toBe(true);
    expect(c.common.timeZone).toBe('UTC');
    expect(c.common.tableTypes).toEqual(['TABLE']);
  });

  it('reads every key', () => {
    const c = parse({
      'insert.mode': 'UPSERT',
      'pk.mode': 'record_key',
      'pk.fields': 'a, b',
      'fields.whitelist': 'x,y',
      'batch.size': '0',
      'delete.enabled': 'true',
      'table.name.format': ' kafka_${topic} ',
      'auto.create': 'true',
      'auto.evolve': 'true',
      'max.retries': '0',
      'retry.backoff.ms': '5',
      'schemaless.unknown.fields': 'ignore',
      'quote.sql.identifiers': 'never',
    });
    expect([c.insertMode, c.pkMode, c.pkFields, [...c.fieldsWhitelist], c.batchSize, c.deleteEnabled, c.tableNameFormat]).toEqual(['upsert', 'record_key', ['a', 'b'], ['x', 'y'], 1, true, 'kafka_${topic}']);
    expect([c.autoCreate, c.autoEvolve, c.maxRetries, c.retryBackoffMs, c.unknownFields, c.common.quoteIdentifiers]).toEqual([true, true, 0, 5, 'ignore', false]);
    expect([...parse({ 'fields.include.list': 'p,q' }).fieldsWhitelist]).toEqual(['p', 'q']);
  });

  it('names the key and value at fault', () => {
    expect(error({ 'insert.mode': 'merge' })).toMatch(/^Invalid value merge for configuration insert.mode: Invalid enumerator/);
    // Confluent's EnumValidator takes lower or upper case, not mixed.
    expect(error({ 'pk.mode': 'Record_Key' })).toMatch(/for configuration pk.mode/);
    expect(error({ 'batch.size': '-1' })).toMatch(/Invalid value -1 for configuration batch.size: Value must be at least 0/);
    expect(error({ 'max.retries': '-1' })).toMatch(/configuration max.retries/);
    expect(error({ 'retry.backoff.ms': 'soon' })).toMatch(/configuration retry.backoff.ms/);
    expect(error({ 'table.name.format': ' ' })).toMatch(/configuration table.name.format: String may not be empty/);
    expect(error({ 'schemaless.unknown.fields': 'drop' })).toMatch(/configuration schemaless.unknown.fields: String must be one of: fail, ignore/);
    expect(error({ 'auto.create': 'yes' })).toMatch(/configuration auto.create/);
    expect(error({ 'connection.url': 'jdbc:oracle:thin:@x' })).toMatch(/connection.url/);
    expect(() => JdbcSinkConfig.parse({})).toThrow(/Missing required configuration "connection.url"/);
  });

  it('delete.enabled needs pk.mode=record_key, naming both keys', () => {
    const message = error({ 'delete.enabled': 'true', 'pk.mode': 'record_value' });
    expect(message).toContain("Primary key mode must be 'record_key' when delete support is enabled");
    expect(message).toContain('delete.enabled=true');
    expect(message).toContain('pk.mode is record_value');
    expect(parse({ 'delete.enabled': 'true', 'pk.mode': 'record_key' }).deleteEnabled).toBe(true);
  });

  it('fields.whitelist and fields.include.list may not disagree', () => {
    expect(error({ 'fields.whitelist': 'a', 'fields.include.list': 'b' })).toMatch(/fields.whitelist and fields.include.list .* set differently/);
    expect([...parse({ 'fields.whitelist': 'a', 'fields.include.list': 'a' }).fieldsWhitelist]).toEqual(['a']);
  });
});
