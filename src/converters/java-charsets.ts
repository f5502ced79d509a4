/**
 * The six charsets every Java runtime has (java.nio.charset.StandardCharsets), by their Java names
 * and common aliases (case-insensitive), encoding and decoding as Java's String.getBytes and
 * new String(bytes, charset) do: characters a charset cannot hold become '?', malformed input
 * U+FFFD. Node's own encoders differ on exactly those cases (latin1 keeps the low byte, ascii drops
 * the high bit, utf8 writes lone surrogates as U+FFFD), so they are handled here.
 */
export interface JavaCharset {
  /** Java's canonical name, e.g. UTF-8. */
  readonly name: string;
  encode(text: string): Buffer;
  decode(bytes: Buffer): string;
}

const ANY_SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const QUESTION_MARK = 0x3f;

/** Replaces unpaired surrogates, which no Unicode encoding can hold. */
function wellFormed(text: string, replacement: string): string {
  return ANY_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, replacement) : text;
}

const utf8: JavaCharset = {
  name: 'UTF-8',
  encode: (text) => Buffer.from(wellFormed(text, '?'), 'utf8'),
  decode: (bytes) => bytes.toString('utf8'),
};

/** One byte per character up to `max`; a character (or surrogate pair) beyond it becomes '?'. */
function singleByte(name: string, max: number): JavaCharset {
  return {
    name,
    encode(text) {
      const out = Buffer.allocUnsafe(text.length);
      let n = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) i++;
        out[n++] = c <= max ? c : QUESTION_MARK;
      }
      return out.subarray(0, n);
    },
    decode(bytes) {
      if (max === 0xff) return bytes.toString('latin1');
      let out = '';
      for (const b of bytes) out += b <= max ? String.fromCharCode(b) : '\ufffd';
      return out;
    },
  };
}

/** UTF-16 in one byte order; `bom` writes a byte-order mark and honours one when reading (Java's UTF-16). */
function utf16(name: string, bigEndian: boolean, bom: boolean): JavaCharset {
  return {
    name,
    encode(text) {
      const body = Buffer.from(wellFormed(text, '\ufffd'), 'utf16le');
      if (bigEndian) body.swap16();
      return bom ? Buffer.concat([Buffer.from([0xfe, 0xff]), body]) : body;
    },
    decode(bytes) {
      let big = bigEndian;
      let body = bytes;
      if (bom && bytes.length >= 2 && ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe))) {
        big = bytes[0] === 0xfe;
        body = bytes.subarray(2);
      }
      const even = body.subarray(0, body.length & ~1);
      const text = wellFormed((big ? Buffer.from(even).swap16() : even).toString('utf16le'), '\ufffd');
      return body.length % 2 === 0 ? text : `${text}\ufffd`;
    },
  };
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

const CHARSETS: ReadonlyArray<[JavaCharset, string[]]> = [
  [utf8, ['utf-8', 'utf8', 'unicode-1-1-utf-8']],
  [utf16('UTF-16', true, true), ['utf-16', 'utf16', 'utf_16', 'unicode', 'unicodebig']],
  [utf16('UTF-16BE', true, false), ['utf-16be', 'utf_16be', 'x-utf-16be', 'iso-10646-ucs-2', 'unicodebigunmarked']],
  [utf16('UTF-16LE', false, false), ['utf-16le', 'utf_16le', 'x-utf-16le', 'unicodelittleunmarked']],
  [
    singleByte('ISO-8859-1', 0xff),
    ['iso-8859-1', 'iso8859-1', 'iso8859_1', 'iso_8859_1', 'iso_8859-1', 'iso_8859-1:1987', '8859_1', 'latin1', 'l1', 'ibm819', 'ibm-819', 'cp819', '819', 'csisolatin1', 'iso-ir-100'],
  ],
  [
    singleByte('US-ASCII', 0x7f),
    ['us-ascii', 'ascii', 'us', 'iso646-us', 'ascii7', '646', 'iso_646.irv:1983', 'ansi_x3.4-1968', 'ansi_x3.4-1986', 'cp367', 'ibm367', 'csascii', 'iso-ir-6', 'default'],
  ],
];

const BY_NAME: ReadonlyMap<string, JavaCharset> = new Map(CHARSETS.flatMap(([charset, names]) => names.map((n) => [n, charset] as const)));

/** The charset with this Java name or alias (case-insensitive), or undefined. */
export function javaCharset(name: string): JavaCharset | undefined {
  return BY_NAME.get(name.toLowerCase());
}
