import { AnyConverterPlugin, ConfigError, ConverterHeaderAdapter, ConverterPlugin } from '../../../src/api';
import { builtinConverters, IntegerConverter, JsonConverter, SimpleHeaderConverter, StringConverter } from '../../../src/converters';
import { PluginRegistry } from '../../../src/runtime/plugins';
import { fakeConnectorPlugin } from './fakes';

const fileSource = fakeConnectorPlugin('org.example.FileSourceConnector', ['FileSource', 'FileSourceConnector'], 'source');
const jdbcSink = fakeConnectorPlugin('org.example.JdbcSinkConnector', [], 'sink');

function registry(): PluginRegistry {
  const r = new PluginRegistry();
  r.registerConnector(fileSource);
  r.registerConnector(jdbcSink);
  builtinConverters.forEach((c) => r.registerConverter(c));
  return r;
}

describe('PluginRegistry', () => {
  it('finds connectors by Java class name and by alias, ignoring surrounding spaces', () => {
    const r = registry();
    expect(r.connectorPlugin('org.example.FileSourceConnector')).toBe(fileSource);
    expect(r.connectorPlugin('FileSource')).toBe(fileSource);
    expect(r.connectorPlugin(' FileSourceConnector ')).toBe(fileSource);
    expect(r.connectorPlugin('org.example.JdbcSinkConnector')).toBe(jdbcSink);
    expect(r.newConnector('FileSource').kind).toBe('source');
    expect(r.connectorPlugins()).toEqual([fileSource, jdbcSink]);
  });

  it('creates converters by Java class name and alias', () => {
    const r = registry();
    expect(r.newConverter('org.apache.kafka.connect.json.JsonConverter', 'value.converter')).toBeInstanceOf(JsonConverter);
    expect(r.newConverter('StringConverter', 'key.converter')).toBeInstanceOf(StringConverter);
    const a = r.newConverter('JsonConverter', 'value.converter');
    expect(r.newConverter('JsonConverter', 'value.converter')).not.toBe(a); // a new instance each time
  });

  it('names the key and lists every known connector with its aliases when a connector is unknown', () => {
    const err = (() => {
      try {
        registry().connectorPlugin('FileStreamSorce');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toBe(
      'Invalid value FileStreamSorce for configuration connector.class: Failed to find any class that implements Connector and which name matches FileStreamSorce, ' +
        'available connectors are: org.example.FileSourceConnector (FileSource, FileSourceConnector), org.example.JdbcSinkConnector',
    );
  });

  /** A registry with a fixed set of converters, so messages listing them do not change as converters are added. */
  function someConverters(): PluginRegistry {
    const r = new PluginRegistry();
    const builtin = (alias: string): AnyConverterPlugin => builtinConverters.find((p) => p.aliases.includes(alias)) as AnyConverterPlugin;
    for (const alias of ['JsonConverter', 'IntegerConverter', 'SimpleHeaderConverter']) r.registerConverter(builtin(alias));
    r.registerConverter({ className: 'org.example.KeyOnlyConverter', aliases: [], create: () => new JsonConverter() });
    return r;
  }

  it('names the key and lists the known converters when a converter is unknown', () => {
    expect(() => someConverters().newConverter('io.confluent.connect.avro.AvroConverter', 'value.converter')).toThrow(
      new ConfigError(
        'Invalid value io.confluent.connect.avro.AvroConverter for configuration value.converter: Class io.confluent.connect.avro.AvroConverter could not be found, ' +
          'available converters are: org.apache.kafka.connect.json.JsonConverter (JsonConverter), org.apache.kafka.connect.converters.IntegerConverter (IntegerConverter), ' +
          'org.example.KeyOnlyConverter',
      ),
    );
  });

  it('refuses a header-only converter as key or value converter', () => {
    expect(() => someConverters().newConverter('SimpleHeaderConverter', 'key.converter')).toThrow(
      new ConfigError(
        'Invalid value SimpleHeaderConverter for configuration key.converter: Class SimpleHeaderConverter is not a Converter, ' +
          'available converters are: org.apache.kafka.connect.json.JsonConverter (JsonConverter), org.apache.kafka.connect.converters.IntegerConverter (IntegerConverter), ' +
          'org.example.KeyOnlyConverter',
      ),
    );
  });

  it('creates header converters: SimpleHeaderConverter, and key/value converters that are also header converters', () => {
    const r = registry();
    expect(r.newHeaderConverter('org.apache.kafka.connect.storage.SimpleHeaderConverter', 'header.converter')).toBeInstanceOf(SimpleHeaderConverter);
    expect(r.newHeaderConverter('IntegerConverter', 'header.converter')).toBeInstanceOf(IntegerConverter);
    expect(r.newHeaderConverter('StringConverter', 'header.converter')).toBeInstanceOf(ConverterHeaderAdapter);
    const a = r.newHeaderConverter('SimpleHeaderConverter', 'header.converter');
    expect(r.newHeaderConverter('SimpleHeaderConverter', 'header.converter')).not.toBe(a);
  });

  it('names the key and lists the known header converters when a header converter is unknown or is not one', () => {
    const known =
      'available header converters are: org.apache.kafka.connect.json.JsonConverter (JsonConverter), ' +
      'org.apache.kafka.connect.converters.IntegerConverter (IntegerConverter), org.apache.kafka.connect.storage.SimpleHeaderConverter (SimpleHeaderConverter)';
    expect(() => someConverters().newHeaderConverter('org.example.Nope', 'header.converter')).toThrow(
      new ConfigError(`Invalid value org.example.Nope for configuration header.converter: Class org.example.Nope could not be found, ${known}`),
    );
    expect(() => someConverters().newHeaderConverter('org.example.KeyOnlyConverter', 'header.converter')).toThrow(
      new ConfigError(`Invalid value org.example.KeyOnlyConverter for configuration header.converter: Class org.example.KeyOnlyConverter is not a HeaderConverter, ${known}`),
    );
  });

  it('refuses a connector name already claimed by another plugin', () => {
    const r = registry();
    const clash = fakeConnectorPlugin('org.other.FileSourceConnector', ['FileSource'], 'source');
    expect(() => r.registerConnector(clash)).toThrow(
      'The connector name FileSource is claimed by both org.example.FileSourceConnector and org.other.FileSourceConnector',
    );
    expect(r.connectorPlugin('FileSource')).toBe(fileSource);
  });

  it('refuses a converter alias already claimed by another converter', () => {
    const r = registry();
    const clash: ConverterPlugin = { className: 'org.example.MyConverter', aliases: ['JsonConverter'], create: () => new JsonConverter() };
    expect(() => r.registerConverter(clash)).toThrow(/The converter name JsonConverter is claimed by both org\.apache\.kafka\.connect\.json\.JsonConverter and org\.example\.MyConverter/);
  });
});
