import { BigDecimal } from './big-decimal';
import { DataError } from './errors';
import { Schema } from './schema';
import { SchemaBuilder } from './schema-builder';
import { LogicalNames } from './validate-value';

const MS_PER_DAY = 86_400_000;

function checkName(schema: Schema, name: string): void {
  if (schema.name !== name) throw new DataError(`Requested conversion of ${name} object but the schema does not match.`);
}

/**
 * Decimal (Kafka's org.apache.kafka.connect.data.Decimal): BYTES holding the two's-complement
 * big-endian unscaled value, with the scale in the schema parameter `scale`. Values are BigDecimal.
 */
export const Decimal = {
  LOGICAL_NAME: LogicalNames.DECIMAL,
  SCALE_FIELD: 'scale',
  builder(scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(LogicalNames.DECIMAL).parameter('scale', String(scale)).version(1);
  },
  schema(scale: number): Schema {
    return Decimal.builder(scale).build();
  },
  scale(schema: Schema): number {
    const text = schema.parameters?.scale;
    if (text === undefined || !/^-?\d+$/.test(text)) throw new DataError('Invalid Decimal schema: scale parameter not found.');
    return Number(text);
  },
  fromLogical(schema: Schema, value: BigDecimal): Buffer {
    checkName(schema, LogicalNames.DECIMAL);
    const scale = Decimal.scale(schema);
    if (value.scale !== scale) throw new DataError(`Decimal value has mismatching scale for given Decimal schema (value scale ${value.scale}, schema scale ${scale})`);
    return bigintToTwosComplement(value.unscaled);
  },
  toLogical(schema: Schema, bytes: Uint8Array): BigDecimal {
    checkName(schema, LogicalNames.DECIMAL);
    return new BigDecimal(twosComplementToBigint(bytes), Decimal.scale(schema));
  },
};

/** Java's BigInteger.toByteArray: the shortest two's-complement big-endian form (at least one byte). */
export function bigintToTwosComplement(n: bigint): Buffer {
  let width = 1;
  while (n >= 1n << BigInt(8 * width - 1) || n < -(1n << BigInt(8 * width - 1))) width++;
  const unsigned = n < 0n ? (1n << BigInt(8 * width)) + n : n;
  return Buffer.from(unsigned.toString(16).padStart(width * 2, '0'), 'hex');
}

export function twosComplementToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new DataError('Empty bytes are not a valid Decimal');
  const n = BigInt('0x' + Buffer.from(bytes).toString('hex'));
  return bytes[0] & 0x80 ? n - (1n << BigInt(bytes.length * 8)) : n;
}

/** Date (org.apache.kafka.connect.data.Date): INT32 days since the epoch; values are UTC-midnight Dates. */
export const ConnectDate = {
  LOGICAL_NAME: LogicalNames.DATE,
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(LogicalNames.DATE).version(1);
  },
  SCHEMA: SchemaBuilder.int32().name(LogicalNames.DATE).version(1).build(),
  fromLogical(schema: Schema, value: Date): number {
    checkName(schema, LogicalNames.DATE);
    const ms = value.getTime();
    if (ms % MS_PER_DAY !== 0) throw new DataError('Kafka Connect Date type should not have any time fields set to non-zero values.');
    return ms / MS_PER_DAY;
  },
  toLogical(schema: Schema, days: number): Date {
    checkName(schema, LogicalNames.DATE);
    return new Date(days * MS_PER_DAY);
  },
};

/** Time (org.apache.kafka.connect.data.Time): INT32 milliseconds since midnight; values are Dates on 1970-01-01 UTC. */
export const ConnectTime = {
  LOGICAL_NAME: LogicalNames.TIME,
  builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(LogicalNames.TIME).version(1);
  },
  SCHEMA: SchemaBuilder.int32().name(LogicalNames.TIME).version(1).build(),
  fromLogical(schema: Schema, value: Date): number {
    checkName(schema, LogicalNames.TIME);
    const ms = value.getTime();
    if (ms < 0 || ms >= MS_PER_DAY) throw new DataError('Kafka Connect Time type should not have any date fields set to non-zero values.');
    return ms;
  },
  toLogical(schema: Schema, millis: number): Date {
    checkName(schema, LogicalNames.TIME);
    if (millis < 0 || millis >= MS_PER_DAY) throw new DataError('Time values must use number of milliseconds greater than 0 and less than 86400000');
    return new Date(millis);
  },
};

/** Timestamp (org.apache.kafka.connect.data.Timestamp): INT64 milliseconds since the epoch; values are Dates. */
export const ConnectTimestamp = {
  LOGICAL_NAME: LogicalNames.TIMESTAMP,
  builder(): SchemaBuilder {
    return SchemaBuilder.int64().name(LogicalNames.TIMESTAMP).version(1);
  },
  SCHEMA: SchemaBuilder.int64().name(LogicalNames.TIMESTAMP).version(1).build(),
  fromLogical(schema: Schema, value: Date): bigint {
    checkName(schema, LogicalNames.TIMESTAMP);
    return BigInt(value.getTime());
  },
  toLogical(schema: Schema, millis: bigint | number): Date {
    checkName(schema, LogicalNames.TIMESTAMP);
    return new Date(Number(millis));
  },
};
