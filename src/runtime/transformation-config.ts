import { ConfigDef, ConfigError, ConfigType, parseType, PredicatePlugin, TransformationPlugin, Validator } from '../api';
import { PluginRegistry } from './plugins';

/** The implicit keys of every transform (Kafka's TransformationStage), not passed to configure(). */
const PREDICATE = 'predicate';
const NEGATE = 'negate';

/** One configured predicate alias: `predicates.<alias>.type` and its own keys. */
export interface PredicateSpec {
  readonly alias: string;
  readonly plugin: PredicatePlugin;
  /** The keys under `predicates.<alias>.` with the prefix removed, `type` excluded. */
  readonly props: Readonly<Record<string, string>>;
}

/** One configured transform alias, in chain order. */
export interface TransformationSpec {
  readonly alias: string;
  readonly plugin: TransformationPlugin;
  /** The keys under `transforms.<alias>.` with the prefix removed; `type`, `predicate`, `negate` excluded. */
  readonly props: Readonly<Record<string, string>>;
  /** The predicate deciding whether the transform runs; null: it always runs. */
  readonly predicate: PredicateSpec | null;
  readonly negate: boolean;
}

/** The transforms and predicates of a connector, parsed and validated once at start-up. */
export interface TransformsConfig {
  readonly transformations: readonly TransformationSpec[];
  /** Every listed predicate, used or not (Kafka validates unused ones too). */
  readonly predicates: readonly PredicateSpec[];
  /** Keys under `transforms.` or `predicates.` that no configured alias or plugin defines. */
  readonly unknownKeys: readonly string[];
}

export const NO_TRANSFORMS: TransformsConfig = Object.freeze({ transformations: [], predicates: [], unknownKeys: [] });

/** Kafka's check on `transforms` and `predicates`: `Invalid value [a, a] for configuration transforms: Duplicate alias provided.` */
export function uniqueAliases(kind: string): Validator {
  return {
    ensureValid(name, value) {
      const aliases = (value as string[] | null) ?? [];
      if (new Set(aliases).size < aliases.length) throw ConfigError.invalidValue(name, `[${aliases.join(', ')}]`, 'Duplicate alias provided.');
    },
    describe: () => `unique ${kind} aliases`,
  };
}

/**
 * Parses `transforms`, `predicates` and everything under their aliases' prefixes, the way Kafka's
 * ConnectorConfig enriches and validates them: each alias needs a `type` naming a known plugin; each
 * plugin's keys are checked against its ConfigDef under the full key name; `negate` needs `predicate`;
 * a transform's predicate must be a listed alias. Each plugin is also configured once and closed, so
 * checks made in configure() fail at start-up too, with the alias prefix added to the key they name.
 */
export function parseTransformsConfig(props: Readonly<Record<string, string>>, transformAliases: readonly string[], predicateAliases: readonly string[], plugins: PluginRegistry): TransformsConfig {
  if (transformAliases.length === 0 && predicateAliases.length === 0) {
    const unknownKeys = Object.keys(props).filter((k) => k.startsWith('transforms.') || k.startsWith('predicates.'));
    return unknownKeys.length === 0 ? NO_TRANSFORMS : { ...NO_TRANSFORMS, unknownKeys };
  }
  const known = new Set<string>();
  const transforms = transformAliases.map((alias) => {
    const prefix = `transforms.${alias}.`;
    const predicateKey = prefix + PREDICATE;
    const negateKey = prefix + NEGATE;
    if (props[negateKey] !== undefined && props[predicateKey] === undefined) {
      throw new ConfigError(`Config '${negateKey}' was provided but there is no config '${predicateKey}' defining a predicate to be negated.`);
    }
    const plugin = plugins.transformationPlugin(requireType(props, prefix), prefix + 'type');
    known.add(predicateKey).add(negateKey);
    const own = checkPluginProps(props, prefix, plugin, plugin.create(), [PREDICATE, NEGATE], known);
    return { alias, plugin, props: own };
  });
  const predicates = new Map<string, PredicateSpec>();
  for (const alias of predicateAliases) {
    const prefix = `predicates.${alias}.`;
    const plugin = plugins.predicatePlugin(requireType(props, prefix), prefix + 'type');
    predicates.set(alias, { alias, plugin, props: checkPluginProps(props, prefix, plugin, plugin.create(), [], known) });
  }
  const transformations = transforms.map(({ alias, plugin, props: own }): TransformationSpec => {
    const predicateKey = `transforms.${alias}.${PREDICATE}`;
    const predicateAlias = props[predicateKey]?.trim();
    if (predicateAlias === undefined) return { alias, plugin, props: own, predicate: null, negate: false };
    const predicate = predicates.get(predicateAlias);
    if (!predicate) {
      const listed = predicateAliases.length ? `one of the aliases listed in predicates: ${predicateAliases.join(', ')}` : 'an alias listed in predicates, which is empty';
      throw ConfigError.invalidValue(predicateKey, predicateAlias, `Must be ${listed}`);
    }
    const negateKey = `transforms.${alias}.${NEGATE}`;
    const negate = props[negateKey] === undefined ? false : (parseType(negateKey, props[negateKey], ConfigType.BOOLEAN) as boolean);
    return { alias, plugin, props: own, predicate, negate };
  });
  const unknownKeys = Object.keys(props).filter((k) => (k.startsWith('transforms.') || k.startsWith('predicates.')) && !known.has(k));
  return { transformations, predicates: [...predicates.values()], unknownKeys };
}

function requireType(props: Readonly<Record<string, string>>, prefix: string): string {
  const type = props[prefix + 'type'];
  if (type === undefined) throw ConfigError.missing(prefix + 'type');
  return type;
}

/**
 * Validates a plugin's keys under their full names against its ConfigDef, then configures and closes
 * one instance. Returns its own keys (prefix removed, `type` and the implicit keys left out) and adds
 * every key it knows, prefixed, to `known`.
 */
function checkPluginProps(
  props: Readonly<Record<string, string>>,
  prefix: string,
  plugin: TransformationPlugin | PredicatePlugin,
  instance: { config(): ConfigDef; configure(props: Record<string, string>): void; close?(): void },
  implicit: readonly string[],
  known: Set<string>,
): Record<string, string> {
  known.add(prefix + 'type');
  const def = instance.config();
  const prefixed = new ConfigDef();
  for (const key of def.configKeys()) {
    // Kafka: the implicit keys mask a plugin key of the same name.
    if (implicit.includes(key.name)) continue;
    prefixed.define({ ...key, name: prefix + key.name });
    known.add(prefix + key.name);
  }
  prefixed.parse(props as Record<string, string>);
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) {
    if (!k.startsWith(prefix) || k.length === prefix.length) continue;
    const name = k.slice(prefix.length);
    if (name !== 'type' && !implicit.includes(name)) own[name] = v;
  }
  try {
    instance.configure({ ...own });
  } catch (err) {
    throw withPrefix(err, prefix, plugin.className);
  } finally {
    instance.close?.();
  }
  return own;
}

/**
 * A plugin names its own keys unprefixed (`fields`); the user wrote `transforms.mask.fields`. Adds the
 * prefix to Kafka-worded config errors, and names the alias in any other configure() failure.
 */
export function withPrefix(err: unknown, prefix: string, className: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  const invalid = /^(Invalid value [\s\S]* for configuration )([^\s:]+)([\s\S]*)$/.exec(message);
  if (invalid && !invalid[2].startsWith(prefix)) return new ConfigError(`${invalid[1]}${prefix}${invalid[2]}${invalid[3]}`, { cause: err });
  const missing = /^Missing required configuration "([^"]+)"([\s\S]*)$/.exec(message);
  if (missing && !missing[1].startsWith(prefix)) return new ConfigError(`Missing required configuration "${prefix}${missing[1]}"${missing[2]}`, { cause: err });
  if (invalid || missing) return err as Error;
  return new ConfigError(`Invalid configuration of ${prefix.slice(0, -1)} (${className}): ${message}`, { cause: err });
}
