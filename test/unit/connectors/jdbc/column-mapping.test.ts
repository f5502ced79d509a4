import { BigDecimal, DataError, LogicalNames, Schema, SchemaType } from '../../../../src/api';
import { decimalScale, genericColumnMapping, rescaleHalfUp } from '../../../../connectors/jdbc/column-mapping';
import { ColumnDefinition, JdbcType, NumericMapping } from '../../../../connectors/jdbc/dialect';

function col(jdbcType: JdbcType, overrides: Partial<ColumnDefinition> = {}): ColumnDefinition {
  return {
    name: 'c',
    table: null,
    jdbcType,
    typeName: jdbcType.toLowerCase(),
    nullable: false,
    precision: 0,
    scale: 0,
    autoIncrement: false,
    signed: true,
    primaryKey: false,
    ...overrides,
  };
}

function shape(schema: Schema): string {
  if (schema.name === LogicalNames.DECIMAL) return `Decimal(${schema.parameters?.scale},p=${schema.parameters?.['connect.decimal.precision']})`;
  if (schema.name !== null) return schema.name.replace('org.apache.kafka.connect.data.', '');
  return schema.type;
}

describe('genericColumnMapping: schemas as Confluent addFieldToSchema', () => {
  const cases: [JdbcType, Partial<ColumnDefinition>, string][] = [
    [JdbcType.BOOLEAN, {}, 'BOOLEAN'],
    [JdbcType.BIT, {}, 'INT8'],
    [JdbcType.TINYINT, {}, 'INT8'],
    [JdbcType.TINYINT, { signed: false }, 'INT16'],
    [JdbcType.SMALLINT, {}, 'INT16'],
    [JdbcType.SMALLINT, { signed: false }, 'INT32'],
    [JdbcType.INTEGER, {}, 'INT32'],
    [JdbcType.INTEGER, { signed: false }, 'INT64'],
    [JdbcType.BIGINT, {}, 'INT64'],
    [JdbcType.BIGINT, { signed: false }, 'INT64'],
    [JdbcType.REAL, {}, 'FLOAT32'],
    [JdbcType.FLOAT, {}, 'FLOAT64'],
    [JdbcType.DOUBLE, {}, 'FLOAT64'],
    [JdbcType.CHAR, {}, 'STRING'],
    [JdbcType.VARCHAR, {}, 'STRING'],
    [JdbcType.LONGVARCHAR, {}, 'STRING'],
    [JdbcType.NCHAR, {}, 'STRING'],
    [JdbcType.NVARCHAR, {}, 'STRING'],
    [JdbcType.LONGNVARCHAR, {}, 'STRING'],
    [JdbcType.CLOB, {}, 'STRING'],
    [JdbcType.NCLOB, {}, 'STRING'],
    [JdbcType.DATALINK, {}, 'STRING'],
    [JdbcType.SQLXML, {}, 'STRING'],
    [JdbcType.BINARY, {}, 'BYTES'],
    [JdbcType.VARBINARY, {}, 'BYTES'],
    [JdbcType.LONGVARBINARY, {}, 'BYTES'],
    [JdbcType.BLOB, {}, 'BYTES'],
    [JdbcType.DATE, {}, 'Date'],
    [JdbcType.TIME, {}, 'Time'],
    [JdbcType.TIMESTAMP, {}, 'Timestamp'],
    [JdbcType.DECIMAL, { precision: 10, scale: 2 }, 'Decimal(2,p=10)'],
  ];
  it.each(cases)('%s %j -> %s', (type, overrides, expected) => {
    const m = genericColumnMapping(col(type, overrides), 'none', 'UTC');
    expect(m).not.toBeNull();
    expect(shape(m!.schema)).toBe(expected);
    expect(m!.schema.optional).toBe(false);
    expect(m!.fieldName).toBe('c');
  });

  it.each([JdbcType.NULL, JdbcType.ARRAY, JdbcType.STRUCT, JdbcType.ROWID, JdbcType.OTHER, JdbcType.TIME_WITH_TIMEZONE, JdbcType.TIMESTAMP_WITH_TIMEZONE])(
    '%s is skipped (null)',
    (type) => {
      expect(genericColumnMapping(col(type), 'none', 'UTC')).toBeNull();
    },
  );

  it('nullable columns give optional schemas, logical ones included', () => {
    for (const type of [JdbcType.INTEGER, JdbcType.VARCHAR, JdbcType.DATE, JdbcType.TIMESTAMP, JdbcType.DECIMAL]) {
      const m = genericColumnMapping(col(type, { nullable: true, precision: 5, scale: 1 }), 'none', 'UTC')!;
      expect(m.schema.optional).toBe(true);
    }
    expect(genericColumnMapping(col(JdbcType.INTEGER, { nullable: true }), 'none', 'UTC')!.schema).toBe(Schema.OPTIONAL_INT32_SCHEMA);
  });

  it('the field name is the column name', () => {
    expect(genericColumnMapping(col(JdbcType.INTEGER, { name: 'Order Id' }), 'none', 'UTC')!.fieldName).toBe('Order Id');
  });

  it('Decimal schema carries the scale and Confluent precision parameters, version 1', () => {
    const s = genericColumnMapping(col(JdbcType.NUMERIC, { precision: 10, scale: 2 }), 'none', 'UTC')!.schema;
    expect(s.type).toBe(SchemaType.BYTES);
    expect(s.version).toBe(1);
    expect(s.parameters).toEqual({ scale: '2', 'connect.decimal.precision': '10' });
  });
});

describe('numeric.mapping (Confluent NUMERIC rules)', () => {
  // [mapping, precision, scale, expected]
  const cases: [NumericMapping, number, number, string][] = [
    ['none', 5, 0, 'Decimal(0,p=5)'],
    ['none', 10, 2, 'Decimal(2,p=10)'],
    ['precision_only', 2, 0, 'INT8'],
    ['precision_only', 4, 0, 'INT16'],
    ['precision_only', 9, 0, 'INT32'],
    ['precision_only', 10, 0, 'INT64'],
    ['precision_only', 18, 0, 'INT64'],
    ['precision_only', 19, 0, 'Decimal(0,p=19)'],
    ['precision_only', 10, 2, 'Decimal(2,p=10)'],
    ['precision_only', 5, -2, 'Decimal(-2,p=5)'],
    ['best_fit', 2, 0, 'INT8'],
    ['best_fit', 3, 0, 'INT16'],
    ['best_fit', 5, 0, 'INT32'],
    ['best_fit', 18, 0, 'INT64'],
    ['best_fit', 5, -2, 'INT32'],
    ['best_fit', 5, -84, 'INT32'],
    ['best_fit', 5, -85, 'Decimal(-85,p=5)'],
    ['best_fit', 10, 2, 'FLOAT64'],
    ['best_fit', 18, 17, 'FLOAT64'],
    ['best_fit', 19, 2, 'Decimal(2,p=19)'],
    ['best_fit', 19, 0, 'Decimal(0,p=19)'],
    ['best_fit', 0, -127, 'Decimal(127,p=0)'],
    ['best_fit_eager_double', 5, 0, 'INT32'],
    ['best_fit_eager_double', 19, 0, 'Decimal(0,p=19)'],
    ['best_fit_eager_double', 10, 2, 'FLOAT64'],
    ['best_fit_eager_double', 30, 4, 'FLOAT64'],
    ['best_fit_eager_double', 0, -127, 'Decimal(127,p=0)'],
    ['none', 0, -127, 'Decimal(127,p=0)'],
  ];
  it.each(cases)('%s NUMERIC(%d,%d) -> %s', (mapping, precision, scale, expected) => {
    expect(shape(genericColumnMapping(col(JdbcType.NUMERIC, { precision, scale }), mapping, 'UTC')!.schema)).toBe(expected);
  });

  it('DECIMAL always maps to Decimal, whatever numeric.mapping says (Confluent applies the mapping to NUMERIC only)', () => {
    for (const mapping of ['none', 'precision_only', 'best_fit', 'best_fit_eager_double'] as NumericMapping[]) {
      expect(shape(genericColumnMapping(col(JdbcType.DECIMAL, { precision: 5, scale: 0 }), mapping, 'UTC')!.schema)).toBe('Decimal(0,p=5)');
    }
  });

  it('the unset scale -127 reads at scale 127', () => {
    expect(decimalScale(col(JdbcType.NUMERIC, { scale: -127 }))).toBe(127);
    expect(decimalScale(col(JdbcType.NUMERIC, { scale: 3 }))).toBe(3);
  });

  it('converters follow the chosen shape', () => {
    const conv = (mapping: NumericMapping, p: number, s: number) => genericColumnMapping(col(JdbcType.NUMERIC, { precision: p, scale: s }), mapping, 'UTC')!.convert;
    expect(conv('best_fit', 5, 0)('12345')).toBe(12345);
    expect(conv('best_fit', 18, 0)('123456789012345678')).toBe(123456789012345678n);
    expect(conv('best_fit', 3, 0)(' -128 ')).toBe(-128);
    expect(conv('best_fit', 10, 2)('12.34')).toBe(12.34);
    expect(conv('best_fit', 5, -2)('1.2E+3')).toBe(1200);
    expect(conv('none', 10, 2)('12.3')).toEqual(new BigDecimal(1230n, 2));
    expect(conv('none', 10, 2)(null)).toBeNull();
  });
});

describe('converters: driver values to Connect values', () => {
  const convert = (type: JdbcType, value: unknown, overrides: Partial<ColumnDefinition> = {}, tz = 'UTC') =>
    genericColumnMapping(col(type, overrides), 'none', tz)!.convert(value);

  it('integers by width, INT64 as bigint', () => {
    expect(convert(JdbcType.TINYINT, -128)).toBe(-128);
    expect(convert(JdbcType.TINYINT, 255, { signed: false })).toBe(255);
    expect(convert(JdbcType.SMALLINT, '32767')).toBe(32767);
    expect(convert(JdbcType.INTEGER, 7n)).toBe(7);
    expect(convert(JdbcType.INTEGER, 4294967295, { signed: false })).toBe(4294967295n);
    expect(convert(JdbcType.BIGINT, '9223372036854775807')).toBe(9223372036854775807n);
    expect(convert(JdbcType.BIGINT, 42)).toBe(42n);
  });

  it('values that do not fit the schema fail naming the column', () => {
    expect(() => convert(JdbcType.TINYINT, 128)).toThrow(new DataError('Value 128 of column "c" does not fit in INT8'));
    expect(() => convert(JdbcType.INTEGER, 2147483648n)).toThrow(/does not fit in INT32/);
    expect(() => convert(JdbcType.BIGINT, '18446744073709551615')).toThrow(/does not fit in INT64/);
    expect(() => convert(JdbcType.INTEGER, 'abc')).toThrow(/Cannot read string "abc" as an integer for column "c"/);
  });

  it('REAL is rounded to single precision; FLOAT/DOUBLE kept', () => {
    expect(convert(JdbcType.REAL, 0.1)).toBe(Math.fround(0.1));
    expect(convert(JdbcType.DOUBLE, '0.1')).toBe(0.1);
    expect(convert(JdbcType.FLOAT, 'NaN')).toBeNaN();
    expect(convert(JdbcType.DOUBLE, '-Infinity')).toBe(-Infinity);
  });

  it('BOOLEAN and BIT', () => {
    expect(convert(JdbcType.BOOLEAN, 't')).toBe(true);
    expect(convert(JdbcType.BOOLEAN, 0)).toBe(false);
    expect(convert(JdbcType.BOOLEAN, 1n)).toBe(true);
    expect(convert(JdbcType.BIT, Buffer.from([1]))).toBe(1);
    expect(convert(JdbcType.BIT, true)).toBe(1);
    expect(convert(JdbcType.BIT, '0')).toBe(0);
  });

  it('DECIMAL exact from text, rescaled half-up to the column scale', () => {
    expect(convert(JdbcType.DECIMAL, '12345678901234567890.123456789', { precision: 30, scale: 9 })).toEqual(new BigDecimal(12345678901234567890123456789n, 9));
    expect(convert(JdbcType.DECIMAL, '1.5', { precision: 5, scale: 2 })).toEqual(new BigDecimal(150n, 2));
    expect(convert(JdbcType.DECIMAL, '1.005', { precision: 5, scale: 2 })).toEqual(new BigDecimal(101n, 2));
    expect(convert(JdbcType.DECIMAL, '-1.005', { precision: 5, scale: 2 })).toEqual(new BigDecimal(-101n, 2));
    expect(convert(JdbcType.DECIMAL, 12n, { precision: 5, scale: 0 })).toEqual(new BigDecimal(12n, 0));
    expect(convert(JdbcType.NUMERIC, '3.14', { precision: 0, scale: -127 })).toEqual(new BigDecimal(314n * 10n ** 125n, 127));
  });

  it('rescaleHalfUp rounds ties away from zero', () => {
    expect(rescaleHalfUp(BigDecimal.parse('2.5'), 0)).toEqual(new BigDecimal(3n, 0));
    expect(rescaleHalfUp(BigDecimal.parse('-2.5'), 0)).toEqual(new BigDecimal(-3n, 0));
    expect(rescaleHalfUp(BigDecimal.parse('2.49'), 0)).toEqual(new BigDecimal(2n, 0));
  });

  it('strings and bytes', () => {
    expect(convert(JdbcType.VARCHAR, 'héllo')).toBe('héllo');
    expect(convert(JdbcType.CLOB, Buffer.from('abc'))).toBe('abc');
    expect(convert(JdbcType.BLOB, Buffer.from([0, 255]))).toEqual(Buffer.from([0, 255]));
    expect(convert(JdbcType.VARBINARY, new Uint8Array([1, 2]))).toEqual(Buffer.from([1, 2]));
    expect(convert(JdbcType.VARCHAR, null)).toBeNull();
    expect(convert(JdbcType.BLOB, undefined)).toBeNull();
  });

  it('DATE: the calendar date at UTC midnight, whatever db.timezone is', () => {
    expect(convert(JdbcType.DATE, '2024-03-10')).toEqual(new Date(Date.UTC(2024, 2, 10)));
    expect(convert(JdbcType.DATE, '2024-03-10', {}, 'America/New_York')).toEqual(new Date(Date.UTC(2024, 2, 10)));
    expect(convert(JdbcType.DATE, '2024-03-10 23:59:59')).toEqual(new Date(Date.UTC(2024, 2, 10)));
    expect(convert(JdbcType.DATE, new Date(Date.UTC(2024, 2, 10, 15)))).toEqual(new Date(Date.UTC(2024, 2, 10)));
    expect(() => convert(JdbcType.DATE, 'tomorrow')).toThrow(/Cannot read "tomorrow" as a date for column "c"/);
  });

  it('TIMESTAMP: zone-less text read in db.timezone; text with an offset and Date values are instants', () => {
    expect(convert(JdbcType.TIMESTAMP, '2024-01-15 10:20:30.123456')).toEqual(new Date(Date.UTC(2024, 0, 15, 10, 20, 30, 123)));
    expect(convert(JdbcType.TIMESTAMP, '2024-01-15 10:20:30', {}, 'America/New_York')).toEqual(new Date(Date.UTC(2024, 0, 15, 15, 20, 30)));
    expect(convert(JdbcType.TIMESTAMP, '2024-07-15T10:20:30', {}, 'Europe/Paris')).toEqual(new Date(Date.UTC(2024, 6, 15, 8, 20, 30)));
    expect(convert(JdbcType.TIMESTAMP, '2024-07-15 10:20:30+02', {}, 'America/New_York')).toEqual(new Date(Date.UTC(2024, 6, 15, 8, 20, 30)));
    expect(convert(JdbcType.TIMESTAMP, '2024-07-15 10:20:30Z', {}, 'Asia/Tokyo')).toEqual(new Date(Date.UTC(2024, 6, 15, 10, 20, 30)));
    const d = new Date(123456789);
    expect(convert(JdbcType.TIMESTAMP, d, {}, 'Asia/Tokyo')).toEqual(d);
    expect(convert(JdbcType.TIMESTAMP, 1700000000000n)).toEqual(new Date(1700000000000));
  });

  it('TIMESTAMP across DST changes: a repeated hour gives the earlier instant, a skipped one the offset before', () => {
    // New York: 2024-11-03 01:30 occurs twice (EDT then EST); 2024-03-10 02:30 does not exist.
    expect(convert(JdbcType.TIMESTAMP, '2024-11-03 01:30:00', {}, 'America/New_York')).toEqual(new Date(Date.UTC(2024, 10, 3, 5, 30)));
    expect(convert(JdbcType.TIMESTAMP, '2024-03-10 02:30:00', {}, 'America/New_York')).toEqual(new Date(Date.UTC(2024, 2, 10, 7, 30)));
  });

  it('TIME: ms into the day; read in db.timezone and kept within the day', () => {
    expect(convert(JdbcType.TIME, '10:20:30.5')).toEqual(new Date(Date.UTC(1970, 0, 1, 10, 20, 30, 500)));
    expect(convert(JdbcType.TIME, '22:00:00', {}, 'America/New_York')).toEqual(new Date(Date.UTC(1970, 0, 1, 3, 0, 0)));
    expect(convert(JdbcType.TIME, '05:00:00', {}, 'Asia/Tokyo')).toEqual(new Date(Date.UTC(1970, 0, 1, 20, 0, 0)));
    expect(convert(JdbcType.TIME, '10:20:30+01:00')).toEqual(new Date(Date.UTC(1970, 0, 1, 9, 20, 30)));
    expect(() => convert(JdbcType.TIME, 'noon')).toThrow(/as a time for column "c"/);
  });
});
