import { parseProperties } from '../../../src/cli/properties-format';

describe('parseProperties', () => {
  it('reads the Java .properties syntax Kafka config files use', () => {
    const text = [
      '# comment',
      '! also a comment',
      '   ',
      'a.b=1',
      'c : two words ',
      'd value with spaces',
      'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\',
      '    username="u" \\',
      '    password="p";',
      'e=\\u0041\\t\\n',
      'key\\ with\\ space=v',
      'path=C:\\\\dir',
      'empty=',
      'trail=x\\\\',
    ].join('\r\n');
    expect(parseProperties(text, 'f.properties')).toEqual({
      'a.b': '1',
      c: 'two words ',
      d: 'value with spaces',
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="p";',
      e: 'A\t\n',
      'key with space': 'v',
      path: 'C:\\dir',
      empty: '',
      trail: 'x\\',
    });
  });

  it('keeps the last of duplicate keys, as java.util.Properties', () => {
    expect(parseProperties('a=1\na=2\n', 'f')).toEqual({ a: '2' });
  });

  it('rejects a malformed \\u escape naming file and line', () => {
    expect(() => parseProperties('a=1\nb=\\uZZ\n', 'w.properties')).toThrow('Malformed properties file w.properties: line 2 has a malformed \\uxxxx escape');
  });

  it('rejects a value without a key', () => {
    expect(() => parseProperties('=oops\n', 'w.properties')).toThrow('line 1 has a value but no key');
  });
});
