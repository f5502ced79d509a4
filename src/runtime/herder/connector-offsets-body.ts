/**
 * KIP-875 request bodies (`{"offsets":[{"partition":{...},"offset":{...}|null}]}`), checked with
 * Kafka's messages: ConnectorsResource (an empty request), OffsetUtils.validateFormat (source offsets)
 * and SinkUtils.parseSinkConnectorOffsets (sink offsets). Kafka answers OffsetUtils' DataException
 * with HTTP 500; here every malformed body is a BadRequestError (400), the same text.
 */
import { OffsetMap } from '../../api';
import { ConnectorOffsets } from './herder';
import { BadRequestError } from './herder-errors';

export const KAFKA_TOPIC_KEY = 'kafka_topic';
export const KAFKA_PARTITION_KEY = 'kafka_partition';
export const KAFKA_OFFSET_KEY = 'kafka_offset';

/** One source partition's requested offset; null resets it. */
export interface SourceOffsetChange {
  readonly partition: OffsetMap;
  readonly offset: OffsetMap | null;
}

/** One Kafka topic partition's requested consumer group offset; null resets it. */
export interface SinkOffsetChange {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint | null;
}

const INT32_MAX = 2 ** 31 - 1;
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Checks the body's outer shape (an object with a non-empty "offsets" array of {partition, offset})
 * and returns it typed. A later entry for the same partition replaces an earlier one, as in Kafka.
 */
export function parseConnectorOffsetsBody(body: unknown): ConnectorOffsets {
  if (!isRecord(body)) throw new BadRequestError(`The offsets request body must be a JSON object {"offsets": [...]}, found ${describe(body)}`);
  const list = body.offsets;
  if (list === undefined || list === null || (Array.isArray(list) && list.length === 0)) {
    throw new BadRequestError('Partitions / offsets need to be provided for an alter offsets request');
  }
  if (!Array.isArray(list)) throw new BadRequestError(`"offsets" must be an array of {"partition": {...}, "offset": {...}}, found ${describe(list)}`);
  const offsets = list.map((entry: unknown, i: number) => {
    if (!isRecord(entry)) throw new BadRequestError(`offsets[${i}] must be an object {"partition": {...}, "offset": {...}}, found ${describe(entry)}`);
    const { partition, offset } = entry;
    if (partition !== undefined && partition !== null && !isRecord(partition)) throw new BadRequestError(`offsets[${i}].partition must be an object, found ${describe(partition)}`);
    if (offset !== undefined && offset !== null && !isRecord(offset)) throw new BadRequestError(`offsets[${i}].offset must be an object or null, found ${describe(offset)}`);
    return { partition: (partition ?? null) as Record<string, unknown>, offset: (offset ?? null) as Record<string, unknown> | null };
  });
  return { offsets };
}

/** Source connector offsets: partitions and offsets are maps of primitive values (Kafka's OffsetUtils.validateFormat). */
export function parseSourceOffsets(body: ConnectorOffsets): SourceOffsetChange[] {
  const byKey = new Map<string, SourceOffsetChange>();
  for (const { partition, offset } of body.offsets) {
    if (partition === null || partition === undefined) throw new BadRequestError('The partition for a source connector offset cannot be null or missing');
    validateFormat(partition);
    if (offset !== null) validateFormat(offset);
    byKey.set(partitionKey(partition as OffsetMap), { partition: partition as OffsetMap, offset: offset as OffsetMap | null });
  }
  return [...byKey.values()];
}

/** Sink connector offsets, with SinkUtils.parseSinkConnectorOffsets' rules and messages ("10" and 10 both accepted). */
export function parseSinkOffsets(body: ConnectorOffsets): SinkOffsetChange[] {
  const byKey = new Map<string, SinkOffsetChange>();
  for (const { partition: map, offset: offsetMap } of body.offsets) {
    if (map === null || map === undefined) throw new BadRequestError('The partition for a sink connector offset cannot be null or missing');
    if (!(KAFKA_TOPIC_KEY in map) || !(KAFKA_PARTITION_KEY in map)) {
      throw new BadRequestError(`The partition for a sink connector offset must contain the keys '${KAFKA_TOPIC_KEY}' and '${KAFKA_PARTITION_KEY}'`);
    }
    if (map[KAFKA_TOPIC_KEY] === null) throw new BadRequestError('Kafka topic names must be valid strings and may not be null');
    if (map[KAFKA_PARTITION_KEY] === null) throw new BadRequestError('Kafka partitions must be valid numbers and may not be null');
    const topic = javaString(map[KAFKA_TOPIC_KEY]);
    const partition = parseJavaInteger(map[KAFKA_PARTITION_KEY], INT32_MAX);
    if (partition === null || partition < 0n) {
      throw new BadRequestError(
        `Failed to parse the following Kafka partition value in the provided offsets: '${javaString(map[KAFKA_PARTITION_KEY])}'. Partition values for sink connectors need to be integers.`,
      );
    }
    let offset: bigint | null = null;
    if (offsetMap !== null) {
      if (!(KAFKA_OFFSET_KEY in offsetMap)) throw new BadRequestError(`The offset for a sink connector should either be null or contain the key '${KAFKA_OFFSET_KEY}'`);
      offset = parseJavaInteger(offsetMap[KAFKA_OFFSET_KEY], INT64_MAX);
      if (offset === null) {
        throw new BadRequestError(
          `Failed to parse the following Kafka offset value in the provided offsets: '${javaString(offsetMap[KAFKA_OFFSET_KEY])}'. Offset values for sink connectors need to be integers.`,
        );
      }
      // Kafka's OffsetAndMetadata refuses these when the admin client commits them.
      if (offset < 0n) throw new BadRequestError(`Invalid negative offset ${offset} for ${KAFKA_TOPIC_KEY} '${topic}', ${KAFKA_PARTITION_KEY} ${partition}`);
    }
    byKey.set(`${topic}\u0000${partition}`, { topic, partition: Number(partition), offset });
  }
  return [...byKey.values()];
}

/** A source partition's identity whatever the order of its keys. */
export function partitionKey(partition: OffsetMap): string {
  return JSON.stringify(
    Object.keys(partition)
      .sort()
      .map((k) => [k, partition[k]]),
  );
}

function validateFormat(map: Record<string, unknown>): void {
  for (const [field, value] of Object.entries(map)) {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') continue;
    const type = Array.isArray(value) ? 'ARRAY' : 'MAP';
    throw new BadRequestError(`Offsets may only contain primitive types as values, but field ${field} contains ${type}`);
  }
}

/** Integer.parseInt / Long.parseLong of String.valueOf(value): null when that would throw. */
function parseJavaInteger(value: unknown, max: bigint | number): bigint | null {
  const text = javaString(value);
  if (!/^[-+]?\d+$/.test(text)) return null;
  const n = BigInt(text);
  const limit = BigInt(max);
  return n > limit || n < -limit - 1n ? null : n;
}

/** String.valueOf of a JSON value as Jackson would have read it. */
function javaString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && !Number.isInteger(value)) return String(value);
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : `${value.toExponential().replace('e+', 'E')}`;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
