import { ConfigDef, ConfigError, ConfigType, Importance, NO_DEFAULT, Password, Validators } from '../../../src/api';

const def = new ConfigDef()
  .define({ name: 'topic', type: ConfigType.STRING, defaultValue: NO_DEFAULT, importance: Importance.HIGH, doc: 'topic' })
  .define({ name: 'batch.size', type: ConfigType.INT, defaultValue: 2000, validator: Validators.atLeast(1), importance: Importance.LOW, doc: 'b' })
  .define({ name: 'flag', type: ConfigType.BOOLEAN, defaultValue: false, importance: Importance.LOW, doc: 'f' })
  .define({ name: 'list', type: ConfigType.LIST, defaultValue: [], importance: Importance.LOW, doc: 'l' })
  .define({ name: 'ratio', type: ConfigType.DOUBLE, defaultValue: 0.5, importance: Importance.LOW, doc: 'r' })
  .define({ name: 'secret', type: ConfigType.PASSWORD, defaultValue: null, importance: Importance.LOW, doc: 's' })
  .define({ name: 'mode', type: ConfigType.STRING, defaultValue: 'a', validator: Validators.in('a', 'b'), importance: Importance.LOW, doc: 'm' });

describe('ConfigDef', () => {
  it('parses typed values and applies defaults', () => {
    const c = def.parse({ topic: 't', 'batch.size': ' 10 ', flag: 'TRUE', list: 'a, b,c', ratio: '1.5', secret: 'pw' });
    expect(c.getString('topic')).toBe('t');
    expect(c.getInt('batch.size')).toBe(10);
    expect(c.getBoolean('flag')).toBe(true);
    expect(c.getList('list')).toEqual(['a', 'b', 'c']);
    expect(c.getDouble('ratio')).toBe(1.5);
    expect(c.getPassword('secret')?.value()).toBe('pw');
    expect(c.getString('mode')).toBe('a');
    expect(def.parse({ topic: 't' }).getInt('batch.size')).toBe(2000);
  });

  it('names a missing required key in Kafka\'s words', () => {
    expect(() => def.parse({})).toThrow(new ConfigError('Missing required configuration "topic" which has no default value.'));
  });

  it.each([
    ['batch.size', 'abc', 'Invalid value abc for configuration batch.size: Not a number of type INT'],
    ['batch.size', '0', 'Invalid value 0 for configuration batch.size: Value must be at least 1'],
    ['batch.size', '3000000000', 'Invalid value 3000000000 for configuration batch.size: Not a number of type INT'],
    ['flag', 'yes', 'Invalid value yes for configuration flag: Expected value to be either true or false'],
    ['ratio', 'x', 'Invalid value x for configuration ratio: Not a number of type DOUBLE'],
    ['mode', 'c', 'Invalid value c for configuration mode: String must be one of: a, b'],
  ])('rejects %s=%s', (key, value, message) => {
    expect(() => def.parse({ topic: 't', [key]: value })).toThrow(message);
  });

  it('hides passwords in the start-up log', () => {
    const c = def.parse({ topic: 't', secret: 'hunter2' });
    const log = c.logString();
    expect(log).toContain('\tsecret = [hidden]');
    expect(log).not.toContain('hunter2');
    expect(log.startsWith('Config values: \n')).toBe(true);
    expect(String(new Password('x'))).toBe('[hidden]');
    expect(JSON.stringify({ p: new Password('x') })).toBe('{"p":"[hidden]"}');
  });

  it('logs a key through its logValue (secrets inside a value, e.g. a password in a JDBC URL)', () => {
    const masked = new ConfigDef().define({
      name: 'url',
      type: ConfigType.STRING,
      defaultValue: null,
      importance: Importance.HIGH,
      doc: 'u',
      logValue: (v) => String(v).replace(/password=[^&]*/, 'password=****'),
    });
    const log = masked.parse({ url: 'db://h/x?user=a&password=hunter2' }).logString();
    expect(log).toContain('\turl = db://h/x?user=a&password=****');
    expect(log).not.toContain('hunter2');
  });

  it('returns originals with a prefix stripped', () => {
    const c = def.parse({ topic: 't', 'producer.acks': '1', 'producer.': 'x' });
    expect(c.originalsWithPrefix('producer.')).toEqual({ acks: '1' });
  });

  it('refuses a key defined twice', () => {
    expect(() => def.merge(def).define(def.configKeys()[0])).toThrow('defined twice');
  });
});
