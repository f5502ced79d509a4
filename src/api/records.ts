import { Schema } from './schema';

/** One record header: a key and a value with its schema (Kafka's Header). */
export interface Header {
  readonly key: string;
  readonly schema: Schema | null;
  readonly value: unknown;
}

/** Source partition or offset: a JSON-serialisable map of primitives (Kafka's Map<String, ?>). */
export type OffsetMap = Readonly<Record<string, string | number | boolean | null>>;

/** Fields every Connect record has (Kafka's ConnectRecord). */
export interface ConnectRecord {
  readonly topic: string;
  /** Kafka partition, or null to let the producer's partitioner choose. */
  readonly kafkaPartition: number | null;
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  /** Milliseconds since the epoch, or null for "let Kafka stamp it". */
  readonly timestamp: number | null;
  readonly headers: readonly Header[];
}

/** A record produced by a SourceTask: what to write, and where in the source it came from. */
export interface SourceRecord extends ConnectRecord {
  /** Identifies the source stream, e.g. `{filename: "/var/log/app.log"}`; null if it has no offsets. */
  readonly sourcePartition: OffsetMap | null;
  /** Position in that stream after this record, e.g. `{position: 1024}`; null if it has no offsets. */
  readonly sourceOffset: OffsetMap | null;
}

/** A record handed to a SinkTask, read from Kafka. */
export interface SinkRecord extends ConnectRecord {
  readonly kafkaPartition: number;
  readonly kafkaOffset: bigint;
  readonly timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';
}

/** Builds a SourceRecord with Kafka's defaults for the fields not given. */
export function sourceRecord(fields: Partial<SourceRecord> & Pick<SourceRecord, 'topic' | 'value'>): SourceRecord {
  return {
    kafkaPartition: null,
    keySchema: null,
    key: null,
    valueSchema: null,
    timestamp: null,
    headers: [],
    sourcePartition: null,
    sourceOffset: null,
    ...fields,
  };
}

/** A topic and partition (Kafka's TopicPartition). */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}
