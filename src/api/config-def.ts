import { ConfigError } from './errors';

/** The value types a configuration key can have, as in Kafka's ConfigDef.Type. */
export enum ConfigType {
  STRING = 'STRING',
  INT = 'INT',
  LONG = 'LONG',
  DOUBLE = 'DOUBLE',
  BOOLEAN = 'BOOLEAN',
  LIST = 'LIST',
  PASSWORD = 'PASSWORD',
  CLASS = 'CLASS',
}

export enum Importance {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}

/** How wide a UI field for the key should be (Kafka's ConfigDef.Width); metadata for the REST API. */
export enum Width {
  NONE = 'NONE',
  SHORT = 'SHORT',
  MEDIUM = 'MEDIUM',
  LONG = 'LONG',
}

/**
 * Suggests values for a key and whether it applies, given the other keys' parsed values (Kafka's
 * ConfigDef.Recommender). Used only by config validation (the REST validate endpoint), never at start-up.
 */
export interface Recommender {
  validValues(name: string, parsed: Readonly<Record<string, ConfigValue>>): ConfigValue[];
  visible(name: string, parsed: Readonly<Record<string, ConfigValue>>): boolean;
}

/** A secret configuration value. Prints as `[hidden]`; call value() to read it. */
export class Password {
  static readonly HIDDEN = '[hidden]';
  constructor(private readonly secret: string) {}
  value(): string {
    return this.secret;
  }
  toString(): string {
    return Password.HIDDEN;
  }
  toJSON(): string {
    return Password.HIDDEN;
  }
}

export type ConfigValue = string | number | boolean | string[] | Password | null;

/**
 * Checks a parsed value. Throws ConfigError (use ConfigError.invalidValue) naming the key and value.
 * `describe` is the expectation shown in docs, e.g. `[1,...]`.
 */
export interface Validator {
  ensureValid(name: string, value: ConfigValue): void;
  describe(): string;
}

/** Marks a key that must be set: it has no default. */
export const NO_DEFAULT: unique symbol = Symbol('NO_DEFAULT');

export interface ConfigKey {
  name: string;
  type: ConfigType;
  /** Parsed-type default, null for "optional, unset", or NO_DEFAULT for a required key. */
  defaultValue: ConfigValue | typeof NO_DEFAULT;
  validator?: Validator;
  importance: Importance;
  doc: string;
  /**
   * How the value appears in the start-up log, for values that may hold a secret in part (a JDBC
   * URL with a password property). Not called for null. PASSWORD keys are always hidden.
   */
  logValue?: (value: ConfigValue) => string;
  /** Kafka's UI metadata, shown by the REST API's plugin config and validate endpoints. Group null when unset. */
  group?: string;
  /** Position within the group; -1 when unset, as in Kafka. */
  orderInGroup?: number;
  /** NONE when unset. */
  width?: Width;
  /** The key's name when unset. */
  displayName?: string;
  /** Keys whose validity or visibility depends on this one. */
  dependents?: readonly string[];
  recommender?: Recommender;
}

/**
 * The configuration a plugin accepts, declared once as data (Kafka's ConfigDef). Parsing, validation,
 * the start-up log and the README's reference are all derived from it.
 */
export class ConfigDef {
  private readonly keys = new Map<string, ConfigKey>();

  define(key: ConfigKey): this {
    if (this.keys.has(key.name)) throw new ConfigError(`Configuration ${key.name} is defined twice.`);
    if (key.defaultValue !== NO_DEFAULT && key.defaultValue !== null && key.validator) {
      key.validator.ensureValid(key.name, key.defaultValue);
    }
    this.keys.set(key.name, key);
    return this;
  }

  /** A new ConfigDef holding this one's keys and then the other's. */
  merge(other: ConfigDef): ConfigDef {
    const merged = new ConfigDef();
    for (const key of this.keys.values()) merged.define(key);
    for (const key of other.keys.values()) if (!merged.keys.has(key.name)) merged.define(key);
    return merged;
  }

  configKeys(): ConfigKey[] {
    return [...this.keys.values()];
  }

  names(): string[] {
    return [...this.keys.keys()];
  }

  /** Parses and validates every defined key. Undefined keys stay available through originals(). */
  parse(props: Record<string, string>, name = 'Config'): AbstractConfig {
    const values = new Map<string, ConfigValue>();
    for (const key of this.keys.values()) {
      const raw = props[key.name];
      let value: ConfigValue;
      if (raw === undefined) {
        if (key.defaultValue === NO_DEFAULT) throw ConfigError.missing(key.name);
        value = key.defaultValue;
      } else {
        value = parseType(key.name, raw, key.type);
      }
      if (value !== null && key.validator) key.validator.ensureValid(key.name, value);
      values.set(key.name, value);
    }
    return new AbstractConfig(name, this, props, values);
  }
}

/** Converts one raw string to its declared type, failing with Kafka's wording. */
export function parseType(name: string, raw: string, type: ConfigType): ConfigValue {
  const trimmed = raw.trim();
  switch (type) {
    case ConfigType.STRING:
    case ConfigType.CLASS:
      return type === ConfigType.CLASS ? trimmed : raw;
    case ConfigType.PASSWORD:
      return new Password(raw);
    case ConfigType.BOOLEAN: {
      const lower = trimmed.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw ConfigError.invalidValue(name, raw, 'Expected value to be either true or false');
    }
    case ConfigType.INT:
    case ConfigType.LONG: {
      const n = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : NaN;
      const limit = type === ConfigType.INT ? 2 ** 31 : 2 ** 63;
      if (!Number.isFinite(n) || n >= limit || n < -limit || !Number.isSafeInteger(n)) {
        throw ConfigError.invalidValue(name, raw, `Not a number of type ${type}`);
      }
      return n;
    }
    case ConfigType.DOUBLE: {
      const n = trimmed === '' ? NaN : Number(trimmed);
      if (Number.isNaN(n)) throw ConfigError.invalidValue(name, raw, 'Not a number of type DOUBLE');
      return n;
    }
    case ConfigType.LIST:
      return trimmed === '' ? [] : trimmed.split(/\s*,\s*/);
  }
}

/** Parsed configuration: typed getters for defined keys, originals for prefixes (Kafka's AbstractConfig). */
export class AbstractConfig {
  constructor(
    readonly name: string,
    readonly definition: ConfigDef,
    private readonly raw: Record<string, string>,
    private readonly values: Map<string, ConfigValue>,
  ) {}

  private get(key: string): ConfigValue {
    if (!this.values.has(key)) throw new ConfigError(`Unknown configuration '${key}'`);
    return this.values.get(key) as ConfigValue;
  }

  getString(key: string): string | null {
    return this.get(key) as string | null;
  }
  getInt(key: string): number {
    return this.get(key) as number;
  }
  getLong(key: string): number {
    return this.get(key) as number;
  }
  getDouble(key: string): number {
    return this.get(key) as number;
  }
  getBoolean(key: string): boolean {
    return this.get(key) as boolean;
  }
  getList(key: string): string[] {
    return (this.get(key) as string[] | null) ?? [];
  }
  getPassword(key: string): Password | null {
    return this.get(key) as Password | null;
  }
  getClass(key: string): string | null {
    return this.get(key) as string | null;
  }

  /** Every key as the user wrote it, defined or not. */
  originals(): Record<string, string> {
    return { ...this.raw };
  }

  /** Keys that start with `prefix`, with the prefix removed (Kafka's originalsWithPrefix). */
  originalsWithPrefix(prefix: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.raw)) {
      if (k.startsWith(prefix) && k.length > prefix.length) out[k.slice(prefix.length)] = v;
    }
    return out;
  }

  /** The effective values as Kafka logs them at start: `<Name> values: \n\tkey = value ...`, sorted. */
  logString(): string {
    const keys = new Map(this.definition.configKeys().map((k) => [k.name, k]));
    const lines = [...this.values.keys()].sort().map((k) => {
      const value = this.values.get(k) ?? null;
      const logValue = keys.get(k)?.logValue;
      return `\t${k} = ${value !== null && logValue ? logValue(value) : formatValue(value)}`;
    });
    return `${this.name} values: \n${lines.join('\n')}\n`;
  }
}

function formatValue(value: ConfigValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return String(value);
}

/** Validators named as in Kafka's ConfigDef. */
export const Validators = {
  atLeast(min: number): Validator {
    return {
      ensureValid(name, value) {
        if (typeof value === 'number' && value < min) throw ConfigError.invalidValue(name, value, `Value must be at least ${min}`);
      },
      describe: () => `[${min},...]`,
    };
  },
  between(min: number, max: number): Validator {
    return {
      ensureValid(name, value) {
        if (typeof value === 'number' && (value < min || value > max)) {
          throw ConfigError.invalidValue(name, value, `Value must be no more than ${max} and at least ${min}`);
        }
      },
      describe: () => `[${min},...,${max}]`,
    };
  },
  in(...allowed: string[]): Validator {
    return {
      ensureValid(name, value) {
        if (!allowed.includes(String(value))) {
          throw ConfigError.invalidValue(name, value, `String must be one of: ${allowed.join(', ')}`);
        }
      },
      describe: () => `[${allowed.join(', ')}]`,
    };
  },
  nonEmptyString(): Validator {
    return {
      ensureValid(name, value) {
        if (typeof value !== 'string' || value.trim() === '') throw ConfigError.invalidValue(name, value, 'String may not be empty');
      },
      describe: () => 'non-empty string',
    };
  },
};
