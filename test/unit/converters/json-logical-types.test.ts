import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, DataError, Decimal, Schema, SchemaBuilder } from '../../../src/api';
import { JsonConverter } from '../../../src/converters/json-converter';

/*
 * Decimal, Date, Time and Timestamp. Sources, cited per case:
 * - [KT] a case of Kafka's JsonConverterTest (connect/json), by name; its schemas come from Decimal.schema(2),
 *   Date.SCHEMA, Time.SCHEMA, Timestamp.SCHEMA (name + version 1, Decimal with parameter scale).
 * - [JC] Kafka's JsonConverter LOGICAL_CONVERTERS: Decimal BASE64 -> binaryNode(Decimal.fromLogical) (base64 of
 *   BigInteger.toByteArray, which checks the scale), NUMERIC -> numberNode(BigDecimal) with exact BigDecimals,
 *   written by Jackson with BigDecimal.toString (WRITE_BIGDECIMAL_AS_PLAIN off); read: any number ->
 *   decimalValue() (scale as written), text -> base64 bytes; Date/Time need isInt(), Timestamp isIntegralNumber().
 * - [JDK] java.math.BigDecimal.toString / BigInteger.toByteArray.
 */

const TOPIC = 'logical';

function converter(configs: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(configs, false);
  return c;
}
const base64 = converter();
const numeric = converter({ 'decimal.format': 'NUMERIC' });

function write(c: JsonConverter, schema: Schema | null, value: unknown): string {
  return c.fromConnectData(TOPIC, [], schema, value)!.toString('utf8');
}
function read(c: JsonConverter, json: string) {
  return c.toConnectData(TOPIC, [], Buffer.from(json, 'utf8'));
}

const DECIMAL_2 = '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}';
const DATE = '{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1}';
const TIME = '{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1}';
const TIMESTAMP = '{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1}';

describe('Decimal', () => {
  it('writes base64 of the two\'s-complement unscaled value (decimal.format=BASE64, the default)', () => {
    // [KT] decimalToJson: 1.56 -> bytes {0, -100} -> "AJw="
    expect(write(base64, Decimal.schema(2), new BigDecimal(156n, 2))).toBe(`{"schema":${DECIMAL_2},"payload":"AJw="}`);
    // [JDK] BigInteger.toByteArray: -1 -> FF, 128 -> 00 80, 0 -> 00, -129 -> FF 7F
    expect(write(base64, Decimal.schema(0), new BigDecimal(-1n, 0))).toContain('"payload":"/w=="');
    expect(write(base64, Decimal.schema(0), new BigDecimal(128n, 0))).toContain('"payload":"AIA="');
    expect(write(base64, Decimal.schema(2), new BigDecimal(0n, 2))).toContain('"payload":"AA=="');
    expect(write(base64, Decimal.schema(2), new BigDecimal(-129n, 2))).toContain('"payload":"/38="');
  });

  it.each<[string, BigDecimal, string]>([
    ['1.56', new BigDecimal(156n, 2), '1.56'], // [KT] decimalToNumericJson
    ['1.5600', new BigDecimal(15600n, 4), '1.5600'], // [KT] decimalWithTrailingZerosToNumericJson: zeros kept
    ['-0.05', new BigDecimal(-5n, 2), '-0.05'],
    ['1.2E+4 (negative scale)', new BigDecimal(12n, -3), '1.2E+4'], // [JDK] BigDecimal(12, -3).toString()
    ['1E-10', new BigDecimal(1n, 10), '1E-10'], // [JDK] exponent < -6 -> scientific
    ['wide', new BigDecimal(123456789012345678901234567890n, 5), '1234567890123456789012345.67890'],
  ])('writes %s as a JSON number with decimal.format=NUMERIC', (_, value, text) => {
    expect(write(numeric, Decimal.schema(value.scale), value)).toBe(`{"schema":${DECIMAL_2.replace('"2"', `"${value.scale}"`)},"payload":${text}}`);
    expect(read(numeric, write(numeric, Decimal.schema(value.scale), value)).value).toEqual(value);
  });

  it('refuses a value of another scale in BASE64, a non-BigDecimal, and a schemaless BigDecimal', () => {
    expect(() => write(base64, Decimal.schema(2), new BigDecimal(15n, 1))).toThrow(DataError); // [JC] Decimal.fromLogical checks the scale
    expect(() => write(base64, Decimal.schema(2), 1.56)).toThrow('Invalid type for Decimal, expected BigDecimal but was number');
    expect(() => write(base64, null, new BigDecimal(156n, 2))).toThrow('does not have a corresponding schema type'); // [KT] decimalToJsonWithoutSchema
  });

  it('reads base64 or a number, whatever decimal.format says', () => {
    // [KT] decimalToConnect, numericDecimalToConnect, numericDecimalWithTrailingZerosToConnect, highPrecisionNumericDecimalToConnect
    for (const c of [base64, numeric]) {
      const bytes = read(c, `{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AJw="}`);
      expect(bytes.schema!.equals(Decimal.schema(2))).toBe(true);
      expect(bytes.value).toEqual(new BigDecimal(156n, 2));
      expect(read(c, `{"schema":${DECIMAL_2},"payload":1.56}`).value).toEqual(new BigDecimal(156n, 2));
      expect(read(c, `{"schema":${DECIMAL_2},"payload":1.5600}`).value).toEqual(new BigDecimal(15600n, 4));
      expect(read(c, `{"schema":${DECIMAL_2},"payload":1.23456789123456789}`).value).toEqual(BigDecimal.parse('1.23456789123456789'));
    }
    // [JC] an integer node's decimalValue() has scale 0; Kafka does not rescale to the schema's scale
    expect(read(base64, `{"schema":${DECIMAL_2},"payload":156}`).value).toEqual(new BigDecimal(156n, 0));
    expect(read(base64, `{"schema":${DECIMAL_2},"payload":1e3}`).value).toEqual(new BigDecimal(1n, -3));
  });

  it('reads defaults through the logical type', () => {
    // [KT] decimalToConnectWithDefaultValue, decimalToConnectOptional
    const json = `{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"default":"AJw=","parameters":{"scale":"2"}},"payload":null}`;
    const { schema, value } = read(base64, json);
    expect(schema!.equals(Decimal.builder(2).defaultValue(new BigDecimal(156n, 2)).build())).toBe(true);
    expect(value).toEqual(new BigDecimal(156n, 2));
    const optional = read(base64, '{"schema":{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"optional":true,"parameters":{"scale":"2"}},"payload":null}');
    expect(optional).toEqual({ schema: Decimal.builder(2).optional().build(), value: null });
  });

  it('writes the schema default in the configured format', () => {
    // [JC] asJsonSchema: "default" = convertToJson(schema, default), after "parameters"
    const schema = Decimal.builder(2).optional().defaultValue(new BigDecimal(156n, 2)).build();
    const head = '{"schema":{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"default":';
    expect(write(base64, schema, null)).toBe(`${head}"AJw="},"payload":"AJw="}`);
    expect(write(numeric, schema, new BigDecimal(-100n, 2))).toBe(`${head}1.56},"payload":-1.00}`);
  });

  it('refuses JSON that is neither a number nor base64', () => {
    expect(() => read(base64, `{"schema":${DECIMAL_2},"payload":true}`)).toThrow('Invalid type for Decimal, underlying representation should be numeric or bytes but was BOOLEAN');
    expect(() => read(base64, `{"schema":${DECIMAL_2},"payload":"not base64!"}`)).toThrow('Invalid bytes for Decimal field');
    expect(() => read(base64, `{"schema":${DECIMAL_2},"payload":""}`)).toThrow('Invalid bytes for Decimal field'); // Java: "Zero length BigInteger"
  });
});

describe('Date, Time, Timestamp', () => {
  const day10000 = new Date(10000 * 86_400_000);

  it('writes days, milliseconds of the day and epoch milliseconds', () => {
    // [KT] dateToJson (10000 days), timeToJson (14400000 ms), timestampToJson (4000000000 ms)
    expect(write(base64, ConnectDate.SCHEMA, day10000)).toBe(`{"schema":${DATE},"payload":10000}`);
    expect(write(base64, ConnectTime.SCHEMA, new Date(14_400_000))).toBe(`{"schema":${TIME},"payload":14400000}`);
    expect(write(base64, ConnectTimestamp.SCHEMA, new Date(4_000_000_000))).toBe(`{"schema":${TIMESTAMP},"payload":4000000000}`);
    // before the epoch: 1969-12-31 is day -1; a timestamp 1 ms before is -1
    expect(write(base64, ConnectDate.SCHEMA, new Date(-86_400_000))).toContain('"payload":-1}');
    expect(write(base64, ConnectTimestamp.SCHEMA, new Date(-1))).toContain('"payload":-1}');
  });

  it('reads them back as Dates, with defaults', () => {
    // [KT] dateToConnect, timeToConnect, timestampToConnect, *WithDefaultValue, *Optional
    expect(read(base64, `{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date","version":1},"payload":10000}`)).toEqual({ schema: ConnectDate.SCHEMA, value: day10000 });
    expect(read(base64, `{"schema":${TIME},"payload":14400000}`)).toEqual({ schema: ConnectTime.SCHEMA, value: new Date(14_400_000) });
    expect(read(base64, `{"schema":${TIMESTAMP},"payload":4000000000}`)).toEqual({ schema: ConnectTimestamp.SCHEMA, value: new Date(4_000_000_000) });
    const dateDefault = read(base64, '{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date","version":1,"default":0},"payload":null}');
    expect(dateDefault.schema!.equals(ConnectDate.builder().defaultValue(new Date(0)).build())).toBe(true);
    expect(dateDefault.value).toEqual(new Date(0));
    const tsDefault = read(base64, '{"schema":{"type":"int64","name":"org.apache.kafka.connect.data.Timestamp","version":1,"optional":true,"default":42},"payload":null}');
    expect(tsDefault.value).toEqual(new Date(42));
    expect(read(base64, '{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Time","version":1,"optional":true},"payload":null}').value).toBeNull();
  });

  it('writes schema defaults as their JSON form', () => {
    const schema = SchemaBuilder.struct()
      .field('d', ConnectDate.builder().defaultValue(new Date(0)).build())
      .field('ts', ConnectTimestamp.builder().optional().defaultValue(new Date(42)).build())
      .build();
    expect(write(base64, schema.fields[0].schema, null)).toBe(`{"schema":${DATE.slice(0, -1)},"default":0},"payload":0}`);
    expect(write(base64, schema.fields[1].schema, null)).toBe(`{"schema":${TIMESTAMP.replace('"optional":false', '"optional":true').slice(0, -1)},"default":42},"payload":42}`);
  });

  it('refuses values that do not fit, as Kafka', () => {
    expect(() => write(base64, ConnectDate.SCHEMA, new Date(1))).toThrow('should not have any time fields'); // [JC] Date.fromLogical
    expect(() => write(base64, ConnectTime.SCHEMA, new Date(86_400_000))).toThrow('should not have any date fields'); // [JC] Time.fromLogical
    expect(() => write(base64, ConnectTimestamp.SCHEMA, 5)).toThrow('Invalid type for Timestamp, expected Date but was number');
    expect(() => write(base64, ConnectTime.SCHEMA, new Date(NaN))).toThrow('an invalid Date');
    expect(() => read(base64, `{"schema":${DATE},"payload":"x"}`)).toThrow('Invalid type for Date, underlying representation should be integer but was STRING');
    expect(() => read(base64, `{"schema":${DATE},"payload":3000000000}`)).toThrow('Invalid type for Date, underlying representation should be integer but was NUMBER');
    expect(() => read(base64, `{"schema":${TIME},"payload":86400000}`)).toThrow('Time values must use number of milliseconds greater than 0 and less than 86400000');
    expect(() => read(base64, `{"schema":${TIMESTAMP},"payload":1.5}`)).toThrow('Invalid type for Timestamp, underlying representation should be integral but was NUMBER');
    expect(() => read(base64, `{"schema":${TIMESTAMP},"payload":9223372036854775807}`)).toThrow('outside the range of a JavaScript Date');
  });
});
