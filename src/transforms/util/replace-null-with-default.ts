import { ConfigKey, ConfigType, Importance, Struct } from '../../api';

/** The key Kafka 3.x gives every transform that reads struct fields (KIP-581). */
export const REPLACE_NULL_WITH_DEFAULT = 'replace.null.with.default';

/** Its declaration, the same in every transform that has it. */
export const REPLACE_NULL_WITH_DEFAULT_KEY: ConfigKey = {
  name: REPLACE_NULL_WITH_DEFAULT,
  type: ConfigType.BOOLEAN,
  defaultValue: true,
  importance: Importance.MEDIUM,
  doc: 'Whether a null struct field that has a default value is read as its default (true) or as null (false).',
};

/** A struct field's value as replace.null.with.default says: its default for a null, or the null itself. */
export function fieldValue(struct: Struct, name: string, replaceNullWithDefault: boolean): unknown {
  return replaceNullWithDefault ? struct.get(name) : struct.getWithoutDefault(name);
}
