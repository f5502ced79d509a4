import { ColumnConverter, PreciseInstant, SqlValue, TimestampCriteria, TimestampForm } from '../dialect';
import { DataError } from '../../../src/api';
import { parseTimestampText, zoneOffsetMs } from '../zoned-time';

/**
 * SQLite timestamps. SQLite has no timestamp type: a TIMESTAMP column holds whatever was written,
 * text in one of SQLite's date/time forms (`2024-01-01 10:00:00`, `.000`, `T`, `Z` or an offset;
 * zone-less text means db.timezone), INTEGER epoch milliseconds or REAL Julian days, and SQLite
 * compares those as text or numbers. Values one writer stores share a form, and within a form the
 * stored order is time order; so the source compares the column as stored (an index on it serves)
 * with parameters written in that same form.
 */

const JULIAN_DAY_AT_EPOCH = 2440587.5;
const MS_PER_DAY = 86_400_000;

/** sqlite-jdbc's reading of a REAL date/time: a Julian day number, to epoch milliseconds. */
export function julianDayToEpochMs(day: number): bigint {
  return BigInt(Math.round((day - JULIAN_DAY_AT_EPOCH) * MS_PER_DAY));
}

/** A DATE/TIME/TIMESTAMP converter that reads a REAL as a Julian day first, as sqlite-jdbc does. */
export function withJulianDays(generic: ColumnConverter): ColumnConverter {
  return (value) => (typeof value === 'number' ? generic(julianDayToEpochMs(value)) : generic(value));
}

const INTEGER_FORM: TimestampForm = {
  key: 'integer',
  description: 'INTEGER epoch milliseconds',
  // Stored integers have no sub-millisecond part: `> floor(instant)` is `> instant` for them.
  render: (instant) => BigInt(instant.millis),
};

const REAL_FORM: TimestampForm = {
  key: 'real',
  description: 'REAL Julian days',
  render: (instant, rounding) => (rounding === 'floor' ? instant.millis - 1 : instant.millis) / MS_PER_DAY + JULIAN_DAY_AT_EPOCH,
};

/** The text SQLite's date/time functions and most writers produce: zero-padded fields. */
const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

interface TextShape {
  /** ' ' or 'T' (as written); null for a date alone. */
  readonly separator: string | null;
  readonly seconds: boolean;
  readonly digits: number;
  /** The zone as written (`Z`, `+02:00`), or '' for zone-less text (db.timezone). */
  readonly zone: string;
  readonly zoneOffsetMs: number;
}

function zoneTextOffsetMs(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  return (zone[0] === '-' ? -1 : 1) * minutes * 60_000;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Fraction digits an instant needs: none, or milliseconds, microseconds or nanoseconds. */
function digitsNeeded(nanos: number): number {
  if (nanos === 0) return 0;
  if (nanos % 1_000_000 === 0) return 3;
  return nanos % 1000 === 0 ? 6 : 9;
}

class TextForm implements TimestampForm {
  readonly key: string;
  readonly description: string;

  constructor(
    private readonly shape: TextShape,
    private readonly timeZone: string,
  ) {
    const { separator, seconds, digits, zone } = shape;
    const time = separator === null ? '' : `${separator === ' ' ? ' ' : separator}HH:MM${seconds ? ':SS' : ''}${digits > 0 ? `.${'f'.repeat(digits)}` : ''}`;
    this.description = `text '${`YYYY-MM-DD${time}${zone}`}'${zone === '' ? ` (in db.timezone ${timeZone})` : ''}`;
    // Zone-less text, or text ending in an offset (`+`/`-` sort before `.` and `:`), keeps time order
    // whatever the precision written: `10:00` < `10:00:00` < `10:00:00.5`. After `Z` (above them) it
    // does not: `10:00:00Z` > `10:00:00.5Z`. A date alone orders with either separator.
    const precision = /^[+-]/.test(zone) || zone === '' ? '' : `${seconds ? 's' : 'm'}${digits}`;
    this.key = `text|${separator === null ? (zone === '' ? '' : 'date') : separator.toUpperCase()}|${zone}|${precision}|${timeZone}`;
  }

  render(instant: PreciseInstant, rounding: 'exact' | 'floor'): SqlValue {
    const { separator, seconds, digits, zone } = this.shape;
    const offset = zone === '' ? zoneOffsetMs(this.timeZone, instant.millis) : this.shape.zoneOffsetMs;
    const wall = new Date(instant.millis + offset);
    let nanos = instant.nanos;
    let sec = wall.getUTCSeconds();
    let hm = wall.getUTCHours() * 60 + wall.getUTCMinutes();
    let fractionDigits = digits;
    let withSeconds = seconds;
    let withTime = separator !== null;
    if (rounding === 'floor') {
      if (!withTime) hm = 0;
      if (!withSeconds) sec = 0;
      nanos = digits === 0 || !withSeconds ? 0 : nanos - (nanos % 10 ** (9 - digits));
    } else {
      const needed = digitsNeeded(nanos);
      if (needed > digits) fractionDigits = digits === 0 ? needed : Math.max(needed, digits);
      withSeconds ||= sec !== 0 || nanos !== 0;
      withTime ||= hm !== 0 || withSeconds;
    }
    let text = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
    if (withTime) {
      text += `${separator ?? ' '}${pad(Math.floor(hm / 60))}:${pad(hm % 60)}`;
      if (withSeconds) text += `:${pad(sec)}`;
      if (withSeconds && fractionDigits > 0) text += `.${String(nanos).padStart(9, '0').slice(0, fractionDigits)}`;
    }
    return text + zone;
  }
}

/** Text SQLite reads as a timestamp but not zero-padded: its text order is not time order. */
class IrregularTextForm extends TextForm {
  override readonly key: string;
  override readonly description: string;

  constructor(value: string, timeZone: string) {
    super({ separator: ' ', seconds: true, digits: 3, zone: '', zoneOffsetMs: 0 }, timeZone);
    const shape = value.replace(/\d/g, '9');
    this.key = `irregular|${shape}`;
    this.description = `text '${shape}' (not zero-padded)`;
  }
}

function textForm(value: string, label: string, timeZone: string): TimestampForm {
  const m = CANONICAL.exec(value);
  if (m === null) {
    // Throws the column mapping's own message for text that is no timestamp.
    parseTimestampText(value, timeZone, `timestamp column ${label}`);
    return new IrregularTextForm(value, timeZone);
  }
  const zone = m[9] ?? '';
  return new TextForm(
    { separator: m[4] ?? null, seconds: m[7] !== undefined, digits: m[8]?.length ?? 0, zone, zoneOffsetMs: zone === '' ? 0 : zoneTextOffsetMs(zone) },
    timeZone,
  );
}

/** The source's timestamp criteria on SQLite: parameters in the form the column stores. */
export const sqliteTimestampCriteria: TimestampCriteria = {
  formOf(value: unknown, label: string, timeZone: string): TimestampForm {
    if (typeof value === 'bigint') return INTEGER_FORM;
    // The driver gives INTEGER as bigint, so a number is a REAL: a Julian day, as the column mapping reads it.
    if (typeof value === 'number') return REAL_FORM;
    if (typeof value === 'string') return textForm(value, label, timeZone);
    const shown = Buffer.isBuffer(value) ? `a BLOB of ${value.length} bytes` : JSON.stringify(value);
    throw new DataError(`Cannot read ${shown} as a timestamp for timestamp column ${label}`);
  },
};
