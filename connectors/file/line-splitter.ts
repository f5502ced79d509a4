const LF = 0x0a;
const CR = 0x0d;

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
 * Cost: pushed chunks are queued, not merged, and every byte is scanned once (natively, by
 * Buffer.indexOf, in chunks without `\r`); a line that spans
 * several chunks is copied once, when its terminator arrives, so a very long line costs linear time.
 *
 * Ownership: push() keeps a reference to the chunk; the caller must not modify it afterwards.
 */
export class LineSplitter {
  /** Unconsumed chunks in order; the first is consumed up to `start`. */
  private chunks: Buffer[] = [];
  /** Per queued chunk: true when it holds no `\r`, so a native search for `\n` finds its next terminator. */
  private lfOnly: boolean[] = [];
  private start = 0;
  /** The chunk (index into chunks) and the byte in it where the search for a terminator resumes. */
  private scanChunk = 0;
  private scanned = 0;
  private pending = 0;
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
    return this.pending;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.lfOnly.push(chunk.indexOf(CR) === -1);
    this.pending += chunk.length;
  }

  /** The next complete line decoded as UTF-8, or null when no terminated line is buffered. */
  next(): string | null {
    const chunks = this.chunks;
    if (chunks.length === 0) return null;
    if (this.swallowLf) {
      this.swallowLf = false;
      if (chunks[0][this.start] === LF) {
        this.pos++;
        this.consume(0, this.start + 1);
        if (chunks.length === 0) return null;
      }
    }
    for (let c = this.scanChunk; c < chunks.length; c++) {
      const buf = chunks[c];
      const len = buf.length;
      let i = c === this.scanChunk ? this.scanned : 0;
      if (this.lfOnly[c]) {
        i = buf.indexOf(LF, i);
        if (i === -1) continue;
      }
      for (; i < len; i++) {
        const b = buf[i];
        if (b !== LF && b !== CR) continue;
        const line = this.lineUpTo(c, i);
        // Where the terminator ends: after a \r, a \n in the same or the next queued chunk belongs to it.
        let endChunk = c;
        let end = i + 1;
        if (b === CR) {
          if (end < len) {
            if (buf[end] === LF) end++;
          } else if (c + 1 < chunks.length) {
            if (chunks[c + 1][0] === LF) {
              endChunk = c + 1;
              end = 1;
            }
          } else {
            this.swallowLf = true;
          }
        }
        this.pos += this.bytesBefore(endChunk, end);
        this.consume(endChunk, end);
        return line;
      }
    }
    this.scanChunk = chunks.length - 1;
    this.scanned = chunks[this.scanChunk].length;
    return null;
  }

  /**
   * Returns the unterminated rest as a final line (or null if there is none) and consumes it. For
   * inputs that have ended for good, such as stdin at EOF.
   */
  takeRest(): string | null {
    const last = this.chunks.length - 1;
    if (last < 0) return null;
    const line = this.lineUpTo(last, this.chunks[last].length);
    this.pos += this.pending;
    this.reset();
    return line;
  }

  /** Forgets buffered bytes and restarts counting at `position` (e.g. after the file was truncated). */
  restart(position = 0, afterCr = false): void {
    this.reset();
    this.pos = position;
    this.swallowLf = afterCr;
  }

  /** Decodes the bytes from the consumed mark up to (not including) byte `end` of chunk `c`. */
  private lineUpTo(c: number, end: number): string {
    const chunks = this.chunks;
    if (c === 0) return chunks[0].toString('utf8', this.start, end);
    const parts = new Array<Buffer>(c + 1);
    parts[0] = chunks[0].subarray(this.start);
    for (let k = 1; k < c; k++) parts[k] = chunks[k];
    parts[c] = chunks[c].subarray(0, end);
    return Buffer.concat(parts).toString('utf8');
  }

  /** Bytes from the consumed mark up to byte `end` of chunk `c`. */
  private bytesBefore(c: number, end: number): number {
    if (c === 0) return end - this.start;
    let n = this.chunks[0].length - this.start + end;
    for (let k = 1; k < c; k++) n += this.chunks[k].length;
    return n;
  }

  /** Marks everything before byte `end` of chunk `c` consumed, dropping chunks used up. */
  private consume(c: number, end: number): void {
    this.pending -= this.bytesBefore(c, end);
    const chunks = this.chunks;
    if (end >= chunks[c].length) {
      c++;
      end = 0;
    }
    if (c > 0) {
      chunks.splice(0, c);
      this.lfOnly.splice(0, c);
    }
    this.start = end;
    this.scanChunk = 0;
    this.scanned = end;
  }

  private reset(): void {
    this.chunks = [];
    this.lfOnly = [];
    this.start = 0;
    this.scanChunk = 0;
    this.scanned = 0;
    this.pending = 0;
  }
}
