import { ConfigDef } from './config-def';
import { Header } from './records';
import { Schema, SchemaAndValue } from './schema';

/**
 * Converts between Connect data and the bytes stored in Kafka (Kafka's Converter). configure() is
 * called once with the converter's own keys (prefix removed, e.g. `schemas.enable`) before any
 * conversion; conversions happen per record, so do per-config work in configure().
 */
export interface Converter {
  configure(configs: Record<string, string>, isKey: boolean): void;
  /** Connect data to bytes; null means a null key or value (a tombstone). */
  fromConnectData(topic: string, headers: readonly Header[], schema: Schema | null, value: unknown): Buffer | null;
  /** Bytes to Connect data. Throws DataError naming the topic when the bytes are not what it expects. */
  toConnectData(topic: string, headers: readonly Header[], value: Buffer | null): SchemaAndValue;
}

/** A converter factory the plugin registry knows by Java class name and aliases. */
export interface ConverterPlugin {
  readonly className: string;
  readonly aliases: readonly string[];
  /** The converter's own keys (without the key.converter. / value.converter. prefix), for docs. */
  readonly configDef?: ConfigDef;
  create(): Converter;
}
