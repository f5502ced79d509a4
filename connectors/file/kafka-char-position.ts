import { promises as fs } from 'fs';

/** Where a character position of Apache Kafka's FileStreamSourceTask lies in a file. */
export type CharPositionInFile =
  | { readonly kind: 'found'; readonly bytePosition: number }
  /** The file holds fewer characters than the position. */
  | { readonly kind: 'short'; readonly chars: number; readonly bytes: number }
  | { readonly kind: 'missing' };

/**
 * Finds the byte position of `charPosition` in a UTF-8 file, counting characters as Kafka's
 * FileStreamSourceTask does: Java chars (UTF-16 code units) decoded through an InputStreamReader,
 * line terminators included. Code points above U+FFFF count 2; invalid UTF-8 counts as Java's
 * decoder replaces it (one character per maximal invalid subpart; an encoded surrogate is one).
 * A position between the two halves of a surrogate pair resolves to the start of that code point.
 */
export async function locateCharPosition(path: string, charPosition: number, chunkSize = 64 * 1024): Promise<CharPositionInFile> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw err;
  }
  try {
    const counter = new Utf16Counter(charPosition);
    const buffer = Buffer.allocUnsafe(chunkSize);
    let offset = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, offset);
      if (bytesRead === 0) break;
      const found = counter.push(buffer.subarray(0, bytesRead), offset);
      if (found !== null) return { kind: 'found', bytePosition: found };
      offset += bytesRead;
    }
    const found = counter.end(offset);
    return found !== null ? { kind: 'found', bytePosition: found } : { kind: 'short', chars: counter.units, bytes: offset };
  } finally {
    await handle.close();
  }
}

/** A UTF-8 decoder that only counts UTF-16 code units, stopping at a target count. */
class Utf16Counter {
  units = 0;
  /** Continuation bytes still expected, the range the next one must be in, and what it decodes to. */
  private need = 0;
  private lower = 0x80;
  private upper = 0xbf;
  private sequenceUnits = 1;
  private sequenceStart = 0;

  constructor(private readonly target: number) {}

  /** Feeds bytes that start at file offset `base`; returns the target's byte position once reached. */
  push(bytes: Buffer, base: number): number | null {
    if (this.target === 0) return 0;
    for (let i = 0; i < bytes.length; i++) {
      const found = this.byte(bytes[i], base + i);
      if (found !== null) return found;
    }
    return null;
  }

  /** At end of file: an unfinished sequence is one replacement character. */
  end(fileLength: number): number | null {
    if (this.target === 0) return 0;
    if (this.need === 0) return null;
    this.need = 0;
    return this.complete(1, this.sequenceStart, fileLength);
  }

  private byte(b: number, at: number): number | null {
    if (this.need > 0) {
      if (b >= this.lower && b <= this.upper) {
        this.lower = 0x80;
        this.upper = 0xbf;
        if (--this.need > 0) return null;
        return this.complete(this.sequenceUnits, this.sequenceStart, at + 1);
      }
      // The sequence broke off: it was one invalid character, and this byte starts afresh.
      this.need = 0;
      this.lower = 0x80;
      this.upper = 0xbf;
      const found = this.complete(1, this.sequenceStart, at);
      if (found !== null) return found;
    }
    if (b < 0x80) return this.complete(1, at, at + 1);
    this.sequenceStart = at;
    if (b >= 0xc2 && b <= 0xdf) this.begin(1, 1);
    // ED A0..BF xx encodes a surrogate: invalid, but Java's decoder takes all three bytes as one
    // malformed character, so ED accepts the same second bytes as E1..EC here.
    else if (b >= 0xe0 && b <= 0xef) this.begin(2, 1, b === 0xe0 ? 0xa0 : 0x80);
    else if (b >= 0xf0 && b <= 0xf4) this.begin(3, 2, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf);
    else return this.complete(1, at, at + 1);
    return null;
  }

  private begin(need: number, units: number, lower = 0x80, upper = 0xbf): void {
    this.need = need;
    this.sequenceUnits = units;
    this.lower = lower;
    this.upper = upper;
  }

  /** Counts one decoded character spanning [start, end); returns a byte position if the target is reached. */
  private complete(units: number, start: number, end: number): number | null {
    this.units += units;
    if (this.units === this.target) return end;
    if (this.units > this.target) return start;
    return null;
  }
}
