import { LineSplitter } from '../../../../connectors/file/line-splitter';

/** Feeds `chunks` and returns every complete line with the position after it. */
function split(chunks: string[], splitter = new LineSplitter()): [string, number][] {
  const out: [string, number][] = [];
  for (const chunk of chunks) {
    splitter.push(Buffer.from(chunk, 'utf8'));
    let line: string | null;
    while ((line = splitter.next()) !== null) out.push([line, splitter.position]);
  }
  return out;
}

describe('LineSplitter', () => {
  it('splits on \\n, \\r\\n and \\r, with positions after each terminator', () => {
    expect(split(['a\nb\r\nc\rd\n'])).toEqual([
      ['a', 2],
      ['b', 5],
      ['c', 7],
      ['d', 9],
    ]);
  });

  it('keeps empty lines between terminators', () => {
    expect(split(['\n\r\n\r\r\n'])).toEqual([
      ['', 1],
      ['', 3],
      ['', 4],
      ['', 6],
    ]);
  });

  it('ends a line at a \\r that closes the chunk and swallows the \\n that follows in the next one', () => {
    const splitter = new LineSplitter();
    expect(split(['one\r'], splitter)).toEqual([['one', 4]]);
    expect(split(['\ntwo\n'], splitter)).toEqual([['two', 9]]);
    expect(splitter.position).toBe(9);
  });

  it('counts a swallowed \\n in the position even when nothing follows it yet', () => {
    const splitter = new LineSplitter();
    split(['one\r', '\n'], splitter);
    expect(splitter.position).toBe(5);
    expect(splitter.pendingBytes).toBe(0);
  });

  it('does not swallow anything but a \\n after a trailing \\r', () => {
    expect(split(['a\r', '\rb\n'])).toEqual([
      ['a', 2],
      ['', 3],
      ['b', 5],
    ]);
  });

  it('holds a partial last line until its terminator arrives', () => {
    const splitter = new LineSplitter();
    expect(split(['done\npart'], splitter)).toEqual([['done', 5]]);
    expect(splitter.pendingBytes).toBe(4);
    expect(split(['ial'], splitter)).toEqual([]);
    expect(split(['\n'], splitter)).toEqual([['partial', 13]]);
  });

  it('counts positions in bytes for multibyte UTF-8, also when a character is split across chunks', () => {
    const lines = ['héllo', '日本語', 'emoji 😀', 'plain'];
    const bytes = Buffer.from(lines.join('\n') + '\n', 'utf8');
    const splitter = new LineSplitter();
    const out: [string, number][] = [];
    for (let i = 0; i < bytes.length; i++) {
      splitter.push(bytes.subarray(i, i + 1));
      let line: string | null;
      while ((line = splitter.next()) !== null) out.push([line, splitter.position]);
    }
    let expected = 0;
    expect(out).toEqual(lines.map((l) => [l, (expected += Buffer.byteLength(l) + 1)]));
  });

  it('gives the same lines whatever the chunking; positions differ only by a \\n not seen yet', () => {
    const text = 'a\r\nbb\rccc\n\r\ndd\r\r\nlast\r\n';
    const whole = split([text]);
    for (let size = 1; size <= 4; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      const splitter = new LineSplitter();
      const chunked = split(chunks, splitter);
      expect(chunked.map(([line]) => line)).toEqual(whole.map(([line]) => line));
      // A line ended by a \r at a chunk end is emitted before its \n is seen: its position is one less.
      chunked.forEach(([, pos], i) => expect([whole[i][1], whole[i][1] - 1]).toContain(pos));
      expect(splitter.position).toBe(text.length);
    }
  });

  it('gives the same lines for random text with and without \\r in random chunks, pushed at once or one by one', () => {
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    for (let round = 0; round < 200; round++) {
      const alphabet = round % 2 === 0 ? ['a', 'bc', '\n', 'é'] : ['a', 'bc', '\n', '\r', 'é', '\r\n'];
      let text = '';
      for (let k = rand(60); k >= 0; k--) text += alphabet[rand(alphabet.length)];
      text += '\n';
      const bytes = Buffer.from(text, 'utf8');
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; ) {
        const size = 1 + rand(12);
        chunks.push(bytes.subarray(i, i + size));
        i += size;
      }
      const atOnce = new LineSplitter();
      for (const c of chunks) atOnce.push(c);
      const lines: string[] = [];
      let line: string | null;
      while ((line = atOnce.next()) !== null) lines.push(line);
      const oneByOne = new LineSplitter();
      const lines2: string[] = [];
      for (const c of chunks) {
        oneByOne.push(c);
        while ((line = oneByOne.next()) !== null) lines2.push(line);
      }
      const expected = text.split(/\r\n|\r|\n/).slice(0, -1);
      expect(lines).toEqual(expected);
      expect(lines2).toEqual(expected);
      expect(atOnce.position).toBe(bytes.length);
    }
  });

  it('resumes at a start position and skips the \\n of a \\r\\n split by a restart', () => {
    expect(split(['\nnext\n'], new LineSplitter(10, true))).toEqual([['next', 16]]);
    expect(split(['next\n'], new LineSplitter(10, true))).toEqual([['next', 15]]);
  });

  it('takeRest returns the unterminated rest once', () => {
    const splitter = new LineSplitter();
    split(['a\nrest'], splitter);
    expect(splitter.takeRest()).toBe('rest');
    expect(splitter.position).toBe(6);
    expect(splitter.takeRest()).toBeNull();
  });

  it('gives the same lines when several chunks are pushed before next() is called', () => {
    const text = 'a\r\nbb\rccc\n\r\ndd\r\r\nlong line across chunks\r\nlast\r\n';
    const whole = split([text]);
    for (let size = 1; size <= 5; size++) {
      const splitter = new LineSplitter();
      for (let i = 0; i < text.length; i += size) splitter.push(Buffer.from(text.slice(i, i + size), 'utf8'));
      const out: [string, number][] = [];
      let line: string | null;
      while ((line = splitter.next()) !== null) out.push([line, splitter.position]);
      expect(out).toEqual(whole);
      expect(splitter.pendingBytes).toBe(0);
    }
  });

  it('keeps an unterminated line spread over many chunks intact for takeRest', () => {
    const splitter = new LineSplitter();
    expect(split(['done\nab', 'cd', 'ef'], splitter)).toEqual([['done', 5]]);
    expect(splitter.pendingBytes).toBe(6);
    expect(splitter.takeRest()).toBe('abcdef');
    expect(splitter.position).toBe(11);
  });

  it('copies a 64 MB line fed in 64 KB chunks about once, not once per chunk', () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const chunks = 1024;
    const lineBytes = chunk.length * chunks;
    const concat = Buffer.concat;
    let copied = 0;
    // Fails fast on a quadratic splitter (which would copy ~32 GB) instead of running for minutes.
    const spy = jest.spyOn(Buffer, 'concat').mockImplementation((list, total) => {
      const out = concat(list, total);
      copied += out.length;
      if (copied > 2 * lineBytes) throw new Error(`copied ${copied} bytes for a ${lineBytes}-byte line`);
      return out;
    });
    try {
      const splitter = new LineSplitter();
      splitter.push(Buffer.from('head\n'));
      expect(splitter.next()).toBe('head');
      for (let i = 0; i < chunks; i++) {
        splitter.push(chunk); // the same bytes every time: the splitter must not modify what it is given
        expect(splitter.next()).toBeNull();
      }
      splitter.push(Buffer.from('\ntail\n'));
      const line = splitter.next();
      expect(line?.length).toBe(lineBytes);
      expect(splitter.position).toBe(5 + lineBytes + 1);
      expect(splitter.next()).toBe('tail');
      expect(copied).toBeLessThanOrEqual(2 * lineBytes);
    } finally {
      spy.mockRestore();
    }
  });
});
