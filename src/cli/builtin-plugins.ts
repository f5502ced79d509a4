import { fileConnectorPlugins } from '../../connectors/file';
import { builtinConverters } from '../converters';
import { PluginRegistry } from '../runtime/plugins';

/** A registry holding every connector and converter shipped with connect-standalone. */
export function builtinPlugins(): PluginRegistry {
  const registry = new PluginRegistry();
  fileConnectorPlugins.forEach((p) => registry.registerConnector(p));
  builtinConverters.forEach((p) => registry.registerConverter(p));
  return registry;
}
