import { parseTimestampText } from '../../../../connectors/jdbc/zoned-time';

/** Timestamp text in its common fixed form and in every other form the parser accepts read to the same instants. */
describe('parseTimestampText', () => {
  it.each([
    ['2024-03-05 06:07:08', '2024-03-05T06:07:08.000Z'],
    ['2024-03-05T06:07:08', '2024-03-05T06:07:08.000Z'],
    ['2024-03-05t06:07:08', '2024-03-05T06:07:08.000Z'],
    ['2024-03-05 06:07:08.1', '2024-03-05T06:07:08.100Z'],
    ['2024-03-05 06:07:08.12', '2024-03-05T06:07:08.120Z'],
    ['2024-03-05 06:07:08.123', '2024-03-05T06:07:08.123Z'],
    ['2024-03-05 06:07:08.123999999', '2024-03-05T06:07:08.123Z'],
    ['2024-3-5 6:07:08.5', '2024-03-05T06:07:08.500Z'],
    [' 2024-03-05 06:07:08 ', '2024-03-05T06:07:08.000Z'],
    ['2024-03-05 06:07', '2024-03-05T06:07:00.000Z'],
    ['2024-03-05', '2024-03-05T00:00:00.000Z'],
    ['2024-03-05 06:07:08Z', '2024-03-05T06:07:08.000Z'],
    ['2024-03-05 06:07:08.250+02:00', '2024-03-05T04:07:08.250Z'],
    ['2024-02-30 00:00:00', '2024-03-01T00:00:00.000Z'],
    ['2024-12-31 24:00:00', '2025-01-01T00:00:00.000Z'],
    ['9999-12-31 23:59:59.999', '9999-12-31T23:59:59.999Z'],
    ['0100-01-01 00:00:00', '0100-01-01T00:00:00.000Z'],
  ])('%j in UTC is %s', (text, iso) => {
    expect(new Date(parseTimestampText(text, 'UTC', 'c')).toISOString()).toBe(iso);
  });

  it('reads years below 100 as written, not as 19xx', () => {
    expect(new Date(parseTimestampText('0050-06-01 12:00:00', 'UTC', 'c')).getUTCFullYear()).toBe(50);
  });

  it('reads the fixed form in db.timezone', () => {
    expect(new Date(parseTimestampText('2024-07-01 12:00:00.5', 'America/New_York', 'c')).toISOString()).toBe('2024-07-01T16:00:00.500Z');
    expect(new Date(parseTimestampText('2024-01-01 12:00:00', 'Europe/Berlin', 'c')).toISOString()).toBe('2024-01-01T11:00:00.000Z');
  });

  it.each(['2024-03-05 06:07:08.', '2024-03-05 06:07:08.1x', '2024-03-05 06:07:0x', 'x024-03-05 06:07:08', '2024/03/05 06:07:08'])('rejects %j naming the column', (text) => {
    expect(() => parseTimestampText(text, 'UTC', 'column c')).toThrow(`Cannot read ${JSON.stringify(text)} as a timestamp for column c`);
  });
});
