import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, ConnectorPlugin, ConverterPlugin, PredicatePlugin, TransformationPlugin } from '../api';
import { PluginRegistry } from '../runtime/plugins';
import { RuntimeLogger } from '../runtime/runtime-logger';

/**
 * Loads JavaScript plugins named in plugin.path: a module file (.js/.cjs) or a directory with a
 * package.json or index.js, exporting any of the arrays `connectorPlugins`, `converterPlugins`,
 * `transformationPlugins` and `predicatePlugins` (at least one non-empty). Kafka
 * configs often point plugin.path at Java plugin directories; those are skipped with a warning so
 * the same worker file still works.
 */
export function loadPluginPath(entries: readonly string[], registry: PluginRegistry, logger: RuntimeLogger): void {
  for (const entry of entries) {
    const resolved = path.resolve(entry);
    if (!fs.existsSync(resolved)) {
      logger.warn(`plugin.path entry ${entry} does not exist; skipping it`);
      continue;
    }
    const isDir = fs.statSync(resolved).isDirectory();
    const isModule = isDir
      ? fs.existsSync(path.join(resolved, 'package.json')) || fs.existsSync(path.join(resolved, 'index.js'))
      : /\.(c?js)$/.test(resolved);
    if (!isModule) {
      logger.warn(`plugin.path entry ${entry} is not a JavaScript plugin module (Java plugins cannot run here); skipping it`);
      continue;
    }
    let mod: PluginModule;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      mod = require(resolved);
    } catch (err) {
      throw ConfigError.invalidValue('plugin.path', entry, `Loading the plugin module failed: ${(err as Error).message}`);
    }
    const connectors = mod.connectorPlugins ?? [];
    const converters = mod.converterPlugins ?? [];
    const transformations = mod.transformationPlugins ?? [];
    const predicates = mod.predicatePlugins ?? [];
    if (connectors.length + converters.length + transformations.length + predicates.length === 0) {
      throw ConfigError.invalidValue(
        'plugin.path',
        entry,
        'The module exports none of connectorPlugins, converterPlugins, transformationPlugins, predicatePlugins',
      );
    }
    connectors.forEach((p) => registry.registerConnector(p));
    converters.forEach((p) => registry.registerConverter(p));
    transformations.forEach((p) => registry.registerTransformation(p));
    predicates.forEach((p) => registry.registerPredicate(p));
    logger.info(
      `Loaded ${connectors.length} connector(s), ${converters.length} converter(s), ${transformations.length} transformation(s) ` +
        `and ${predicates.length} predicate(s) from plugin.path entry ${entry}`,
    );
  }
}

interface PluginModule {
  connectorPlugins?: ConnectorPlugin[];
  converterPlugins?: ConverterPlugin[];
  transformationPlugins?: TransformationPlugin[];
  predicatePlugins?: PredicatePlugin[];
}
