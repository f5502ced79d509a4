import { createHash } from 'crypto';
import { ConnectError, OffsetMap } from '../../src/api';
import { FileIdentity, identityFromStrings } from './file-identity';

/** Source partition key and offset key, as Apache Kafka's FileStreamSourceTask. */
export const FILENAME_FIELD = 'filename';
export const POSITION_FIELD = 'position';
/**
 * Offset keys of the file fingerprint stored next to the position: how many bytes of the file's start
 * were hashed, and their SHA-1. Kafka's FileStreamSourceTask reads only `position`, so an offset
 * written here stays readable there; an offset without them (written by Kafka) is still accepted.
 */
export const HEAD_LENGTH_FIELD = 'headLength';
export const HEAD_HASH_FIELD = 'headHash';

/**
 * Offset keys naming the file the position belongs to: its device and inode numbers as decimal
 * strings. They let a restart find the file it was reading after it was rotated away from `file`.
 */
export const DEV_FIELD = 'dev';
export const INO_FIELD = 'ino';

/** How much of a file's start its fingerprint covers. */
export const HEAD_BYTES = 1024;

/** The first `length` bytes of a file (fewer only while the file is shorter), by their hash. */
export interface HeadFingerprint {
  readonly length: number;
  readonly hash: string;
}

/** A stored offset, as parsed: where to resume and what the file started with then (if known). */
export interface StoredFileOffset {
  readonly position: number;
  readonly head: HeadFingerprint | null;
  /** The file that position is in, or null when not stored (offsets written by Kafka or before). */
  readonly identity: FileIdentity | null;
}

export function hashHead(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('hex');
}

/** The identity of a file as stored in offsets (see identityToStrings). */
export interface StoredIdentity {
  readonly dev: string;
  readonly ino: string;
}

/** One offset per record: a plain literal (the keys are the *_FIELD constants), cheapest to build. */
export function fileOffset(position: number, head: HeadFingerprint, identity: StoredIdentity): OffsetMap {
  return { position, headLength: head.length, headHash: head.hash, dev: identity.dev, ino: identity.ino };
}

/**
 * Parses a stored offset. A position that is not a byte position is refused (this task could not
 * have written it); a malformed fingerprint or identity is ignored (the position alone is what Kafka
 * stores).
 */
export function parseFileOffset(offset: OffsetMap, file: string): StoredFileOffset {
  const position = offset[POSITION_FIELD];
  if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
    throw new ConnectError(`Offset position ${JSON.stringify(position)} stored for file ${file} is not a non-negative integer`);
  }
  const length = offset[HEAD_LENGTH_FIELD];
  const hash = offset[HEAD_HASH_FIELD];
  const valid = typeof length === 'number' && Number.isSafeInteger(length) && length >= 0 && length <= Math.min(HEAD_BYTES, position) && typeof hash === 'string';
  return { position, head: valid ? { length, hash } : null, identity: identityFromStrings(offset[DEV_FIELD], offset[INO_FIELD]) };
}
