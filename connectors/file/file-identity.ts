import type { BigIntStats } from 'fs';

/** A file as the file system knows it: device and inode, which a rename keeps and a copy does not. */
export interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
}

export function identityOf(stats: Pick<BigIntStats, 'dev' | 'ino'>): FileIdentity {
  return { dev: stats.dev, ino: stats.ino };
}

export function sameIdentity(a: FileIdentity | null, b: FileIdentity | null): boolean {
  return a !== null && b !== null && a.dev === b.dev && a.ino === b.ino;
}

/**
 * Device and inode as decimal strings, the form stored in offsets: JSON numbers lose precision past
 * 2^53, which 64-bit inode and device numbers can exceed.
 */
export function identityToStrings(identity: FileIdentity): { readonly dev: string; readonly ino: string } {
  return { dev: identity.dev.toString(), ino: identity.ino.toString() };
}

/** Parses stored device and inode strings; null unless both are non-negative decimal integers. */
export function identityFromStrings(dev: unknown, ino: unknown): FileIdentity | null {
  const decimal = /^\d{1,20}$/;
  if (typeof dev !== 'string' || typeof ino !== 'string' || !decimal.test(dev) || !decimal.test(ino)) return null;
  return { dev: BigInt(dev), ino: BigInt(ino) };
}
