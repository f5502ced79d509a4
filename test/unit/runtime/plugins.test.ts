import { ConfigError, ConverterPlugin } from '../../../src/api';
import { builtinConverters, JsonConverter, StringConverter } from '../../../src/converters';
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

  it('names the key and lists the known converters when a converter is unknown', () => {
    expect(() => registry().newConverter('io.confluent.connect.avro.AvroConverter', 'value.converter')).toThrow(
      new ConfigError(
        'Invalid value io.confluent.connect.avro.AvroConverter for configuration value.converter: Class io.confluent.connect.avro.AvroConverter could not be found, ' +
          'available converters are: org.apache.kafka.connect.json.JsonConverter (JsonConverter), org.apache.kafka.connect.storage.StringConverter (StringConverter), ' +
          'org.apache.kafka.connect.converters.ByteArrayConverter (ByteArrayConverter)',
      ),
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
