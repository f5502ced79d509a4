/**
 * The well-known .proto files Connect schemas import (Confluent's and Google's), as short texts of
 * their messages. Confluent's serializer does not register these as references (skip.known.types
 * defaults to true), so a schema importing one is resolved from here when read.
 */
const WRAPPER_TYPES: [string, string][] = [
  ['DoubleValue', 'double'],
  ['FloatValue', 'float'],
  ['Int64Value', 'int64'],
  ['UInt64Value', 'uint64'],
  ['Int32Value', 'int32'],
  ['UInt32Value', 'uint32'],
  ['BoolValue', 'bool'],
  ['StringValue', 'string'],
  ['BytesValue', 'bytes'],
];

export const META_LOCATION = 'confluent/meta.proto';
export const DECIMAL_LOCATION = 'confluent/type/decimal.proto';
export const DATE_LOCATION = 'google/type/date.proto';
export const TIME_LOCATION = 'google/type/timeofday.proto';
export const TIMESTAMP_LOCATION = 'google/protobuf/timestamp.proto';
export const WRAPPERS_LOCATION = 'google/protobuf/wrappers.proto';

export const DECIMAL_TYPE = 'confluent.type.Decimal';
export const DATE_TYPE = 'google.type.Date';
export const TIME_TYPE = 'google.type.TimeOfDay';
export const TIMESTAMP_TYPE = 'google.protobuf.Timestamp';

/** google.protobuf wrapper message full name -> the scalar it wraps, in wrappers.proto's order. */
export const WRAPPERS: ReadonlyMap<string, string> = new Map(WRAPPER_TYPES.map(([name, scalar]) => [`google.protobuf.${name}`, scalar]));

const message = (name: string, fields: string): string => `message ${name} {\n${fields}}\n`;

export const KNOWN_PROTOS: ReadonlyMap<string, string> = new Map([
  [
    META_LOCATION,
    'syntax = "proto3";\npackage confluent;\n\n' +
      message('Meta', '  string doc = 1;\n  map<string, string> params = 2;\n  repeated string tags = 3;\n'),
  ],
  [DECIMAL_LOCATION, 'syntax = "proto3";\npackage confluent.type;\n\n' + message('Decimal', '  bytes value = 1;\n  uint32 precision = 2;\n  int32 scale = 3;\n')],
  [DATE_LOCATION, 'syntax = "proto3";\npackage google.type;\n\n' + message('Date', '  int32 year = 1;\n  int32 month = 2;\n  int32 day = 3;\n')],
  [TIME_LOCATION, 'syntax = "proto3";\npackage google.type;\n\n' + message('TimeOfDay', '  int32 hours = 1;\n  int32 minutes = 2;\n  int32 seconds = 3;\n  int32 nanos = 4;\n')],
  [TIMESTAMP_LOCATION, 'syntax = "proto3";\npackage google.protobuf;\n\n' + message('Timestamp', '  int64 seconds = 1;\n  int32 nanos = 2;\n')],
  [WRAPPERS_LOCATION, 'syntax = "proto3";\npackage google.protobuf;\n' + WRAPPER_TYPES.map(([name, scalar]) => '\n' + message(name, `  ${scalar} value = 1;\n`)).join('')],
]);

/** The location of the file defining a well-known message type, if it is one. */
export function knownLocation(fullName: string): string | null {
  switch (fullName) {
    case DECIMAL_TYPE:
      return DECIMAL_LOCATION;
    case DATE_TYPE:
      return DATE_LOCATION;
    case TIME_TYPE:
      return TIME_LOCATION;
    case TIMESTAMP_TYPE:
      return TIMESTAMP_LOCATION;
    default:
      return WRAPPERS.has(fullName) ? WRAPPERS_LOCATION : null;
  }
}
