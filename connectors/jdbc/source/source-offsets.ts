import { DataError, OffsetMap } from '../../../src/api';
import { TableId } from '../dialect';

/**
 * Source partitions and offsets shaped exactly as Confluent's JdbcSourceTask writes them, so offsets
 * carry over to and from Confluent's connector:
 * - table partitions, protocol 1: `{"protocol":"1","table":"<catalog.schema.table>"}` (the unquoted
 *   dotted name); protocol 0 (older Confluent releases, and bulk mode still): `{"table":"<table>"}`;
 * - query partition: `{"query":"query"}`;
 * - offsets: `{"incrementing": n}`, `{"timestamp": ms, "timestamp_nanos": ns}` or all three, numbers.
 */
export const TABLE_NAME_KEY = 'table';
export const QUERY_NAME_KEY = 'query';
export const QUERY_NAME_VALUE = 'query';
export const OFFSET_PROTOCOL_VERSION_KEY = 'protocol';
export const PROTOCOL_VERSION_ONE = '1';
export const INCREMENTING_FIELD = 'incrementing';
export const TIMESTAMP_FIELD = 'timestamp';
export const TIMESTAMP_NANOS_FIELD = 'timestamp_nanos';

export function partitionForProtocolV1(table: TableId): OffsetMap {
  return Object.freeze({ [OFFSET_PROTOCOL_VERSION_KEY]: PROTOCOL_VERSION_ONE, [TABLE_NAME_KEY]: table.toString() });
}

export function partitionForProtocolV0(table: TableId): OffsetMap {
  return Object.freeze({ [TABLE_NAME_KEY]: table.table });
}

export const QUERY_PARTITION: OffsetMap = Object.freeze({ [QUERY_NAME_KEY]: QUERY_NAME_VALUE });

/**
 * A point in time with nanosecond precision, as java.sql.Timestamp: `millis` since the epoch (the
 * whole milliseconds, as Timestamp.getTime()) and `nanos`, the fraction of the second in nanoseconds
 * (0..999,999,999, as Timestamp.getNanos(), which repeats the milliseconds of `millis`).
 */
export interface OffsetTimestamp {
  readonly millis: number;
  readonly nanos: number;
}

export function timestampFromDate(date: Date): OffsetTimestamp {
  const millis = date.getTime();
  return { millis, nanos: floorMod(millis, 1000) * 1_000_000 };
}

/** The Date for a timestamp offset (sub-millisecond nanos are dropped: JavaScript dates hold milliseconds). */
export function timestampToDate(ts: OffsetTimestamp): Date {
  return new Date(ts.millis);
}

export function compareTimestamps(a: OffsetTimestamp, b: OffsetTimestamp): number {
  const secondsA = Math.floor(a.millis / 1000);
  const secondsB = Math.floor(b.millis / 1000);
  if (secondsA !== secondsB) return secondsA < secondsB ? -1 : 1;
  return a.nanos === b.nanos ? 0 : a.nanos < b.nanos ? -1 : 1;
}

/**
 * Confluent's TimestampIncrementingOffset: either part may be absent. An absent timestamp reads as
 * the epoch and an absent incrementing value as -1 in criteria, as Confluent's does.
 */
export class TimestampIncrementingOffset {
  static readonly EMPTY = new TimestampIncrementingOffset(null, null);

  constructor(
    readonly timestamp: OffsetTimestamp | null,
    readonly incrementing: number | null,
  ) {}

  /** The timestamp to query from: the stored one or the epoch. */
  timestampOrEpoch(): OffsetTimestamp {
    return this.timestamp ?? { millis: 0, nanos: 0 };
  }

  incrementingOrDefault(): number {
    return this.incrementing ?? -1;
  }

  /** The stored form: only the parts present, numbers (Java longs in Confluent's JSON). */
  toMap(): OffsetMap {
    const map: Record<string, number> = {};
    if (this.incrementing !== null) map[INCREMENTING_FIELD] = this.incrementing;
    if (this.timestamp !== null) {
      map[TIMESTAMP_FIELD] = this.timestamp.millis;
      map[TIMESTAMP_NANOS_FIELD] = this.timestamp.nanos;
    }
    return Object.freeze(map);
  }

  /**
   * Reads a stored offset (ours or Confluent's). `timestamp_nanos`, when present, replaces the
   * fraction of the second, as Timestamp.setNanos does; values that are not integers are rejected
   * with a message naming the field.
   */
  static fromMap(map: OffsetMap | null): TimestampIncrementingOffset {
    if (map === null) return TimestampIncrementingOffset.EMPTY;
    const incrementing = longField(map, INCREMENTING_FIELD);
    const millis = longField(map, TIMESTAMP_FIELD);
    let timestamp: OffsetTimestamp | null = null;
    if (millis !== null) {
      const nanos = longField(map, TIMESTAMP_NANOS_FIELD);
      if (nanos === null) {
        timestamp = { millis, nanos: floorMod(millis, 1000) * 1_000_000 };
      } else {
        if (nanos < 0 || nanos > 999_999_999) throw new DataError(`Invalid stored JDBC source offset: ${TIMESTAMP_NANOS_FIELD} ${nanos} is not within 0..999999999`);
        // As java.sql.Timestamp(millis).setNanos(nanos): whole seconds from millis, the fraction from nanos.
        const seconds = Math.floor(millis / 1000);
        timestamp = { millis: seconds * 1000 + Math.floor(nanos / 1_000_000), nanos };
      }
    }
    return new TimestampIncrementingOffset(timestamp, incrementing);
  }

  equals(other: TimestampIncrementingOffset): boolean {
    const sameTs =
      this.timestamp === other.timestamp ||
      (this.timestamp !== null && other.timestamp !== null && compareTimestamps(this.timestamp, other.timestamp) === 0);
    return sameTs && this.incrementing === other.incrementing;
  }
}

function longField(map: OffsetMap, key: string): number | null {
  const value = map[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new DataError(`Invalid stored JDBC source offset: ${key} is ${JSON.stringify(value)}, expected an integer`);
  }
  return value;
}

function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
