const LF = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);

/**
 * Splits a byte stream into lines terminated by `\n`, `\r\n` or `\r`, tracking the byte position just
 * after each line's terminator. Positions count bytes, not characters, so a stored position can be
 * used to seek straight back into the file (UTF-8 never has 0x0a or 0x0d inside a multibyte
 * character, so splitting on bytes is safe).
 *
 * A `\r` at the very end of the data seen so far ends its line at once, and a `\n` arriving first in
 * the next chunk is swallowed as the second half of that `\r\n`. A line without terminator stays
 * pending until one arrives (or until takeRest() at end of input).
 *
 * Ownership: push() keeps a reference to the chunk; the caller must not modify it afterwards.
 */
export class LineSplitter {
  private buf: Buffer = EMPTY;
  /** Start of the unconsumed bytes in buf. */
  private start = 0;
  /** Bytes before this index (and after start) are known to hold no terminator: avoids rescans. */
  private scanned = 0;
  private pos: number;
  private swallowLf: boolean;

  /**
   * @param position the byte position of the first byte that will be pushed
   * @param afterCr true when the byte just before `position` was `\r`: a leading `\n` is then the
   *   rest of that `\r\n` and must not produce an empty line
   */
  constructor(position = 0, afterCr = false) {
    this.pos = position;
    this.swallowLf = afterCr;
  }

  /** Byte position just after the last line returned by next() (and any `\n` swallowed since). */
  get position(): number {
    return this.pos;
  }

  /** Bytes pushed but not yet returned as lines. */
  get pendingBytes(): number {
    return this.buf.length - this.start;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.start >= this.buf.length) {
      this.buf = chunk;
      this.scanned = 0;
    } else {
      // Copy only the unfinished tail; lines already returned are dropped here.
      this.buf = Buffer.concat([this.buf.subarray(this.start), chunk]);
      this.scanned -= this.start;
    }
    this.start = 0;
  }

  /** The next complete line decoded as UTF-8, or null when no terminated line is buffered. */
  next(): string | null {
    const buf = this.buf;
    const len = buf.length;
    if (this.swallowLf && this.start < len) {
      this.swallowLf = false;
      if (buf[this.start] === LF) {
        this.start++;
        this.pos++;
      }
    }
    const start = this.start;
    for (let i = Math.max(start, this.scanned); i < len; i++) {
      const b = buf[i];
      if (b !== LF && b !== CR) continue;
      let end = i + 1;
      if (b === CR) {
        if (end < len) {
          if (buf[end] === LF) end++;
        } else {
          this.swallowLf = true;
        }
      }
      const line = buf.toString('utf8', start, i);
      this.pos += end - start;
      this.start = end;
      this.scanned = end;
      if (end >= len) this.reset();
      return line;
    }
    this.scanned = len;
    return null;
  }

  /**
   * Returns the unterminated rest as a final line (or null if there is none) and consumes it. For
   * inputs that have ended for good, such as stdin at EOF.
   */
  takeRest(): string | null {
    if (this.start >= this.buf.length) return null;
    const line = this.buf.toString('utf8', this.start);
    this.pos += this.buf.length - this.start;
    this.reset();
    return line;
  }

  /** Forgets buffered bytes and restarts counting at `position` (e.g. after the file was truncated). */
  restart(position = 0, afterCr = false): void {
    this.reset();
    this.pos = position;
    this.swallowLf = afterCr;
  }

  private reset(): void {
    this.buf = EMPTY;
    this.start = 0;
    this.scanned = 0;
  }
}
