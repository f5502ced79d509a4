import { DataError } from '../api';

/**
 * A small JSON reader that keeps numbers exact, which JSON.parse cannot: integer literals become a
 * number when they are safe integers and a bigint otherwise, and literals with a fraction or an
 * exponent keep their text (JsonDecimal) so each schema type can convert them exactly.
 *
 * It accepts what Kafka's JsonDeserializer accepts (Jackson defaults plus leading zeros in numbers),
 * with two deliberate differences: content after the first value is an error rather than ignored,
 * and nesting deeper than 1000 levels is refused (Jackson's StreamReadConstraints default).
 */

/** A number literal with a fraction or exponent, kept as written. */
export class JsonDecimal {
  constructor(readonly text: string) {}
}

export type JsonValue = null | boolean | string | number | bigint | JsonDecimal | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

/** The bytes are not JSON. */
export class JsonSyntaxError extends DataError {}

export interface JsonDocument {
  /** The value, or undefined when the text is empty or only whitespace. */
  readonly value: JsonValue | undefined;
  /** Where each member of a top-level object starts and ends in the text. */
  readonly memberSpans: ReadonlyMap<string, readonly [number, number]>;
}

const MAX_DEPTH = 1000;
const NO_SPANS: ReadonlyMap<string, readonly [number, number]> = new Map();
const MAX_NUMBER_LENGTH = 1000;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Jackson's JsonNodeType name of a parsed value (NUMBER, STRING, OBJECT...), for error messages. */
export function jsonNodeType(node: JsonValue): string {
  if (node === null) return 'NULL';
  if (typeof node === 'boolean') return 'BOOLEAN';
  if (typeof node === 'string') return 'STRING';
  if (typeof node === 'number' || typeof node === 'bigint' || node instanceof JsonDecimal) return 'NUMBER';
  return Array.isArray(node) ? 'ARRAY' : 'OBJECT';
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The bytes of a base64 JSON string, as Jackson's TextNode.binaryValue reads them (standard alphabet,
 * padding required), or null when the text is not base64.
 */
export function decodeBase64(text: string): Buffer | null {
  return BASE64.test(text) ? Buffer.from(text, 'base64') : null;
}

/**
 * Parses one JSON document. Throws JsonSyntaxError naming the offset of the problem. `depth` is the
 * nesting the text sits at inside a larger document (it counts against the depth limit; member
 * spans are recorded only at depth 0).
 */
export function parseJson(text: string, depth = 0): JsonDocument {
  return new JsonCursor(text, depth).document();
}

/**
 * The reader's position in a text and its token-level steps, also driven directly by the compiled
 * schema readers (json-compiled-reader.ts), so that they accept and refuse exactly what this reader
 * does. Every step throws JsonSyntaxError on bad input.
 */
export class JsonCursor {
  pos = 0;
  /** Made only for a top-level object: the compiled readers make a cursor per record. */
  private spans: Map<string, readonly [number, number]> | null = null;

  constructor(
    readonly text: string,
    private depth: number,
  ) {}

  document(): JsonDocument {
    this.skipWhitespace();
    if (this.pos >= this.text.length) return { value: undefined, memberSpans: NO_SPANS };
    const value = this.value();
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail('Unexpected content after the end of the JSON value');
    return { value, memberSpans: this.spans ?? NO_SPANS };
  }

  value(): JsonValue {
    const c = this.text[this.pos];
    switch (c) {
      case '"':
        return this.string();
      case '{':
        return this.object();
      case '[':
        return this.array();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail(c === undefined ? 'Unexpected end of input: expected a value' : `Unexpected character ${describe(c)}: expected a value`);
    }
  }

  private object(): JsonObject {
    const topLevel = this.depth === 0;
    this.enter();
    const members: JsonObject = new Map();
    this.skipWhitespace();
    if (this.text[this.pos] === '}') return this.leave(members, 1);
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail(`Unexpected ${this.found()}: expected a field name in double quotes`);
      const key = this.string();
      this.skipWhitespace();
      this.expect(':');
      this.skipWhitespace();
      const start = this.pos;
      members.set(key, this.value());
      if (topLevel) (this.spans ??= new Map()).set(key, [start, this.pos]);
      if (this.separator('}')) return this.leave(members);
    }
  }

  private array(): JsonValue[] {
    this.enter();
    const items: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text[this.pos] === ']') return this.leave(items, 1);
    for (;;) {
      this.skipWhitespace();
      items.push(this.value());
      if (this.separator(']')) return this.leave(items);
    }
  }

  /** After a member or item: true at the closing bracket, false after a comma. */
  separator(close: string): boolean {
    this.skipWhitespace();
    const c = this.text[this.pos];
    if (c === ',' || c === close) {
      this.pos++;
      return c === close;
    }
    return this.fail(`Unexpected ${this.found()}: expected ',' or '${close}'`);
  }

  string(): string {
    const text = this.text;
    const opening = this.pos;
    let out = '';
    let start = ++this.pos;
    for (let i = start; ; i++) {
      if (i >= text.length) this.failAt(opening, 'Unexpected end of input inside a string');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.pos = i + 1;
        return out + text.slice(start, i);
      }
      if (c === 0x5c) {
        out += text.slice(start, i) + this.escape(i + 1);
        i += text[i + 1] === 'u' ? 5 : 1;
        start = i + 1;
      } else if (c < 0x20) {
        this.pos = i;
        this.fail(`Illegal unescaped control character (code ${c}) in a string`);
      }
    }
  }

  private escape(at: number): string {
    const c = this.text[at];
    if (c === 'u') {
      const hex = this.text.slice(at + 1, at + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.failAt(at, 'Invalid \\u escape: expected 4 hex digits');
      return String.fromCharCode(parseInt(hex, 16));
    }
    const escaped = c === undefined ? undefined : ESCAPES[c];
    return escaped ?? this.failAt(at, `Unrecognized character escape ${c === undefined ? 'at end of input' : describe(c)}`);
  }

  number(): JsonValue {
    const text = this.text;
    const start = this.pos;
    const negative = text.charCodeAt(start) === 0x2d; /* - */
    let i = negative ? start + 1 : start;
    const digitsStart = i;
    // The integer part's value on the way; exact while it has at most 15 digits.
    let value = 0;
    for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i)) value = value * 10 + (c - 0x30);
    if (i === digitsStart) this.failAt(i, 'Expected a digit after the minus sign');
    const next = text.charCodeAt(i);
    if (i - digitsStart <= 15 && next !== 0x2e && next !== 0x65 && next !== 0x45 /* . e E */) {
      this.pos = i;
      return negative ? -value || 0 : value; // `|| 0` turns -0 into 0, as Jackson's IntNode does
    }
    let integral = true;
    if (text[i] === '.') {
      const fractionStart = i + 1;
      i = skipDigits(text, fractionStart);
      if (i === fractionStart) this.failAt(i, 'Expected a digit after the decimal point');
      integral = false;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      const exponentStart = text[i + 1] === '+' || text[i + 1] === '-' ? i + 2 : i + 1;
      i = skipDigits(text, exponentStart);
      if (i === exponentStart) this.failAt(i, 'Expected a digit in the exponent');
      integral = false;
    }
    if (i - start > MAX_NUMBER_LENGTH) this.failAt(start, `Number literal longer than ${MAX_NUMBER_LENGTH} characters`);
    this.pos = i;
    const literal = text.slice(start, i);
    if (!integral) return new JsonDecimal(literal);
    if (i - digitsStart <= 15) return Number(literal) || 0; // `|| 0` turns -0 into 0, as Jackson's IntNode does
    const big = BigInt(literal);
    return big >= MIN_SAFE && big <= MAX_SAFE ? Number(big) : big;
  }

  private literal<T extends JsonValue>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) this.fail(`Unrecognized token: expected '${word}'`);
    this.pos += word.length;
    return value;
  }

  expect(c: string): void {
    if (this.text[this.pos] !== c) this.fail(`Unexpected ${this.found()}: expected '${c}'`);
    this.pos++;
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(`Nesting deeper than ${MAX_DEPTH} levels`);
    this.pos++;
  }

  /** `consume` skips a closing bracket not yet read (empty object or array). */
  leave<T>(value: T, consume = 0): T {
    this.depth--;
    this.pos += consume;
    return value;
  }

  skipWhitespace(): void {
    const text = this.text;
    let c = text.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++this.pos);
  }

  private found(): string {
    const c = this.text[this.pos];
    return c === undefined ? 'end of input' : `character ${describe(c)}`;
  }

  private fail(message: string): never {
    return this.failAt(this.pos, message);
  }

  private failAt(offset: number, message: string): never {
    throw new JsonSyntaxError(`${message} at offset ${offset}`);
  }
}

function skipDigits(text: string, from: number): number {
  let i = from;
  for (let c = text.charCodeAt(i); c >= 0x30 && c <= 0x39; c = text.charCodeAt(++i));
  return i;
}

function describe(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `(code ${code})` : `'${c}' (code ${code})`;
}
