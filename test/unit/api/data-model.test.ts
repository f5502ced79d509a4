import {
  BigDecimal,
  bigintToTwosComplement,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  connectValueToString,
  DataError,
  Decimal,
  Schema,
  SchemaBuilder,
  SchemaType,
  Struct,
  twosComplementToBigint,
  validateValue,
} from '../../../src/api';

describe('Struct', () => {
  const schema = SchemaBuilder.struct()
    .name('com.example.User')
    .field('id', Schema.INT32_SCHEMA)
    .field('name', Schema.OPTIONAL_STRING_SCHEMA)
    .field('score', SchemaBuilder.float64().optional().build())
    .field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
    .field('level', SchemaBuilder.int8().defaultValue(3).build())
    .build();

  it('checks types on put and names the field', () => {
    const s = new Struct(schema);
    expect(() => s.put('id', 'x')).toThrow('Invalid value for schema type INT32: a string ("x") for field: "id"');
    expect(() => s.put('id', 2 ** 31)).toThrow(DataError);
    expect(() => s.put('tags', ['a', 1])).toThrow('for element of array field: "tags"');
    expect(() => s.put('nope', 1)).toThrow('nope is not a valid field name');
    expect(() => s.put('level', 128)).toThrow(DataError);
  });

  it('names array elements and map keys and values as Kafka does, and array/map schemas without element schemas are DataErrors', () => {
    const tags = SchemaBuilder.array(Schema.STRING_SCHEMA).build();
    expect(() => validateValue(tags, ['a', null], 'tags')).toThrow('Invalid value: null used for required element of array field: "tags", schema type: STRING');
    const counts = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build();
    expect(() => validateValue(counts, new Map([['a', null]]), 'counts')).toThrow('Invalid value: null used for required value of map field: "counts", schema type: INT32');
    expect(() => validateValue(counts, new Map([[null, 1]]))).toThrow('Invalid value: null used for required key of map value, schema type: STRING');
    const noElement = new Schema(SchemaType.ARRAY);
    expect(() => validateValue(noElement, ['a'], 'tags')).toThrow(DataError);
    expect(() => validateValue(noElement, ['a'], 'tags')).toThrow('No schema defined for element of array field: "tags"');
    const noValue = new Schema(SchemaType.MAP, { keySchema: Schema.STRING_SCHEMA });
    expect(() => validateValue(noValue, new Map([['a', 1]]))).toThrow('No schema defined for value of map value');
    const noKey = new Schema(SchemaType.MAP, { valueSchema: Schema.STRING_SCHEMA });
    expect(() => validateValue(noKey, new Map(), 'm')).toThrow('No schema defined for key of map field: "m"');
  });

  it('validate() requires required fields without defaults; get() falls back to the default', () => {
    const s = new Struct(schema);
    expect(() => s.validate()).toThrow('Invalid value: null used for required field: "id", schema type: INT32');
    s.put('id', 1);
    expect(() => s.validate()).not.toThrow();
    expect(s.get('level')).toBe(3);
    expect(s.getWithoutDefault('level')).toBeNull();
  });

  it('prints as Kafka: Struct{id=1,name=foo}, unset fields left out, doubles with a point', () => {
    const s = new Struct(schema).put('id', 1).put('name', 'foo').put('score', 10).put('tags', ['a', 'b']);
    expect(s.toString()).toBe('Struct{id=1,name=foo,score=10.0,tags=[a, b]}');
  });

  it('equals compares schema and values', () => {
    const a = new Struct(schema).put('id', 1).put('tags', ['x']);
    const b = new Struct(schema).put('id', 1).put('tags', ['x']);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(new Struct(schema).put('id', 2))).toBe(false);
  });

  it('nested structs must carry the field schema', () => {
    const outer = SchemaBuilder.struct().field('inner', schema).build();
    const other = SchemaBuilder.struct().field('id', Schema.INT32_SCHEMA).build();
    expect(() => new Struct(outer).put('inner', new Struct(other).put('id', 1))).toThrow('Struct schemas do not match');
  });
});

describe('SchemaBuilder', () => {
  it('builds maps, arrays and metadata, and refuses bad defaults and duplicate fields', () => {
    const map = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT64_SCHEMA).optional().name('m').version(2).doc('d').parameter('k', 'v').build();
    expect(map.type).toBe(SchemaType.MAP);
    expect(map.keySchema).toBe(Schema.STRING_SCHEMA);
    expect(map.parameters).toEqual({ k: 'v' });
    expect(() => SchemaBuilder.int32().defaultValue('x').build()).toThrow('Invalid default value');
    expect(() => SchemaBuilder.struct().field('a', Schema.INT8_SCHEMA).field('a', Schema.INT8_SCHEMA)).toThrow('field name duplication a');
    expect(SchemaBuilder.int32().build().equals(Schema.INT32_SCHEMA)).toBe(true);
    expect(SchemaBuilder.int32().optional().build().equals(Schema.INT32_SCHEMA)).toBe(false);
  });
});

describe('BigDecimal', () => {
  it.each([
    // Expected strings follow java.math.BigDecimal#toString's javadoc examples.
    ['123', 0n + 123n, 0, '123'],
    ['-1.23', -123n, 2, '-1.23'],
    ['1.23E+3', 123n, -1, '1.23E+3'],
    ['0.00000123', 123n, 8, '0.00000123'],
    ['1.23E-8', 123n, 10, '1.23E-8'],
    ['0.000001', 1n, 6, '0.000001'],
    ['1E-7', 1n, 7, '1E-7'],
  ])('parses %s and prints it as Java does', (text, unscaled, scale, printed) => {
    const d = BigDecimal.parse(text);
    expect(d.unscaled).toBe(unscaled);
    expect(d.scale).toBe(scale);
    expect(d.toString()).toBe(printed);
  });

  it('keeps digits beyond double precision and rescales exactly', () => {
    const d = BigDecimal.parse('12345678901234567890.123456789');
    expect(d.toPlainString()).toBe('12345678901234567890.123456789');
    expect(d.setScale(12).toString()).toBe('12345678901234567890.123456789000');
    expect(() => d.setScale(2)).toThrow('without rounding');
  });
});

describe('logical types', () => {
  it('Decimal encodes the unscaled value as Java BigInteger.toByteArray', () => {
    // BigInteger.valueOf(n).toByteArray(): 0 -> [00], 127 -> [7f], 128 -> [00 80], -1 -> [ff], -128 -> [80], -129 -> [ff 7f]
    expect([0n, 127n, 128n, -1n, -128n, -129n, 256n].map((n) => bigintToTwosComplement(n).toString('hex'))).toEqual(['00', '7f', '0080', 'ff', '80', 'ff7f', '0100']);
    for (const n of [0n, 1n, -1n, 255n, -256n, 2n ** 100n, -(2n ** 100n) + 7n]) expect(twosComplementToBigint(bigintToTwosComplement(n))).toBe(n);
    const schema = Decimal.schema(2);
    const bytes = Decimal.fromLogical(schema, BigDecimal.parse('-12.34'));
    expect(Decimal.toLogical(schema, bytes).toString()).toBe('-12.34');
    expect(() => Decimal.fromLogical(schema, BigDecimal.parse('1.5'))).toThrow('mismatching scale');
    expect(schema.parameters).toEqual({ scale: '2' });
  });

  it('Date, Time and Timestamp convert to and from their integers', () => {
    const day = new Date(Date.UTC(2024, 1, 29));
    expect(ConnectDate.fromLogical(ConnectDate.SCHEMA, day)).toBe(19782);
    expect(ConnectDate.toLogical(ConnectDate.SCHEMA, 19782).getTime()).toBe(day.getTime());
    expect(() => ConnectDate.fromLogical(ConnectDate.SCHEMA, new Date(Date.UTC(2024, 1, 29, 1)))).toThrow('should not have any time fields');
    expect(ConnectTime.fromLogical(ConnectTime.SCHEMA, new Date(3_600_000))).toBe(3_600_000);
    expect(ConnectTimestamp.fromLogical(ConnectTimestamp.SCHEMA, new Date(1_700_000_000_123))).toBe(1_700_000_000_123n);
  });
});

describe('connectValueToString', () => {
  it('prints like Java toString', () => {
    expect(connectValueToString(new Map([['a', 1], ['b', 2]]))).toBe('{a=1, b=2}');
    expect(connectValueToString([1, 2])).toBe('[1, 2]');
    expect(connectValueToString(10, Schema.FLOAT64_SCHEMA)).toBe('10.0');
    expect(connectValueToString(1.5)).toBe('1.5');
    expect(connectValueToString(2n ** 63n - 1n)).toBe('9223372036854775807');
    expect(connectValueToString(null)).toBe('null');
    expect(connectValueToString(new Date(0))).toBe('Thu Jan 01 00:00:00 UTC 1970');
    expect(connectValueToString(BigDecimal.parse('1.50'))).toBe('1.50');
  });
});
