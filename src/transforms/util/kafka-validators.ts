import { ConfigError, ConfigValue, Validator } from '../../api';

/** A config value as Java prints it in a ConfigException (`[a, b]` for a list). */
export function javaConfigText(value: ConfigValue): string {
  return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}

/** Kafka's NonEmptyListValidator: `Invalid value [] for configuration fields: Empty list`. */
export const nonEmptyList: Validator = {
  ensureValid(name, value) {
    if (!Array.isArray(value) || value.length === 0) throw ConfigError.invalidValue(name, javaConfigText(value), 'Empty list');
  },
  describe: () => 'non-empty list',
};

/** Kafka's ConfigDef.NonEmptyString: only the empty string is refused (blank is allowed). */
export const nonEmptyString: Validator = {
  ensureValid(name, value) {
    if (value === '') throw ConfigError.invalidValue(name, value, 'String must be non-empty');
  },
  describe: () => 'non-empty string',
};
