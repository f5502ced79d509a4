import * as fs from 'fs';
import * as path from 'path';
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
});
