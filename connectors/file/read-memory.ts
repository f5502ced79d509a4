import type { FileHandle } from 'fs/promises';
import { HEAD_BYTES, hashHead, HeadFingerprint } from './file-fingerprint';

const CR = 0x0d;
/** Bytes just before the read position kept to notice a rewrite that left the file's start alone. */
export const TAIL_BYTES = 64;

/**
 * What was read from a file, kept to recognise it later: its first bytes (up to HEAD_BYTES, also its
 * fingerprint) and the bytes just before the read position. A file that no longer holds both was
 * truncated or rewritten; another file that holds both is a copy of what was read.
 */
export class ReadMemory {
  /** The file's first bytes as read, [0, headFilled). */
  private readonly head = Buffer.alloc(HEAD_BYTES);
  private headFilled = 0;
  private fullHead: HeadFingerprint | null = null;
  /** The bytes just before the read position, [position - tailFilled, position). */
  private readonly tail = Buffer.alloc(TAIL_BYTES);
  private tailFilled = 0;
  private readonly scratch = Buffer.alloc(HEAD_BYTES);

  /**
   * Reads what a file opened at `position` holds before it. Returns true when the byte just before
   * `position` is `\r` (a `\n` right after it then ends that line, not a new one).
   */
  async load(handle: FileHandle, position: number): Promise<boolean> {
    this.headFilled = await readAt(handle, this.head, HEAD_BYTES, 0);
    this.fullHead = null;
    const tailLength = Math.min(TAIL_BYTES, position);
    this.tailFilled = tailLength === 0 ? 0 : await readAt(handle, this.tail, tailLength, position - tailLength);
    return this.tailFilled > 0 && this.tail[this.tailFilled - 1] === CR;
  }

  /** Keeps what a chunk read at byte `at` adds. */
  remember(chunk: Buffer, at: number): void {
    if (at < HEAD_BYTES) this.headFilled = Math.max(this.headFilled, at + chunk.copy(this.head, at, 0, Math.min(chunk.length, HEAD_BYTES - at)));
    if (chunk.length >= TAIL_BYTES) {
      chunk.copy(this.tail, 0, chunk.length - TAIL_BYTES);
      this.tailFilled = TAIL_BYTES;
    } else {
      const keep = Math.min(this.tailFilled, TAIL_BYTES - chunk.length);
      this.tail.copy(this.tail, 0, this.tailFilled - keep, this.tailFilled);
      chunk.copy(this.tail, keep);
      this.tailFilled = keep + chunk.length;
    }
  }

  /** The fingerprint to store with `position`, a position read up to. */
  fingerprint(position: number): HeadFingerprint {
    if (position >= HEAD_BYTES) return (this.fullHead ??= { length: HEAD_BYTES, hash: hashHead(this.head) });
    return { length: position, hash: hashHead(this.head.subarray(0, position)) };
  }

  /** How many bytes before the read position are remembered. */
  get tailLength(): number {
    return this.tailFilled;
  }

  /** Whether `bytes` starts with the remembered bytes before the read position. */
  tailMatches(bytes: Buffer): boolean {
    return bytes.length >= this.tailFilled && bytes.compare(this.tail, 0, this.tailFilled, 0, this.tailFilled) === 0;
  }

  /** Whether `handle` holds the remembered start and, ending at `position`, the remembered tail. */
  async heldBy(handle: FileHandle, position: number): Promise<boolean> {
    return (await this.holds(handle, this.head, this.headFilled, 0)) && (await this.holds(handle, this.tail, this.tailFilled, position - this.tailFilled));
  }

  /** Forgets everything (reading starts over at byte 0). */
  reset(): void {
    this.headFilled = 0;
    this.fullHead = null;
    this.tailFilled = 0;
  }

  private async holds(handle: FileHandle, expected: Buffer, length: number, position: number): Promise<boolean> {
    if (length === 0) return true;
    const read = await readAt(handle, this.scratch, length, position);
    return read === length && this.scratch.compare(expected, 0, length, 0, length) === 0;
  }
}

/** Reads up to `length` bytes at `position` into the start of `into`; fewer only at end of file. */
async function readAt(handle: FileHandle, into: Buffer, length: number, position: number): Promise<number> {
  let total = 0;
  while (total < length) {
    const { bytesRead } = await handle.read(into, total, length - total, position + total);
    if (bytesRead === 0) break;
    total += bytesRead;
  }
  return total;
}
