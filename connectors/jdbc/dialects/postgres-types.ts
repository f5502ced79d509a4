import { JdbcType } from '../dialect';

/**
 * PostgreSQL type OIDs to what the PostgreSQL JDBC driver (pgjdbc) reports for them: the JDBC type,
 * precision and scale from the type modifier, signedness. Confluent's mapping keys on these, so a
 * column must look here as it looks to pgjdbc.
 */

export interface PgTypeInfo {
  readonly name: string;
  readonly jdbcType: JdbcType;
}

export const OID = {
  BOOL: 16,
  BYTEA: 17,
  CHAR: 18,
  NAME: 19,
  INT8: 20,
  INT2: 21,
  INT4: 23,
  TEXT: 25,
  OID: 26,
  JSON: 114,
  XML: 142,
  FLOAT4: 700,
  FLOAT8: 701,
  MONEY: 790,
  BPCHAR: 1042,
  VARCHAR: 1043,
  DATE: 1082,
  TIME: 1083,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  INTERVAL: 1186,
  TIMETZ: 1266,
  BIT: 1560,
  VARBIT: 1562,
  NUMERIC: 1700,
  UUID: 2950,
  JSONB: 3802,
} as const;

/** pgjdbc's core types (TypeInfoCache); anything else is looked up in pg_type. */
export const CORE_TYPES = new Map<number, PgTypeInfo>([
  [OID.BOOL, { name: 'bool', jdbcType: JdbcType.BIT }],
  [OID.BYTEA, { name: 'bytea', jdbcType: JdbcType.BINARY }],
  [OID.CHAR, { name: 'char', jdbcType: JdbcType.CHAR }],
  [OID.NAME, { name: 'name', jdbcType: JdbcType.VARCHAR }],
  [OID.INT8, { name: 'int8', jdbcType: JdbcType.BIGINT }],
  [OID.INT2, { name: 'int2', jdbcType: JdbcType.SMALLINT }],
  [OID.INT4, { name: 'int4', jdbcType: JdbcType.INTEGER }],
  [OID.TEXT, { name: 'text', jdbcType: JdbcType.VARCHAR }],
  [OID.OID, { name: 'oid', jdbcType: JdbcType.BIGINT }],
  [OID.JSON, { name: 'json', jdbcType: JdbcType.OTHER }],
  [OID.XML, { name: 'xml', jdbcType: JdbcType.SQLXML }],
  [OID.FLOAT4, { name: 'float4', jdbcType: JdbcType.REAL }],
  [OID.FLOAT8, { name: 'float8', jdbcType: JdbcType.DOUBLE }],
  [OID.MONEY, { name: 'money', jdbcType: JdbcType.DOUBLE }],
  [OID.BPCHAR, { name: 'bpchar', jdbcType: JdbcType.CHAR }],
  [OID.VARCHAR, { name: 'varchar', jdbcType: JdbcType.VARCHAR }],
  [OID.DATE, { name: 'date', jdbcType: JdbcType.DATE }],
  [OID.TIME, { name: 'time', jdbcType: JdbcType.TIME }],
  [OID.TIMESTAMP, { name: 'timestamp', jdbcType: JdbcType.TIMESTAMP }],
  [OID.TIMESTAMPTZ, { name: 'timestamptz', jdbcType: JdbcType.TIMESTAMP }],
  [OID.TIMETZ, { name: 'timetz', jdbcType: JdbcType.TIME }],
  [OID.BIT, { name: 'bit', jdbcType: JdbcType.BIT }],
  [OID.NUMERIC, { name: 'numeric', jdbcType: JdbcType.NUMERIC }],
]);

/** SQL that describes non-core types: name, kind (typtype) and whether it is an array. */
export const TYPE_LOOKUP_SQL =
  "SELECT t.oid::int8 AS oid, t.typname, t.typtype, (t.typelem <> 0 AND t.typlen = -1 AND t.typcategory = 'A') AS is_array " +
  'FROM pg_catalog.pg_type t WHERE t.oid = ANY($1::oid[])';

/** The JDBC type pgjdbc gives a type found in pg_type. */
export function lookedUpType(typname: string, typtype: string, isArray: boolean): PgTypeInfo {
  if (isArray) return { name: typname, jdbcType: JdbcType.ARRAY };
  switch (typtype) {
    case 'e':
      return { name: typname, jdbcType: JdbcType.VARCHAR }; // enums read as strings
    case 'c':
      return { name: typname, jdbcType: JdbcType.STRUCT };
    default:
      // uuid, jsonb, interval, inet, varbit, domains (DISTINCT), ...: the dialect picks out json/uuid.
      return { name: typname, jdbcType: JdbcType.OTHER };
  }
}

/** pgjdbc's "unknown length" (Integer.MAX_VALUE by default) for text, bytea and the like. */
const UNKNOWN_LENGTH = 2147483647;

function secondDigitsSize(typmod: number): number {
  if (typmod === -1) return 7;
  if (typmod === 0) return 0;
  if (typmod === 1) return 3;
  return typmod + 1;
}

/** ResultSetMetaData.getPrecision as pgjdbc computes it from the OID and type modifier. */
export function precisionOf(oid: number, typmod: number): number {
  switch (oid) {
    case OID.INT2:
      return 5;
    case OID.OID:
    case OID.INT4:
      return 10;
    case OID.INT8:
      return 19;
    case OID.FLOAT4:
      return 8;
    case OID.FLOAT8:
      return 17;
    case OID.NUMERIC:
      return typmod === -1 ? 0 : ((typmod - 4) >> 16) & 0xffff;
    case OID.CHAR:
    case OID.BOOL:
      return 1;
    case OID.BPCHAR:
    case OID.VARCHAR:
      return typmod === -1 ? UNKNOWN_LENGTH : typmod - 4;
    case OID.DATE:
      return 13;
    case OID.TIME:
      return 8 + secondDigitsSize(typmod);
    case OID.TIMETZ:
      return 8 + secondDigitsSize(typmod) + 6;
    case OID.TIMESTAMP:
      return 13 + 1 + 8 + secondDigitsSize(typmod);
    case OID.TIMESTAMPTZ:
      return 13 + 1 + 8 + secondDigitsSize(typmod) + 6;
    case OID.INTERVAL:
      return 49;
    case OID.BIT:
      return typmod;
    case OID.VARBIT:
      return typmod === -1 ? UNKNOWN_LENGTH : typmod;
    default:
      return UNKNOWN_LENGTH;
  }
}

/** ResultSetMetaData.getScale as pgjdbc computes it. */
export function scaleOf(oid: number, typmod: number): number {
  switch (oid) {
    case OID.FLOAT4:
      return 8;
    case OID.FLOAT8:
      return 17;
    case OID.NUMERIC:
      return typmod === -1 ? 0 : (typmod - 4) & 0xffff;
    case OID.TIME:
    case OID.TIMETZ:
    case OID.TIMESTAMP:
    case OID.TIMESTAMPTZ:
      return typmod === -1 ? 6 : typmod;
    case OID.INTERVAL:
      return typmod === -1 ? 6 : typmod & 0xffff;
    default:
      return 0;
  }
}

/** ResultSetMetaData.isSigned as pgjdbc reports it. */
export function isSignedType(oid: number): boolean {
  return (
    oid === OID.INT2 || oid === OID.INT4 || oid === OID.INT8 || oid === OID.FLOAT4 || oid === OID.FLOAT8 || oid === OID.NUMERIC
  );
}

/** `money` text (`$1,234.56`, `-$1.00`, `($1.00)`) as a number, as pgjdbc's getDouble reads it. */
export function parseMoney(text: string): number {
  const negative = /^\s*[-(]/.test(text) || /-\s*$/.test(text);
  const digits = text.replace(/[^0-9.]/g, '');
  const n = Number(digits);
  return negative ? -n : n;
}
