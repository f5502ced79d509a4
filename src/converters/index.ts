import { AnyConverterPlugin, ConverterHeaderAdapter } from '../api';
import type { AvroConverter } from './avro/avro-converter';
import { AVRO_CONVERTER_CONFIG_DEF } from './avro/avro-converter-config';
import { ByteArrayConverter } from './byte-array-converter';
import { JsonConverter } from './json-converter';
import { DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from './number-converters';
import { SimpleHeaderConverter } from './simple-header-converter';
import { StringConverter } from './string-converter';

export { ByteArrayConverter } from './byte-array-converter';
export { JsonConverter } from './json-converter';
export { DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from './number-converters';
export { SimpleHeaderConverter } from './simple-header-converter';
export { StringConverter } from './string-converter';

/**
 * The converters that ship with connect-standalone, by Kafka class name and simple-name alias. As in
 * Kafka, every key/value converter here also converts header values (createHeaderConverter), and
 * SimpleHeaderConverter converts header values only.
 */
export const builtinConverters: AnyConverterPlugin[] = [
  {
    className: JsonConverter.CLASS_NAME,
    aliases: ['JsonConverter'],
    configDef: JsonConverter.CONFIG_DEF,
    create: () => new JsonConverter(),
    createHeaderConverter: () => new ConverterHeaderAdapter(new JsonConverter()),
  },
  {
    className: StringConverter.CLASS_NAME,
    aliases: ['StringConverter'],
    configDef: StringConverter.CONFIG_DEF,
    create: () => new StringConverter(),
    createHeaderConverter: () => new ConverterHeaderAdapter(new StringConverter()),
  },
  {
    className: ByteArrayConverter.CLASS_NAME,
    aliases: ['ByteArrayConverter'],
    create: () => new ByteArrayConverter(),
    createHeaderConverter: () => new ConverterHeaderAdapter(new ByteArrayConverter()),
  },
  { className: ShortConverter.CLASS_NAME, aliases: ['ShortConverter'], create: () => new ShortConverter(), createHeaderConverter: () => new ShortConverter() },
  { className: IntegerConverter.CLASS_NAME, aliases: ['IntegerConverter'], create: () => new IntegerConverter(), createHeaderConverter: () => new IntegerConverter() },
  { className: LongConverter.CLASS_NAME, aliases: ['LongConverter'], create: () => new LongConverter(), createHeaderConverter: () => new LongConverter() },
  { className: FloatConverter.CLASS_NAME, aliases: ['FloatConverter'], create: () => new FloatConverter(), createHeaderConverter: () => new FloatConverter() },
  { className: DoubleConverter.CLASS_NAME, aliases: ['DoubleConverter'], create: () => new DoubleConverter(), createHeaderConverter: () => new DoubleConverter() },
  { className: SimpleHeaderConverter.CLASS_NAME, aliases: ['SimpleHeaderConverter'], createHeaderConverter: () => new SimpleHeaderConverter() },
  {
    className: 'io.confluent.connect.avro.AvroConverter',
    aliases: ['AvroConverter'],
    configDef: AVRO_CONVERTER_CONFIG_DEF,
    // Loaded on first use: avsc and the registry client cost ~25 ms of start-up otherwise.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    create: () => new (require('./avro/avro-converter') as { AvroConverter: new () => AvroConverter }).AvroConverter(),
  },
];
