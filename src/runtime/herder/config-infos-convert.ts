import { ConfigError, ConfigKey, ConfigType, ConfigValue, Importance, NO_DEFAULT, parseType, Password, Validator, Width } from '../../api';
import { ConfigInfos, ConfigKeyInfo, ConfigValueInfo } from './herder';

/**
 * The result of validating one key (Kafka's org.apache.kafka.common.config.ConfigValue): the parsed
 * value, or the raw string for a key no ConfigDef defines.
 */
export interface ValidatedValue {
  name: string;
  value: ConfigValue;
  recommendedValues: ConfigValue[];
  errors: string[];
  visible: boolean;
}

export type ConfigEntry = ConfigInfos['configs'][number];

export function validatedValue(name: string, value: ConfigValue = null, errors: string[] = []): ValidatedValue {
  return { name, value, recommendedValues: [], errors, visible: true };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Kafka's ConfigDef.convertToString: how a parsed value is printed in the REST API. */
export function convertToString(value: ConfigValue | undefined, type: ConfigType | null): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Password) return Password.HIDDEN;
  if (Array.isArray(value)) return type === null ? `[${value.join(', ')}]` : value.join(',');
  return String(value);
}

/** Kafka's AbstractHerder.convertConfigKey, with the key's name prefixed (converters, client overrides). */
export function convertConfigKey(key: ConfigKey, prefix = ''): ConfigKeyInfo {
  const required = key.defaultValue === NO_DEFAULT;
  return {
    name: prefix + key.name,
    type: key.type,
    required,
    default_value: required ? null : convertToString(key.defaultValue as ConfigValue, key.type),
    importance: key.importance,
    documentation: key.doc,
    group: key.group ?? null,
    order_in_group: key.orderInGroup ?? -1,
    width: key.width ?? Width.NONE,
    display_name: key.displayName ?? key.name,
    dependents: [...(key.dependents ?? [])].map((d) => prefix + d),
  };
}

/** Kafka's AbstractHerder.convertConfigValue: LIST recommendations are printed as plain strings. */
export function convertConfigValue(value: ValidatedValue, type: ConfigType | null): ConfigValueInfo {
  const recommendedType = type === ConfigType.LIST ? ConfigType.STRING : type;
  return {
    name: value.name,
    value: convertToString(value.value, type),
    recommended_values: value.recommendedValues.map((v) => convertToString(v, recommendedType) ?? 'null'),
    errors: [...value.errors],
    visible: value.visible,
  };
}

/**
 * Kafka's ConfigDef.validateAll: every key parsed (or its default taken), its validator run, then its
 * recommender asked. Every problem is collected on the key's value; nothing is thrown. A prop given as
 * null (possible in a JSON body) parses to null, as in Kafka.
 */
export function validateAll(keys: readonly ConfigKey[], props: Readonly<Record<string, string | null>>): Map<string, ValidatedValue> {
  const values = new Map<string, ValidatedValue>();
  const parsed: Record<string, ConfigValue> = {};
  for (const key of keys) {
    const result = validatedValue(key.name);
    let value: ConfigValue = null;
    if (Object.prototype.hasOwnProperty.call(props, key.name)) {
      const raw = props[key.name];
      if (raw !== null && raw !== undefined) {
        try {
          value = parseType(key.name, String(raw), key.type);
        } catch (err) {
          result.errors.push(errorMessage(err));
        }
      }
    } else if (key.defaultValue === NO_DEFAULT) {
      result.errors.push(ConfigError.missing(key.name).message);
    } else {
      value = key.defaultValue;
    }
    // Unlike Kafka's, this project's validators are not written for null: null is "unset" here.
    if (value !== null && key.validator) {
      try {
        key.validator.ensureValid(key.name, value);
      } catch (err) {
        result.errors.push(errorMessage(err));
      }
    }
    result.value = value;
    parsed[key.name] = value;
    values.set(key.name, result);
  }
  for (const key of keys) {
    if (!key.recommender) continue;
    const result = values.get(key.name) as ValidatedValue;
    try {
      result.recommendedValues = key.recommender.validValues(key.name, parsed);
      result.visible = key.recommender.visible(key.name, parsed);
    } catch (err) {
      result.errors.push(errorMessage(err));
    }
  }
  return values;
}

/** The groups of these keys, in the order each first appears (Kafka's ConfigDef.groups()). */
export function groupsOf(keys: Iterable<ConfigKey>): string[] {
  const groups = new Set<string>();
  for (const key of keys) if (key.group !== undefined) groups.add(key.group);
  return [...groups];
}

const IMPORTANCE_ORDER: Readonly<Record<Importance, number>> = { HIGH: 0, MEDIUM: 1, LOW: 2 };

/** Kafka's ConfigDef.sortedConfigs: by group, order in group, required first, importance, then name. */
export function sortedConfigs(keys: readonly ConfigKey[]): ConfigKey[] {
  const groupOrd = new Map(groupsOf(keys).map((g, i) => [g, i]));
  return [...keys].sort((a, b) => {
    if (a.group !== b.group) {
      if (a.group === undefined) return -1;
      if (b.group === undefined) return 1;
      return (groupOrd.get(a.group) as number) - (groupOrd.get(b.group) as number);
    }
    const order = (a.orderInGroup ?? -1) - (b.orderInGroup ?? -1);
    if (order !== 0) return order;
    const aRequired = a.defaultValue === NO_DEFAULT;
    const bRequired = b.defaultValue === NO_DEFAULT;
    if (aRequired !== bRequired) return aRequired ? -1 : 1;
    const importance = IMPORTANCE_ORDER[a.importance] - IMPORTANCE_ORDER[b.importance];
    if (importance !== 0) return importance;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/**
 * Kafka's ConfigDef.embed: a plugin's keys under `prefix`, in its sorted order, in group `group`
 * (`group: <own group>` for keys that have one), numbered from `startingOrd`. Validators still see the
 * unprefixed name, as Kafka's embedded validators do.
 */
export function embed(prefix: string, group: string, startingOrd: number, keys: readonly ConfigKey[]): ConfigKey[] {
  let order = startingOrd;
  return sortedConfigs(keys).map((key) => ({
    ...key,
    name: prefix + key.name,
    group: key.group === undefined ? group : `${group}: ${key.group}`,
    orderInGroup: order++,
    validator: key.validator && embeddedValidator(prefix, key.validator),
    dependents: key.dependents?.map((d) => prefix + d),
    recommender: key.recommender && {
      validValues: (name, parsed) => (key.recommender as NonNullable<ConfigKey['recommender']>).validValues(name.slice(prefix.length), parsed),
      visible: (name, parsed) => (key.recommender as NonNullable<ConfigKey['recommender']>).visible(name.slice(prefix.length), parsed),
    },
  }));
}

function embeddedValidator(prefix: string, base: Validator): Validator {
  return { ensureValid: (name, value) => base.ensureValid(name.slice(prefix.length), value), describe: () => base.describe() };
}

/**
 * Kafka's AbstractHerder.generateResult: values no key defines first, then every key in order with
 * its value; error_count counts error messages.
 */
export function generateResult(connType: string, keys: ReadonlyMap<string, ConfigKey>, values: readonly ValidatedValue[], groups: readonly string[]): ConfigInfos {
  let errorCount = 0;
  const configs: ConfigEntry[] = [];
  const byName = new Map<string, ValidatedValue>();
  for (const value of values) {
    byName.set(value.name, value);
    if (!keys.has(value.name)) {
      configs.push({ definition: null, value: convertConfigValue(value, null) });
      errorCount += value.errors.length;
    }
  }
  for (const [name, key] of keys) {
    const value = byName.get(name);
    if (value) errorCount += value.errors.length;
    // Every key has a value here (validateAll covers them all); Kafka would print null otherwise.
    configs.push({ definition: convertConfigKey(key), value: convertConfigValue(value ?? validatedValue(name), key.type) });
  }
  return { name: connType, error_count: errorCount, groups: [...groups], configs };
}

/**
 * Kafka's AbstractHerder.prefixedConfigInfos (converters and client overrides): one entry per value,
 * named with the prefix; error_count counts the values that have errors.
 */
export function prefixedConfigInfos(keys: ReadonlyMap<string, ConfigKey>, values: readonly ValidatedValue[], prefix: string): ConfigInfos {
  let errorCount = 0;
  const groups = new Set<string>();
  const configs: ConfigEntry[] = values.map((value) => {
    const key = keys.get(value.name);
    if (key?.group !== undefined) groups.add(key.group);
    if (value.errors.length > 0) errorCount++;
    const named = { ...value, name: prefix + value.name };
    return {
      definition: key ? convertConfigKey(key, prefix) : (null),
      value: convertConfigValue(named, key ? key.type : null),
    };
  });
  return { name: '', error_count: errorCount, groups: [...groups], configs };
}

/** Kafka's AbstractHerder.mergeConfigInfos. */
export function mergeConfigInfos(connType: string, parts: ReadonlyArray<ConfigInfos | null>): ConfigInfos {
  const groups = new Set<string>();
  const configs: ConfigEntry[] = [];
  let errorCount = 0;
  for (const part of parts) {
    if (!part) continue;
    errorCount += part.error_count;
    part.groups.forEach((g) => groups.add(g));
    configs.push(...part.configs);
  }
  return { name: connType, error_count: errorCount, groups: [...groups], configs };
}
