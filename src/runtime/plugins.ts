import {
  AnyConnector,
  AnyConverterPlugin,
  ConfigError,
  ConnectorPlugin,
  Converter,
  ConverterPlugin,
  HeaderConverter,
  HeaderConverterPlugin,
  PredicatePlugin,
  TransformationPlugin,
} from '../api';

interface Named {
  readonly className: string;
  readonly aliases: readonly string[];
}

/**
 * Knows every connector, converter, transformation and predicate by its Java class name and its
 * aliases (Kafka's Plugins). Key/value converters and header converters share one namespace, as in
 * Kafka where one class may implement both. Unknown names fail with the list of known ones.
 */
export class PluginRegistry {
  private readonly connectors = new Map<string, ConnectorPlugin>();
  private readonly converters = new Map<string, AnyConverterPlugin>();
  private readonly connectorList: ConnectorPlugin[] = [];
  private readonly converterList: AnyConverterPlugin[] = [];
  private readonly transformations = new Map<string, TransformationPlugin>();
  private readonly predicates = new Map<string, PredicatePlugin>();
  private readonly transformationList: TransformationPlugin[] = [];
  private readonly predicateList: PredicatePlugin[] = [];

  registerConnector(plugin: ConnectorPlugin): void {
    register(this.connectors, plugin, 'connector');
    this.connectorList.push(plugin);
  }

  /** A Converter, a HeaderConverter, or both (a plugin with create and createHeaderConverter). */
  registerConverter(plugin: AnyConverterPlugin): void {
    register(this.converters, plugin, 'converter');
    this.converterList.push(plugin);
  }

  registerTransformation(plugin: TransformationPlugin): void {
    register(this.transformations, plugin, 'transformation');
    this.transformationList.push(plugin);
  }

  registerPredicate(plugin: PredicatePlugin): void {
    register(this.predicates, plugin, 'predicate');
    this.predicateList.push(plugin);
  }

  /** The transformation a `transforms.<alias>.type` value names; `key` is that key, for the error. */
  transformationPlugin(name: string, key: string): TransformationPlugin {
    const plugin = this.transformations.get(name.trim());
    if (!plugin) {
      throw ConfigError.invalidValue(key, name, `Class ${name} could not be found, available transformations are: ${describe(this.transformationList)}`);
    }
    return plugin;
  }

  /** The predicate a `predicates.<alias>.type` value names; `key` is that key, for the error. */
  predicatePlugin(name: string, key: string): PredicatePlugin {
    const plugin = this.predicates.get(name.trim());
    if (!plugin) {
      throw ConfigError.invalidValue(key, name, `Class ${name} could not be found, available predicates are: ${describe(this.predicateList)}`);
    }
    return plugin;
  }

  connectorPlugin(name: string, key = 'connector.class'): ConnectorPlugin {
    const plugin = this.connectors.get(name.trim());
    if (!plugin) {
      throw new ConfigError(
        `Invalid value ${name} for configuration ${key}: Failed to find any class that implements Connector and which name matches ${name}, ` +
          `available connectors are: ${describe(this.connectorList)}`,
      );
    }
    return plugin;
  }

  newConnector(name: string): AnyConnector {
    return this.connectorPlugin(name).create();
  }

  newConverter(name: string, key: string): Converter {
    const plugin = this.converters.get(name.trim());
    if (plugin && isConverter(plugin)) return plugin.create();
    const problem = plugin ? `Class ${name} is not a Converter` : `Class ${name} could not be found`;
    throw new ConfigError(
      `Invalid value ${name} for configuration ${key}: ${problem}, available converters are: ${describe(this.converterList.filter(isConverter))}`,
    );
  }

  /** A new, unconfigured header converter (Kafka's Plugins.newHeaderConverter). */
  newHeaderConverter(name: string, key: string): HeaderConverter {
    const plugin = this.converters.get(name.trim());
    if (plugin && isHeaderConverter(plugin)) return plugin.createHeaderConverter();
    const problem = plugin ? `Class ${name} is not a HeaderConverter` : `Class ${name} could not be found`;
    throw new ConfigError(
      `Invalid value ${name} for configuration ${key}: ${problem}, available header converters are: ${describe(this.converterList.filter(isHeaderConverter))}`,
    );
  }

  connectorPlugins(): readonly ConnectorPlugin[] {
    return this.connectorList;
  }

  converterPlugins(): readonly AnyConverterPlugin[] {
    return this.converterList;
  }

  transformationPlugins(): readonly TransformationPlugin[] {
    return this.transformationList;
  }

  predicatePlugins(): readonly PredicatePlugin[] {
    return this.predicateList;
  }
}

function isConverter(plugin: AnyConverterPlugin): plugin is ConverterPlugin {
  return typeof (plugin as Partial<ConverterPlugin>).create === 'function';
}

function isHeaderConverter(plugin: AnyConverterPlugin): plugin is HeaderConverterPlugin {
  return typeof (plugin as Partial<HeaderConverterPlugin>).createHeaderConverter === 'function';
}

function register<T extends Named>(map: Map<string, T>, plugin: T, what: string): void {
  const names = [plugin.className, ...plugin.aliases];
  for (const name of names) {
    const existing = map.get(name);
    if (existing && existing !== plugin) {
      throw new ConfigError(`The ${what} name ${name} is claimed by both ${existing.className} and ${plugin.className}`);
    }
  }
  for (const name of names) map.set(name, plugin);
}

function describe(plugins: readonly Named[]): string {
  if (plugins.length === 0) return '(none)';
  return plugins.map((p) => (p.aliases.length ? `${p.className} (${p.aliases.join(', ')})` : p.className)).join(', ');
}
