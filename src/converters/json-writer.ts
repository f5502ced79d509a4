import { javaDoubleToString, javaFloatToString } from '../api/java-number-format';

/**
 * JSON tokens written the way Kafka's JsonSerializer writes them: a default Jackson ObjectMapper with
 * its UTF8JsonGenerator, so the bytes match Kafka's.
 *
 * Jackson's defaults, read from jackson-core (CharTypes.sOutputEscapes128, UTF8JsonGenerator,
 * JsonWriteFeature):
 * - `"` and `\` get a backslash; \b \t \n \f \r their short escapes; other controls below U+0020
 *   become \u00XX with upper-case hex (WRITE_HEX_UPPER_CASE is on). '/' and U+007F stay as they are.
 * - Other characters are written as UTF-8, except UTF-16 surrogates: the generator escapes each
 *   surrogate code unit on its own, so U+1F600 is written `\uD83D\uDE00` (jackson-core #223;
 *   COMBINE_UNICODE_SURROGATES_IN_UTF8 is off by default).
 * - NaN and the infinities are written as strings (WRITE_NAN_AS_STRINGS is on): "NaN", "Infinity".
 */

// Characters Jackson escapes: controls, quote, backslash and any surrogate code unit.
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x08: '\\b',
  0x09: '\\t',
  0x0a: '\\n',
  0x0c: '\\f',
  0x0d: '\\r',
  0x22: '\\"',
  0x5c: '\\\\',
};

/** A JSON string literal for `s`, escaped as Jackson escapes it. */
export function quoteJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0xd800 || c > 0xdfff)) continue;
    out += s.slice(start, i) + (SHORT_ESCAPES[c] ?? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`);
    start = i + 1;
  }
  return `${out}${s.slice(start)}"`;
}

/** A double as Jackson writes it: Java's Double.toString, non-finite values quoted. */
export function doubleToken(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    // Java and V8 pick the same shortest digits, and both write this range in plain notation; Java
    // adds ".0" to integral values.
    const text = String(x);
    return text.includes('.') ? text : `${text}.0`;
  }
  if (abs >= MIN_NORMAL_DOUBLE && abs < Infinity) return exponentToJava(x < 0, abs.toExponential());
  const text = javaDoubleToString(x);
  return Number.isFinite(x) ? text : `"${text}"`;
}

/** A float (x rounded to float32) as Jackson writes it: Java's Float.toString, non-finite values quoted. */
export function floatToken(x: number): string {
  const f = Math.fround(x);
  const fast = Number.isFinite(f) ? shortestFloat(f) : null;
  if (fast !== null) return fast;
  const text = javaFloatToString(x);
  return Number.isFinite(f) ? text : `"${text}"`;
}

const MIN_NORMAL_DOUBLE = 2.2250738585072014e-308;
const MIN_NORMAL_FLOAT = 2 ** -126;
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * Java's Float.toString for a normal float, from V8's correctly rounded toExponential: for 1 to 9
 * digits, the nearest decimal of that length is tested against the float's rounding interval, whose
 * bounds are doubles. Null whenever the double test cannot decide (the decimal parses to a bound, a
 * tie between two decimals, a power of two whose interval is lopsided): javaFloatToString, exact
 * but slower, answers then. For normal floats a one-digit decimal is never beaten by a two-digit one,
 * so Java's two-digit rule needs no case here.
 */
function shortestFloat(f: number): string | null {
  const abs = Math.abs(f);
  if (abs < MIN_NORMAL_FLOAT) return null;
  F32[0] = abs;
  const bits = U32[0];
  U32[0] = bits + 1;
  const next = F32[0];
  U32[0] = bits - 1;
  const previous = F32[0];
  if (next === Infinity) return null;
  const low = (previous + abs) / 2;
  const high = (abs + next) / 2;
  const powerOfTwo = (bits & 0x7fffff) === 0;
  // V8's shortest digits for the double (in the float's interval, which holds the double's): when
  // there are at most 9 and no decimal one digit shorter is in the float's interval, they are
  // Java's (the closest decimal of that length; no tie is possible that close).
  const shortest = abs.toExponential();
  const length = shortest.indexOf('e') === 1 ? 1 : shortest.indexOf('e') - 1;
  if (length === 1) return exponentToJava(f < 0, shortest);
  if (length <= 9 && !powerOfTwo) {
    const shorter = Number(abs.toExponential(length - 2));
    if (shorter < low || shorter > high) return exponentToJava(f < 0, shortest);
  }
  for (let digits = 1; digits <= 9; digits++) {
    const text = abs.toExponential(digits - 1);
    const d = Number(text);
    if (d > low && d < high) {
      // A value exactly halfway between two such decimals: V8 rounds up, Java to even.
      const longer = abs.toExponential(digits);
      if (longer[longer.indexOf('e') - 1] === '5' && Number(longer) === abs) return null;
      return exponentToJava(f < 0, text);
    }
    if (d === low || d === high || powerOfTwo) return null;
  }
  return null;
}

/** Java's layout of a decimal given in V8's exponential form (`1.25e+2`), digits already shortest. */
function exponentToJava(negative: boolean, exponential: string): string {
  const e = exponential.indexOf('e');
  let digits = exponential.slice(0, e).replace('.', '');
  let end = digits.length;
  while (end > 1 && digits.charCodeAt(end - 1) === 0x30) end--;
  digits = digits.slice(0, end);
  const exp = Number(exponential.slice(e + 1));
  const sign = negative ? '-' : '';
  if (exp >= -3 && exp < 7) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intLength = exp + 1;
    if (digits.length <= intLength) return `${sign}${digits.padEnd(intLength, '0')}.0`;
    return `${sign}${digits.slice(0, intLength)}.${digits.slice(intLength)}`;
  }
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}E${exp}`;
}
