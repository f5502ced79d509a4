import { AnyConnector, AnyConverterPlugin, ConfigError, ConnectorPlugin, Converter, ConverterPlugin, HeaderConverter, HeaderConverterPlugin } from '../api';

interface Named {
  readonly className: string;
  readonly aliases: readonly string[];
}

/**
 * Knows every connector and converter by its Java class name and its aliases (Kafka's Plugins).
 * Key/value converters and header converters share one namespace, as in Kafka where one class may
 * implement both. Unknown names fail with the list of known ones.
 */
export class PluginRegistry {
  private readonly connectors = new Map<string, ConnectorPlugin>();
  private readonly converters = new Map<string, AnyConverterPlugin>();
  private readonly connectorList: ConnectorPlugin[] = [];
  private readonly converterList: AnyConverterPlugin[] = [];

  registerConnector(plugin: ConnectorPlugin): void {
    register(this.connectors, plugin, 'connector');
    this.connectorList.push(plugin);
  }

  /** A Converter, a HeaderConverter, or both (a plugin with create and createHeaderConverter). */
  registerConverter(plugin: AnyConverterPlugin): void {
    register(this.converters, plugin, 'converter');
    this.converterList.push(plugin);
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
  return plugins.map((p) => (p.aliases.length ? `${p.className} (${p.aliases.join(', ')})` : p.className)).join(', ');
}
