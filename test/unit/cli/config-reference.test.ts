import * as fs from 'fs';
import * as path from 'path';
import { builtinPlugins } from '../../../src/cli/builtin-plugins';
import { renderConfigReference, withConfigReference } from '../../../src/cli/config-reference';

/** The README's configuration reference is generated from the ConfigDefs; stale docs fail here. */
describe('README configuration reference', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', '..', '..', 'README.md'), 'utf8');

  it('is up to date (run `npm run docs`)', () => {
    expect(withConfigReference(readme)).toBe(readme);
  });

  it('lists the keys users touch', () => {
    const text = renderConfigReference();
    for (const key of ['bootstrap.servers', 'offset.storage.file.filename', 'offset.flush.interval.ms', 'topics.regex', 'batch.size', '`file`', 'schemas.enable', 'security.protocol']) {
      expect(text).toContain(key);
    }
  });

  it('has a section per built-in transform and predicate, with its keys', () => {
    const text = renderConfigReference();
    const plugins = builtinPlugins();
    for (const plugin of [...plugins.transformationPlugins(), ...plugins.predicatePlugins()]) {
      expect(text).toContain(`(\`${plugin.className}\``);
      for (const key of plugin.create().config().names()) expect(text).toContain(`| \`${key}\` |`);
    }
    expect(text).toContain('| `transforms` | LIST |');
    expect(text).toContain('| `predicates` | LIST |');
  });
});
