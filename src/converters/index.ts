import { ConverterPlugin } from '../api';
import { ByteArrayConverter } from './byte-array-converter';
import { JsonConverter } from './json-converter';
import { StringConverter } from './string-converter';

export { ByteArrayConverter } from './byte-array-converter';
export { JsonConverter } from './json-converter';
export { StringConverter } from './string-converter';

/** The converters that ship with connect-standalone, by Kafka class name and simple-name alias. */
export const builtinConverters: ConverterPlugin[] = [
  {
    className: JsonConverter.CLASS_NAME,
    aliases: ['JsonConverter'],
    configDef: JsonConverter.CONFIG_DEF,
    create: () => new JsonConverter(),
  },
  {
    className: StringConverter.CLASS_NAME,
    aliases: ['StringConverter'],
    configDef: StringConverter.CONFIG_DEF,
    create: () => new StringConverter(),
  },
  { className: ByteArrayConverter.CLASS_NAME, aliases: ['ByteArrayConverter'], create: () => new ByteArrayConverter() },
];
