/**
 * Test-only: writes what Apache Kafka's FileOffsetBackingStore.save() writes, a HashMap<byte[], byte[]>
 * through java.io.ObjectOutputStream, for entries in the given order (Java's order depends on identity
 * hash codes, so tests pass the order they want). Checked byte-for-byte against files written by Java
 * (test/fixtures/kafka-offsets) in test/unit/storage/java-serialized-offsets.test.ts.
 */
export interface KafkaOffsetEntry {
  readonly key: Buffer | string | null;
  /** null: a deleted offset. */
  readonly value: Buffer | string | null;
}

const HASH_MAP_DESC = Buffer.from(
  'aced0005' + // magic, version
    '73' + // TC_OBJECT
    '72' + '0011' + Buffer.from('java.util.HashMap').toString('hex') + '0507dac1c31660d1' + '03' + // TC_CLASSDESC name suid flags
    '0002' + '46' + '000a' + Buffer.from('loadFactor').toString('hex') + '49' + '0009' + Buffer.from('threshold').toString('hex') +
    '78' + '70', // TC_ENDBLOCKDATA, no superclass
  'hex',
);
const BYTE_ARRAY_DESC = Buffer.from('72' + '0002' + Buffer.from('[B').toString('hex') + 'acf317f8060854e0' + '02' + '0000' + '78' + '70', 'hex');
/** Handles: 0x7E0000 the HashMap class, 0x7E0001 the map, 0x7E0002 the [B class (written with the first array). */
const BYTE_ARRAY_DESC_REF = Buffer.from('71007e0002', 'hex');

export function javaSerializedOffsets(entries: readonly KafkaOffsetEntry[]): Buffer {
  const n = entries.length;
  let capacity = 16;
  while (n > capacity * 0.75) capacity *= 2;
  // A HashMap never written to has no table yet: threshold 0, and writeObject reports 16 buckets.
  const threshold = n === 0 ? 0 : capacity * 0.75;
  const parts: Buffer[] = [HASH_MAP_DESC];
  const fields = Buffer.alloc(8);
  fields.writeFloatBE(0.75, 0);
  fields.writeInt32BE(threshold, 4);
  const block = Buffer.alloc(10);
  block.writeUInt8(0x77, 0);
  block.writeUInt8(8, 1);
  block.writeInt32BE(capacity, 2);
  block.writeInt32BE(n, 6);
  parts.push(fields, block);
  let firstArray = true;
  const array = (data: Buffer | string | null): void => {
    if (data === null) {
      parts.push(Buffer.from([0x70]));
      return;
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const length = Buffer.alloc(4);
    length.writeInt32BE(bytes.length, 0);
    parts.push(Buffer.from([0x75]), firstArray ? BYTE_ARRAY_DESC : BYTE_ARRAY_DESC_REF, length, bytes);
    firstArray = false;
  };
  for (const { key, value } of entries) {
    array(key);
    array(value);
  }
  parts.push(Buffer.from([0x78]));
  return Buffer.concat(parts);
}

/** Kafka's key bytes for a connector's source partition (JsonConverter, schemas.enable=false). */
export function kafkaOffsetKey(connector: string, partition: Record<string, unknown>): string {
  return JSON.stringify([connector, partition]);
}
