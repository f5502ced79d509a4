import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

/** House rule 1: the API wall, and kafkajs only under src/runtime/kafka. */
describe('architecture', () => {
  const apiDir = path.join(root, 'src', 'api');

  it('src/api and connectors/* import only src/api (and Node or allowed packages)', () => {
    const offenders: string[] = [];
    for (const file of [...tsFiles(apiDir), ...tsFiles(path.join(root, 'connectors'))]) {
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) {
          if (spec === 'kafkajs') offenders.push(`${path.relative(root, file)} -> ${spec}`);
          continue;
        }
        const target = path.resolve(path.dirname(file), spec);
        const inApi = target === apiDir || target.startsWith(apiDir + path.sep);
        const connectorDir = (f: string): string | null => {
          const rel = path.relative(path.join(root, 'connectors'), f);
          return rel.startsWith('..') ? null : rel.split(path.sep)[0];
        };
        const sameConnector = connectorDir(file) !== null && connectorDir(file) === connectorDir(target);
        if (!inApi && !sameConnector) offenders.push(`${path.relative(root, file)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('src/transforms imports only src/api and its own modules (built-in transforms use the public API only)', () => {
    const transformsDir = path.join(root, 'src', 'transforms');
    const offenders: string[] = [];
    for (const file of tsFiles(transformsDir)) {
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = path.resolve(path.dirname(file), spec);
        const allowed = [apiDir, transformsDir].some((d) => target === d || target.startsWith(d + path.sep));
        if (!allowed) offenders.push(`${path.relative(root, file)} -> ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('only src/runtime/kafka imports kafkajs', () => {
    const kafkaDir = path.join(root, 'src', 'runtime', 'kafka');
    const offenders = [...tsFiles(path.join(root, 'src')), ...tsFiles(path.join(root, 'connectors'))]
      .filter((f) => !f.startsWith(kafkaDir + path.sep))
      .filter((f) => imports(f).includes('kafkajs'))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('only connectors/jdbc imports the database drivers', () => {
    const drivers = ['pg', 'mysql2', 'mysql2/promise', 'better-sqlite3'];
    const jdbcDir = path.join(root, 'connectors', 'jdbc');
    const offenders = [...tsFiles(path.join(root, 'src')), ...tsFiles(path.join(root, 'connectors'))]
      .filter((f) => !f.startsWith(jdbcDir + path.sep))
      .filter((f) => imports(f).some((spec) => drivers.includes(spec)))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });

  it('the scan sees the files it guards', () => {
    expect(tsFiles(apiDir).length).toBeGreaterThan(5);
    expect(tsFiles(path.join(root, 'src', 'runtime', 'kafka')).some((f) => imports(f).includes('kafkajs'))).toBe(true);
  });
});
