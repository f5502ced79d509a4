export { builtinConverters } from './builtin-converters';
export { ByteArrayConverter } from './byte-array-converter';
export { JsonConverter } from './json-converter';
export { DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter } from './number-converters';
export { SimpleHeaderConverter } from './simple-header-converter';
export { StringConverter } from './string-converter';
