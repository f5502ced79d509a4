import { BigDecimal, ConnectDate, ConnectTimestamp, DataError, Schema } from '../../../../../src/api';
import { ColumnDefinition, JdbcType, TableId } from '../../../../../connectors/jdbc/dialect';
import {
  bindCommon,
  formatDate,
  formatTime,
  formatTimestamp,
  jsonText,
  offsetText,
  schemalessDate,
  schemalessTime,
  schemalessTimestamp,
  splitQualifiedName,
} from '../../../../../connectors/jdbc/dialects/sink-sql';

/** The pieces of the server dialects' sink SQL that need no database: names, zones, JSON text. */

const column = (name: string, jdbcType: JdbcType, typeName: string): ColumnDefinition => ({
  name,
  table: new TableId(null, 'public', 't'),
  jdbcType,
  typeName,
  nullable: true,
  precision: 0,
  scale: 0,
  autoIncrement: false,
  signed: true,
  primaryKey: false,
});

describe('splitQualifiedName (Confluent parseQualifiedIdentifier)', () => {
  it('splits on dots outside quotes', () => {
    expect(splitQualifiedName('a', '"')).toEqual(['a']);
    expect(splitQualifiedName('a.b.c', '"')).toEqual(['a', 'b', 'c']);
    expect(splitQualifiedName('"a.b".c', '"')).toEqual(['a.b', 'c']);
    expect(splitQualifiedName('`x`.`y.z`', '`')).toEqual(['x', 'y.z']);
  });

  it('names what is wrong with a bad name', () => {
    expect(() => splitQualifiedName('a.b.', '"')).toThrow('Invalid table name "a.b.": it ends with a dot');
    expect(() => splitQualifiedName('"a', '"')).toThrow(/missing closing quote/);
    expect(() => splitQualifiedName('a..b', '"')).toThrow(/expected table, schema.table/);
    expect(() => splitQualifiedName('a.b.c.d', '"')).toThrow(/expected table, schema.table/);
  });
});

describe('date and time text in db.timezone (Confluent DateTimeUtils with a Calendar)', () => {
  const instant = new Date(Date.UTC(2024, 0, 1, 3, 4, 5, 6));
  it('formats the wall-clock fields of the instant in the zone', () => {
    expect(formatTimestamp(instant, 'UTC')).toBe('2024-01-01 03:04:05.006');
    expect(formatTimestamp(instant, 'America/Los_Angeles')).toBe('2023-12-31 19:04:05.006');
    expect(formatTime(instant, 'Asia/Kolkata')).toBe('08:34:05.006');
    // A Connect Date (UTC midnight) in a zone west of UTC is the day before, as Confluent writes it with date.timezone=DB.
    expect(formatDate(new Date(Date.UTC(2024, 0, 1)), 'America/New_York')).toBe('2023-12-31');
    expect(formatDate(new Date(Date.UTC(2024, 0, 1)), 'Europe/Paris')).toBe('2024-01-01');
  });

  it('writes offsets as +hh:mm', () => {
    expect(offsetText(instant, 'UTC')).toBe('+00:00');
    expect(offsetText(instant, 'Asia/Kolkata')).toBe('+05:30');
    expect(offsetText(new Date(Date.UTC(2024, 6, 1)), 'America/New_York')).toBe('-04:00');
  });

  it('refuses an invalid Date with a clear message', () => {
    expect(() => bindCommon(ConnectTimestamp.SCHEMA, new Date(NaN), 'UTC')).toThrow(DataError);
    expect(() => bindCommon(ConnectDate.SCHEMA, 'yesterday', 'UTC')).toThrow(/expected a JS Date/);
  });
});

describe('bindCommon', () => {
  it('keeps exactness and refuses values of the wrong type', () => {
    expect(bindCommon(Schema.INT64_SCHEMA, 2n ** 63n - 1n, 'UTC')).toBe(2n ** 63n - 1n);
    expect(bindCommon(Schema.INT64_SCHEMA, 5, 'UTC')).toBe(5n);
    expect(bindCommon(Schema.INT32_SCHEMA, null, 'UTC')).toBeNull();
    expect(() => bindCommon(Schema.INT32_SCHEMA, 1.5, 'UTC')).toThrow('Cannot bind 1.5 (number) as a INT32 value: expected an integer number');
    expect(() => bindCommon(Schema.STRING_SCHEMA, 5, 'UTC')).toThrow(/expected a string/);
  });
});

describe('schemaless values', () => {
  it('JSON text keeps bigints whole', () => {
    const c = column('j', JdbcType.OTHER, 'jsonb');
    expect(jsonText(c, { a: 12345678901234567890n, b: [1n, 'x'] })).toBe('{"a":12345678901234567890,"b":[1,"x"]}');
    expect(jsonText(c, 'text')).toBe('"text"');
    expect(jsonText(c, new BigDecimal(15n, 1))).toBe('"1.5"');
  });

  it('zone-less timestamp text keeps every digit; zoned text and epoch millis convert to the zone', () => {
    const c = column('ts', JdbcType.TIMESTAMP, 'timestamp');
    expect(schemalessTimestamp(c, '2024-01-02T03:04:05.123456', 'Europe/Paris')).toBe('2024-01-02 03:04:05.123456');
    expect(schemalessTimestamp(c, '2024-01-02 03:04:05Z', 'Europe/Paris')).toBe('2024-01-02 04:04:05.000');
    expect(schemalessTimestamp(c, '2024-01-02', 'UTC')).toBe('2024-01-02 00:00:00');
    expect(schemalessTimestamp(c, Date.UTC(2024, 0, 2), 'Europe/Paris')).toBe('2024-01-02 01:00:00.000');
    expect(() => schemalessTimestamp(c, true, 'UTC')).toThrow('Cannot write true into column "ts" (timestamp) of table public.t: expected epoch milliseconds');
  });

  it('dates and times', () => {
    const d = column('d', JdbcType.DATE, 'date');
    const t = column('t', JdbcType.TIME, 'time');
    expect(schemalessDate(d, '2024-02-29', 'America/New_York')).toBe('2024-02-29');
    expect(() => schemalessDate(d, '2024-02-30x', 'UTC')).toThrow(/column "d"/);
    expect(schemalessTime(t, '23:59:59.999999', 'Asia/Kolkata')).toBe('23:59:59.999999');
    expect(schemalessTime(t, 3_600_000, 'Asia/Kolkata')).toBe('01:00:00.000'); // ms since midnight, as a Connect Time
    expect(() => schemalessTime(t, 'noon', 'UTC')).toThrow(/column "t" \(time\)/);
  });
});
