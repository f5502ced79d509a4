import { connectValueToString, Schema } from '../../src/api';

/**
 * The text FileStreamSink writes for a record value, without the line terminator: Kafka's
 * `String.valueOf(record.value())`, i.e. Connect's text form (connectValueToString): strings as they
 * are, null as `null`, FLOAT64 10 as `10.0` (the value schema decides how numbers print), structs as
 * `Struct{id=1,name=foo}`, lists `[a, b]`, maps `{k=v}`, decimals as BigDecimal prints them.
 *
 * One deliberate difference: a top-level byte array (what ByteArrayConverter hands over) is written
 * as its raw UTF-8 text, so ByteArrayConverter pipelines copy text files through, where Kafka would
 * print an object identity such as `[B@1b6d3586`.
 */
export function recordValueText(value: unknown, valueSchema: Schema | null = null): string {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  return connectValueToString(value, valueSchema);
}
