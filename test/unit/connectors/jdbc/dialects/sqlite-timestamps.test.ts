import { sqliteTimestampCriteria } from '../../../../../connectors/jdbc/dialects/sqlite-timestamps';

/** The stored forms of SQLite timestamp values and instants written in them (the source's parameters). */
const formOf = (value: unknown, zone = 'UTC') => sqliteTimestampCriteria.formOf(value, '`ts`', zone);
const T = Date.UTC(2024, 0, 1, 10, 0, 0);

it.each([
  ['2024-01-01 09:00:00', { millis: T, nanos: 0 }, '2024-01-01 10:00:00', '2024-01-01 10:00:00'],
  ['2024-01-01 09:00:00', { millis: T + 250, nanos: 250_000_000 }, '2024-01-01 10:00:00.250', '2024-01-01 10:00:00'],
  ['2024-01-01 09:00:00.000', { millis: T + 250, nanos: 250_500_000 }, '2024-01-01 10:00:00.250500', '2024-01-01 10:00:00.250'],
  ['2024-01-01 09:00:00.000500', { millis: T, nanos: 0 }, '2024-01-01 10:00:00.000000', '2024-01-01 10:00:00.000000'],
  ['2024-01-01T09:00:00Z', { millis: T + 5, nanos: 5_000_000 }, '2024-01-01T10:00:00.005Z', '2024-01-01T10:00:00Z'],
  ['2024-01-01T09:00:00.000+02:00', { millis: T, nanos: 0 }, '2024-01-01T12:00:00.000+02:00', '2024-01-01T12:00:00.000+02:00'],
  ['2024-01-01', { millis: T, nanos: 0 }, '2024-01-01 10:00', '2024-01-01'],
])('%s: %j is written %s (exact), %s (floor)', (sample, instant, exact, floor) => {
  const form = formOf(sample);
  expect(form.render(instant, 'exact')).toBe(exact);
  expect(form.render(instant, 'floor')).toBe(floor);
});

it('zone-less text is written as wall-clock time in db.timezone', () => {
  const form = formOf('2024-07-01 09:00:00', 'Europe/Paris');
  expect(form.render({ millis: T, nanos: 0 }, 'exact')).toBe('2024-01-01 11:00:00');
  expect(form.render({ millis: Date.UTC(2024, 6, 1, 10), nanos: 0 }, 'exact')).toBe('2024-07-01 12:00:00');
  expect(form.description).toBe("text 'YYYY-MM-DD HH:MM:SS' (in db.timezone Europe/Paris)");
});

it('INTEGER epoch milliseconds and REAL Julian days', () => {
  expect(formOf(1n).render({ millis: T, nanos: 0 }, 'exact')).toBe(BigInt(T));
  expect(formOf(1n).description).toBe('INTEGER epoch milliseconds');
  expect(formOf(2460311.0).render({ millis: T, nanos: 0 }, 'exact')).toBe(T / 86_400_000 + 2440587.5);
});

it('forms that compare among themselves as instants share a key; others do not', () => {
  const key = (v: unknown) => formOf(v).key;
  // Zone-less or offset text orders by time whatever its precision.
  expect(key('2024-01-01 10:00:00')).toBe(key('2024-01-01 10:00:00.25'));
  expect(key('2024-01-01T10:00+02:00')).toBe(key('2024-01-01T10:00:00.5+02:00'));
  // Not after `Z` (`10:00:00Z` > `10:00:00.5Z`), nor across separators, offsets or storage classes.
  expect(key('2024-01-01T10:00:00Z')).not.toBe(key('2024-01-01T10:00:00.500Z'));
  expect(key('2024-01-01 10:00:00')).not.toBe(key('2024-01-01T10:00:00'));
  expect(key('2024-01-01T10:00:00+01:00')).not.toBe(key('2024-01-01T10:00:00+02:00'));
  expect(key(1n)).not.toBe(key(1.5));
  expect(key('2024-1-5 10:00:00')).not.toBe(key('2024-12-15 10:00:00'));
});

it('a value that is no timestamp is refused naming it and the column', () => {
  expect(() => formOf('yesterday')).toThrow('Cannot read "yesterday" as a timestamp for timestamp column `ts`');
  expect(() => formOf(Buffer.from('ab'))).toThrow('Cannot read a BLOB of 2 bytes as a timestamp for timestamp column `ts`');
});
