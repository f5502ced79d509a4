/**
 * Java's Double.toString and Float.toString, which Jackson uses for float and double JSON numbers,
 * and Java's exact decimal-to-float parsing, so JsonConverter matches Kafka's output byte for byte.
 *
 * The rules come from the java.lang.Double#toString(double) javadoc (JDK 19 and later; Float is the
 * same at float precision):
 * - NaN, Infinity and -Infinity by name; zero as 0.0 or -0.0.
 * - Digits: the shortest decimal that rounds back to the value; among those the closest, ties to an
 *   even last digit. When one digit would do, two-digit decimals compete too, which is why
 *   Double.MIN_VALUE prints as 4.9E-324 and not 5.0E-324.
 * - 10^-3 <= |x| < 10^7: plain notation, at least one digit after the point (10.0, 0.001, 1234567.0).
 * - Otherwise computerized scientific notation d.dddEn, exponent without '+' (1.0E20, 1.0E-5).
 * JDK 17 and older used an algorithm that sometimes printed one digit too many (JDK-4511638, e.g.
 * 2.0E23 as 1.9999999999999998E23); we follow the current specification.
 */

/** A positive decimal: `digits` without trailing zeros, `exp` the power of ten of the first digit. */
interface Decimal {
  readonly digits: string;
  readonly exp: number;
}

/** An exact non-negative rational; `den` is positive. */
interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

interface BinaryFormat {
  readonly maxDigits: number;
  /** Bit pattern of a positive value of this format, and back. */
  bits(x: number): bigint;
  fromBits(bits: bigint): number;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

const DOUBLE: BinaryFormat = {
  maxDigits: 17,
  bits: (x) => ((f64[0] = x), u64[0]),
  fromBits: (b) => ((u64[0] = b), f64[0]),
};
const FLOAT: BinaryFormat = {
  maxDigits: 9,
  bits: (x) => ((f32[0] = x), BigInt(u32[0])),
  fromBits: (b) => ((u32[0] = Number(b)), f32[0]),
};

const MIN_NORMAL_DOUBLE = 2.2250738585072014e-308;

/** Java's Double.toString(x). */
export function javaDoubleToString(x: number): string {
  if (!Number.isFinite(x) || x === 0) return special(x);
  const abs = Math.abs(x);
  // V8's shortest round-trip digits follow the same closest-shortest rule; only subnormals can have a
  // one-digit shortest form where Java's two-digit rule picks something else.
  const decimal = abs >= MIN_NORMAL_DOUBLE ? parseExponential(abs.toExponential()) : shortestExact(abs, DOUBLE);
  return layout(x < 0, decimal);
}

/** Java's Float.toString(Math.fround(x)). */
export function javaFloatToString(x: number): string {
  const f = Math.fround(x);
  if (!Number.isFinite(f) || f === 0) return special(f);
  return layout(f < 0, shortestExact(Math.abs(f), FLOAT));
}

/**
 * Parses a JSON number literal to the nearest float, as Java's BigDecimal.floatValue() does. Going
 * through a double first can round twice; that only matters when the double lands exactly halfway
 * between two floats, so only then is the literal compared exactly.
 */
export function parseJavaFloat(literal: string): number {
  const d = Number(literal);
  const f = Math.fround(d);
  if (!Number.isFinite(f) || d === f) return f;
  const other = neighbour(Math.abs(f), FLOAT, Math.abs(d) > Math.abs(f) ? 1n : -1n);
  const mid = (Math.abs(f) + other) / 2;
  if (Math.abs(d) !== mid) return f;
  const order = compare(decimalLiteral(literal), binary(mid));
  if (order === 0) return f;
  return Math.sign(d) * (order > 0 ? Math.max(Math.abs(f), other) : Math.min(Math.abs(f), other));
}

function special(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return Object.is(x, -0) ? '-0.0' : '0.0';
}

function layout(negative: boolean, { digits, exp }: Decimal): string {
  const sign = negative ? '-' : '';
  if (exp >= -3 && exp < 7) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intLength = exp + 1;
    if (digits.length <= intLength) return `${sign}${digits.padEnd(intLength, '0')}.0`;
    return `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
  }
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}E${exp}`;
}

/** Reads JavaScript's `d.ddde±n` form. */
function parseExponential(text: string): Decimal {
  const e = text.indexOf('e');
  const digits = text.slice(0, e).replace('.', '').replace(/0+$/, '');
  return { digits: digits === '' ? '0' : digits, exp: Number(text.slice(e + 1)) };
}

/** Shortest, then closest, decimal inside x's rounding interval, computed exactly. */
function shortestExact(x: number, format: BinaryFormat): Decimal {
  const interval = roundingInterval(x, format);
  for (let p = 1; p <= format.maxDigits; p++) {
    let best = closestWithDigits(x, p, interval);
    if (best === null) continue;
    if (p === 1) {
      const two = closestWithDigits(x, 2, interval);
      if (two !== null && compare(distance(two, interval.x), distance(best, interval.x)) < 0) best = two;
    }
    return toDecimal(best);
  }
  throw new Error(`No decimal found for ${x}`);
}

interface Interval {
  readonly x: Rational;
  readonly low: Rational;
  readonly high: Rational;
  /** Round-half-even: the bounds belong to x when its significand is even. */
  readonly inclusive: boolean;
}

interface Candidate {
  readonly n: bigint;
  readonly scale: number;
}

function roundingInterval(x: number, format: BinaryFormat): Interval {
  const xr = binary(x);
  const below = binary(neighbour(x, format, -1n));
  const nextUp = neighbour(x, format, 1n);
  const half = (a: Rational, b: Rational): Rational => ({ num: a.num * b.den + b.num * a.den, den: 2n * a.den * b.den });
  // Past the largest finite value, the rounding boundary sits half an ulp above it.
  const above: Rational = Number.isFinite(nextUp) ? binary(nextUp) : { num: 2n * xr.num * below.den - below.num * xr.den, den: xr.den * below.den };
  return { x: xr, low: half(below, xr), high: half(xr, above), inclusive: (format.bits(x) & 1n) === 0n };
}

/** The p-digit decimals next to x (the nearest and one step either side) that round to x; the closest wins. */
function closestWithDigits(x: number, p: number, interval: Interval): Candidate | null {
  const nearest = parseExponential(x.toExponential(p - 1));
  const n = BigInt(nearest.digits.padEnd(p, '0'));
  const scale = nearest.exp - (p - 1);
  let best: Candidate | null = null;
  for (const candidate of [n - 1n, n, n + 1n]) {
    const c = { n: candidate, scale };
    if (candidate <= 0n || !inside(c, interval)) continue;
    if (best === null) {
      best = c;
      continue;
    }
    const order = compare(distance(c, interval.x), distance(best, interval.x));
    if (order < 0 || (order === 0 && candidate % 2n === 0n)) best = c;
  }
  return best;
}

function inside(c: Candidate, { low, high, inclusive }: Interval): boolean {
  const value = decimal(c);
  const lo = compare(value, low);
  const hi = compare(value, high);
  return (lo > 0 || (lo === 0 && inclusive)) && (hi < 0 || (hi === 0 && inclusive));
}

function toDecimal({ n, scale }: Candidate): Decimal {
  const text = n.toString();
  return { digits: text.replace(/0+$/, ''), exp: scale + text.length - 1 };
}

function neighbour(x: number, format: BinaryFormat, step: bigint): number {
  return format.fromBits(format.bits(x) + step);
}

/** The exact value of a finite non-negative double. */
function binary(x: number): Rational {
  const bits = DOUBLE.bits(x);
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  const mantissa = exponent === 0 ? fraction : fraction | (1n << 52n);
  const power = (exponent === 0 ? 1 : exponent) - 1075;
  return power >= 0 ? { num: mantissa << BigInt(power), den: 1n } : { num: mantissa, den: 1n << BigInt(-power) };
}

function decimal({ n, scale }: Candidate): Rational {
  return scale >= 0 ? { num: n * 10n ** BigInt(scale), den: 1n } : { num: n, den: 10n ** BigInt(-scale) };
}

/** The exact absolute value of a JSON number literal such as `-12.5e-3`. */
function decimalLiteral(literal: string): Rational {
  const match = /^-?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(literal);
  if (match === null) throw new Error(`Not a number literal: ${literal}`);
  const fraction = match[2] ?? '';
  return decimal({ n: BigInt(`${match[1]}${fraction}` || '0'), scale: Number(match[3] ?? 0) - fraction.length });
}

function distance(c: Candidate, x: Rational): Rational {
  const value = decimal(c);
  const num = value.num * x.den - x.num * value.den;
  return { num: num < 0n ? -num : num, den: value.den * x.den };
}

function compare(a: Rational, b: Rational): number {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}
