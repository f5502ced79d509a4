import { ConfigDef } from '../../../src/api';
import { builtinConverters } from '../../../src/converters';
import { validateConnector, ValidatedConnector } from '../../../src/runtime/connector-validation';
import { PluginRegistry } from '../../../src/runtime/plugins';
import { parseWorkerConfig } from '../../../src/runtime/worker-config';
import { fakeConnectorPlugin } from './fakes';
import { created, transformRegistry } from './test-transforms';

function registry(): PluginRegistry {
  const r = transformRegistry();
  r.registerConnector(fakeConnectorPlugin('org.example.FileSourceConnector', ['FileSource'], 'source', new ConfigDef()));
  builtinConverters.forEach((c) => r.registerConverter(c));
  return r;
}

const worker = parseWorkerConfig({
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'offset.storage.file.filename': '/tmp/connect.offsets',
});

function validate(props: Record<string, string>): ValidatedConnector {
  return validateConnector({ name: 'src', 'connector.class': 'FileSource', ...props }, 'src.properties', worker, registry());
}

describe('transforms and predicates in a connector config', () => {
  beforeEach(() => created.splice(0));

  it('parses the chain in order with each transform own keys (prefix, type, predicate and negate removed) and its predicate', () => {
    const v = validate({
      transforms: 'a, b',
      'transforms.a.type': 'com.example.transforms.Suffix',
      'transforms.a.suffix': '!',
      'transforms.a.predicate': 'starts',
      'transforms.a.negate': 'true',
      'transforms.b.type': 'Route',
      predicates: 'starts',
      'predicates.starts.type': 'ValueStartsWith',
      'predicates.starts.prefix': 'x',
    });
    const [a, b] = v.transforms.transformations;
    expect(v.transforms.transformations).toHaveLength(2);
    expect(a).toMatchObject({ alias: 'a', props: { suffix: '!' }, negate: true, predicate: { alias: 'starts', props: { prefix: 'x' } } });
    expect(a.plugin.className).toBe('com.example.transforms.Suffix');
    expect(a.predicate?.plugin.className).toBe('com.example.predicates.ValueStartsWith');
    expect(b).toMatchObject({ alias: 'b', props: {}, negate: false, predicate: null });
    expect(v.unknownKeys).toEqual([]);
    // configured once at validation (so configure() checks fail at start-up) and closed again
    expect(created.map((c) => [c.kind, c.closed])).toEqual([
      ['Suffix', true],
      ['ValueStartsWith', true],
    ]);
  });

  it('no transforms: nothing to build, and stray transforms.* keys are unknown', () => {
    const v = validate({ 'transforms.x.type': 'Suffix' });
    expect(v.transforms.transformations).toEqual([]);
    expect(v.unknownKeys).toEqual(['transforms.x.type']);
  });

  it('an unknown transformation class names the key and lists the known transformations', () => {
    expect(() => validate({ transforms: 'x', 'transforms.x.type': 'org.apache.kafka.connect.transforms.InsertFeld$Value' })).toThrow(
      'Invalid value org.apache.kafka.connect.transforms.InsertFeld$Value for configuration transforms.x.type: Class org.apache.kafka.connect.transforms.InsertFeld$Value could not be found, ' +
        'available transformations are: com.example.transforms.Suffix (Suffix), com.example.transforms.Route (Route)',
    );
  });

  it('an unknown predicate class names the key and lists the known predicates', () => {
    expect(() => validate({ predicates: 'p', 'predicates.p.type': 'TopicNameMatch' })).toThrow(
      'Invalid value TopicNameMatch for configuration predicates.p.type: Class TopicNameMatch could not be found, available predicates are: com.example.predicates.ValueStartsWith (ValueStartsWith)',
    );
  });

  it('a listed alias without a type is a missing required configuration', () => {
    expect(() => validate({ transforms: 'x' })).toThrow('Missing required configuration "transforms.x.type" which has no default value.');
    expect(() => validate({ predicates: 'p' })).toThrow('Missing required configuration "predicates.p.type" which has no default value.');
  });

  it("duplicate aliases fail with Kafka's wording", () => {
    expect(() => validate({ transforms: 'a,b,a', 'transforms.a.type': 'Route', 'transforms.b.type': 'Route' })).toThrow(
      'Invalid value [a, b, a] for configuration transforms: Duplicate alias provided.',
    );
    expect(() => validate({ predicates: 'p,p', 'predicates.p.type': 'ValueStartsWith', 'predicates.p.prefix': 'x' })).toThrow(
      'Invalid value [p, p] for configuration predicates: Duplicate alias provided.',
    );
  });

  it("a plugin key is validated against the plugin's ConfigDef under its full name", () => {
    expect(() => validate({ transforms: 'mask', 'transforms.mask.type': 'Suffix', 'transforms.mask.suffix': '!', 'transforms.mask.retriable': '-1' })).toThrow(
      'Invalid value -1 for configuration transforms.mask.retriable: Value must be at least 0',
    );
    expect(() => validate({ transforms: 'mask', 'transforms.mask.type': 'Suffix' })).toThrow('Missing required configuration "transforms.mask.suffix" which has no default value.');
  });

  it('a check made in configure() fails at start-up, with the alias prefix added to the key it names', () => {
    expect(() => validate({ transforms: 'mask', 'transforms.mask.type': 'Suffix', 'transforms.mask.suffix': 'forbidden' })).toThrow(
      'Invalid value forbidden for configuration transforms.mask.suffix: this suffix is not allowed',
    );
  });

  it('negate without predicate fails as in Kafka', () => {
    expect(() => validate({ transforms: 'r', 'transforms.r.type': 'Route', 'transforms.r.negate': 'true' })).toThrow(
      "Config 'transforms.r.negate' was provided but there is no config 'transforms.r.predicate' defining a predicate to be negated.",
    );
  });

  it('a predicate alias that is not listed in predicates names the key and the listed aliases', () => {
    expect(() =>
      validate({
        transforms: 'r',
        'transforms.r.type': 'Route',
        'transforms.r.predicate': 'isFoo',
        predicates: 'isBar',
        'predicates.isBar.type': 'ValueStartsWith',
        'predicates.isBar.prefix': 'bar',
      }),
    ).toThrow('Invalid value isFoo for configuration transforms.r.predicate: Must be one of the aliases listed in predicates: isBar');
    expect(() => validate({ transforms: 'r', 'transforms.r.type': 'Route', 'transforms.r.predicate': 'isFoo' })).toThrow(
      'Invalid value isFoo for configuration transforms.r.predicate: Must be an alias listed in predicates, which is empty',
    );
  });

  it('a bad negate value names its key', () => {
    expect(() =>
      validate({
        transforms: 'r',
        'transforms.r.type': 'Route',
        'transforms.r.predicate': 'p',
        'transforms.r.negate': 'yes',
        predicates: 'p',
        'predicates.p.type': 'ValueStartsWith',
        'predicates.p.prefix': 'x',
      }),
    ).toThrow('Invalid value yes for configuration transforms.r.negate: Expected value to be either true or false');
  });

  it('a predicate listed but used by no transform is still validated, and otherwise accepted (as Kafka does)', () => {
    expect(() => validate({ predicates: 'p', 'predicates.p.type': 'ValueStartsWith' })).toThrow('Missing required configuration "predicates.p.prefix" which has no default value.');
    const v = validate({ predicates: 'p', 'predicates.p.type': 'ValueStartsWith', 'predicates.p.prefix': 'x' });
    expect(v.transforms.transformations).toEqual([]);
    expect(v.transforms.predicates.map((p) => p.alias)).toEqual(['p']);
    expect(v.unknownKeys).toEqual([]);
  });

  it('unknown keys: misspelt plugin keys, keys of unlisted aliases and unknown top-level keys; converter and client override prefixes are known', () => {
    const v = validate({
      transforms: 'r',
      'transforms.r.type': 'Route',
      'transforms.r.sufix': '-x',
      'transforms.other.type': 'Route',
      'predicates.p.type': 'ValueStartsWith',
      'tasks.maximum': '2',
      'value.converter.schemas.enable': 'false',
      'key.converter.encoding': 'UTF-8',
      'header.converter.x': 'y',
      'producer.override.linger.ms': '5',
      'consumer.override.max.poll.records': '10',
      'admin.override.request.timeout.ms': '1000',
      'errors.tolerance': 'all',
    });
    expect(v.unknownKeys).toEqual(['transforms.r.sufix', 'transforms.other.type', 'predicates.p.type', 'tasks.maximum']);
  });
});
