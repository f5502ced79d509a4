/** Characters that end a token and are tokens themselves, unless escaped by a backslash. */
const DELIMITERS = new Set([':', ',', '{', '}', '[', ']', '"']);

/** Java's String.trim(): strips characters up to U+0020 at both ends. */
export function javaTrim(text: string): string {
  return text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
}

export function isBlank(text: string): boolean {
  return javaTrim(text) === '';
}

/**
 * Kafka's Values.Parser: splits text into tokens at the delimiters, each delimiter its own token,
 * with one token of look-ahead that skips whitespace-only tokens.
 */
export class ValueTokens {
  private pos = 0;
  private peeked: string | null = null;

  constructor(readonly text: string) {}

  get position(): number {
    return this.pos;
  }

  /** Where the next token starts, for rewindTo(). */
  mark(): number {
    return this.pos - (this.peeked?.length ?? 0);
  }

  rewindTo(position: number): void {
    this.pos = position;
    this.peeked = null;
  }

  hasNext(): boolean {
    return this.peeked !== null || this.pos < this.text.length;
  }

  next(): string {
    const token = this.peeked ?? this.read();
    this.peeked = null;
    return token;
  }

  /** The text of the next n tokens, or null (and nothing consumed) when fewer are left. */
  nextN(n: number): string | null {
    const start = this.mark();
    for (let i = 0; i < n; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start);
        return null;
      }
      this.next();
    }
    return this.text.slice(start, this.pos);
  }

  /** Consumes the next non-blank token if, trimmed, it is `expected`. */
  canConsume(expected: string): boolean {
    if (this.peeked === null) {
      if (!this.hasNext()) return false;
      this.peeked = this.read();
    }
    while (isBlank(this.peeked) && this.pos < this.text.length) this.peeked = this.read();
    if (javaTrim(this.peeked) !== expected) return false;
    this.peeked = null;
    return true;
  }

  private read(): string {
    const text = this.text;
    const start = this.pos;
    let escaped = false;
    for (; this.pos < text.length; this.pos++) {
      const c = text[this.pos];
      if (c === '\\') {
        escaped = !escaped;
      } else if (DELIMITERS.has(c) && !escaped) {
        if (start < this.pos) return text.slice(start, this.pos);
        this.pos++;
        return c;
      } else {
        escaped = false;
      }
    }
    return text.slice(start);
  }
}
