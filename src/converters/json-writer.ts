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
  const text = javaDoubleToString(x);
  return Number.isFinite(x) ? text : `"${text}"`;
}

/** A float (x rounded to float32) as Jackson writes it: Java's Float.toString, non-finite values quoted. */
export function floatToken(x: number): string {
  const text = javaFloatToString(x);
  return Number.isFinite(Math.fround(x)) ? text : `"${text}"`;
}
