/** The first two bytes of every Java serialization stream (java.io.ObjectStreamConstants.STREAM_MAGIC). */
export const STREAM_MAGIC = 0xaced;

/**
 * True when the bytes start like a Java serialization stream (and so cannot be a JSON file). Kept
 * apart from the reader (java-serialized-offsets.ts) so that loading an offsets file of this
 * worker's own format does not load the reader (issue 12, start-up).
 */
export function isJavaSerialized(bytes: Buffer): boolean {
  return bytes.length >= 2 && bytes.readUInt16BE(0) === STREAM_MAGIC;
}
