import { SqlValue } from '../dialect';
import { zoneOffsetMs } from '../zoned-time';
import { OffsetTimestamp, timestampFromDate } from './source-offsets';

const FRACTION = /\d:\d{2}\.(\d{1,9})/;

/**
 * The row's timestamp with the precision the database gave: Connect values are millisecond Dates,
 * but PostgreSQL and MySQL keep microseconds, which drivers return as text. The offset keeps them
 * in `timestamp_nanos` as Confluent's does, so the next `ts > last` query does not return the same
 * row again.
 */
export function preciseTimestamp(date: Date, raw: unknown): OffsetTimestamp {
  const ts = timestampFromDate(date);
  if (typeof raw !== 'string') return ts;
  const match = FRACTION.exec(raw);
  if (match === null) return ts;
  const nanos = Number.parseInt(match[1].padEnd(9, '0'), 10);
  // Only when the text agrees with the Date on the milliseconds (it is the same value).
  return Math.floor(nanos / 1_000_000) === Math.floor(ts.nanos / 1_000_000) ? { millis: ts.millis, nanos } : ts;
}

/**
 * A timestamp as a query parameter for a dialect without timestampCriteria (those bind through
 * StoredTimestampBinding): a Date when it has no sub-millisecond part (the driver writes it as the
 * database expects), else the wall-clock text in db.timezone with every digit (`YYYY-MM-DD HH:MM:SS.ffffff`),
 * which PostgreSQL and MySQL compare with their timestamp types.
 */
export function timestampParam(ts: OffsetTimestamp, timeZone: string): SqlValue {
  if (ts.nanos % 1_000_000 === 0) return new Date(ts.millis);
  const wall = new Date(ts.millis + zoneOffsetMs(timeZone, ts.millis));
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const fraction = String(ts.nanos).padStart(9, '0').replace(/0+$/, '');
  return (
    `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}.${fraction}`
  );
}
