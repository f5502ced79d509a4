import { fileConnectorPlugins } from '../../connectors/file';
import { jdbcConnectorPlugins } from '../../connectors/jdbc';
import { builtinConverters } from '../converters/builtin-converters';
import { PluginRegistry } from '../runtime/plugins';
import { builtinPredicates, builtinTransformations } from '../transforms';

/** A registry holding every connector, converter, transformation and predicate shipped with connect-standalone. */
export function builtinPlugins(): PluginRegistry {
  const registry = new PluginRegistry();
  fileConnectorPlugins.forEach((p) => registry.registerConnector(p));
  jdbcConnectorPlugins.forEach((p) => registry.registerConnector(p));
  builtinConverters.forEach((p) => registry.registerConverter(p));
  builtinTransformations.forEach((p) => registry.registerTransformation(p));
  builtinPredicates.forEach((p) => registry.registerPredicate(p));
  return registry;
}
