import { ConfigDef, ConfigError, ConfigType, Importance, NO_DEFAULT, Schema } from '../../../src/api';
import { builtinConverters, SimpleHeaderConverter, StringConverter } from '../../../src/converters';
import { checkUniqueNames, validateConnector, ValidatedConnector } from '../../../src/runtime/connector-validation';
import { newTaskConverter, newTaskHeaderConverter } from '../../../src/runtime/converters';
import { PluginRegistry } from '../../../src/runtime/plugins';
import { parseWorkerConfig, WorkerConfig } from '../../../src/runtime/worker-config';
import { fakeConnectorPlugin } from './fakes';

const sinkDef = new ConfigDef().define({ name: 'file', type: ConfigType.STRING, defaultValue: NO_DEFAULT, importance: Importance.HIGH, doc: 'Target file.' });

function plugins(): PluginRegistry {
  const r = new PluginRegistry();
  r.registerConnector(fakeConnectorPlugin('org.example.FileSinkConnector', ['FileSink'], 'sink', sinkDef));
  r.registerConnector(fakeConnectorPlugin('org.example.FileSourceConnector', ['FileSource'], 'source'));
  builtinConverters.forEach((c) => r.registerConverter(c));
  return r;
}

function worker(extra: Record<string, string> = {}): WorkerConfig {
  return parseWorkerConfig({
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'true',
    'offset.storage.file.filename': '/tmp/connect.offsets',
    ...extra,
  });
}

function validateSink(props: Record<string, string>, origin = 'sink.properties'): ValidatedConnector {
  return validateConnector({ name: 'local-file-sink', 'connector.class': 'FileSink', file: '/tmp/out.txt', ...props }, origin, worker(), plugins());
}

describe('validateConnector', () => {
  it('accepts a sink with topics and returns its subscription', () => {
    const v = validateSink({ topics: 'a, b' });
    expect(v.name).toBe('local-file-sink');
    expect(v.plugin.className).toBe('org.example.FileSinkConnector');
    expect(v.subscription).toEqual({ topics: ['a', 'b'], regex: null });
    expect(v.origin).toBe('sink.properties');
    expect(v.config.getString('file')).toBe('/tmp/out.txt');
  });

  it('parses the error handling and dead letter queue settings once, for every task', () => {
    const v = validateSink({ topics: 'a', 'errors.tolerance': 'all', 'errors.deadletterqueue.topic.name': ' dlq ', 'errors.deadletterqueue.context.headers.enable': 'true' });
    expect(v.errorHandling.tolerance).toBe('all');
    expect(v.deadLetterQueue).toEqual({ topic: 'dlq', replicationFactor: 3, contextHeadersEnabled: true });
    const source = validateConnector({ name: 'src', 'connector.class': 'FileSource', 'errors.log.enable': 'true' }, 'source.properties', worker(), plugins());
    expect(source.errorHandling.logEnable).toBe(true);
    expect(source.deadLetterQueue).toBeNull();
  });

  it('anchors topics.regex to the whole topic name', () => {
    const regex = validateSink({ 'topics.regex': 'orders-.*' }).subscription?.regex;
    expect(regex?.test('orders-eu')).toBe(true);
    expect(regex?.test('old-orders-eu')).toBe(false);
    expect(validateSink({ 'topics.regex': 'a|b' }).subscription?.regex?.test('ab')).toBe(false);
  });

  it("requires exactly one of topics and topics.regex for sinks, with Kafka's messages", () => {
    expect(() => validateSink({})).toThrow(new ConfigError('Must configure one of topics or topics.regex'));
    expect(() => validateSink({ topics: ' ' })).toThrow('Must configure one of topics or topics.regex');
    expect(() => validateSink({ topics: 'a', 'topics.regex': 'b.*' })).toThrow(
      new ConfigError('topics and topics.regex are mutually exclusive options, but both are set.'),
    );
  });

  it('names topics.regex and the value when the regular expression is invalid', () => {
    expect(() => validateSink({ 'topics.regex': 'orders-(' })).toThrow(/^Invalid value orders-\( for configuration topics\.regex: Must be a valid regular expression/);
  });

  it("checks the connector's own keys and the runtime keys", () => {
    expect(() =>
      validateConnector({ name: 'x', 'connector.class': 'FileSink', topics: 'a' }, 'sink.properties', worker(), plugins()),
    ).toThrow('Missing required configuration "file" which has no default value.');
    expect(() => validateConnector({ 'connector.class': 'FileSource' }, 'source.properties', worker(), plugins())).toThrow(
      'Missing required configuration "name" which has no default value.',
    );
    expect(() => validateSink({ topics: 'a', 'tasks.max': '0' })).toThrow('Invalid value 0 for configuration tasks.max: Value must be at least 1');
  });

  it('does not require topics for source connectors', () => {
    const v = validateConnector({ name: 'src', 'connector.class': 'FileSource' }, 'source.properties', worker(), plugins());
    expect(v.subscription).toBeNull();
  });

  it('fails when a connector-level converter is unknown', () => {
    expect(() => validateSink({ topics: 'a', 'value.converter': 'ThriftConverter' })).toThrow(
      /^Invalid value ThriftConverter for configuration value\.converter: Class ThriftConverter could not be found/,
    );
  });
});

describe('header converter', () => {
  it("fails validation when the worker's header.converter is unknown, listing the header converters", () => {
    expect(() =>
      validateConnector({ name: 's', 'connector.class': 'FileSource' }, 'source.properties', worker({ 'header.converter': 'org.example.Missing' }), plugins()),
    ).toThrow(/^Invalid value org\.example\.Missing for configuration header\.converter: Class org\.example\.Missing could not be found, available header converters are: .*org\.apache\.kafka\.connect\.storage\.SimpleHeaderConverter \(SimpleHeaderConverter\)/);
  });

  it('fails validation when a connector-level header.converter is unknown or its settings are invalid', () => {
    expect(() => validateSink({ topics: 'a', 'header.converter': 'Nope' })).toThrow(/^Invalid value Nope for configuration header\.converter: Class Nope could not be found/);
    expect(() => validateSink({ topics: 'a', 'header.converter': 'StringConverter', 'header.converter.converter.encoding': 'EBCDIC' })).toThrow(
      'Invalid value EBCDIC for configuration converter.encoding: Unsupported character set',
    );
  });

  it("defaults to SimpleHeaderConverter; a connector's own header.converter gets the connector's header.converter.* settings", () => {
    const plain = validateSink({ topics: 'a' });
    expect(newTaskHeaderConverter(plain.config, worker(), plugins())).toBeInstanceOf(SimpleHeaderConverter);

    const own = validateSink({ topics: 'a', 'header.converter': 'StringConverter', 'header.converter.converter.encoding': 'UTF-16BE' });
    const converter = newTaskHeaderConverter(own.config, worker({ 'header.converter': 'IntegerConverter' }), plugins());
    expect(converter.fromConnectHeader('a', 'h', Schema.STRING_SCHEMA, 'A')).toEqual(Buffer.from([0, 0x41]));
  });

  it("uses the worker's header.converter and its header.converter.* settings when the connector names none", () => {
    const w = worker({ 'header.converter': 'org.apache.kafka.connect.storage.StringConverter', 'header.converter.converter.encoding': 'UTF-16LE' });
    const v = validateConnector({ name: 's', 'connector.class': 'FileSource' }, 'source.properties', w, plugins());
    const converter = newTaskHeaderConverter(v.config, w, plugins());
    expect(converter.fromConnectHeader('a', 'h', null, 'A')).toEqual(Buffer.from([0x41, 0]));
    expect(converter.toConnectHeader('a', 'h', Buffer.from([0x42, 0]))).toEqual({ schema: Schema.OPTIONAL_STRING_SCHEMA, value: 'B' });
  });
});

describe('newTaskConverter', () => {
  const plain = (value: Buffer | null): string => String(value);

  it("uses the worker's converter and its settings when the connector names none", () => {
    const v = validateSink({ topics: 'a', 'value.converter.schemas.enable': 'false' });
    const converter = newTaskConverter('value', v.config, worker(), plugins());
    expect(plain(converter.fromConnectData('a', [], Schema.STRING_SCHEMA, 'x'))).toBe('{"schema":{"type":"string","optional":false},"payload":"x"}');
    expect(newTaskConverter('key', v.config, worker(), plugins())).toBeInstanceOf(StringConverter);
  });

  it("uses a connector-level value.converter with the connector's value.converter.* settings", () => {
    const v = validateSink({ topics: 'a', 'value.converter': 'JsonConverter', 'value.converter.schemas.enable': 'false' });
    const converter = newTaskConverter('value', v.config, worker(), plugins());
    expect(plain(converter.fromConnectData('a', [], Schema.STRING_SCHEMA, 'x'))).toBe('"x"');
    expect(converter.toConnectData('a', [], Buffer.from('{"n":1}')).value).toEqual(new Map([['n', 1n]]));
  });

  it("does not apply the worker's converter settings to a connector-level converter", () => {
    const w = worker({ 'value.converter.schemas.enable': 'false' });
    const v = validateConnector(
      { name: 's', 'connector.class': 'FileSink', file: '/tmp/o', topics: 'a', 'value.converter': 'JsonConverter' },
      'sink.properties',
      w,
      plugins(),
    );
    const converter = newTaskConverter('value', v.config, w, plugins());
    expect(plain(converter.fromConnectData('a', [], Schema.STRING_SCHEMA, 'x'))).toBe('{"schema":{"type":"string","optional":false},"payload":"x"}');
  });
});

describe('checkUniqueNames', () => {
  it('refuses two connectors with the same name, naming both files', () => {
    const a = validateSink({ topics: 'a' }, 'first.properties');
    const b = validateSink({ topics: 'b' }, 'second.properties');
    const c = validateConnector({ name: 'other', 'connector.class': 'FileSource' }, 'third.properties', worker(), plugins());
    expect(() => checkUniqueNames([a, c])).not.toThrow();
    expect(() => checkUniqueNames([a, c, b])).toThrow(
      new ConfigError('Connector name "local-file-sink" is used by both first.properties and second.properties; connector names must be unique.'),
    );
  });
});
