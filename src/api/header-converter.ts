import { ConfigDef } from './config-def';
import { Converter, ConverterPlugin } from './converter';
import { Header } from './records';
import { Schema, SchemaAndValue } from './schema';

/**
 * Converts record header values between Connect data and the bytes stored in Kafka (Kafka's
 * HeaderConverter). Each task has its own instance, so it is never called concurrently.
 *
 * configure() is called once, before any conversion, with the converter's own keys (the
 * `header.converter.` prefix removed). The conversions run once per header of every record: do
 * per-config work in configure() and keep them cheap. Neither may block.
 */
export interface HeaderConverter {
  configure(configs: Record<string, string>): void;
  /**
   * A header value (with its schema, which may be null) to bytes, for a record written to `topic`.
   * Returns null for a null value. Throws DataError when the value cannot be written.
   */
  fromConnectHeader(topic: string, headerKey: string, schema: Schema | null, value: unknown): Buffer | null;
  /**
   * The bytes of a header read from `topic` to Connect data; `value` is null for a null header value.
   * Never returns null (use NULL_SCHEMA_AND_VALUE). Throws DataError when the bytes are not what it expects.
   */
  toConnectHeader(topic: string, headerKey: string, value: Buffer | null): SchemaAndValue;
}

/**
 * A header converter the plugin registry knows by Java class name and aliases. A converter that is
 * both a key/value Converter and a HeaderConverter (as Kafka's StringConverter, JsonConverter and
 * the number converters are) has one plugin object with both `create` and `createHeaderConverter`.
 */
export interface HeaderConverterPlugin {
  readonly className: string;
  readonly aliases: readonly string[];
  /** The converter's own keys (without the header.converter. prefix), for docs. */
  readonly configDef?: ConfigDef;
  createHeaderConverter(): HeaderConverter;
}

/** Anything registered as a converter: a key/value Converter, a HeaderConverter, or both. */
export type AnyConverterPlugin = ConverterPlugin | HeaderConverterPlugin;

const NO_HEADERS: readonly Header[] = Object.freeze([]);

/**
 * Uses a key/value Converter for header values, as Kafka's converters that implement both
 * interfaces do: fromConnectHeader is fromConnectData and toConnectHeader is toConnectData.
 */
export class ConverterHeaderAdapter implements HeaderConverter {
  constructor(private readonly converter: Converter) {}

  configure(configs: Record<string, string>): void {
    this.converter.configure(configs, false);
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Buffer | null {
    return this.converter.fromConnectData(topic, NO_HEADERS, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.converter.toConnectData(topic, NO_HEADERS, value);
  }
}
