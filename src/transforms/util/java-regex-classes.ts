/**
 * Tables and helpers for java-regex.ts: what Java's predefined classes (`\s`, `\h`, `\v`), POSIX and
 * java.lang.Character classes (`\p{Lower}`, `\p{javaLowerCase}`) and `Is` properties mean, written as
 * JavaScript `v`-mode pattern text.
 */
export const LINE_TERMINATORS = '\\n\\r\\u{85}\\u{2028}\\u{2029}';
export const PREDEFINED: Record<string, string> = {
  d: '\\d',
  D: '\\D',
  w: '\\w',
  W: '\\W',
  s: '[\\t\\n\\u{b}\\f\\r\\u{20}]',
  S: '[^\\t\\n\\u{b}\\f\\r\\u{20}]',
  h: '[\\u{20}\\t\\u{a0}\\u{1680}\\u{180e}\\u{2000}-\\u{200a}\\u{202f}\\u{205f}\\u{3000}]',
  H: '[^\\u{20}\\t\\u{a0}\\u{1680}\\u{180e}\\u{2000}-\\u{200a}\\u{202f}\\u{205f}\\u{3000}]',
  v: '[\\n\\u{b}\\f\\r\\u{85}\\u{2028}\\u{2029}]',
  V: '[^\\n\\u{b}\\f\\r\\u{85}\\u{2028}\\u{2029}]',
};
export const POSIX: Record<string, string> = {
  Lower: '[a-z]',
  Upper: '[A-Z]',
  ASCII: '[\\u{0}-\\u{7f}]',
  Alpha: '[a-zA-Z]',
  Digit: '[0-9]',
  Alnum: '[a-zA-Z0-9]',
  Punct: '[\\u{21}-\\u{2f}\\u{3a}-\\u{40}\\u{5b}-\\u{60}\\u{7b}-\\u{7e}]',
  Graph: '[\\u{21}-\\u{7e}]',
  Print: '[\\u{20}-\\u{7e}]',
  Blank: '[\\u{20}\\t]',
  Cntrl: '[\\u{0}-\\u{1f}\\u{7f}]',
  XDigit: '[0-9a-fA-F]',
  Space: '[\\t\\n\\u{b}\\f\\r\\u{20}]',
  javaLowerCase: '\\p{Lowercase}',
  javaUpperCase: '\\p{Uppercase}',
  javaWhitespace: '[[\\p{Zs}\\p{Zl}\\p{Zp}--[\\u{a0}\\u{2007}\\u{202f}]]\\t\\n\\u{b}\\f\\r\\u{1c}-\\u{1f}]',
  javaMirrored: '\\p{Bidi_Mirrored}',
  javaLetter: '\\p{L}',
  javaDigit: '\\p{Nd}',
  javaLetterOrDigit: '[\\p{L}\\p{Nd}]',
  javaAlphabetic: '\\p{Alphabetic}',
  javaIdeographic: '\\p{Ideographic}',
  javaTitleCase: '\\p{Lt}',
  javaSpaceChar: '[\\p{Zs}\\p{Zl}\\p{Zp}]',
  javaISOControl: '[\\u{0}-\\u{1f}\\u{7f}-\\u{9f}]',
  javaDefined: '\\p{Assigned}',
};
export const BINARY_PROPERTIES: Record<string, string> = {
  alphabetic: 'Alphabetic',
  ideographic: 'Ideographic',
  letter: 'L',
  lowercase: 'Lowercase',
  uppercase: 'Uppercase',
  titlecase: 'Lt',
  punctuation: 'P',
  control: 'Cc',
  whitespace: 'White_Space',
  white_space: 'White_Space',
  digit: 'Nd',
  hexdigit: 'Hex_Digit',
  hex_digit: 'Hex_Digit',
  joincontrol: 'Join_Control',
  join_control: 'Join_Control',
  noncharactercodepoint: 'Noncharacter_Code_Point',
  noncharacter_code_point: 'Noncharacter_Code_Point',
  assigned: 'Assigned',
  emoji: 'Emoji',
  emoji_presentation: 'Emoji_Presentation',
  emoji_modifier: 'Emoji_Modifier',
  emoji_modifier_base: 'Emoji_Modifier_Base',
  emoji_component: 'Emoji_Component',
  extended_pictographic: 'Extended_Pictographic',
};

export const CASED_PROPERTIES = new Set(['javaLowerCase', 'javaUpperCase', 'javaTitleCase', 'IsLowercase', 'IsUppercase', 'IsTitlecase', 'Lu', 'Ll', 'Lt', 'IsLu', 'IsLl', 'IsLt', 'gc=Lu', 'gc=Ll', 'gc=Lt']);

export function isAsciiLetter(cp: number): boolean {
  return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a);
}

export function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

export function isHex(ch: string | undefined): boolean {
  return ch !== undefined && /^[0-9a-fA-F]$/.test(ch);
}

/** One code point as pattern text valid in and out of `v`-mode classes. */
export function esc(cp: number): string {
  return (cp >= 0x30 && cp <= 0x39) || isAsciiLetter(cp) ? String.fromCodePoint(cp) : `\\u{${cp.toString(16)}}`;
}

/** The code points a case-insensitive match of cp accepts (ASCII only, as Java, unless `u`). */
export function caseVariants(cp: number, unicode: boolean): number[] {
  if (isAsciiLetter(cp)) return [cp, cp ^ 0x20];
  if (!unicode || cp < 0x80) return [cp];
  const out = new Set([cp]);
  for (const s of [String.fromCodePoint(cp).toLowerCase(), String.fromCodePoint(cp).toUpperCase()]) {
    const v = s.codePointAt(0) as number;
    if (String.fromCodePoint(v) === s) out.add(v);
  }
  return [...out];
}

export function propertyWorks(body: string): boolean {
  try {
    new RegExp(`\\p{${body}}`, 'v');
    return true;
  } catch {
    return false;
  }
}
