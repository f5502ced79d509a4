import { ConfigError, ConnectError, Validator } from '../../api';
import { BINARY_PROPERTIES, CASED_PROPERTIES, caseVariants, esc, isDigit, isHex, LINE_TERMINATORS, POSIX, PREDEFINED, propertyWorks } from './java-regex-classes';

/**
 * Java regular expressions (java.util.regex.Pattern syntax) run on the JavaScript engine, so a
 * `regex=` or `pattern=` written for Apache Kafka keeps its meaning here.
 *
 * The Java source is translated once into a JavaScript pattern for the `v` flag. Constructs are
 * translated to what Java means by them, not to JavaScript's look-alikes: `.` `^` `$` `\s` `\v` `\h`
 * `\R` `\Z` `\A` `\G`, octal and `\x{...}` escapes, `\Q...\E`, character classes with nested unions
 * and `&&` intersections, POSIX and java.lang.Character `\p{...}` classes, embedded flags
 * `(?idmsux-idmsux)` and `(?flags:...)` (scoped to their group, as Java scopes them), the comments
 * mode, and ASCII case-insensitivity (Unicode case with `u`). Group numbering is kept, so group
 * references in replacements mean the same groups.
 *
 * What the JavaScript engine cannot run is refused with a JavaRegexError: possessive quantifiers,
 * atomic groups, `\X`, `\N{...}`, `\b{g}`, Unicode blocks (`\p{InGreek}`), `(?U)`, and back references
 * under case-insensitivity. Known remaining differences: a back reference to a group that has not
 * matched (yet) matches the empty string in JavaScript but fails in Java; `\b` uses ASCII word
 * characters.
 */
export class JavaRegexError extends ConnectError {}

/** A compiled Java pattern. */
export interface JavaPattern {
  /** The Java source as given. */
  readonly pattern: string;
  /** Number of capturing groups (Java's Matcher.groupCount()). */
  readonly groupCount: number;
  /** Named groups and their numbers. */
  readonly groupNames: ReadonlyMap<string, number>;
  /** Java's `pattern.matcher(input).matches()`: the whole input matches. */
  matches(input: string): boolean;
  /** The first match anywhere in the input (Java's Matcher.find() from the start), or null. */
  find(input: string): RegExpExecArray | null;
}

interface Flags {
  i: boolean;
  d: boolean;
  m: boolean;
  s: boolean;
  u: boolean;
  x: boolean;
}

/** One translation pass; the first pass only counts groups (Java resolves `\11` against them). */
class Translator {
  private pos = 0;
  groups = 0;
  readonly names = new Map<string, number>();

  constructor(
    private readonly src: string,
    private readonly totalGroups: number,
  ) {}

  translate(): string {
    const out = this.alternation({ i: false, d: false, m: false, s: false, u: false, x: false });
    if (this.pos < this.src.length) this.fail("Unmatched closing ')'");
    return out;
  }

  private fail(message: string, index = this.pos): never {
    throw new JavaRegexError(`${message} near index ${index}`);
  }

  private alternation(flags: Flags): string {
    let out = this.sequence(flags);
    while (this.src[this.pos] === '|') {
      this.pos++;
      out += '|' + this.sequence(flags);
    }
    return out;
  }

  private sequence(flags: Flags): string {
    let out = '';
    for (;;) {
      this.skipComments(flags);
      const ch = this.src[this.pos];
      if (ch === undefined || ch === '|' || ch === ')') return out;
      if (this.src.startsWith('\\Q', this.pos)) {
        const quoted = this.quoted();
        if (quoted.length === 0) continue;
        for (const cp of quoted.slice(0, -1)) out += this.literal(cp, flags);
        out += this.quantified(this.literal(quoted[quoted.length - 1], flags), flags);
        continue;
      }
      const atom = this.atom(flags);
      if (atom !== null) out += this.quantified(atom, flags);
    }
  }

  /** Whitespace and `#` comments are not part of the pattern in comments mode. */
  private skipComments(flags: Flags): void {
    if (!flags.x) return;
    for (;;) {
      const ch = this.src[this.pos];
      if (ch !== undefined && ' \t\n\u000b\f\r'.includes(ch)) this.pos++;
      else if (ch === '#') {
        while (this.pos < this.src.length && !'\n\r\u0085\u2028\u2029'.includes(this.src[this.pos])) this.pos++;
      } else return;
    }
  }

  /** The code points of `\Q...\E` (to the end of the pattern when `\E` is missing). */
  private quoted(): number[] {
    this.pos += 2;
    let end = this.src.indexOf('\\E', this.pos);
    if (end < 0) end = this.src.length;
    const text = this.src.slice(this.pos, end);
    this.pos = Math.min(end + 2, this.src.length);
    return [...text].map((c) => c.codePointAt(0) as number);
  }

  private literal(cp: number, flags: Flags): string {
    if (!flags.i) return esc(cp);
    const variants = caseVariants(cp, flags.u);
    return variants.length === 1 ? esc(cp) : `[${variants.map(esc).join('')}]`;
  }

  /** One atom, or null for an embedded flag setting such as `(?i)`. */
  private atom(flags: Flags): string | null {
    const start = this.pos;
    const ch = this.src[this.pos];
    switch (ch) {
      case '(':
        return this.group(flags);
      case '[':
        this.pos++;
        return this.characterClass(flags, start);
      case '.':
        this.pos++;
        return flags.s ? '[\\s\\S]' : flags.d ? '[^\\n]' : `[^${LINE_TERMINATORS}]`;
      case '^':
        this.pos++;
        if (!flags.m) return '(?:^)';
        return flags.d ? '(?:^|(?<=\\n)(?=[\\s\\S]))' : `(?:^|(?<=[${LINE_TERMINATORS}])(?<!\\r(?=\\n))(?=[\\s\\S]))`;
      case '$':
        this.pos++;
        if (flags.m) return flags.d ? '(?=\\n|$)' : `(?:(?=[${LINE_TERMINATORS}]|$)(?<!\\r(?=\\n)))`;
        return this.endOfInputButTerminator(flags);
      case '\\':
        return this.escape(flags);
      case '*':
      case '+':
      case '?':
        return this.fail(`Dangling meta character '${ch}'`);
      case '{':
        // Java reads a counted closure where an atom should be as repeating nothing.
        if (/^\{\d+(,\d*)?\}/.test(this.src.slice(this.pos))) return '(?:)';
        return this.fail('Illegal repetition');
      default: {
        const cp = this.src.codePointAt(this.pos) as number;
        this.pos += cp > 0xffff ? 2 : 1;
        return this.literal(cp, flags);
      }
    }
  }

  /** Java's `$` and `\Z`: the end, or before a final line terminator. */
  private endOfInputButTerminator(flags: Flags): string {
    if (flags.d) return '(?=\\n?$)';
    return `(?:(?=(?:\\r\\n|[${LINE_TERMINATORS}])?$)(?<!\\r(?=\\n$)))`;
  }

  private group(outer: Flags): string | null {
    const start = this.pos;
    this.pos++;
    const inner: Flags = { ...outer };
    let open = '(';
    let lookaround = false;
    if (this.src[this.pos] === '?') {
      this.pos++;
      const c = this.src[this.pos];
      if (c === ':' || c === '=' || c === '!') {
        this.pos++;
        open = `(?${c}`;
        lookaround = c !== ':';
      } else if (c === '<' && (this.src[this.pos + 1] === '=' || this.src[this.pos + 1] === '!')) {
        open = `(?<${this.src[this.pos + 1]}`;
        this.pos += 2;
        lookaround = true;
      } else if (c === '<') {
        this.pos++;
        const name = /^[a-zA-Z][a-zA-Z0-9]*/.exec(this.src.slice(this.pos))?.[0];
        if (name === undefined || this.src[this.pos + name.length] !== '>') this.fail('named capturing group is missing trailing \'>\'');
        if (this.names.has(name)) this.fail(`Named capturing group <${name}> is already defined`);
        this.pos += name.length + 1;
        this.names.set(name, ++this.groups);
      } else if (c === '>') {
        this.fail('Atomic groups (?>...) cannot be run by the JavaScript regex engine');
      } else {
        const scoped = this.inlineFlags(inner);
        if (!scoped) {
          Object.assign(outer, inner);
          return null;
        }
        open = '(?:';
      }
    } else {
      this.groups++;
    }
    const body = this.alternation(inner);
    if (this.src[this.pos] !== ')') this.fail('Unclosed group', start);
    this.pos++;
    const group = `${open}${body})`;
    // JavaScript refuses quantifiers on assertions; Java accepts them.
    return lookaround ? `(?:${group})` : group;
  }

  /** Parses `idmsux-idmsux` then `)` (returns false) or `:` (returns true), setting flags. */
  private inlineFlags(flags: Flags): boolean {
    let on = true;
    for (;;) {
      const c = this.src[this.pos++];
      if (c === ')') return false;
      if (c === ':') return true;
      if (c === '-' && on) on = false;
      else if (c === 'i' || c === 'd' || c === 'm' || c === 's' || c === 'u' || c === 'x') flags[c] = on;
      else if (c === 'U') this.fail('The UNICODE_CHARACTER_CLASS flag (?U) cannot be run by the JavaScript regex engine', this.pos - 1);
      else this.fail('Unknown inline modifier', this.pos - 1);
    }
  }

  private quantified(atom: string, flags: Flags): string {
    this.skipComments(flags);
    const start = this.pos;
    const ch = this.src[this.pos];
    let q: string;
    if (ch === '*' || ch === '+' || ch === '?') {
      q = ch;
      this.pos++;
    } else if (ch === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) return this.fail(isDigit(this.src[this.pos + 1]) ? 'Unclosed counted closure' : 'Illegal repetition', start);
      if (m[3] !== undefined && m[3] !== '' && Number(m[3]) < Number(m[1])) this.fail('Illegal repetition range', start);
      q = m[0];
      this.pos += m[0].length;
    } else {
      return atom;
    }
    this.skipComments(flags);
    if (this.src[this.pos] === '?') {
      this.pos++;
      q += '?';
    } else if (this.src[this.pos] === '+') {
      this.fail('Possessive quantifiers cannot be run by the JavaScript regex engine');
    }
    return atom + q;
  }

  private escape(flags: Flags): string {
    const start = this.pos;
    this.pos++;
    const c = this.src[this.pos];
    if (c === undefined) return this.fail('Unexpected internal error', start);
    if (c >= '1' && c <= '9') return this.backReference(flags, start);
    switch (c) {
      case 'k': {
        const m = /^k<([a-zA-Z][a-zA-Z0-9]*)>/.exec(this.src.slice(this.pos));
        if (!m) this.fail('\\k is not followed by \'<\' for named capturing group', start);
        const n = this.names.get(m[1]);
        if (n === undefined) this.fail(`named capturing group <${m[1]}> does not exist`, start);
        this.pos += m[0].length;
        return this.reference(n, flags, start);
      }
      case 'b':
      case 'B':
        this.pos++;
        if (c === 'b' && this.src.startsWith('{g}', this.pos)) this.fail('\\b{g} cannot be run by the JavaScript regex engine', start);
        return `(?:\\${c})`;
      case 'A':
      case 'G':
        this.pos++;
        return '(?:^)';
      case 'z':
        this.pos++;
        return '(?:$)';
      case 'Z':
        this.pos++;
        return this.endOfInputButTerminator(flags);
      case 'R':
        this.pos++;
        return `(?:\\r\\n|[\\n\\u{b}\\f\\r\\u{85}\\u{2028}\\u{2029}])`;
      case 'X':
      case 'N':
        return this.fail(`\\${c} cannot be run by the JavaScript regex engine`, start);
    }
    const predefined = this.predefinedClass(flags, start);
    if (predefined !== null) return predefined;
    return this.literal(this.charEscape(start), flags);
  }

  private backReference(flags: Flags, start: number): string {
    let n = Number(this.src[this.pos++]);
    while (isDigit(this.src[this.pos]) && n * 10 + Number(this.src[this.pos]) <= this.groups) {
      n = n * 10 + Number(this.src[this.pos++]);
    }
    return this.reference(n, flags, start);
  }

  private reference(n: number, flags: Flags, start: number): string {
    // Java compiles a reference to a group that does not exist; it never matches.
    if (n > this.totalGroups) return '(?:(?!))';
    if (flags.i) this.fail('Case-insensitive back references cannot be run by the JavaScript regex engine', start);
    return `(?:\\${n})`;
  }

  /** `\d`, `\s`, `\p{...}` and the like at this.pos (after the backslash), or null. */
  private predefinedClass(flags: Flags, start: number): string | null {
    const c = this.src[this.pos];
    if (PREDEFINED[c] !== undefined) {
      this.pos++;
      return PREDEFINED[c];
    }
    if (c !== 'p' && c !== 'P') return null;
    this.pos++;
    let name: string;
    if (this.src[this.pos] === '{') {
      const close = this.src.indexOf('}', this.pos);
      if (close < 0) this.fail('Unclosed character family', start);
      name = this.src.slice(this.pos + 1, close);
      this.pos = close + 1;
    } else {
      name = this.src[this.pos++] ?? '';
    }
    const cls = this.property(name, flags, start);
    return c === 'P' ? `[^${cls}]` : cls;
  }

  private property(name: string, flags: Flags, start: number): string {
    // Case-insensitive, Java's case classes accept either case.
    if (flags.i && (name === 'Lower' || name === 'Upper')) return '[a-zA-Z]';
    if (flags.i && CASED_PROPERTIES.has(name)) return '[\\p{Lowercase}\\p{Uppercase}\\p{Lt}]';
    if (POSIX[name] !== undefined) return POSIX[name];
    const eq = name.indexOf('=');
    let body: string | undefined;
    if (eq > 0) {
      const kind = name.slice(0, eq).toLowerCase();
      const value = name.slice(eq + 1);
      if (kind === 'script' || kind === 'sc') body = `sc=${value}`;
      else if (kind === 'general_category' || kind === 'gc') body = `gc=${value}`;
      else if (kind === 'block' || kind === 'blk') this.fail(`Unicode blocks (${name}) cannot be run by the JavaScript regex engine`, start);
    } else if (name.startsWith('In')) {
      this.fail(`Unicode blocks (${name}) cannot be run by the JavaScript regex engine`, start);
    } else if (name.startsWith('Is')) {
      const rest = name.slice(2);
      const binary = BINARY_PROPERTIES[rest.toLowerCase()];
      if (binary !== undefined) body = binary;
      else if (propertyWorks(`gc=${rest}`)) body = `gc=${rest}`;
      else body = `sc=${rest}`;
    } else {
      body = `gc=${name}`;
    }
    if (body === undefined || !propertyWorks(body)) this.fail(`Unknown character property name {${name}}`, start);
    return `\\p{${body}}`;
  }

  /** A single-character escape at this.pos (after the backslash) as a code point. */
  private charEscape(start: number): number {
    const c = this.src[this.pos++];
    switch (c) {
      case 't':
        return 9;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 'f':
        return 12;
      case 'a':
        return 7;
      case 'e':
        return 27;
      case 'c': {
        const ctl = this.src.codePointAt(this.pos);
        if (ctl === undefined) this.fail('Illegal control escape sequence', start);
        this.pos++;
        return ctl ^ 64;
      }
      case '0': {
        const digits = /^[0-7]{1,3}/.exec(this.src.slice(this.pos))?.[0];
        if (digits === undefined) this.fail('Illegal octal escape sequence', start);
        const used = digits.length === 3 && digits[0] > '3' ? digits.slice(0, 2) : digits;
        this.pos += used.length;
        return parseInt(used, 8);
      }
      case 'x': {
        if (this.src[this.pos] === '{') {
          const m = /^\{([0-9a-fA-F]+)\}/.exec(this.src.slice(this.pos));
          const cp = m ? parseInt(m[1], 16) : NaN;
          if (!m || cp > 0x10ffff) this.fail('Illegal hexadecimal escape sequence', start);
          this.pos += m[0].length;
          return cp;
        }
        if (!isHex(this.src[this.pos]) || !isHex(this.src[this.pos + 1])) this.fail('Illegal hexadecimal escape sequence', start);
        this.pos += 2;
        return parseInt(this.src.slice(this.pos - 2, this.pos), 16);
      }
      case 'u': {
        const unit = this.hex4(start);
        if (unit >= 0xd800 && unit <= 0xdbff && this.src.startsWith('\\u', this.pos)) {
          const save = this.pos;
          this.pos += 2;
          const low = this.hex4(start);
          if (low >= 0xdc00 && low <= 0xdfff) return (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
          this.pos = save;
        }
        return unit;
      }
      default: {
        const cp = this.src.codePointAt(this.pos - 1) as number;
        if (/[a-zA-Z0-9]/.test(c)) this.fail('Illegal/unsupported escape sequence', start);
        if (cp > 0xffff) this.pos++;
        return cp;
      }
    }
  }

  private hex4(start: number): number {
    const h = this.src.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail('Illegal Unicode escape sequence', start);
    this.pos += 4;
    return parseInt(h, 16);
  }

  /** A class after its `[`: nested unions `[a[b]]`, intersections `&&`, negation of the whole. */
  private characterClass(flags: Flags, start: number): string {
    const negated = this.src[this.pos] === '^';
    if (negated) this.pos++;
    const operands: string[] = [];
    let items = '';
    let empty = true;
    for (;;) {
      this.skipComments(flags);
      const ch = this.src[this.pos];
      if (ch === undefined) this.fail('Unclosed character class', start);
      if (ch === ']' && !(empty && operands.length === 0)) {
        this.pos++;
        break;
      }
      empty = false;
      if (ch === '[') {
        const nested = this.pos;
        this.pos++;
        items += this.characterClass(flags, nested);
      } else if (ch === '&' && this.src[this.pos + 1] === '&') {
        this.pos += 2;
        operands.push(items);
        items = '';
      } else if (ch === '\\' && this.src[this.pos + 1] === 'Q') {
        for (const cp of this.quoted()) items += this.classRange(cp, cp, flags);
      } else if (ch === '\\') {
        const escStart = this.pos;
        this.pos++;
        const predefined = this.predefinedClass(flags, escStart);
        items += predefined ?? this.rangeFrom(this.charEscape(escStart), flags, escStart);
      } else {
        const cp = this.src.codePointAt(this.pos) as number;
        this.pos += cp > 0xffff ? 2 : 1;
        items += this.rangeFrom(cp, flags, this.pos - 1);
      }
    }
    operands.push(items);
    const hat = negated ? '^' : '';
    if (operands.length === 1) return `[${hat}${items}]`;
    return `[${hat}${operands.map((o) => `[${o}]`).join('&&')}]`;
  }

  /** A class member starting with cp: a single character or `cp-x`. */
  private rangeFrom(cp: number, flags: Flags, start: number): string {
    this.skipComments(flags);
    if (this.src[this.pos] !== '-' || this.src[this.pos + 1] === ']' || this.src[this.pos + 1] === '[' || this.src[this.pos + 1] === undefined) {
      return this.classRange(cp, cp, flags);
    }
    this.pos++;
    this.skipComments(flags);
    let end: number;
    if (this.src[this.pos] === '\\') {
      const escStart = this.pos;
      this.pos++;
      if (PREDEFINED[this.src[this.pos]] !== undefined || this.src[this.pos] === 'p' || this.src[this.pos] === 'P') this.fail('Illegal character range', start);
      end = this.charEscape(escStart);
    } else {
      end = this.src.codePointAt(this.pos) as number;
      this.pos += end > 0xffff ? 2 : 1;
    }
    if (end < cp) this.fail('Illegal character range', this.pos - 1);
    return this.classRange(cp, end, flags);
  }

  private classRange(from: number, to: number, flags: Flags): string {
    const text = (a: number, b: number) => (a === b ? esc(a) : `${esc(a)}-${esc(b)}`);
    let out = text(from, to);
    if (!flags.i) return out;
    for (const [lo, hi, shift] of [
      [0x61, 0x7a, -0x20],
      [0x41, 0x5a, 0x20],
    ]) {
      const a = Math.max(from, lo);
      const b = Math.min(to, hi);
      if (a <= b) out += text(a + shift, b + shift);
    }
    if (flags.u && from === to) for (const v of caseVariants(from, true)) if (v !== from && v >= 0x80) out += esc(v);
    return out;
  }
}

/** Compiles a Java regular expression; throws JavaRegexError for what Java or JavaScript refuses. */
export function compileJavaRegex(pattern: string): JavaPattern {
  const counting = new Translator(pattern, Number.MAX_SAFE_INTEGER);
  counting.translate();
  const translator = new Translator(pattern, counting.groups);
  const js = translator.translate();
  let find: RegExp;
  let whole: RegExp;
  try {
    find = new RegExp(js, 'v');
    whole = new RegExp(`^(?:${js})$`, 'v');
  } catch (e) {
    throw new JavaRegexError(`The JavaScript regex engine cannot run this pattern: ${(e as Error).message}`, { cause: e });
  }
  return {
    pattern,
    groupCount: translator.groups,
    groupNames: translator.names,
    matches: (input) => whole.test(input),
    find: (input) => find.exec(input),
  };
}

/**
 * Kafka's RegexValidator: the value must compile as a Java pattern that this engine can run; the
 * error names the key (`Invalid value ( for configuration regex: Invalid regex: ...`).
 */
export function javaRegexValidator(): Validator {
  return {
    ensureValid(name, value) {
      try {
        compileJavaRegex(String(value));
      } catch (e) {
        if (e instanceof JavaRegexError) throw ConfigError.invalidValue(name, value, `Invalid regex: ${e.message}`);
        throw e;
      }
    },
    describe: () => 'valid regex',
  };
}
