import { DataError } from '../../src/api';

/**
 * Reading zone-less date/time text the way Confluent reads it through a JDBC Calendar set to
 * `db.timezone`: wall-clock fields are taken to be in that IANA zone and turned into an instant.
 */

const MS_PER_DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** True when `zone` is an IANA zone name (or UTC) that this runtime knows. */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

function isUtc(zone: string): boolean {
  return zone === 'UTC' || zone === 'Etc/UTC' || zone === 'GMT' || zone === 'Z';
}

/** The zone's offset from UTC in ms at the instant `epochMs`. */
export function zoneOffsetMs(zone: string, epochMs: number): number {
  if (isUtc(zone)) return 0;
  const parts = formatterFor(zone).formatToParts(new Date(epochMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = get('year');
  if (parts.find((p) => p.type === 'era')?.value === 'BC') year = 1 - year;
  const wall = Date.UTC(year, get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
  return wall - wholeSeconds;
}

/**
 * The instant whose wall-clock time in `zone` is `wallMs` (wall-clock fields encoded as if UTC).
 * A wall time that occurs twice (clocks going back) gives the earlier instant; one skipped by
 * clocks going forward is read with the offset in force before the change, as java.util.Calendar does.
 */
export function wallClockToEpochMs(wallMs: number, zone: string): number {
  if (isUtc(zone)) return wallMs;
  const before = zoneOffsetMs(zone, wallMs - MS_PER_DAY);
  const after = zoneOffsetMs(zone, wallMs + MS_PER_DAY);
  const candidates = [wallMs - before, wallMs - after].filter((t) => zoneOffsetMs(zone, t) === wallMs - t);
  return candidates.length > 0 ? Math.min(...candidates) : wallMs - before;
}

const DATE_TIME = /^\s*([+-]?\d{4,})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?\s*$/i;
const TIME_ONLY = /^\s*(-?\d{1,3}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?\s*$/i;

function fractionMs(frac: string | undefined): number {
  return frac === undefined ? 0 : Number((frac + '00').slice(0, 3));
}

function offsetMs(text: string): number {
  if (text.toUpperCase() === 'Z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const digits = text.slice(1).replace(/:/g, '');
  const h = Number(digits.slice(0, 2));
  const m = Number(digits.slice(2, 4) || '0');
  const s = Number(digits.slice(4, 6) || '0');
  return sign * ((h * 60 + m) * 60 + s) * 1000;
}

function utcFields(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear does not.
  if (y > 99 || y < 0) return Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, ms);
  return t.getTime();
}

/**
 * Parses `YYYY-MM-DD[( |T)HH:MM[:SS[.fff…]]][zone]` into epoch ms: read in `zone` when the text has
 * no offset of its own. Digits beyond milliseconds are dropped (Connect timestamps are ms).
 */
export function parseTimestampText(text: string, zone: string, what: string): number {
  const fixed = fixedFormWallMs(text);
  if (!Number.isNaN(fixed)) return wallClockToEpochMs(fixed, zone);
  const m = DATE_TIME.exec(text);
  if (!m) throw new DataError(`Cannot read ${JSON.stringify(text)} as a timestamp for ${what}`);
  const wall = utcFields(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), fractionMs(m[7]));
  if (Number.isNaN(wall)) throw new DataError(`Cannot read ${JSON.stringify(text)} as a timestamp for ${what}`);
  return m[8] !== undefined ? wall - offsetMs(m[8]) : wallClockToEpochMs(wall, zone);
}

/** The number written by text[from, to) in ASCII digits, or -1. */
function digitsAt(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/**
 * The wall-clock ms of `YYYY-MM-DD HH:MM:SS[.f…]` (or with T) without a zone, the form most
 * timestamp text comes in, read without the regular expression; NaN for any other text (the caller
 * then parses it with DATE_TIME, which accepts everything this does, to the same value).
 */
function fixedFormWallMs(text: string): number {
  const n = text.length;
  if (n < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return NaN;
  const sep = text.charCodeAt(10);
  if (sep !== 32 && sep !== 84 && sep !== 116) return NaN;
  const y = digitsAt(text, 0, 4);
  const mo = digitsAt(text, 5, 7);
  const d = digitsAt(text, 8, 10);
  const h = digitsAt(text, 11, 13);
  const mi = digitsAt(text, 14, 16);
  const s = digitsAt(text, 17, 19);
  if (y < 100 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return NaN;
  let ms = 0;
  if (n > 19) {
    if (n === 20 || text.charCodeAt(19) !== 46 || digitsAt(text, 20, n) < 0) return NaN;
    ms = digitsAt(text, 20, Math.min(n, 23)) * (n === 21 ? 100 : n === 22 ? 10 : 1);
  }
  return Date.UTC(y, mo - 1, d, h, mi, s, ms);
}

/** The calendar date written at the start of `text` (`YYYY-MM-DD…`) as UTC midnight in ms. */
export function parseDateText(text: string, what: string): number {
  const m = DATE_TIME.exec(text);
  if (!m) throw new DataError(`Cannot read ${JSON.stringify(text)} as a date for ${what}`);
  return utcFields(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0, 0);
}

/**
 * Parses `HH:MM[:SS[.fff]]` (a time of day, read in `zone` unless it carries an offset) into the
 * Connect Time value: ms since midnight UTC, brought into [0, 24h) so that a zone other than UTC
 * cannot push it outside the day.
 */
export function parseTimeText(text: string, zone: string, what: string): number {
  const m = TIME_ONLY.exec(text) ?? null;
  let wall: number;
  let offset: string | undefined;
  if (m) {
    wall = ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000 + fractionMs(m[4]);
    offset = m[5];
  } else {
    const dt = DATE_TIME.exec(text);
    if (!dt || dt[4] === undefined) throw new DataError(`Cannot read ${JSON.stringify(text)} as a time for ${what}`);
    wall = ((Number(dt[4]) * 60 + Number(dt[5])) * 60 + Number(dt[6] ?? 0)) * 1000 + fractionMs(dt[7]);
    offset = dt[8];
  }
  const epoch = offset !== undefined ? wall - offsetMs(offset) : wallClockToEpochMs(wall, zone);
  return ((epoch % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
}

/** Epoch ms to UTC midnight of the day it falls on in `zone`. */
export function dayInZone(epochMs: number, zone: string): number {
  const wall = epochMs + zoneOffsetMs(zone, epochMs);
  return Math.floor(wall / MS_PER_DAY) * MS_PER_DAY;
}

/** Epoch ms to its time of day in UTC (a Connect Time value). */
export function timeOfDayUtc(epochMs: number): number {
  return ((epochMs % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
}
