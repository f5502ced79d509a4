import { AbstractConfig, Converter, HeaderConverter } from '../api';
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

/**
 * The header converter of one task: the connector's own `header.converter` with its
 * `header.converter.*` settings if it names one, else the worker's, which defaults to
 * SimpleHeaderConverter (Kafka's Worker.newHeaderConverter).
 */
export function newTaskHeaderConverter(connector: AbstractConfig, worker: AbstractConfig, plugins: PluginRegistry): HeaderConverter {
  const key = 'header.converter';
  const own = connector.getClass(key);
  const source = own ? connector : worker;
  const className = own ?? (worker.getClass(key) as string);
  const converter = plugins.newHeaderConverter(className, key);
  converter.configure(source.originalsWithPrefix(`${key}.`));
  return converter;
}
