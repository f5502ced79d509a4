import { ConfigDef, ConfigKey, ConfigType, Importance, NO_DEFAULT, parseType, Width } from '../../api';
import { PREDICATES_GROUP, TRANSFORMS_GROUP } from '../connector-config';
import { PluginRegistry } from '../plugins';
import { embed } from './config-infos-convert';

/** The implicit keys of every transform (Kafka's TransformationStage), masking a transform's own keys of that name. */
const IMPLICIT_TRANSFORM_KEYS: readonly ConfigKey[] = [
  { name: 'predicate', type: ConfigType.STRING, defaultValue: null, importance: Importance.MEDIUM, doc: 'The alias of a predicate used to determine whether to apply this transformation.' },
  { name: 'negate', type: ConfigType.BOOLEAN, defaultValue: false, importance: Importance.MEDIUM, doc: 'Whether the configured predicate should be negated.' },
];

interface EnrichablePlugin {
  /** `transforms` or `predicates`. */
  aliasConfig: string;
  group: string;
  /** Kafka's interface simple name, for the display name: Transformation, Predicate. */
  baseClass: string;
  kind: string;
  classNames(): string[];
  /** The plugin's own keys; throws when the type names no such plugin. */
  ownKeys(type: string, typeKey: string): readonly ConfigKey[];
  implicit: readonly ConfigKey[];
}

/**
 * Kafka's ConnectorConfig.enrich (for validation: a plugin that cannot be loaded adds no keys): for each
 * alias in `transforms` and `predicates`, its `type` key (group "Transforms: <alias>", recommending
 * every known class) and the plugin's own keys under the alias prefix, in that group.
 */
export function enrichConnectorKeys(base: ConfigDef, props: Readonly<Record<string, string | null>>, plugins: PluginRegistry): ConfigKey[] {
  const transforms: EnrichablePlugin = {
    aliasConfig: 'transforms',
    group: TRANSFORMS_GROUP,
    baseClass: 'Transformation',
    kind: 'transformation',
    classNames: () => sortedNames(plugins.transformationPlugins()),
    ownKeys: (type, typeKey) => plugins.transformationPlugin(type, typeKey).create().config().configKeys(),
    implicit: IMPLICIT_TRANSFORM_KEYS,
  };
  const predicates: EnrichablePlugin = {
    aliasConfig: 'predicates',
    group: PREDICATES_GROUP,
    baseClass: 'Predicate',
    kind: 'predicate',
    classNames: () => sortedNames(plugins.predicatePlugins()),
    ownKeys: (type, typeKey) => plugins.predicatePlugin(type, typeKey).create().config().configKeys(),
    implicit: [],
  };
  return [...base.configKeys(), ...enrich(transforms, props, plugins), ...enrich(predicates, props, plugins)];
}

function sortedNames(plugins: ReadonlyArray<{ className: string }>): string[] {
  return plugins.map((p) => p.className).sort();
}

function enrich(plugin: EnrichablePlugin, props: Readonly<Record<string, string | null>>, plugins: PluginRegistry): ConfigKey[] {
  const raw = props[plugin.aliasConfig];
  if (raw === undefined || raw === null) return [];
  const aliases = new Set(parseType(plugin.aliasConfig, raw, ConfigType.LIST) as string[]);
  const keys: ConfigKey[] = [];
  for (const alias of aliases) {
    const prefix = `${plugin.aliasConfig}.${alias}.`;
    const group = `${plugin.group}: ${alias}`;
    const typeKey = prefix + 'type';
    keys.push({
      name: typeKey,
      type: ConfigType.CLASS,
      defaultValue: NO_DEFAULT,
      validator: {
        ensureValid: (name, value) => {
          // Throws Kafka-worded "Invalid value X for configuration <key>: Class X could not be found, ...".
          if (typeof value === 'string') plugin.ownKeys(value, name);
        },
        describe: () => `valid configs for ${alias} ${plugin.kind}`,
      },
      importance: Importance.HIGH,
      doc: `Class for the '${alias}' ${plugin.kind}.`,
      group,
      orderInGroup: 0,
      width: Width.LONG,
      displayName: `${plugin.baseClass} type for ${alias}`,
      dependents: [],
      recommender: { validValues: () => plugin.classNames(), visible: () => true },
    });
    const type = props[typeKey];
    if (type === undefined || type === null) continue;
    let own: readonly ConfigKey[];
    try {
      own = plugin.ownKeys(type, typeKey);
    } catch {
      continue; // reported on the type key by its validator
    }
    const implicitNames = new Set(plugin.implicit.map((k) => k.name));
    keys.push(...embed(prefix, group, 1, [...plugin.implicit, ...own.filter((k) => !implicitNames.has(k.name))]));
  }
  return keys;
}
