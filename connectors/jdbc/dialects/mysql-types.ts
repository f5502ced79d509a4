import { JdbcType } from '../dialect';

/**
 * MySQL/MariaDB column types as MySQL Connector/J reports them with its defaults
 * (tinyInt1isBit=true, transformedBitIsBoolean=false, yearIsDateType=true): the JDBC type by the
 * type's name, plus the protocol's field type codes and flags that give that name for a result.
 */

export const FIELD_TYPE = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;

export const FLAG = {
  NOT_NULL: 1,
  PRI_KEY: 2,
  UNSIGNED: 32,
  ENUM: 256,
  AUTO_INCREMENT: 512,
  SET: 2048,
} as const;

/** The `binary` character set: string types in it are byte strings. */
export const BINARY_CHARSET = 63;

const INTEGER_NAMES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
const NUMERIC_NAMES = new Set([...INTEGER_NAMES, 'decimal', 'numeric', 'float', 'double', 'real']);

/** True for the types Connector/J reports as signed unless declared UNSIGNED. */
export function isNumericTypeName(name: string): boolean {
  return NUMERIC_NAMES.has(name);
}

/**
 * The JDBC type Connector/J gives a column type name (lower case, without `unsigned`);
 * `displayLength` is the declared width, which makes TINYINT(1) a BIT.
 */
export function jdbcTypeOfName(name: string, displayLength: number): JdbcType {
  switch (name) {
    case 'tinyint':
      return displayLength === 1 ? JdbcType.BIT : JdbcType.TINYINT;
    case 'bit':
      return JdbcType.BIT;
    case 'bool':
    case 'boolean':
      return JdbcType.BIT;
    case 'smallint':
      return JdbcType.SMALLINT;
    case 'mediumint':
    case 'int':
    case 'integer':
      return JdbcType.INTEGER;
    case 'bigint':
      return JdbcType.BIGINT;
    case 'float':
      return JdbcType.REAL;
    case 'double':
    case 'real':
      return JdbcType.DOUBLE;
    case 'decimal':
    case 'numeric':
      return JdbcType.DECIMAL;
    case 'date':
    case 'year':
      return JdbcType.DATE;
    case 'time':
      return JdbcType.TIME;
    case 'datetime':
    case 'timestamp':
      return JdbcType.TIMESTAMP;
    case 'char':
    case 'enum':
    case 'set':
      return JdbcType.CHAR;
    case 'varchar':
    case 'tinytext':
      return JdbcType.VARCHAR;
    case 'text':
    case 'mediumtext':
    case 'longtext':
    case 'json':
      return JdbcType.LONGVARCHAR;
    case 'binary':
      return JdbcType.BINARY;
    case 'varbinary':
    case 'tinyblob':
      return JdbcType.VARBINARY;
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return JdbcType.LONGVARBINARY;
    case 'geometry':
    case 'point':
    case 'linestring':
    case 'polygon':
    case 'multipoint':
    case 'multilinestring':
    case 'multipolygon':
    case 'geometrycollection':
      return JdbcType.BINARY;
    case 'null':
      return JdbcType.NULL;
    default:
      return JdbcType.OTHER;
  }
}

/** A result field's type name from its protocol type code, flags, character set and length. */
export function fieldTypeName(type: number, flags: number, charset: number, length: number): string {
  const binary = charset === BINARY_CHARSET;
  switch (type) {
    case FIELD_TYPE.DECIMAL:
    case FIELD_TYPE.NEWDECIMAL:
      return 'decimal';
    case FIELD_TYPE.TINY:
      return 'tinyint';
    case FIELD_TYPE.SHORT:
      return 'smallint';
    case FIELD_TYPE.INT24:
      return 'mediumint';
    case FIELD_TYPE.LONG:
      return 'int';
    case FIELD_TYPE.LONGLONG:
      return 'bigint';
    case FIELD_TYPE.FLOAT:
      return 'float';
    case FIELD_TYPE.DOUBLE:
      return 'double';
    case FIELD_TYPE.NULL:
      return 'null';
    case FIELD_TYPE.TIMESTAMP:
      return 'timestamp';
    case FIELD_TYPE.DATETIME:
      return 'datetime';
    case FIELD_TYPE.DATE:
    case FIELD_TYPE.NEWDATE:
      return 'date';
    case FIELD_TYPE.TIME:
      return 'time';
    case FIELD_TYPE.YEAR:
      return 'year';
    case FIELD_TYPE.BIT:
      return 'bit';
    case FIELD_TYPE.JSON:
      return 'json';
    case FIELD_TYPE.ENUM:
      return 'enum';
    case FIELD_TYPE.SET:
      return 'set';
    case FIELD_TYPE.GEOMETRY:
      return 'geometry';
    case FIELD_TYPE.VARCHAR:
    case FIELD_TYPE.VAR_STRING:
      return binary ? 'varbinary' : 'varchar';
    case FIELD_TYPE.STRING:
      if (flags & FLAG.ENUM) return 'enum';
      if (flags & FLAG.SET) return 'set';
      return binary ? 'binary' : 'char';
    case FIELD_TYPE.TINY_BLOB:
    case FIELD_TYPE.MEDIUM_BLOB:
    case FIELD_TYPE.LONG_BLOB:
    case FIELD_TYPE.BLOB:
      // The server sends every BLOB/TEXT kind as BLOB; the byte length tells which (TEXT lengths
      // are in bytes, 4 per character in utf8mb4).
      if (binary) {
        if (length <= 255) return 'tinyblob';
        if (length <= 65_535) return 'blob';
        if (length <= 16_777_215) return 'mediumblob';
        return 'longblob';
      }
      if (length <= 1_020) return 'tinytext';
      if (length <= 262_140) return 'text';
      if (length <= 67_108_860) return 'mediumtext';
      return 'longtext';
    default:
      return 'unknown';
  }
}

/** Connector/J's precision for a DECIMAL result field: digits without the sign and the point. */
export function decimalPrecision(length: number, decimals: number, unsigned: boolean): number {
  return length - (unsigned ? 0 : 1) - (decimals > 0 ? 1 : 0);
}
