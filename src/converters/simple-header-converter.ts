import { HeaderConverter, NULL_SCHEMA_AND_VALUE, Schema, SchemaAndValue } from '../api';
import { convertToString } from './convert-to-string';
import { JavaCharset, javaCharset } from './java-charsets';
import { parseString } from './parse-string';

const UTF8 = javaCharset('UTF-8') as JavaCharset;

/**
 * Kafka's SimpleHeaderConverter, the default `header.converter`: writes each header value as the
 * UTF-8 of its Values.convertToString text (see convert-to-string.ts), so `42`, `true`, `[1,2]` or
 * `{"a":1}`, and reads header bytes back with Values.parseString (see parse-string.ts), which infers
 * the schema: BOOLEAN, the smallest integer type, FLOAT32/FLOAT64/Decimal, Date/Time/Timestamp,
 * arrays and maps, else STRING. Schemas are never written, only inferred.
 */
export class SimpleHeaderConverter implements HeaderConverter {
  static readonly CLASS_NAME = 'org.apache.kafka.connect.storage.SimpleHeaderConverter';

  configure(_configs: Record<string, string>): void {
    // Nothing to configure.
  }

  fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    if (value === null || value === undefined) return null;
    return UTF8.encode(convertToString(schema, value));
  }

  toConnectHeader(_topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    if (value === null) return NULL_SCHEMA_AND_VALUE;
    try {
      return parseString(UTF8.decode(value));
    } catch {
      // As Kafka: what cannot be read as text is kept as bytes.
      return { schema: Schema.BYTES_SCHEMA, value };
    }
  }
}
