import { javaDoubleToString, javaFloatToString, parseJavaFloat } from '../../../src/api/java-number-format';

/*
 * Expected strings are what java.lang.Double.toString / Float.toString print on Java 25 (the JDK 19+
 * specification), and what new BigDecimal(literal).floatValue() returns. Before JDK 19 Java sometimes
 * printed an extra digit (2.0E23 as 1.9999999999999998E23); we follow the current specification.
 */

describe('javaDoubleToString', () => {
  it.each<[number, string]>([
    [10, '10.0'],
    [1.5, '1.5'],
    [100, '100.0'],
    [12.34, '12.34'],
    [0.1, '0.1'],
    [1 / 3, '0.3333333333333333'],
    // plain notation for 10^-3 <= |x| < 10^7
    [0.001, '0.001'],
    [1234567, '1234567.0'],
    [9999999, '9999999.0'],
    // computerized scientific notation outside it, exponent without '+'
    [1e7, '1.0E7'],
    [123456789, '1.23456789E8'],
    [0.0001, '1.0E-4'],
    [1e-5, '1.0E-5'],
    [1e20, '1.0E20'],
    [2e23, '2.0E23'],
    [1e23, '1.0E23'],
    [Number.MAX_VALUE, '1.7976931348623157E308'],
    // subnormals: two-digit decimals compete with one-digit ones
    [Number.MIN_VALUE, '4.9E-324'],
    [2 * Number.MIN_VALUE, '9.9E-324'],
    [3 * Number.MIN_VALUE, '1.5E-323'],
    [-1.5, '-1.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('%p -> %s', (x, expected) => {
    expect(javaDoubleToString(x)).toBe(expected);
  });
});

describe('javaFloatToString', () => {
  it.each<[number, string]>([
    [0.1, '0.1'],
    [12.34, '12.34'],
    [3.3, '3.3'],
    [0.3, '0.3'],
    [1e10, '1.0E10'],
    [1e-5, '1.0E-5'],
    [16777216, '1.6777216E7'],
    [3.4028234663852886e38, '3.4028235E38'],
    [1.1754943508222875e-38, '1.1754944E-38'],
    [1e-40, '1.0E-40'],
    [1.401298464324817e-45, '1.4E-45'],
    [2.5e-45, '2.8E-45'],
    [-2.5, '-2.5'],
    [-0, '-0.0'],
    [1e39, 'Infinity'],
  ])('%p -> %s', (x, expected) => {
    expect(javaFloatToString(x)).toBe(expected);
  });
});

describe('parseJavaFloat', () => {
  it('rounds decimal literals straight to the nearest float', () => {
    expect(parseJavaFloat('0.1')).toBe(Math.fround(0.1));
    expect(parseJavaFloat('-12.34e0')).toBe(Math.fround(-12.34));
    expect(parseJavaFloat('1e39')).toBe(Infinity);
    expect(parseJavaFloat('1e-50')).toBe(0);
  });

  it('does not round twice when the double lands exactly between two floats', () => {
    // 1 + 2^-24 is halfway between the floats 1 and 1 + 2^-23; the literal is a hair above it,
    // so Java rounds up, while going through a double (which rounds to the midpoint) would round to 1.
    const literal = '1.00000005960464477539062500000000000000001';
    expect(Number(literal)).toBe(1 + 2 ** -24);
    expect(Math.fround(Number(literal))).toBe(1);
    expect(parseJavaFloat(literal)).toBe(1 + 2 ** -23);
  });
});
