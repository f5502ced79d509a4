import { AbstractConfig, Converter } from '../api';
import { PluginRegistry } from './plugins';

/**
 * The key or value converter of one task: the connector's own `key.converter` with its
 * `key.converter.*` settings if it names one, else the worker's (Kafka's Worker.newConverter).
 */
export function newTaskConverter(kind: 'key' | 'value', connector: AbstractConfig, worker: AbstractConfig, plugins: PluginRegistry): Converter {
  const key = `${kind}.converter`;
  const own = connector.getClass(key);
  const source = own ? connector : worker;
  const className = own ?? (worker.getClass(key) as string);
  const converter = plugins.newConverter(className, key);
  converter.configure(source.originalsWithPrefix(`${key}.`), kind === 'key');
  return converter;
}
