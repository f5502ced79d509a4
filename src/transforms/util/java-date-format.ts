import { ConfigError, DataError } from '../../api';

/**
 * Java's SimpleDateFormat in UTC with English (en_US) names, the way Kafka's TimestampConverter and
 * TimestampRouter use it, so a pattern written for Kafka (`yyyyMMdd`, `yyyy-MM-dd'T'HH:mm:ss.SSSZ`)
 * gives the same text here.
 *
 * Letters: G y Y M L d D E u F w W a H k K h m s S z Z X; text in single quotes, `''` for a quote.
 * Like Java's GregorianCalendar, dates before 1582-10-15 are in the Julian calendar; weeks start on
 * Sunday and week 1 is the week holding January 1st (en_US).
 *
 * parse() follows SimpleDateFormat.parse(String) in its default lenient mode: fields may overflow
 * (month 13 is January of the next year), blanks before a number are skipped, a numeric field followed
 * directly by another numeric field takes at most its letter count of characters, text after the last
 * field is ignored, and a zone in the text (`+0100`, `GMT+01:00`, `UTC`, `Z` for X) shifts the result.
 * Differences: only the UTC / GMT zone names are recognised; E and u are checked but do not move the
 * date (Java ignores them too unless no day of month is given); Y, w, W and F cannot be parsed; the
 * week year (Y) of a few BC dates in late December differs.
 */
export interface JavaDateFormat {
  /** The pattern as given (Java's toPattern()). */
  readonly pattern: string;
  /** Epoch milliseconds as text. */
  format(epochMillis: number): string;
  /** Epoch milliseconds read from text, or null where Java throws ParseException. */
  parse(text: string): number | null;
}

type Token = { readonly literal: string } | { readonly letter: string; readonly count: number };

const PATTERN_LETTERS = 'GyMdkHmsSEDFwWahKzZYuXL';
const NUMERIC_LETTERS = 'ydkHmsSDFwWhKYu';
const NOT_PARSEABLE = 'YwWF';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const SHORT_MONTHS = MONTHS.map((m) => m.slice(0, 3));
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_WEEKDAYS = WEEKDAYS.map((d) => d.slice(0, 3));
const AM_PM = ['AM', 'PM'];
const ERAS = ['BC', 'AD'];
const UTC_NAMES = ['Coordinated Universal Time', 'UTC'];

const MS_PER_DAY = 86_400_000;
/** 1582-10-15T00:00Z, the first Gregorian day (Java's default cutover). */
const GREGORIAN_CUTOVER_DAY = -141_427;
const CUTOVER_YEAR = 1582;

/**
 * Compiles a SimpleDateFormat pattern. Throws ConfigError with Java's reason (`Illegal pattern
 * character 'q'`, `Unterminated quote`) for a pattern Java's constructor rejects. `now` (epoch ms)
 * anchors two-digit years when parsing, as Java does with the time the format was created.
 */
export function javaDateFormat(pattern: string, now: number = Date.now()): JavaDateFormat {
  const tokens = compile(pattern);
  const formatters = tokens.map(formatterFor);
  const centuryStart = addYears(now, -80);
  return {
    pattern,
    format(epochMillis) {
      const f = fieldsOf(epochMillis);
      let out = '';
      for (const formatter of formatters) out += formatter(f);
      return out;
    },
    parse(text) {
      return parseText(tokens, text, centuryStart);
    },
  };
}

function compile(pattern: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') tokens.push({ literal });
    literal = '';
  };
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      for (;;) {
        if (j >= pattern.length) throw new ConfigError('Unterminated quote');
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            literal += "'";
            j += 2;
            continue;
          }
          break;
        }
        literal += pattern[j++];
      }
      i = j + 1;
    } else if (/[a-zA-Z]/.test(c)) {
      if (!PATTERN_LETTERS.includes(c)) throw new ConfigError(`Illegal pattern character '${c}'`);
      let count = 1;
      while (pattern[i + count] === c) count++;
      if (c === 'X' && count > 3) throw new ConfigError(`invalid ISO 8601 format: length=${count}`);
      flush();
      tokens.push({ letter: c, count });
      i += count;
    } else {
      literal += c;
      i++;
    }
  }
  flush();
  return tokens;
}

/** Calendar fields of an instant in UTC, as Java's GregorianCalendar computes them. */
interface Fields {
  readonly epochDay: number;
  readonly year: number;
  /** 0-11. */
  readonly month: number;
  readonly day: number;
  readonly dayOfYear: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  readonly weekOfYear: number;
  readonly weekYear: number;
  readonly weekOfMonth: number;
  readonly millisOfDay: number;
}

const mod = (a: number, b: number) => ((a % b) + b) % b;
const weekdayOf = (epochDay: number) => mod(epochDay + 4, 7);

function fieldsOf(epochMillis: number): Fields {
  const epochDay = Math.floor(epochMillis / MS_PER_DAY);
  const { year, month, day } = civilFromDay(epochDay);
  const jan1 = dayFromCivil(year, 0, 1);
  const dayOfYear = epochDay - jan1 + 1;
  const weekday = weekdayOf(epochDay);
  let weekOfYear = Math.floor((dayOfYear - 1 + weekdayOf(jan1)) / 7) + 1;
  let weekYear = year;
  if (epochDay + (6 - weekday) >= dayFromCivil(year + 1, 0, 1)) {
    weekOfYear = 1;
    weekYear = year + 1;
  }
  const firstOfMonth = epochDay - day + 1;
  return {
    epochDay,
    year,
    month,
    day,
    dayOfYear,
    weekday,
    weekOfYear,
    weekYear,
    weekOfMonth: Math.floor((day - 1 + weekdayOf(firstOfMonth)) / 7) + 1,
    millisOfDay: epochMillis - epochDay * MS_PER_DAY,
  };
}

/** Year (astronomical: 0 is 1 BC), month 0-11 and day of an epoch day, Julian before the cutover. */
function civilFromDay(epochDay: number): { year: number; month: number; day: number } {
  if (epochDay >= GREGORIAN_CUTOVER_DAY) {
    const d = new Date(epochDay * MS_PER_DAY);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth(), day: d.getUTCDate() };
  }
  const c = epochDay + 2_440_588 + 32_082;
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  return { year: d - 4800 + Math.floor(m / 10), month: m + 2 - 12 * Math.floor(m / 10), day: e - Math.floor((153 * m + 2) / 5) + 1 };
}

/** Epoch day of a date whose month and day may overflow, with Java's calendar choice by year. */
function dayFromCivil(year: number, month: number, day: number): number {
  const y = year + Math.floor(month / 12);
  const m = mod(month, 12);
  if (y > CUTOVER_YEAR) return gregorianDay(y, m, day);
  if (y < CUTOVER_YEAR) return julianDay(y, m, day);
  const gregorian = gregorianDay(y, m, day);
  return gregorian >= GREGORIAN_CUTOVER_DAY ? gregorian : julianDay(y, m, day);
}

function gregorianDay(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, 1);
  return Math.round(d.getTime() / MS_PER_DAY) + day - 1;
}

function julianDay(year: number, month: number, day: number): number {
  const a = Math.floor((14 - (month + 1)) / 12);
  const yy = year + 4800 - a;
  const mm = month + 1 + 12 * a - 3;
  return 1 + Math.floor((153 * mm + 2) / 5) + 365 * yy + Math.floor(yy / 4) - 32_083 - 2_440_588 + day - 1;
}

function addYears(epochMillis: number, years: number): number {
  const f = fieldsOf(epochMillis);
  return dayFromCivil(f.year + years, f.month, f.day) * MS_PER_DAY + f.millisOfDay;
}

function pad(n: number, width: number): string {
  const text = String(n);
  return text.length >= width ? text : '0'.repeat(width - text.length) + text;
}

const yearOfEra = (year: number) => (year > 0 ? year : 1 - year);

function formatterFor(token: Token): (f: Fields) => string {
  if ('literal' in token) {
    const text = token.literal;
    return () => text;
  }
  const { letter, count } = token;
  const num = (get: (f: Fields) => number) => (f: Fields) => pad(get(f), count);
  const hour = (f: Fields) => Math.floor(f.millisOfDay / 3_600_000);
  switch (letter) {
    case 'G':
      return (f) => ERAS[f.year > 0 ? 1 : 0];
    case 'y':
    case 'Y': {
      // Java prints the week year without eras: 109 BC is week year -108.
      const get = letter === 'y' ? (f: Fields) => yearOfEra(f.year) : (f: Fields) => f.weekYear;
      return (f) => {
        const year = get(f);
        const sign = year < 0 ? '-' : '';
        return sign + (count === 2 ? pad(Math.abs(year) % 100, 2) : pad(Math.abs(year), count));
      };
    }
    case 'M':
    case 'L':
      if (count >= 4) return (f) => MONTHS[f.month];
      if (count === 3) return (f) => SHORT_MONTHS[f.month];
      return num((f) => f.month + 1);
    case 'd':
      return num((f) => f.day);
    case 'D':
      return num((f) => f.dayOfYear);
    case 'E':
      return count >= 4 ? (f) => WEEKDAYS[f.weekday] : (f) => SHORT_WEEKDAYS[f.weekday];
    case 'u':
      return num((f) => (f.weekday === 0 ? 7 : f.weekday));
    case 'F':
      return num((f) => Math.floor((f.day - 1) / 7) + 1);
    case 'w':
      return num((f) => f.weekOfYear);
    case 'W':
      return num((f) => f.weekOfMonth);
    case 'a':
      return (f) => AM_PM[hour(f) < 12 ? 0 : 1];
    case 'H':
      return num(hour);
    case 'k':
      return num((f) => hour(f) || 24);
    case 'K':
      return num((f) => hour(f) % 12);
    case 'h':
      return num((f) => hour(f) % 12 || 12);
    case 'm':
      return num((f) => Math.floor(f.millisOfDay / 60_000) % 60);
    case 's':
      return num((f) => Math.floor(f.millisOfDay / 1000) % 60);
    case 'S':
      return num((f) => f.millisOfDay % 1000);
    case 'z':
      return count >= 4 ? () => UTC_NAMES[0] : () => UTC_NAMES[1];
    case 'Z':
      return () => '+0000';
    default:
      return () => 'Z';
  }
}

/** What parsing has read so far; `order` records which of competing fields came last. */
interface Parsed {
  era: number | null;
  year: number | null;
  month: number | null;
  day: number | null;
  dayOfYear: number | null;
  hourOfDay: number | null;
  hour: number | null;
  amPm: number | null;
  minute: number;
  second: number;
  millis: number;
  offsetMillis: number;
  ambiguousYear: boolean;
  order: string[];
}

function parseText(tokens: readonly Token[], text: string, centuryStart: number): number | null {
  const p: Parsed = { era: null, year: null, month: null, day: null, dayOfYear: null, hourOfDay: null, hour: null, amPm: null, minute: 0, second: 0, millis: 0, offsetMillis: 0, ambiguousYear: false, order: [] };
  let pos = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if ('literal' in token) {
      if (!text.startsWith(token.literal, pos)) return null;
      pos += token.literal.length;
      continue;
    }
    const next = tokens[i + 1];
    const obeyCount = next !== undefined && 'letter' in next && isNumericField(next.letter, next.count);
    const end = parseField(token.letter, token.count, obeyCount, text, pos, p, centuryStart);
    if (end < 0) return null;
    pos = end;
  }
  if (pos === 0) return null;
  return resolve(p, centuryStart);
}

function isNumericField(letter: string, count: number): boolean {
  return NUMERIC_LETTERS.includes(letter) || ((letter === 'M' || letter === 'L') && count <= 2);
}

/** Java's DecimalFormat integer parsing: an optional minus and digits; [value, end] or null. */
function parseNumber(text: string, start: number, limit: number): [number, number] | null {
  let i = start;
  const negative = text[i] === '-';
  if (negative) i++;
  const digitsStart = i;
  while (i < limit && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === digitsStart) return null;
  const value = Number(text.slice(digitsStart, i));
  return [negative ? -value : value, i];
}

/** Longest case-insensitive match among names; [index, end] or null. */
function matchName(text: string, start: number, names: readonly string[]): [number, number] | null {
  let best: [number, number] | null = null;
  for (let k = 0; k < names.length; k++) {
    const name = names[k];
    if (text.length - start >= name.length && text.slice(start, start + name.length).toLowerCase() === name.toLowerCase()) {
      if (best === null || name.length > best[1] - start) best = [k, start + name.length];
    }
  }
  return best;
}

/** Parses one field at `start`; the position after it, or -1 when it does not match. */
function parseField(letter: string, count: number, obeyCount: boolean, text: string, start: number, p: Parsed, centuryStart: number): number {
  let pos = start;
  while (pos < text.length && (text[pos] === ' ' || text[pos] === '\t')) pos++;
  if (pos >= text.length) return -1;
  if (NOT_PARSEABLE.includes(letter)) throw new DataError(`Parsing the pattern letter '${letter}' is not supported`);

  if (letter === 'G' || letter === 'a' || letter === 'E' || ((letter === 'M' || letter === 'L') && count >= 3)) {
    const names = letter === 'G' ? [ERAS] : letter === 'a' ? [AM_PM] : letter === 'E' ? [WEEKDAYS, SHORT_WEEKDAYS] : [MONTHS, SHORT_MONTHS];
    // Java matches names where the field starts, before the blanks it skipped: `4  PM` does not read as `4 PM`.
    for (const list of names) {
      const match = matchName(text, start, list);
      if (match === null) continue;
      if (letter === 'G') p.era = match[0];
      else if (letter === 'a') set(p, 'amPm', match[0]);
      else if (letter === 'M' || letter === 'L') set(p, 'month', match[0]);
      return match[1];
    }
    return -1;
  }
  if (letter === 'z' || letter === 'Z' || letter === 'X') return parseZone(letter, count, text, start, pos, p);

  // The digit window of an abutting field is counted from where the field starts, blanks included.
  if (obeyCount && start + count > text.length) return -1;
  const number = parseNumber(text, pos, obeyCount ? start + count : text.length);
  if (number === null) return -1;
  const [value, end] = number;
  switch (letter) {
    case 'y': {
      let year = value;
      const twoDigits = end - pos === 2 && /^\d\d$/.test(text.slice(pos, end));
      if (count <= 2 && twoDigits) {
        const startYear = fieldsOf(centuryStart).year;
        const ambiguous = startYear % 100;
        p.ambiguousYear = value === ambiguous;
        year += Math.floor(startYear / 100) * 100 + (value < ambiguous ? 100 : 0);
      }
      set(p, 'year', year);
      break;
    }
    case 'M':
    case 'L':
      set(p, 'month', value - 1);
      break;
    case 'd':
      set(p, 'day', value);
      break;
    case 'D':
      set(p, 'dayOfYear', value);
      break;
    case 'H':
      set(p, 'hourOfDay', value);
      break;
    case 'k':
      set(p, 'hourOfDay', value === 24 ? 0 : value);
      break;
    case 'h':
      set(p, 'hour', value === 12 ? 0 : value);
      break;
    case 'K':
      set(p, 'hour', value);
      break;
    case 'm':
      p.minute = value;
      break;
    case 's':
      p.second = value;
      break;
    case 'S':
      p.millis = value;
      break;
    // 'u' (day number of week): read and, as in Java when a day of month is given, not applied.
  }
  return end;
}

function set(p: Parsed, field: 'year' | 'month' | 'day' | 'dayOfYear' | 'hourOfDay' | 'hour' | 'amPm', value: number): void {
  p[field] = value;
  p.order.push(field);
}

const lastSet = (p: Parsed, field: string) => p.order.lastIndexOf(field);

function parseZone(letter: string, count: number, text: string, start: number, pos: number, p: Parsed): number {
  const c = text[pos];
  if (letter === 'X') {
    if (c === 'Z') {
      p.offsetMillis = 0;
      return pos + 1;
    }
    if (c !== '+' && c !== '-') return -1;
    return numericZone(text, pos + 1, c === '+' ? 1 : -1, count, count === 3, p);
  }
  if (c === '+' || c === '-') return numericZone(text, pos + 1, c === '+' ? 1 : -1, 0, false, p);
  // As in Java, `GMT` is looked for where the field starts (before skipped blanks).
  if ((c === 'G' || c === 'g') && text.slice(start, start + 3).toUpperCase() === 'GMT') {
    const after = text[start + 3];
    if (after !== '+' && after !== '-') {
      p.offsetMillis = 0;
      return start + 3;
    }
    return numericZone(text, start + 4, after === '+' ? 1 : -1, 0, true, p);
  }
  const match = matchName(text, pos, UTC_NAMES);
  if (match === null) return -1;
  p.offsetMillis = 0;
  return match[1];
}

/** Java's subParseNumericZone: `hh[[:]mm]` after a sign. */
function numericZone(text: string, start: number, sign: number, count: number, colon: boolean, p: Parsed): number {
  const digit = (i: number) => (i < text.length && text[i] >= '0' && text[i] <= '9' ? text.charCodeAt(i) - 48 : -1);
  let i = start;
  if (digit(i) < 0) return -1;
  let hours = digit(i++);
  if (digit(i) >= 0) hours = hours * 10 + digit(i++);
  else if (count > 0 || !colon) return -1;
  if (hours > 23) return -1;
  let minutes = 0;
  if (count !== 1) {
    if (colon) {
      if (text[i] !== ':') return -1;
      i++;
    }
    if (digit(i) < 0 || digit(i + 1) < 0) return -1;
    minutes = digit(i) * 10 + digit(i + 1);
    i += 2;
    if (minutes > 59) return -1;
  }
  p.offsetMillis = sign * (hours * 60 + minutes) * 60_000;
  return i;
}

/** Java's lenient GregorianCalendar: unset fields take the epoch's values, overflow carries over. */
function resolve(p: Parsed, centuryStart: number): number | null {
  let year = p.year ?? 1970;
  if (p.era === 0) year = 1 - year;
  let epochDay: number;
  if (p.dayOfYear !== null && lastSet(p, 'dayOfYear') > lastSet(p, 'day')) epochDay = dayFromCivil(year, 0, 1) + p.dayOfYear - 1;
  else epochDay = dayFromCivil(year, p.month ?? 0, p.day ?? 1);
  let hours: number;
  if (p.hourOfDay !== null && lastSet(p, 'hourOfDay') > lastSet(p, 'hour')) hours = p.hourOfDay;
  else hours = (p.hour ?? 0) + 12 * (p.amPm ?? 0);
  let millis = epochDay * MS_PER_DAY + hours * 3_600_000 + p.minute * 60_000 + p.second * 1000 + p.millis - p.offsetMillis;
  if (p.ambiguousYear && millis < centuryStart) millis = addYears(millis, 100);
  return Number.isFinite(millis) && Math.abs(millis) <= 8.64e15 ? millis : null;
}
