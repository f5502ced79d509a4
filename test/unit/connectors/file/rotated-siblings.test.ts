import { statSync } from 'fs';
import { utimes, writeFile, mkdir } from 'fs/promises';
import { join } from 'path';
import { findRotatedSibling, isCompressedName, isRotatedSiblingName, listRotatedSiblings } from '../../../../connectors/file/rotated-siblings';
import { identityFromStrings, identityOf, identityToStrings, sameIdentity } from '../../../../connectors/file/file-identity';
import { parseFileOffset } from '../../../../connectors/file/file-fingerprint';
import { useTempDir } from './fixtures';

describe('rotated siblings', () => {
  const dir = useTempDir();

  it.each([
    ['app.log.1', true],
    ['app.log.10', true],
    ['app.log-20241201', true],
    ['app.log_old', true],
    ['app.log.1.gz', true],
    ['app-20241201.log', true],
    ['app.1.log', true],
    ['app-20241201.log.gz', true],
    ['app.log', false],
    ['app.logger', false],
    ['apple.log', false],
    ['other.log.1', false],
    ['app-20241201.txt', false],
  ])('%s is a rotated form of app.log: %s', (name, expected) => {
    expect(isRotatedSiblingName('app.log', name)).toBe(expected);
  });

  it('a name without extension matches only suffixed forms', () => {
    expect(isRotatedSiblingName('messages', 'messages.1')).toBe(true);
    expect(isRotatedSiblingName('messages', 'messages-20241201')).toBe(true);
    expect(isRotatedSiblingName('messages', 'messagesX')).toBe(false);
  });

  it.each(['a.gz', 'a.bz2', 'a.xz', 'a.zst', 'a.lz4', 'a.Z'])('%s is compressed', (name) => {
    expect(isCompressedName(name)).toBe(true);
  });

  it('lists readable siblings newest first and compressed ones apart, skipping directories and other files', async () => {
    const base = join(dir(), 'app.log');
    await writeFile(base, 'current\n');
    await writeFile(`${base}.1`, 'newer\n');
    await writeFile(`${base}.2`, 'older\n');
    await writeFile(`${base}.3.gz`, 'x');
    await writeFile(join(dir(), 'unrelated.log.1'), 'x');
    await mkdir(`${base}.d`);
    await utimes(`${base}.2`, new Date(1_000_000), new Date(1_000_000));
    await utimes(`${base}.1`, new Date(2_000_000), new Date(2_000_000));
    const siblings = await listRotatedSiblings(base);
    expect(siblings.files.map((f) => f.path)).toEqual([`${base}.1`, `${base}.2`]);
    expect(siblings.compressed).toEqual([`${base}.3.gz`]);
  });

  it('a directory that cannot be read has no siblings', async () => {
    expect(await listRotatedSiblings(join(dir(), 'missing', 'app.log'))).toEqual({ files: [], compressed: [] });
  });

  it('finds the first sibling passing both checks, left open, and closes the others', async () => {
    const base = join(dir(), 'app.log');
    await writeFile(`${base}.1`, 'a\n');
    await writeFile(`${base}.2`, 'b\n');
    const wanted = identityOf(statSync(`${base}.2`, { bigint: true }));
    const checked: string[] = [];
    const found = await findRotatedSibling(
      await listRotatedSiblings(base),
      (stats) => stats.size === 2n,
      async (handle, stats) => {
        checked.push(String(stats.ino));
        return sameIdentity(identityOf(stats), wanted);
      },
    );
    try {
      expect(found?.path).toBe(`${base}.2`);
      expect(checked).toContain(String(wanted.ino));
    } finally {
      await found?.handle.close();
    }
    expect(await findRotatedSibling(await listRotatedSiblings(base), () => false, async () => true)).toBeNull();
  });
});

describe('file identity in offsets', () => {
  it('round-trips device and inode as decimal strings, beyond 2^53 too', () => {
    const identity = { dev: 18446744073709551615n, ino: 9007199254740993n };
    const stored = identityToStrings(identity);
    expect(stored).toEqual({ dev: '18446744073709551615', ino: '9007199254740993' });
    expect(identityFromStrings(stored.dev, stored.ino)).toEqual(identity);
  });

  it.each([
    [1, '2'],
    ['1', null],
    ['-1', '2'],
    ['1.5', '2'],
    ['', '2'],
  ])('ignores a malformed identity (dev %p, ino %p)', (dev, ino) => {
    expect(identityFromStrings(dev, ino)).toBeNull();
  });

  it('a stored offset with or without identity parses; Kafka offsets have none', () => {
    expect(parseFileOffset({ position: 5, dev: '1', ino: '2' }, 'f').identity).toEqual({ dev: 1n, ino: 2n });
    expect(parseFileOffset({ position: 5 }, 'f')).toEqual({ position: 5, head: null, identity: null });
  });

  it('same identity needs both device and inode', () => {
    expect(sameIdentity({ dev: 1n, ino: 2n }, { dev: 1n, ino: 2n })).toBe(true);
    expect(sameIdentity({ dev: 1n, ino: 2n }, { dev: 3n, ino: 2n })).toBe(false);
    expect(sameIdentity({ dev: 1n, ino: 2n }, null)).toBe(false);
  });
});
