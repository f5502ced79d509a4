import { builtinPlugins } from '../../../../src/cli/builtin-plugins';
import { connectorPluginConfigKeys, connectorPluginInfos, invalidConfigMessage, validateConnectorConfigInfos } from '../../../../src/runtime/herder/config-infos';
import { ConfigInfos, ConfigKeyInfo } from '../../../../src/runtime/herder/herder';
import { BadRequestError, NotFoundError } from '../../../../src/runtime/herder/herder-errors';
import { parseWorkerConfig } from '../../../../src/runtime/worker-config';

const plugins = builtinPlugins();
const worker = parseWorkerConfig({
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'offset.storage.file.filename': '/tmp/connect.offsets',
});

const fileSource = { name: 'local-file-source', 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: 'test.txt', topic: 'connect-test' };

function entry(infos: ConfigInfos, name: string): ConfigInfos['configs'][number] {
  const found = infos.configs.find((c) => c.value?.name === name || c.definition?.name === name);
  if (!found) throw new Error(`no entry ${name} in ${infos.configs.map((c) => c.value?.name).join(', ')}`);
  return found;
}

describe('validateConnectorConfigInfos: a valid FileStreamSource config (Kafka ConfigInfos shape)', () => {
  const infos = validateConnectorConfigInfos(plugins, worker, fileSource, 'FileStreamSourceConnector');

  it('names the connector class as given, counts no errors, and lists Kafka\'s groups in order', () => {
    expect(infos.name).toBe('FileStreamSource');
    expect(infos.error_count).toBe(0);
    expect(infos.groups).toEqual(['Common', 'Transforms', 'Predicates', 'Error Handling']);
  });

  it('lists the runtime keys first, in ConnectorConfig order, then the connector\'s own keys', () => {
    expect(infos.configs.map((c) => c.definition?.name)).toEqual([
      'name', 'connector.class', 'tasks.max', 'key.converter', 'value.converter', 'header.converter', 'transforms', 'predicates',
      'errors.retry.timeout', 'errors.retry.delay.max.ms', 'errors.tolerance', 'errors.log.enable', 'errors.log.include.messages',
      'file', 'topic', 'batch.size',
    ]);
  });

  it('gives each key Kafka\'s ConfigKeyInfo fields', () => {
    expect(entry(infos, 'name')).toEqual({
      definition: {
        name: 'name', type: 'STRING', required: true, default_value: null, importance: 'HIGH',
        documentation: expect.any(String), group: 'Common', order_in_group: 1, width: 'MEDIUM', display_name: 'Connector name', dependents: [],
      },
      value: { name: 'name', value: 'local-file-source', recommended_values: [], errors: [], visible: true },
    });
    expect(entry(infos, 'tasks.max').definition).toMatchObject({ type: 'INT', required: false, default_value: '1', group: 'Common', order_in_group: 3, width: 'SHORT', display_name: 'Tasks max' });
    expect(entry(infos, 'tasks.max').value).toEqual({ name: 'tasks.max', value: '1', recommended_values: [], errors: [], visible: true });
    expect(entry(infos, 'transforms').definition).toMatchObject({ type: 'LIST', default_value: '', group: 'Transforms', order_in_group: 8, width: 'LONG', display_name: 'Transforms' });
    expect(entry(infos, 'errors.tolerance').definition).toMatchObject({ type: 'STRING', default_value: 'none', importance: 'MEDIUM', group: 'Error Handling', order_in_group: 3, display_name: 'Error Tolerance' });
    expect(entry(infos, 'errors.log.enable').value.value).toBe('false');
    // A class key left unset: no default and no value (Kafka prints null for both).
    expect(entry(infos, 'key.converter').definition?.default_value).toBeNull();
    expect(entry(infos, 'key.converter').value.value).toBeNull();
  });

  it('shows the connector\'s own keys without group metadata, as FileStreamSourceConnector declares none', () => {
    expect(entry(infos, 'topic')).toEqual({
      definition: {
        name: 'topic', type: 'STRING', required: true, default_value: null, importance: 'HIGH',
        documentation: expect.any(String), group: null, order_in_group: -1, width: 'NONE', display_name: 'topic', dependents: [],
      },
      value: { name: 'topic', value: 'connect-test', recommended_values: [], errors: [], visible: true },
    });
    expect(entry(infos, 'batch.size').value.value).toBe('2000');
  });

  it('adds a producer.override.* entry (definition from the producer config) for a source', () => {
    const withOverride = validateConnectorConfigInfos(plugins, worker, { ...fileSource, 'producer.override.acks': '1' });
    expect(withOverride.error_count).toBe(0);
    expect(entry(withOverride, 'producer.override.acks').definition?.name).toBe('producer.override.acks');
    expect(entry(withOverride, 'producer.override.acks').value).toEqual({ name: 'producer.override.acks', value: '1', recommended_values: [], errors: [], visible: true });
  });

  it('adds the connector\'s own converter keys under their prefix when it names a converter', () => {
    const withConverter = validateConnectorConfigInfos(plugins, worker, { ...fileSource, 'value.converter': 'JsonConverter', 'value.converter.schemas.enable': 'false' });
    expect(withConverter.error_count).toBe(0);
    expect(entry(withConverter, 'value.converter.schemas.enable').value).toMatchObject({ value: 'false', errors: [] });
    expect(entry(withConverter, 'value.converter.schemas.enable').definition?.name).toBe('value.converter.schemas.enable');
  });
});

describe('validateConnectorConfigInfos: transforms and predicates', () => {
  const infos = validateConnectorConfigInfos(plugins, worker, {
    ...fileSource,
    transforms: 'addField',
    'transforms.addField.type': 'InsertField$Value',
    'transforms.addField.static.field': 'origin',
    'transforms.addField.static.value': 'file',
    'transforms.addField.predicate': 'isTopic',
    predicates: 'isTopic',
    'predicates.isTopic.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
    'predicates.isTopic.pattern': 'connect-.*',
  });

  it('adds "Transforms: <alias>" and "Predicates: <alias>" groups after Kafka\'s own', () => {
    expect(infos.error_count).toBe(0);
    expect(infos.groups).toEqual(['Common', 'Transforms', 'Predicates', 'Error Handling', 'Transforms: addField', 'Predicates: isTopic']);
  });

  it('defines the type key as Kafka\'s enrich does, recommending every transformation class', () => {
    const type = entry(infos, 'transforms.addField.type');
    expect(type.definition).toMatchObject({
      type: 'CLASS', required: true, default_value: null, importance: 'HIGH', documentation: "Class for the 'addField' transformation.",
      group: 'Transforms: addField', order_in_group: 0, width: 'LONG', display_name: 'Transformation type for addField',
    });
    expect(type.value.value).toBe('InsertField$Value');
    expect(type.value.recommended_values).toContain('org.apache.kafka.connect.transforms.InsertField$Value');
    expect(type.value.recommended_values).toEqual([...type.value.recommended_values].sort());
    expect(entry(infos, 'predicates.isTopic.type').definition).toMatchObject({ display_name: 'Predicate type for isTopic', group: 'Predicates: isTopic' });
  });

  it('embeds the plugin\'s keys and the implicit predicate/negate keys under the alias prefix, numbered from 1', () => {
    const keys = infos.configs.filter((c) => c.definition?.group === 'Transforms: addField').map((c) => c.definition as ConfigKeyInfo);
    expect(keys.map((k) => k.order_in_group)).toEqual(keys.map((_, i) => i));
    expect(keys.map((k) => k.name)).toEqual(expect.arrayContaining(['transforms.addField.predicate', 'transforms.addField.negate', 'transforms.addField.static.field']));
    expect(entry(infos, 'transforms.addField.predicate').value.value).toBe('isTopic');
    expect(entry(infos, 'transforms.addField.negate').definition).toMatchObject({ type: 'BOOLEAN', default_value: 'false', importance: 'MEDIUM' });
    expect(entry(infos, 'predicates.isTopic.pattern').value).toMatchObject({ value: 'connect-.*', errors: [] });
  });
});

describe('connectorPluginInfos', () => {
  it('lists sinks then sources, each sorted by class name, with the connector version (connectorsOnly)', () => {
    const infos = connectorPluginInfos(plugins, true);
    expect(infos).toContainEqual({ class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: expect.any(String) });
    const types = infos.map((p) => p.type);
    expect(types).toEqual([...types].sort((a, b) => (a === b ? 0 : a === 'sink' ? -1 : 1)));
    const sinks = infos.filter((p) => p.type === 'sink').map((p) => p.class);
    expect(sinks).toEqual([...sinks].sort());
    expect(infos.every((p) => p.type === 'sink' || p.type === 'source')).toBe(true);
  });

  it('with connectorsOnly=false adds transformations, predicates, converters and header converters, in Kafka\'s order, without a version', () => {
    const infos = connectorPluginInfos(plugins, false);
    const order = ['sink', 'source', 'transformation', 'predicate', 'converter', 'header_converter'];
    const types = infos.map((p) => order.indexOf(p.type));
    expect(types).toEqual([...types].sort((a, b) => a - b));
    expect(new Set(infos.map((p) => p.type))).toEqual(new Set(order));
    expect(infos).toContainEqual({ class: 'org.apache.kafka.connect.transforms.InsertField$Value', type: 'transformation' });
    // StringConverter is both: listed once as each, as Kafka does.
    expect(infos.filter((p) => p.class === 'org.apache.kafka.connect.storage.StringConverter').map((p) => p.type)).toEqual(['converter', 'header_converter']);
    for (const type of order) {
      const classes = infos.filter((p) => p.type === type).map((p) => p.class);
      expect(classes).toEqual([...classes].sort());
    }
  });
});

describe('connectorPluginConfigKeys', () => {
  it('lists a connector\'s own keys, then the runtime keys it does not define (sinks with topics and the DLQ keys)', () => {
    const keys = connectorPluginConfigKeys(plugins, 'FileStreamSink');
    const names = keys.map((k) => k.name);
    expect(names[0]).toBe('file');
    expect(names).toEqual(expect.arrayContaining(['name', 'connector.class', 'tasks.max', 'topics', 'topics.regex', 'errors.deadletterqueue.topic.name']));
    expect(names.indexOf('file')).toBeLessThan(names.indexOf('name'));
    expect(keys.find((k) => k.name === 'topics')).toMatchObject({ type: 'LIST', group: 'Common', order_in_group: 4, display_name: 'Topics' });
  });

  it('accepts the class name as well as an alias, for connectors, transformations, predicates and converters', () => {
    expect(connectorPluginConfigKeys(plugins, 'org.apache.kafka.connect.file.FileStreamSourceConnector')).toEqual(connectorPluginConfigKeys(plugins, 'FileStreamSource'));
    expect(connectorPluginConfigKeys(plugins, 'org.apache.kafka.connect.transforms.InsertField$Value').map((k) => k.name)).toContain('static.field');
    expect(connectorPluginConfigKeys(plugins, 'TopicNameMatches').map((k) => k.name)).toEqual(['pattern']);
    expect(connectorPluginConfigKeys(plugins, 'JsonConverter').map((k) => k.name)).toContain('schemas.enable');
  });

  it('answers an unknown plugin with a NotFoundError (404) and Kafka\'s message', () => {
    expect(() => connectorPluginConfigKeys(plugins, 'com.example.Nope')).toThrow(NotFoundError);
    expect(() => connectorPluginConfigKeys(plugins, 'com.example.Nope')).toThrow('Unknown plugin com.example.Nope.');
  });
});

describe('invalidConfigMessage', () => {
  it('is Kafka\'s text: the count, every error on its own line, and the validate endpoint hint', () => {
    const fresh = validateConnectorConfigInfos(plugins, worker, { name: 'x', 'connector.class': 'FileStreamSource', 'tasks.max': '0' });
    expect(fresh.error_count).toBe(2);
    expect(invalidConfigMessage(fresh)).toBe(
      'Connector configuration is invalid and contains the following 2 error(s):\n' +
        'Invalid value 0 for configuration tasks.max: Value must be at least 1\n' +
        'Missing required configuration "topic" which has no default value.\n' +
        'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
    );
  });
});

describe('validateConnectorConfigInfos: requests Kafka refuses outright', () => {
  it('a connector.class that does not end with the plugin in the path (400), the "Connector" suffix aside, as Kafka checks it', () => {
    expect(() => validateConnectorConfigInfos(plugins, worker, fileSource, 'FileStreamSink')).toThrow(
      new BadRequestError('Included connector type FileStreamSource does not match request type FileStreamSink'),
    );
    // Kafka compares names only: an alias in the config does not end with the full class name in the path.
    expect(() => validateConnectorConfigInfos(plugins, worker, fileSource, 'org.apache.kafka.connect.file.FileStreamSourceConnector')).toThrow(BadRequestError);
    const fullName = { ...fileSource, 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector' };
    expect(validateConnectorConfigInfos(plugins, worker, fullName, 'FileStreamSource').error_count).toBe(0);
    expect(validateConnectorConfigInfos(plugins, worker, fullName, 'FileStreamSourceConnector').error_count).toBe(0);
    expect(validateConnectorConfigInfos(plugins, worker, fileSource, 'FileStreamSourceConnector').error_count).toBe(0);
  });

  it('a config without connector.class (400), whatever the path names', () => {
    const err = captured(() => validateConnectorConfigInfos(plugins, worker, { name: 'a', topic: 't' }, 'FileStreamSource'));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).status).toBe(400);
    expect((err as Error).message).toBe('Connector config {name=a, topic=t} contains no connector type');
  });

  it('an unknown connector class (400 here; Kafka answers 500), naming the class', () => {
    const err = captured(() => validateConnectorConfigInfos(plugins, worker, { ...fileSource, 'connector.class': 'com.example.Nope' }));
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as Error).message).toContain('Failed to find any class that implements Connector and which name matches com.example.Nope');
  });
});

function captured(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}
