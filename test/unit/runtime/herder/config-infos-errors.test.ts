import { builtinPlugins } from '../../../../src/cli/builtin-plugins';
import { validateConnectorConfigInfos } from '../../../../src/runtime/herder/config-infos';
import { ConfigInfos } from '../../../../src/runtime/herder/herder';
import { parseWorkerConfig } from '../../../../src/runtime/worker-config';

const plugins = builtinPlugins();
const workerProps = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'offset.storage.file.filename': '/tmp/connect.offsets',
};
const worker = parseWorkerConfig(workerProps);
const fileSink = { name: 'local-file-sink', 'connector.class': 'FileStreamSink', 'tasks.max': '1', file: '/tmp/out.txt', topics: 'connect-test' };

function validate(props: Record<string, string | null>, w = worker): ConfigInfos {
  return validateConnectorConfigInfos(plugins, w, props as Record<string, string>);
}

/** Every key that has errors, with them, in result order. */
function errorsByKey(infos: ConfigInfos): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const c of infos.configs) if (c.value && c.value.errors.length > 0) out[c.value.name] = c.value.errors;
  return out;
}

describe('validateConnectorConfigInfos: bad configs, with the error counts Kafka reports', () => {
  it('a valid sink has no errors', () => {
    expect(validate(fileSink).error_count).toBe(0);
  });

  it('a sink without topics or topics.regex: one error on each (2)', () => {
    const { topics: _t, ...props } = fileSink;
    const infos = validate(props);
    expect(infos.error_count).toBe(2);
    expect(errorsByKey(infos)).toEqual({
      topics: ['Must configure one of topics or topics.regex'],
      'topics.regex': ['Must configure one of topics or topics.regex'],
    });
  });

  it('a sink with both topics and topics.regex (2)', () => {
    const infos = validate({ ...fileSink, 'topics.regex': 'connect-.*' });
    expect(infos.error_count).toBe(2);
    expect(errorsByKey(infos).topics).toEqual(['topics and topics.regex are mutually exclusive options, but both are set.']);
  });

  it('a dead letter queue topic the sink consumes (1, on topics)', () => {
    const infos = validate({ ...fileSink, topics: 'a, dlq', 'errors.deadletterqueue.topic.name': 'dlq' });
    expect(infos.error_count).toBe(1);
    expect(errorsByKey(infos)).toEqual({ topics: ["The DLQ topic 'dlq' may not be included in the list of topics ('topics=[a, dlq]') consumed by the connector"] });
  });

  it('tasks.max=0 (1)', () => {
    const infos = validate({ ...fileSink, 'tasks.max': '0' });
    expect(infos.error_count).toBe(1);
    expect(errorsByKey(infos)).toEqual({ 'tasks.max': ['Invalid value 0 for configuration tasks.max: Value must be at least 1'] });
    expect(infos.configs.find((c) => c.value.name === 'tasks.max')?.value.value).toBe('0');
  });

  it('a missing name and a bad errors.tolerance (2)', () => {
    const { name: _n, ...props } = fileSink;
    const infos = validate({ ...props, 'errors.tolerance': 'sometimes' });
    expect(infos.error_count).toBe(2);
    expect(errorsByKey(infos)).toEqual({
      name: ['Missing required configuration "name" which has no default value.'],
      'errors.tolerance': ['Invalid value sometimes for configuration errors.tolerance: String must be one of: none, all'],
    });
  });

  it('an unknown transform type (1): the type key in group "Transforms: <alias>", no keys of its own', () => {
    const infos = validate({ ...fileSink, transforms: 'mask', 'transforms.mask.type': 'com.example.Nope' });
    expect(infos.error_count).toBe(1);
    expect(Object.keys(errorsByKey(infos))).toEqual(['transforms.mask.type']);
    expect(errorsByKey(infos)['transforms.mask.type'][0]).toMatch(/^Invalid value com\.example\.Nope for configuration transforms\.mask\.type: Class com\.example\.Nope could not be found/);
    expect(infos.groups).toContain('Transforms: mask');
    expect(infos.configs.filter((c) => c.definition?.group === 'Transforms: mask').map((c) => c.definition?.name)).toEqual(['transforms.mask.type']);
  });

  it('a transform alias without a type (1)', () => {
    const infos = validate({ ...fileSink, transforms: 'mask' });
    expect(errorsByKey(infos)).toEqual({ 'transforms.mask.type': ['Missing required configuration "transforms.mask.type" which has no default value.'] });
    expect(infos.error_count).toBe(1);
  });

  it('negate without a predicate (1, on the type key as Kafka\'s type validator reports it)', () => {
    const infos = validate({ ...fileSink, transforms: 'x', 'transforms.x.type': 'InsertField$Value', 'transforms.x.static.field': 'f', 'transforms.x.negate': 'true' });
    expect(errorsByKey(infos)).toEqual({
      'transforms.x.type': ["Config 'transforms.x.negate' was provided but there is no config 'transforms.x.predicate' defining a predicate to be negated."],
    });
    expect(infos.error_count).toBe(1);
  });

  it('a bad value of a transform\'s own key (1, under its full name)', () => {
    const infos = validate({ ...fileSink, transforms: 'cast', 'transforms.cast.type': 'Cast$Value', 'transforms.cast.spec': '' });
    expect(infos.error_count).toBeGreaterThanOrEqual(1);
    expect(Object.keys(errorsByKey(infos)).every((k) => k.startsWith('transforms.cast.'))).toBe(true);
  });

  it('a predicate alias a transform names but predicates does not list (1, caught by the start-up checks)', () => {
    const infos = validate({ ...fileSink, transforms: 'x', 'transforms.x.type': 'InsertField$Value', 'transforms.x.static.field': 'f', 'transforms.x.static.value': 'v', 'transforms.x.predicate': 'nope' });
    expect(infos.error_count).toBe(1);
    expect(errorsByKey(infos)['transforms.x.predicate'][0]).toContain('Invalid value nope for configuration transforms.x.predicate');
  });

  it('a transform whose configure() refuses its settings (1, on the key its message names)', () => {
    const infos = validate({ ...fileSink, transforms: 'x', 'transforms.x.type': 'InsertField$Value', 'transforms.x.static.field': 'f' });
    expect(errorsByKey(infos)).toEqual({
      'transforms.x.static.value': ['Invalid value null for configuration transforms.x.static.value: No value specified for static field: f'],
    });
    expect(infos.error_count).toBe(1);
  });

  it('an unknown key converter (1) and a JsonConverter with a bad schemas.enable (1, counted once per key)', () => {
    const infos = validate({ ...fileSink, 'key.converter': 'com.example.Bogus', 'value.converter': 'JsonConverter', 'value.converter.schemas.enable': 'maybe' });
    expect(infos.error_count).toBe(2);
    const errors = errorsByKey(infos);
    expect(errors['key.converter'][0]).toMatch(/^Invalid value com\.example\.Bogus for configuration key\.converter: Class com\.example\.Bogus could not be found/);
    // Kafka validates the converter's keys unprefixed, then names the value with the prefix.
    expect(errors['value.converter.schemas.enable']).toEqual(['Invalid value maybe for configuration schemas.enable: Expected value to be either true or false']);
  });

  it('a client override the worker\'s policy forbids (1), with Kafka\'s message', () => {
    const strict = parseWorkerConfig({ ...workerProps, 'connector.client.config.override.policy': 'None' });
    const infos = validate({ ...fileSink, 'consumer.override.max.poll.records': '10', 'producer.override.acks': '1' }, strict);
    // A sink without a dead letter queue has no producer: its producer overrides are not checked, as in Kafka.
    expect(errorsByKey(infos)).toEqual({
      'consumer.override.max.poll.records': ["The 'None' policy does not allow 'max.poll.records' to be overridden in the connector configuration."],
    });
    expect(infos.error_count).toBe(1);
  });

  it('a JAAS config with JndiLoginModule in a client override (1, refused as at start-up: CVE-2023-25194)', () => {
    const jaas = 'com.sun.security.auth.module.JndiLoginModule required user.provider.url="ldap://evil/x";';
    const infos = validate({ ...fileSink, 'consumer.override.sasl.jaas.config': jaas });
    expect(Object.keys(errorsByKey(infos))).toEqual(['consumer.override.sasl.jaas.config']);
    expect(errorsByKey(infos)['consumer.override.sasl.jaas.config'][0]).toContain('JndiLoginModule is not allowed');
    expect(infos.error_count).toBe(1);
    // The value is a PASSWORD: it is never echoed back.
    expect(infos.configs.find((c) => c.value.name === 'consumer.override.sasl.jaas.config')?.value.value).toBe('[hidden]');
  });

  it('a null value in the request body (1)', () => {
    const infos = validate({ ...fileSink, 'errors.log.enable': null });
    expect(errorsByKey(infos)).toEqual({ 'errors.log.enable': ['Null value can not be supplied as the configuration value.'] });
    expect(infos.error_count).toBe(1);
  });

  it('collects every error at once rather than stopping at the first (5)', () => {
    const { topics: _t, ...props } = fileSink;
    const infos = validate({ ...props, 'tasks.max': '0', transforms: 'a', 'transforms.a.type': 'Nope', 'key.converter': 'Bogus' });
    expect(Object.keys(errorsByKey(infos)).sort()).toEqual(['key.converter', 'tasks.max', 'topics', 'topics.regex', 'transforms.a.type']);
    expect(infos.error_count).toBe(5);
  });

  it('the README example: tasks.max=0 and no topics (3)', () => {
    const infos = validate({ 'connector.class': 'FileStreamSink', name: 's', 'tasks.max': '0', file: '/tmp/out.txt' });
    expect(infos.name).toBe('FileStreamSink');
    expect(infos.groups).toEqual(['Common', 'Transforms', 'Predicates', 'Error Handling']);
    expect(Object.keys(errorsByKey(infos))).toEqual(['tasks.max', 'topics', 'topics.regex']);
    expect(infos.error_count).toBe(3);
  });

  it('does not report keys it does not know (Kafka neither)', () => {
    expect(validate({ ...fileSink, 'some.unknown.key': 'x' }).error_count).toBe(0);
  });
});
