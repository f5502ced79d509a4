import Database from 'better-sqlite3';
import { ColumnConverter, PreciseInstant, SqlValue, TimestampCriteria } from '../dialect';
import { GenericConverters } from '../column-mapping';

/**
 * SQLite timestamps. SQLite has no timestamp type: one TIMESTAMP column may hold text in any of
 * SQLite's date/time forms (`2024-01-01 10:00:00`, `.000`, `T`, `Z` or an offset, zone-less text
 * meaning db.timezone), INTEGER epoch milliseconds or REAL Julian days, and SQLite compares those
 * as text or numbers, not as instants (an INTEGER is below any TEXT). So the source compares a key
 * computed from each value by the very converter that reads it into a record, in a SQL function
 * each SQLite connection registers.
 */

const JULIAN_DAY_AT_EPOCH = 2440587.5;
const MS_PER_DAY = 86_400_000;

/** The SQL function giving a timestamp value's key: `connect_timestamp_key(value, label)`. */
export const TIMESTAMP_KEY_FUNCTION = 'connect_timestamp_key';

/**
 * A key is decimal text: the seconds since the epoch plus this bias, zero-padded to 14 digits, then
 * the nanoseconds of the second in 9 digits. Text order is time order over JavaScript's whole date
 * range (±8.64e12 s) and equality is exact to the nanosecond (an INTEGER of nanoseconds would
 * overflow past 2262).
 */
const SECONDS_BIAS = 1e13;

/** sqlite-jdbc's reading of a REAL date/time: a Julian day number, to epoch milliseconds. */
export function julianDayToEpochMs(day: number): bigint {
  return BigInt(Math.round((day - JULIAN_DAY_AT_EPOCH) * MS_PER_DAY));
}

/** A DATE/TIME/TIMESTAMP converter that reads a REAL as a Julian day first, as sqlite-jdbc does. */
export function withJulianDays(generic: ColumnConverter): ColumnConverter {
  return (value) => (typeof value === 'number' ? generic(julianDayToEpochMs(value)) : generic(value));
}

/** The key of an instant (see SECONDS_BIAS). */
export function timestampKey(instant: PreciseInstant): string {
  const seconds = Math.floor(instant.millis / 1000) + SECONDS_BIAS;
  return String(seconds).padStart(14, '0') + String(instant.nanos).padStart(9, '0');
}

/** `:SS.fff…`: the fraction of a second as written, up to nanoseconds (as the source's offsets keep it). */
const FRACTION = /\d:\d{2}\.(\d{1,9})/;

/**
 * The key of one stored value, read in `timeZone` by the same converter as the column mapping,
 * with the sub-millisecond digits of text kept; null for NULL. Throws the converter's DataError for
 * a value it cannot read.
 */
export function storedTimestampKey(value: unknown, convert: ColumnConverter): string | null {
  const date = convert(value) as Date | null;
  if (date === null) return null;
  const millis = date.getTime();
  let nanos = (((millis % 1000) + 1000) % 1000) * 1_000_000;
  const fraction = typeof value === 'string' ? FRACTION.exec(value) : null;
  if (fraction !== null) {
    const written = Number.parseInt(fraction[1].padEnd(9, '0'), 10);
    // The converter truncates text to milliseconds, so the digits agree with the Date on them.
    if (Math.floor(written / 1_000_000) * 1_000_000 === nanos) nanos = written;
  }
  return timestampKey({ millis, nanos });
}

/**
 * Registers `connect_timestamp_key(value, label)` on a connection whose zone-less text means
 * `timeZone` (db.timezone). `label` names the column in the message for a value that is no
 * timestamp. Only statements may call it (not views, triggers or schema), since other connections
 * to the same file do not have it.
 */
export function registerTimestampKeyFunction(db: Database.Database, timeZone: string): void {
  const converters = new Map<string, ColumnConverter>();
  // WHERE and ORDER BY ask for the same row's key several times in a row.
  let lastValue: unknown;
  let lastLabel: unknown;
  let lastKey: string | null = null;
  db.function(TIMESTAMP_KEY_FUNCTION, { deterministic: true, directOnly: true, safeIntegers: true }, (value: unknown, label: unknown) => {
    if (value === lastValue && label === lastLabel && lastValue !== undefined) return lastKey;
    const name = String(label);
    let convert = converters.get(name);
    if (convert === undefined) {
      convert = withJulianDays(GenericConverters.timestamp(timeZone, `timestamp column ${name}`));
      converters.set(name, convert);
    }
    const key = storedTimestampKey(value, convert);
    if (!Buffer.isBuffer(value)) {
      lastValue = value;
      lastLabel = label;
      lastKey = key;
    }
    return key;
  });
}

function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The source's timestamp criteria on SQLite: columns compared through their keys. */
export const sqliteTimestampCriteria: TimestampCriteria = {
  expression(column: string): string {
    return `${TIMESTAMP_KEY_FUNCTION}(${column}, ${sqlString(column)})`;
  },
  param(instant: PreciseInstant): SqlValue {
    return timestampKey(instant);
  },
};
