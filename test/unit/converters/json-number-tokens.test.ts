import { javaDoubleToString, javaFloatToString } from '../../../src/api/java-number-format';
import { doubleToken, floatToken } from '../../../src/converters/json-writer';

/**
 * doubleToken and floatToken take fast paths through V8's number formatting; they must write exactly
 * what the exact Java algorithms (java-number-format.ts) write, quoted when not finite.
 */
const quoted = (text: string, finite: boolean) => (finite ? text : `"${text}"`);

/** A deterministic generator, so a failure names a value that can be replayed. */
function* randomBits(seed: number, count: number): Generator<number> {
  let state = seed >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    yield state;
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u32x2 = new Uint32Array(f64.buffer);

const SPECIAL = [
  0, -0, NaN, Infinity, -Infinity, 0.5, 1, 2, 10, 0.1, 0.001, 0.000999, 1e7, 9999999, 1e-3, 1e-4, 19.99, -19.99, 123456.7,
  1048576.25, 1048577.75, 16777216, 16777217, 3.4028234663852886e38, 1.1754943508222875e-38, 1.401298464324817e-45,
  2 ** -20, 2 ** 30, 2 ** 100, 2 ** -100, 1e21, 1e-7, 4.9e-324, 2.2250738585072014e-308, Number.MAX_VALUE, 0.3, 1 / 3, 2 / 3,
  100, 1e22, 1.5e300, 123e-20, 5e-5, 9.999999e6, 1.0000001e7,
];

describe('doubleToken', () => {
  const expectSame = (x: number) => expect([x, doubleToken(x)]).toEqual([x, quoted(javaDoubleToString(x), Number.isFinite(x))]);

  it('matches Java for special, boundary and round values', () => {
    for (const x of SPECIAL) expectSame(x);
  });

  it('matches Java for random bit patterns and random short decimals', () => {
    const bits = randomBits(12345, 8000);
    for (const hi of bits) {
      const lo = bits.next().value as number;
      u32x2[0] = lo;
      u32x2[1] = hi;
      expectSame(f64[0]);
    }
    for (const r of randomBits(777, 5000)) expectSame(((r % 2000000) - 1000000) / 10 ** (r % 9));
  });
});

describe('floatToken', () => {
  const expectSame = (x: number) => expect([x, floatToken(x)]).toEqual([x, quoted(javaFloatToString(x), Number.isFinite(Math.fround(x)))]);

  it('matches Java for special, boundary and round values', () => {
    for (const x of SPECIAL) expectSame(x);
  });

  it('matches Java for every power of two and its neighbours', () => {
    for (let e = -149; e <= 127; e++) for (const m of [1, 1 + 2 ** -23, 1 - 2 ** -24]) expectSame(2 ** e * m);
  });

  it('matches Java for random bit patterns and random short decimals', () => {
    for (const r of randomBits(4242, 8000)) {
      u32[0] = r;
      expectSame(f32[0]);
    }
    for (const r of randomBits(99, 5000)) expectSame(((r % 2000000) - 1000000) / 10 ** (r % 9));
  });

  it('matches Java for integers and short binary fractions, whose double digits are short', () => {
    for (const r of randomBits(2024, 8000)) expectSame(((r % 2 ** 24) - 2 ** 23) / 2 ** (r % 12));
    for (let k = 1; k < 3000; k++) expectSame(k / 8);
  });

  it('matches Java where a decimal lies exactly halfway (1048576.25 has 1048576.2 and 1048576.3 in range)', () => {
    expect(floatToken(1048576.25)).toBe(javaFloatToString(1048576.25));
    for (let k = 1; k < 4000; k += 2) expectSame(1048576 + k * 0.25);
  });
});
