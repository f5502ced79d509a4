import { AnyConverterPlugin, ConverterHeaderAdapter } from '../../../src/api';
import { builtinConverters } from '../../../src/converters/builtin-converters';

type Created = { constructor: { CLASS_NAME?: string } };

/** The table names each converter as plain data (its module loads on first use): the names must be the classes' own. */
describe('builtinConverters', () => {
  const converterOf = (plugin: AnyConverterPlugin): Created => {
    if ('create' in plugin && typeof plugin.create === 'function') return plugin.create() as unknown as Created;
    const header = plugin.createHeaderConverter();
    return (header instanceof ConverterHeaderAdapter ? (header as unknown as { converter: unknown }).converter : header) as Created;
  };

  it.each(builtinConverters.map((p) => [p.className, p] as const))('%s is the class name of what it creates', (className, plugin) => {
    expect(converterOf(plugin).constructor.CLASS_NAME).toBe(className);
    expect(plugin.aliases).toEqual([className.split('.').pop()]);
  });

  it('every key/value converter also creates header converters, and configDef is there for those that have keys', () => {
    for (const plugin of builtinConverters) {
      if ('createHeaderConverter' in plugin) expect(plugin.createHeaderConverter()).toBeDefined();
    }
    const withKeys = builtinConverters.filter((p) => p.configDef !== undefined).map((p) => p.aliases[0]);
    expect(withKeys).toEqual(['JsonConverter', 'StringConverter', 'AvroConverter', 'ProtobufConverter', 'JsonSchemaConverter']);
    for (const plugin of builtinConverters) if (plugin.configDef) expect(plugin.configDef.names().length).toBeGreaterThan(0);
  });
});
