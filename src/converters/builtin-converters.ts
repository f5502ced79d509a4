import { AnyConverterPlugin, ConfigDef, Converter, ConverterHeaderAdapter, HeaderConverter } from '../api';
import type * as AvroConverterModule from './avro/avro-converter';
import type * as AvroConverterConfigModule from './avro/avro-converter-config';
import type * as ByteArrayConverterModule from './byte-array-converter';
import type * as JsonConverterModule from './json-converter';
import type * as JsonSchemaConverterModule from './json-schema/json-schema-converter';
import type * as JsonSchemaConverterConfigModule from './json-schema/json-schema-converter-config';
import type * as NumberConvertersModule from './number-converters';
import type * as ProtobufConverterModule from './protobuf/protobuf-converter';
import type * as ProtobufConverterConfigModule from './protobuf/protobuf-converter-config';
import type * as SimpleHeaderConverterModule from './simple-header-converter';
import type * as StringConverterModule from './string-converter';

/*
 * Each converter's module is required on its first use (create, createHeaderConverter or configDef),
 * not when the registry is built: a worker loads only the converters its configs name (JSON's
 * codecs, avsc and the Schema Registry client cost start-up time otherwise). Class names and aliases
 * are plain data here so that unknown-name errors and the docs list every converter.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const json = () => require('./json-converter') as typeof JsonConverterModule;
const string = () => require('./string-converter') as typeof StringConverterModule;
const byteArray = () => require('./byte-array-converter') as typeof ByteArrayConverterModule;
const numbers = () => require('./number-converters') as typeof NumberConvertersModule;
const simpleHeader = () => require('./simple-header-converter') as typeof SimpleHeaderConverterModule;
const avro = () => require('./avro/avro-converter') as typeof AvroConverterModule;
const avroConfig = () => require('./avro/avro-converter-config') as typeof AvroConverterConfigModule;
const protobuf = () => require('./protobuf/protobuf-converter') as typeof ProtobufConverterModule;
const protobufConfig = () => require('./protobuf/protobuf-converter-config') as typeof ProtobufConverterConfigModule;
const jsonSchema = () => require('./json-schema/json-schema-converter') as typeof JsonSchemaConverterModule;
const jsonSchemaConfig = () => require('./json-schema/json-schema-converter-config') as typeof JsonSchemaConverterConfigModule;
/* eslint-enable @typescript-eslint/no-require-imports */

/** A key/value converter that also converts header values, as every Kafka converter here does. */
function converter(className: string, alias: string, create: () => Converter, configDef?: () => ConfigDef): AnyConverterPlugin {
  const plugin = { className, aliases: [alias], create, createHeaderConverter: (): HeaderConverter => new ConverterHeaderAdapter(create()) };
  return configDef ? withConfigDef(plugin, configDef) : plugin;
}

/** A number converter: it implements HeaderConverter itself. */
function numberConverter(className: string, alias: string, create: () => Converter & HeaderConverter): AnyConverterPlugin {
  return { className, aliases: [alias], create, createHeaderConverter: create };
}

/** `configDef` read on first access (only the docs read it), so listing a plugin loads nothing. */
function withConfigDef<T extends object>(plugin: T, configDef: () => ConfigDef): T & { readonly configDef: ConfigDef } {
  return Object.defineProperty(plugin, 'configDef', { get: configDef, enumerable: true }) as T & { readonly configDef: ConfigDef };
}

/**
 * The converters that ship with connect-standalone, by Kafka class name and simple-name alias. As in
 * Kafka, every key/value converter here also converts header values (createHeaderConverter), and
 * SimpleHeaderConverter converts header values only.
 */
export const builtinConverters: AnyConverterPlugin[] = [
  converter('org.apache.kafka.connect.json.JsonConverter', 'JsonConverter', () => new (json().JsonConverter)(), () => json().JsonConverter.CONFIG_DEF),
  converter('org.apache.kafka.connect.storage.StringConverter', 'StringConverter', () => new (string().StringConverter)(), () => string().StringConverter.CONFIG_DEF),
  converter('org.apache.kafka.connect.converters.ByteArrayConverter', 'ByteArrayConverter', () => new (byteArray().ByteArrayConverter)()),
  numberConverter('org.apache.kafka.connect.converters.ShortConverter', 'ShortConverter', () => new (numbers().ShortConverter)()),
  numberConverter('org.apache.kafka.connect.converters.IntegerConverter', 'IntegerConverter', () => new (numbers().IntegerConverter)()),
  numberConverter('org.apache.kafka.connect.converters.LongConverter', 'LongConverter', () => new (numbers().LongConverter)()),
  numberConverter('org.apache.kafka.connect.converters.FloatConverter', 'FloatConverter', () => new (numbers().FloatConverter)()),
  numberConverter('org.apache.kafka.connect.converters.DoubleConverter', 'DoubleConverter', () => new (numbers().DoubleConverter)()),
  {
    className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    aliases: ['SimpleHeaderConverter'],
    createHeaderConverter: () => new (simpleHeader().SimpleHeaderConverter)(),
  },
  withConfigDef({ className: 'io.confluent.connect.avro.AvroConverter', aliases: ['AvroConverter'], create: () => new (avro().AvroConverter)() }, () => avroConfig().AVRO_CONVERTER_CONFIG_DEF),
  withConfigDef(
    { className: 'io.confluent.connect.protobuf.ProtobufConverter', aliases: ['ProtobufConverter'], create: () => new (protobuf().ProtobufConverter)() },
    () => protobufConfig().PROTOBUF_CONVERTER_CONFIG_DEF,
  ),
  withConfigDef(
    { className: 'io.confluent.connect.json.JsonSchemaConverter', aliases: ['JsonSchemaConverter'], create: () => new (jsonSchema().JsonSchemaConverter)() },
    () => jsonSchemaConfig().JSON_SCHEMA_CONVERTER_CONFIG_DEF,
  ),
];
