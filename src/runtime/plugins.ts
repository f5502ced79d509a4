import { ConfigError, ConnectorPlugin, Converter, ConverterPlugin, AnyConnector } from '../api';

interface Named {
  readonly className: string;
  readonly aliases: readonly string[];
}

/**
 * Knows every connector and converter by its Java class name and its aliases (Kafka's Plugins).
 * Unknown names fail with the list of known ones.
 */
export class PluginRegistry {
  private readonly connectors = new Map<string, ConnectorPlugin>();
  private readonly converters = new Map<string, ConverterPlugin>();
  private readonly connectorList: ConnectorPlugin[] = [];
  private readonly converterList: ConverterPlugin[] = [];

  registerConnector(plugin: ConnectorPlugin): void {
    register(this.connectors, plugin, 'connector');
    this.connectorList.push(plugin);
  }

  registerConverter(plugin: ConverterPlugin): void {
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
    if (!plugin) {
      throw new ConfigError(
        `Invalid value ${name} for configuration ${key}: Class ${name} could not be found, available converters are: ${describe(this.converterList)}`,
      );
    }
    return plugin.create();
  }

  connectorPlugins(): readonly ConnectorPlugin[] {
    return this.connectorList;
  }

  converterPlugins(): readonly ConverterPlugin[] {
    return this.converterList;
  }
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
