/**
 * Reads the one thing Apache Kafka's FileOffsetBackingStore writes: a java.util.HashMap<byte[], byte[]>
 * written with a single java.io.ObjectOutputStream.writeObject() (Java Object Serialization Stream
 * Protocol, stream version 5). Every Kafka release from 0.9 to 3.x writes byte[] keys and values
 * (ByteBuffer is not Serializable, so it never appears in the stream).
 *
 * The layout accepted, and nothing else:
 *
 *   AC ED 00 05                              stream magic and version
 *   TC_OBJECT
 *     TC_CLASSDESC "java.util.HashMap" suid flags(WRITE_METHOD|SERIALIZABLE)
 *       fields: F loadFactor, I threshold; TC_ENDBLOCKDATA; super: TC_NULL
 *     loadFactor (float), threshold (int)
 *     TC_BLOCKDATA [capacity (int), size (int)]
 *     size x (key, value), each one of:
 *       TC_NULL
 *       TC_ARRAY (TC_CLASSDESC "[B" ... | TC_REFERENCE to it) length bytes
 *       TC_REFERENCE to an earlier array
 *     TC_ENDBLOCKDATA
 *
 * Anything else (another class, a truncated stream, trailing bytes) is rejected with a ConnectError
 * naming the file, the byte offset and what was found there.
 */
import { ConnectError } from '../api';
import { STREAM_MAGIC } from './java-stream-magic';

/** One map entry; a null value is an offset Kafka deleted. */
export interface JavaSerializedEntry {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** What the stream holds: the HashMap's entries in stream order, and its recorded bucket count. */
export interface JavaSerializedOffsets {
  readonly entries: JavaSerializedEntry[];
  readonly capacity: number;
}

const STREAM_VERSION = 5;
const BASE_WIRE_HANDLE = 0x7e0000;

const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_ARRAY = 0x75;
const TC_BLOCKDATA = 0x77;
const TC_ENDBLOCKDATA = 0x78;
const TC_BLOCKDATALONG = 0x7a;

const TAG_NAMES: Record<number, string> = {
  0x70: 'TC_NULL',
  0x71: 'TC_REFERENCE',
  0x72: 'TC_CLASSDESC',
  0x73: 'TC_OBJECT',
  0x74: 'TC_STRING',
  0x75: 'TC_ARRAY',
  0x76: 'TC_CLASS',
  0x77: 'TC_BLOCKDATA',
  0x78: 'TC_ENDBLOCKDATA',
  0x79: 'TC_RESET',
  0x7a: 'TC_BLOCKDATALONG',
  0x7b: 'TC_EXCEPTION',
  0x7c: 'TC_LONGSTRING',
  0x7d: 'TC_PROXYCLASSDESC',
  0x7e: 'TC_ENUM',
};

const SC_WRITE_METHOD = 0x01;
const SC_SERIALIZABLE = 0x02;

const HASH_MAP = { name: 'java.util.HashMap', suid: 362498820763181265n, flags: SC_WRITE_METHOD | SC_SERIALIZABLE };
const BYTE_ARRAY = { name: '[B', suid: -5984413125824719648n, flags: SC_SERIALIZABLE };
const HASH_MAP_FIELDS = 'F loadFactor, I threshold';

interface ClassDesc {
  readonly kind: 'class';
  readonly name: string;
  readonly suid: bigint;
  readonly flags: number;
  readonly fields: string;
}

type Handle = ClassDesc | { readonly kind: 'bytes'; readonly bytes: Buffer } | { readonly kind: 'map' };

export { isJavaSerialized } from './java-stream-magic';

/** Parses Kafka's offsets file; `file` is only used in error messages. */
export function readJavaSerializedOffsets(bytes: Buffer, file: string): JavaSerializedOffsets {
  return new StreamReader(bytes, file).readOffsets();
}

class StreamReader {
  private pos = 0;
  private readonly handles: Handle[] = [];

  constructor(
    private readonly bytes: Buffer,
    private readonly file: string,
  ) {}

  readOffsets(): JavaSerializedOffsets {
    const magic = this.u16('the stream magic');
    if (magic !== STREAM_MAGIC) throw this.fail(0, `expected the stream magic 0xACED, found 0x${hex(magic, 4)}`);
    const version = this.u16('the stream version');
    if (version !== STREAM_VERSION) throw this.fail(2, `expected stream version 5, found ${version}`);
    this.expectTag(TC_OBJECT, 'the HashMap object (TC_OBJECT)');
    const desc = this.classDesc('the HashMap class descriptor');
    if (desc === null) throw this.fail(this.pos - 1, 'expected the class descriptor of java.util.HashMap, found TC_NULL');
    this.checkClass(desc, HASH_MAP);
    if (desc.fields !== HASH_MAP_FIELDS) {
      throw this.fail(this.pos, `expected java.util.HashMap with fields (${HASH_MAP_FIELDS}), found (${desc.fields})`);
    }
    this.handles.push({ kind: 'map' });
    this.f32('HashMap.loadFactor');
    this.i32('HashMap.threshold');
    const header = this.blockData(8, "the HashMap's capacity and size (TC_BLOCKDATA)");
    const capacity = header.readInt32BE(0);
    const size = header.readInt32BE(4);
    // Each key and value takes at least one byte, so a larger size can only be garbage.
    if (size < 0 || size * 2 > this.bytes.length - this.pos) {
      throw this.fail(this.pos - 4, `the HashMap claims ${size} entries, which ${this.bytes.length} bytes cannot hold`);
    }
    const entries: JavaSerializedEntry[] = [];
    for (let i = 0; i < size; i++) {
      const key = this.byteArrayOrNull(`the key of entry ${i}`);
      const value = this.byteArrayOrNull(`the value of entry ${i}`);
      entries.push({ key, value });
    }
    this.expectTag(TC_ENDBLOCKDATA, `the end of the HashMap's ${size} entries (TC_ENDBLOCKDATA)`);
    if (this.pos !== this.bytes.length) {
      throw this.fail(this.pos, `expected the end of the stream after the HashMap, found ${this.bytes.length - this.pos} more bytes`);
    }
    return { entries, capacity };
  }

  /** A class descriptor, a back-reference to one, or null (TC_NULL). */
  private classDesc(what: string): ClassDesc | null {
    const at = this.pos;
    const tag = this.u8(what);
    if (tag === TC_NULL) return null;
    if (tag === TC_REFERENCE) {
      const handle = this.reference(what);
      if (handle.kind !== 'class') throw this.fail(at, `expected ${what}, found a back-reference to a ${handle.kind === 'bytes' ? 'byte[]' : 'HashMap'}`);
      return handle;
    }
    if (tag !== TC_CLASSDESC) throw this.fail(at, `expected ${what} (TC_CLASSDESC), found ${tagName(tag)}`);
    const slot = this.handles.length;
    this.handles.push({ kind: 'map' }); // reserved: the handle is assigned before the descriptor's body
    const name = this.utf(`${what}: class name`);
    const suid = this.i64(`${what}: serialVersionUID of ${name}`);
    const flags = this.u8(`${what}: flags of ${name}`);
    const fields = this.fieldList(name);
    this.expectTag(TC_ENDBLOCKDATA, `the end of the annotations of class ${name} (TC_ENDBLOCKDATA)`);
    const superAt = this.pos;
    const superDesc = this.classDesc(`the superclass descriptor of ${name}`);
    if (superDesc !== null) throw this.fail(superAt, `expected no serializable superclass of ${name}, found ${superDesc.name}`);
    const desc: ClassDesc = { kind: 'class', name, suid, flags, fields };
    this.handles[slot] = desc;
    return desc;
  }

  /** The field list as "F loadFactor, I threshold"; only primitive fields are expected here. */
  private fieldList(className: string): string {
    const count = this.u16(`the field count of ${className}`);
    const fields: string[] = [];
    for (let i = 0; i < count; i++) {
      const at = this.pos;
      const type = String.fromCharCode(this.u8(`the type of field ${i} of ${className}`));
      const name = this.utf(`the name of field ${i} of ${className}`);
      if (!'BCDFIJSZ'.includes(type)) {
        throw this.fail(at, `expected only primitive fields in class ${className}, found field ${name} of type '${type}'`);
      }
      fields.push(`${type} ${name}`);
    }
    return fields.join(', ');
  }

  private checkClass(desc: ClassDesc, expected: { name: string; suid: bigint; flags: number }): void {
    if (desc.name !== expected.name) throw this.fail(this.pos, `expected class ${expected.name}, found class ${desc.name}`);
    if (desc.suid !== expected.suid) {
      throw this.fail(this.pos, `expected ${expected.name} with serialVersionUID ${expected.suid}, found ${desc.suid}`);
    }
    if (desc.flags !== expected.flags) {
      throw this.fail(this.pos, `expected ${expected.name} with flags 0x${hex(expected.flags, 2)}, found 0x${hex(desc.flags, 2)}`);
    }
  }

  private byteArrayOrNull(what: string): Buffer | null {
    const at = this.pos;
    const tag = this.u8(what);
    if (tag === TC_NULL) return null;
    if (tag === TC_REFERENCE) {
      const handle = this.reference(what);
      if (handle.kind !== 'bytes') throw this.fail(at, `expected ${what} to be a byte[], found a back-reference to ${describe(handle)}`);
      return handle.bytes;
    }
    if (tag !== TC_ARRAY) throw this.fail(at, `expected ${what}: a byte[] (TC_ARRAY), TC_REFERENCE or TC_NULL, found ${tagName(tag)}`);
    const descAt = this.pos;
    const desc = this.classDesc(`the array class of ${what}`);
    if (desc === null) throw this.fail(descAt, `expected the array class of ${what}, found TC_NULL`);
    this.checkClass(desc, BYTE_ARRAY);
    const lengthAt = this.pos;
    const length = this.i32(`the length of ${what}`);
    if (length < 0) throw this.fail(lengthAt, `expected the length of ${what}, found ${length}`);
    const bytes = Buffer.from(this.take(length, `the ${length} bytes of ${what}`));
    this.handles.push({ kind: 'bytes', bytes });
    return bytes;
  }

  private reference(what: string): Handle {
    const at = this.pos;
    const wire = this.i32(`the handle of ${what}`);
    const handle = this.handles[wire - BASE_WIRE_HANDLE];
    if (handle === undefined) throw this.fail(at, `expected a back-reference to an earlier object for ${what}, found unknown handle 0x${hex(wire, 8)}`);
    return handle;
  }

  /** Exactly n bytes of block data, possibly split over several blocks. */
  private blockData(n: number, what: string): Buffer {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      const at = this.pos;
      const tag = this.u8(what);
      let length: number;
      if (tag === TC_BLOCKDATA) length = this.u8(what);
      else if (tag === TC_BLOCKDATALONG) length = this.i32(what);
      else throw this.fail(at, `expected ${what}, found ${tagName(tag)}`);
      if (length < 0 || have + length > n) throw this.fail(at, `expected ${what} of ${n} bytes, found a block of ${length} bytes`);
      parts.push(this.take(length, what));
      have += length;
    }
    return Buffer.concat(parts);
  }

  private expectTag(tag: number, what: string): void {
    const at = this.pos;
    const found = this.u8(what);
    if (found !== tag) throw this.fail(at, `expected ${what}, found ${tagName(found)}`);
  }

  /** A modified UTF-8 string with a 2-byte length (class and field names). */
  private utf(what: string): string {
    const length = this.u16(what);
    return this.take(length, what).toString('utf8');
  }

  private take(n: number, what: string): Buffer {
    if (this.pos + n > this.bytes.length) {
      throw this.fail(this.pos, `expected ${what}, but the stream ends after ${this.bytes.length} bytes (truncated file?)`);
    }
    const slice = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return slice;
  }

  private u8(what: string): number {
    return this.take(1, what).readUInt8(0);
  }

  private u16(what: string): number {
    return this.take(2, what).readUInt16BE(0);
  }

  private i32(what: string): number {
    return this.take(4, what).readInt32BE(0);
  }

  private f32(what: string): number {
    return this.take(4, what).readFloatBE(0);
  }

  private i64(what: string): bigint {
    return this.take(8, what).readBigInt64BE(0);
  }

  private fail(at: number, what: string): ConnectError {
    return new ConnectError(
      `Offsets file ${this.file} starts like Apache Kafka's offsets file (a Java-serialized HashMap) but cannot be read: ` +
        `at byte ${at}, ${what}. The file was left untouched; move it aside to start without stored offsets`,
    );
  }
}

function describe(handle: Handle): string {
  if (handle.kind === 'class') return `class descriptor ${handle.name}`;
  return handle.kind === 'bytes' ? 'a byte[]' : 'the HashMap';
}

function tagName(tag: number): string {
  const name = TAG_NAMES[tag];
  return name === undefined ? `byte 0x${hex(tag, 2)}` : `${name} (0x${hex(tag, 2)})`;
}

function hex(n: number, digits: number): string {
  return (n >>> 0).toString(16).toUpperCase().padStart(digits, '0');
}
