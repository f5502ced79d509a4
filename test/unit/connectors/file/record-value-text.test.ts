import { recordValueText } from '../../../../connectors/file/record-value-text';

describe('recordValueText', () => {
  it.each<[unknown, string]>([
    ['text', 'text'],
    [null, 'null'],
    [undefined, 'null'],
    [Buffer.from('ünï'), 'ünï'],
    [1.5, '1.5'],
    [false, 'false'],
    [9007199254740993n, '9007199254740993'],
    [[1, 'a', null], '[1,"a",null]'],
    [{ a: 1, b: [2n] }, '{"a":1,"b":["2"]}'],
    [new Map([['k', 1]]), '{"k":1}'],
    [{ nested: Buffer.from('x') }, '{"nested":"x"}'],
  ])('renders %p as %p', (value, text) => {
    expect(recordValueText(value)).toBe(text);
  });

  it('uses an object’s own toString when it has one', () => {
    expect(recordValueText({ toString: () => 'Struct{a=1}' })).toBe('Struct{a=1}');
  });
});
