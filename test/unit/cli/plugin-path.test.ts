import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadPluginPath } from '../../../src/cli/plugin-path';
import { PluginRegistry } from '../../../src/runtime/plugins';
import { RuntimeLogger } from '../../../src/runtime/runtime-logger';

function recordingLogger(lines: string[]): RuntimeLogger {
  const log = (m: string) => void lines.push(m);
  const logger: RuntimeLogger = { debug: log, info: log, warn: log, error: log, isLevelEnabled: () => true, child: () => logger };
  return logger;
}

describe('plugin.path', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plugins-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('loads connector plugins from a JavaScript module and skips Java plugin directories', () => {
    const mod = path.join(dir, 'my-plugin.js');
    fs.writeFileSync(
      mod,
      `exports.connectorPlugins = [{ className: 'com.example.MySource', aliases: ['MySource'], kind: 'source', create() { throw new Error('not used'); } }];`,
    );
    const javaDir = path.join(dir, 'confluentinc-kafka-connect-jdbc');
    fs.mkdirSync(javaDir);
    fs.writeFileSync(path.join(javaDir, 'kafka-connect-jdbc.jar'), 'PK');
    const lines: string[] = [];
    const registry = new PluginRegistry();
    loadPluginPath([mod, javaDir, path.join(dir, 'missing')], registry, recordingLogger(lines));
    expect(registry.connectorPlugin('MySource').className).toBe('com.example.MySource');
    expect(lines.some((l) => l.includes('confluentinc-kafka-connect-jdbc is not a JavaScript plugin module'))).toBe(true);
    expect(lines.some((l) => l.includes('missing does not exist'))).toBe(true);
  });

  it('loads a module that exports only transformations and predicates', () => {
    const mod = path.join(dir, 'my-transforms.js');
    fs.writeFileSync(
      mod,
      `exports.transformationPlugins = [{ className: 'com.example.Upper', aliases: ['Upper'], create() { throw new Error('not used'); } }];\n` +
        `exports.predicatePlugins = [{ className: 'com.example.IsEven', aliases: [], create() { throw new Error('not used'); } }];`,
    );
    const lines: string[] = [];
    const registry = new PluginRegistry();
    loadPluginPath([mod], registry, recordingLogger(lines));
    expect(registry.transformationPlugin('Upper', 'transforms.u.type').className).toBe('com.example.Upper');
    expect(registry.predicatePlugin('com.example.IsEven', 'predicates.p.type').className).toBe('com.example.IsEven');
    expect(lines.some((l) => l.includes('1 transformation(s) and 1 predicate(s)'))).toBe(true);
  });

  it('names the entry when a module exports no plugins', () => {
    const empty = path.join(dir, 'empty.js');
    fs.writeFileSync(empty, 'exports.x = 1;');
    expect(() => loadPluginPath([empty], new PluginRegistry(), recordingLogger([]))).toThrow(
      `Invalid value ${empty} for configuration plugin.path: The module exports none of connectorPlugins, converterPlugins, transformationPlugins, predicatePlugins`,
    );
  });
});
