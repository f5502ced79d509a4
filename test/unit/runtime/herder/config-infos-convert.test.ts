import { ConfigKey, ConfigType, Importance, NO_DEFAULT, Password, Validators, Width } from '../../../../src/api';
import {
  convertConfigKey,
  embed,
  generateResult,
  prefixedConfigInfos,
  sortedConfigs,
  validateAll,
  validatedValue,
} from '../../../../src/runtime/herder/config-infos-convert';

const key = (name: string, extra: Partial<ConfigKey> = {}): ConfigKey => ({ name, type: ConfigType.STRING, defaultValue: null, importance: Importance.MEDIUM, doc: `${name} doc`, ...extra });

describe('convertConfigKey (Kafka\'s ConfigKeyInfo)', () => {
  it('prints required keys with a null default and defaults as Kafka prints them', () => {
    expect(convertConfigKey(key('a', { defaultValue: NO_DEFAULT }))).toEqual({
      name: 'a', type: 'STRING', required: true, default_value: null, importance: 'MEDIUM', documentation: 'a doc',
      group: null, order_in_group: -1, width: 'NONE', display_name: 'a', dependents: [],
    });
    expect(convertConfigKey(key('l', { type: ConfigType.LIST, defaultValue: ['x', 'y'] })).default_value).toBe('x,y');
    expect(convertConfigKey(key('p', { type: ConfigType.PASSWORD, defaultValue: new Password('s3cret') })).default_value).toBe('[hidden]');
    expect(convertConfigKey(key('b', { type: ConfigType.BOOLEAN, defaultValue: false })).default_value).toBe('false');
    expect(convertConfigKey(key('g', { group: 'G', orderInGroup: 2, width: Width.LONG, displayName: 'Gee', dependents: ['h'] }), 'pre.')).toMatchObject({
      name: 'pre.g', group: 'G', order_in_group: 2, width: 'LONG', display_name: 'Gee', dependents: ['pre.h'],
    });
  });
});

describe('validateAll (Kafka\'s ConfigDef.validateAll)', () => {
  it('collects parse, missing and validator errors per key without throwing, and never shows a password', () => {
    const values = validateAll(
      [
        key('n', { type: ConfigType.INT, defaultValue: 1, validator: Validators.atLeast(1) }),
        key('req', { defaultValue: NO_DEFAULT }),
        key('bad', { type: ConfigType.BOOLEAN, defaultValue: false }),
        key('pw', { type: ConfigType.PASSWORD }),
      ],
      { n: '0', bad: 'maybe', pw: 'hunter2' },
    );
    expect(values.get('n')).toMatchObject({ value: 0, errors: ['Invalid value 0 for configuration n: Value must be at least 1'] });
    expect(values.get('req')?.errors).toEqual(['Missing required configuration "req" which has no default value.']);
    expect(values.get('bad')).toMatchObject({ value: null, errors: ['Invalid value maybe for configuration bad: Expected value to be either true or false'] });
    const result = generateResult('X', new Map([['pw', key('pw', { type: ConfigType.PASSWORD })]]), [values.get('pw')!], []);
    expect(result.configs[0].value.value).toBe('[hidden]');
  });

  it('asks recommenders with the parsed values', () => {
    const values = validateAll([key('a', { defaultValue: 'x' }), key('b', { recommender: { validValues: (_n, parsed) => [`${String(parsed.a)}1`, `${String(parsed.a)}2`], visible: (_n, parsed) => parsed.a === 'y' } })], { a: 'y' });
    expect(values.get('b')).toMatchObject({ recommendedValues: ['y1', 'y2'], visible: true });
  });
});

describe('sortedConfigs and embed (Kafka\'s ConfigDef.embed)', () => {
  it('sorts by group, order in group, required first, importance, then name', () => {
    const keys = [
      key('z.low', { importance: Importance.LOW }),
      key('a.low', { importance: Importance.LOW }),
      key('m.high', { importance: Importance.HIGH }),
      key('r.required', { defaultValue: NO_DEFAULT, importance: Importance.LOW }),
      key('grouped', { group: 'G', orderInGroup: 1 }),
    ];
    expect(sortedConfigs(keys).map((k) => k.name)).toEqual(['r.required', 'm.high', 'a.low', 'z.low', 'grouped']);
  });

  it('prefixes names and dependents, puts keys in the alias group (with their own group after a colon), numbers from the start', () => {
    const embedded = embed('transforms.t.', 'Transforms: t', 1, [key('b'), key('a', { group: 'Inner', dependents: ['b'] })]);
    expect(embedded.map((k) => [k.name, k.group, k.orderInGroup])).toEqual([
      ['transforms.t.b', 'Transforms: t', 1],
      ['transforms.t.a', 'Transforms: t: Inner', 2],
    ]);
    expect(embedded[1].dependents).toEqual(['transforms.t.b']);
  });

  it('runs embedded validators with the unprefixed name, as Kafka\'s embedded validators do', () => {
    const [embedded] = embed('p.', 'G', 1, [key('n', { type: ConfigType.INT, defaultValue: 1, validator: Validators.atLeast(1) })]);
    expect(validateAll([embedded], { 'p.n': '0' }).get('p.n')?.errors).toEqual(['Invalid value 0 for configuration n: Value must be at least 1']);
  });
});

describe('error counting, as Kafka counts', () => {
  it('generateResult counts messages; prefixedConfigInfos counts values with errors', () => {
    const two = validatedValue('a', 'v', ['e1', 'e2']);
    const keys = new Map([['a', key('a')]]);
    expect(generateResult('X', keys, [two], []).error_count).toBe(2);
    expect(prefixedConfigInfos(keys, [two], 'pre.').error_count).toBe(1);
    expect(prefixedConfigInfos(keys, [two], 'pre.').configs[0].value.name).toBe('pre.a');
  });

  it('generateResult lists values no key defines first, with a null definition', () => {
    const result = generateResult('X', new Map([['a', key('a')]]), [validatedValue('a', 'v'), validatedValue('stray', 'x', ['bad'])], []);
    expect(result.configs.map((c) => [c.definition?.name ?? null, c.value.name])).toEqual([[null, 'stray'], ['a', 'a']]);
    expect(result.error_count).toBe(1);
  });
});
