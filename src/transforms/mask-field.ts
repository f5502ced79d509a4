import {
  BigDecimal,
  ConfigDef,
  ConfigType,
  ConnectRecord,
  DataError,
  Importance,
  LogicalNames,
  NO_DEFAULT,
  Schema,
  SchemaType,
  Struct,
  Transformation,
} from '../api';
import { nonEmptyList, nonEmptyString } from './util/kafka-validators';
import { RecordPart } from './util/record-part';
import { javaClassName, requireMap, requireStruct } from './util/requirements';
import { REPLACE_NULL_WITH_DEFAULT, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue } from './util/replace-null-with-default';

const FIELDS = 'fields';
const REPLACEMENT = 'replacement';

const CONFIG_DEF = new ConfigDef()
  .define({ name: FIELDS, type: ConfigType.LIST, defaultValue: NO_DEFAULT, validator: nonEmptyList, importance: Importance.HIGH, doc: 'Names of the fields to mask.' })
  .define({
    name: REPLACEMENT,
    type: ConfigType.STRING,
    defaultValue: null,
    validator: nonEmptyString,
    importance: Importance.LOW,
    doc: 'Value that replaces every masked field, converted to the field type (numeric and string fields only). Unset: the empty value of the type (0, false, "", empty array or map, epoch).',
  })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY);

const PURPOSE = 'mask fields';

/**
 * The Java class Kafka's MaskField would see for a value: from the field schema when there is one
 * (INT8 is a Byte, ...), else from the JavaScript value (javaClassName). Masks are chosen per class.
 */
type JavaKind = 'Byte' | 'Short' | 'Integer' | 'Long' | 'Float' | 'Double' | 'Boolean' | 'String' | 'BigDecimal' | 'Date' | 'List' | 'Map' | 'Other';

const KIND_BY_TYPE: Partial<Record<SchemaType, JavaKind>> = {
  [SchemaType.INT8]: 'Byte',
  [SchemaType.INT16]: 'Short',
  [SchemaType.INT32]: 'Integer',
  [SchemaType.INT64]: 'Long',
  [SchemaType.FLOAT32]: 'Float',
  [SchemaType.FLOAT64]: 'Double',
  [SchemaType.BOOLEAN]: 'Boolean',
  [SchemaType.STRING]: 'String',
  [SchemaType.ARRAY]: 'List',
  [SchemaType.MAP]: 'Map',
};

function kindOf(value: unknown, schema: Schema | null): JavaKind {
  if (schema !== null) {
    if (schema.name === LogicalNames.DECIMAL) return 'BigDecimal';
    if (schema.name === LogicalNames.DATE || schema.name === LogicalNames.TIME || schema.name === LogicalNames.TIMESTAMP) return 'Date';
    return KIND_BY_TYPE[schema.type] ?? 'Other';
  }
  switch (typeof value) {
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'bigint':
      return 'Long';
    case 'number':
      return Number.isInteger(value) ? 'Integer' : 'Double';
  }
  if (value instanceof BigDecimal) return 'BigDecimal';
  if (value instanceof Date) return 'Date';
  if (Array.isArray(value)) return 'List';
  if (value instanceof Map) return 'Map';
  return 'Other';
}

const JAVA_CLASS: Record<JavaKind, string | null> = {
  Byte: 'java.lang.Byte',
  Short: 'java.lang.Short',
  Integer: 'java.lang.Integer',
  Long: 'java.lang.Long',
  Float: 'java.lang.Float',
  Double: 'java.lang.Double',
  Boolean: 'java.lang.Boolean',
  String: 'java.lang.String',
  BigDecimal: 'java.math.BigDecimal',
  Date: 'java.util.Date',
  List: 'java.util.ArrayList',
  Map: 'java.util.HashMap',
  Other: null,
};

function className(kind: JavaKind, value: unknown): string {
  return `class ${JAVA_CLASS[kind] ?? javaClassName(value)}`;
}

/** Kafka's "null value" per class. Arrays and maps get a new empty one each time (callers may mutate). */
function emptyMask(kind: JavaKind, value: unknown): unknown {
  switch (kind) {
    case 'Byte':
    case 'Short':
    case 'Integer':
    case 'Float':
    case 'Double':
      return 0;
    case 'Long':
      return 0n;
    case 'Boolean':
      return false;
    case 'String':
      return '';
    case 'BigDecimal':
      return new BigDecimal(0n, 0);
    case 'Date':
      return new Date(0);
    case 'List':
      return [];
    case 'Map':
      return new Map();
    case 'Other':
      throw new DataError(`Cannot mask value of type: ${className(kind, value)}`);
  }
}

/** Java's BigDecimal(String) grammar: no spaces, optional sign, digits with an optional point, optional exponent. */
const JAVA_DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Values.convertToLong(null, text): the decimal truncated toward zero, then its low 64 bits. */
function textToLong(text: string): bigint {
  if (!JAVA_DECIMAL.test(text)) throw new DataError(`Unable to convert ${text} (class java.lang.String) to a number`);
  const decimal = BigDecimal.parse(text);
  let whole: bigint;
  if (decimal.scale >= 0) whole = decimal.unscaled / 10n ** BigInt(decimal.scale);
  // 10^k has k factors of two, so for k >= 64 the low 64 bits are all zero.
  else whole = -decimal.scale >= 64 ? 0n : decimal.unscaled * 10n ** BigInt(-decimal.scale);
  return BigInt.asIntN(64, whole);
}

function textToDouble(text: string): number {
  if (!JAVA_DECIMAL.test(text)) throw new DataError(`Unable to convert ${text} (class java.lang.String) to a number`);
  return Number(text);
}

/**
 * The replacement converted for a value of this class, as Kafka's MaskField (integers wrap to their
 * width like Java's casts; booleans, dates, arrays, maps and bytes refuse a replacement).
 */
function replacementFor(kind: JavaKind, text: string, value: unknown): unknown {
  switch (kind) {
    case 'Byte':
      return Number(BigInt.asIntN(8, textToLong(text)));
    case 'Short':
      return Number(BigInt.asIntN(16, textToLong(text)));
    case 'Integer':
      return Number(BigInt.asIntN(32, textToLong(text)));
    case 'Long':
      return textToLong(text);
    case 'Float':
      return Math.fround(textToDouble(text));
    case 'Double':
      return textToDouble(text);
    case 'String':
      return text;
    case 'BigDecimal':
      if (!JAVA_DECIMAL.test(text)) throw new DataError(`Unable to convert ${text} (class java.lang.String) to number`);
      return BigDecimal.parse(text);
    default:
      throw new DataError(`Cannot mask value of type ${className(kind, value)} with custom replacement.`);
  }
}

/**
 * Kafka's MaskField: replaces the listed fields of a Struct or Map with the empty value of their type
 * (0, false, "", empty array or map, the epoch, 0 for Decimal) or with `replacement` converted to their
 * type. Null fields stay null. A schemaless Map gains a null entry for a listed field it lacks. As in
 * Kafka, a null key or value fails (a Struct or Map is required).
 */
export class MaskField implements Transformation {
  private fields: ReadonlySet<string> = new Set();
  private fieldList: readonly string[] = [];
  private replacement: string | null = null;
  private replaceNullWithDefault = true;

  constructor(private readonly part: RecordPart) {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'MaskField');
    this.fields = new Set(config.getList(FIELDS));
    this.fieldList = [...this.fields];
    this.replacement = config.getString(REPLACEMENT);
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.part.schema(record);
    const value = this.part.value(record);
    if (schema === null) {
      const map = requireMap(value, PURPOSE);
      const updated = new Map(map);
      for (const field of this.fieldList) updated.set(field, this.masked(map.get(field), null));
      return this.part.with(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(struct.schema);
    for (const field of struct.schema.fields) {
      const original = fieldValue(struct, field.name, this.replaceNullWithDefault);
      updated.put(field.name, this.fields.has(field.name) ? this.masked(original, field.schema) : original);
    }
    return this.part.with(record, schema, updated);
  }

  private masked(value: unknown, schema: Schema | null): unknown {
    if (value === null || value === undefined) return null;
    const kind = kindOf(value, schema);
    return this.replacement === null ? emptyMask(kind, value) : replacementFor(kind, this.replacement, value);
  }
}
