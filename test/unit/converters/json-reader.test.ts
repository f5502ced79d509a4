import { decodeBase64, JsonDecimal, jsonNodeType, JsonSyntaxError, parseJson } from '../../../src/converters/json-reader';

describe('parseJson', () => {
  it('reads objects as Maps and arrays as arrays', () => {
    expect(parseJson(' {"a": [1, true, null, "x"], "b": {}} ').value).toEqual(
      new Map<string, unknown>([
        ['a', [1, true, null, 'x']],
        ['b', new Map()],
      ]),
    );
    expect(parseJson('[]').value).toEqual([]);
  });

  it('keeps integers exact: numbers when safe, bigints beyond', () => {
    expect(parseJson('9007199254740991').value).toBe(9007199254740991);
    expect(parseJson('9007199254740993').value).toBe(9007199254740993n);
    expect(parseJson('-9223372036854775808').value).toBe(-(2n ** 63n));
    expect(parseJson('-0').value).toBe(0);
    expect(Object.is(parseJson('-0').value, -0)).toBe(false);
  });

  it('keeps fractions and exponents as written', () => {
    expect(parseJson('1.50').value).toEqual(new JsonDecimal('1.50'));
    expect(parseJson('1E5').value).toEqual(new JsonDecimal('1E5'));
  });

  it('accepts leading zeros, as Kafka enables in Jackson', () => {
    expect(parseJson('007').value).toBe(7);
    expect(parseJson('-00.5').value).toEqual(new JsonDecimal('-00.5'));
  });

  it('decodes string escapes', () => {
    expect(parseJson('"a\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"').value).toBe('a"\\/\b\f\n\r\té😀');
  });

  it('reports where each top-level member is', () => {
    const text = '{"schema": {"type":"int32"} , "payload":1}';
    const doc = parseJson(text);
    const [start, end] = doc.memberSpans.get('schema') ?? [0, 0];
    expect(text.slice(start, end)).toBe('{"type":"int32"}');
  });

  it('treats empty or blank text as no value', () => {
    expect(parseJson('').value).toBeUndefined();
    expect(parseJson(' \r\n\t').value).toBeUndefined();
  });

  it.each([
    ['{bad}', "Unexpected character 'b' (code 98): expected a field name in double quotes at offset 1"],
    ['[1,]', "Unexpected character ']' (code 93): expected a value at offset 3"],
    ['{"a":1', "Unexpected end of input: expected ',' or '}' at offset 6"],
    ['1 2', 'Unexpected content after the end of the JSON value at offset 2'],
    ['"a\u0001"', 'Illegal unescaped control character (code 1) in a string at offset 2'],
    ['"\\x"', "Unrecognized character escape 'x' (code 120) at offset 2"],
    ['"\\u12"', 'Invalid \\u escape: expected 4 hex digits at offset 2'],
    ['1.', 'Expected a digit after the decimal point at offset 2'],
    ['-', 'Expected a digit after the minus sign at offset 1'],
    ['1e', 'Expected a digit in the exponent at offset 2'],
    ['+1', "Unexpected character '+' (code 43): expected a value at offset 0"],
    ['NaN', "Unexpected character 'N' (code 78): expected a value at offset 0"],
    ['tru', "Unrecognized token: expected 'true' at offset 0"],
    ['"abc', 'Unexpected end of input inside a string at offset 0'],
    ['"a\\nbc', 'Unexpected end of input inside a string at offset 0'],
    ['['.repeat(1001), 'Nesting deeper than 1000 levels at offset 1000'],
  ])('refuses %j', (text, message) => {
    expect(() => parseJson(text)).toThrow(JsonSyntaxError);
    expect(() => parseJson(text)).toThrow(message);
  });

  it('reads nesting up to 1000 levels', () => {
    expect(() => parseJson(`${'['.repeat(1000)}${']'.repeat(1000)}`)).not.toThrow();
  });

  it('names parsed values by Jackson\'s JsonNodeType, for error messages', () => {
    const types = ['null', 'true', '"s"', '1', '99999999999999999999', '1.5', '[]', '{}'].map((t) => jsonNodeType(parseJson(t).value!));
    expect(types).toEqual(['NULL', 'BOOLEAN', 'STRING', 'NUMBER', 'NUMBER', 'NUMBER', 'ARRAY', 'OBJECT']);
  });

  it('decodes base64 as Jackson does: standard alphabet, padding required', () => {
    expect(decodeBase64('AJw=')).toEqual(Buffer.from([0, 0x9c]));
    expect(decodeBase64('')).toEqual(Buffer.alloc(0));
    for (const bad of ['AJw', 'AJ-_', 'not base64!']) expect(decodeBase64(bad)).toBeNull();
  });
});
