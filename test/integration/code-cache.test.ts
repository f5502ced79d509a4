import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { useBroker, useTempDir } from './helpers/suite';
import { BIN, moduleListPreload, ROOT, stringSourceFiles } from './helpers/worker-process';

/**
 * The CLI runs its bundle (dist/src/cli/main.bundle.js, scripts/bundle-cli.js) with V8's code cache
 * (dist/src/cli/code-cache-loader.js on Node versions without module.enableCompileCache). Each load
 * is a process of its own, as at every start of the CLI: V8 serves a second compile of the same
 * source in one process from memory, without looking at the cache.
 */
describe('the bundle and its code cache', () => {
  const tmp = useTempDir('cs-code-cache-');
  const broker = useBroker();
  const LOADER = path.join(ROOT, 'dist', 'src', 'cli', 'code-cache-loader.js');

  /** A CommonJS module using require, module and __dirname. */
  function moduleFile(name: string, body = "module.exports = { answer: 40 + 2, dir: __dirname, sep: require('path').sep };"): string {
    const file = tmp.file(name);
    fs.writeFileSync(file, `'use strict';\n${body}\n`);
    return file;
  }

  interface Load {
    outcome?: string;
    exports?: unknown;
    inRequireCache?: boolean;
    cacheFile?: string | null;
    partialCacheFile?: string | null;
    error?: string;
    inCacheAfterError?: boolean;
  }

  /**
   * Loads `file` with the loader in a new process. The process ends at once, as --version does, so it
   * writes the partial cache at exit when it should; with `full`, it writes the full cache first, as a
   * run does after start-up.
   */
  function load(file: string, env: NodeJS.ProcessEnv, options: { full?: boolean } = {}): Load {
    const script = `
      const { loadWithCodeCache } = require(${JSON.stringify(LOADER)});
      try {
        const r = loadWithCodeCache(${JSON.stringify(file)});
        if (${Boolean(options.full)}) r.writeCache();
        console.log(JSON.stringify({ outcome: r.outcome, exports: r.exports, cacheFile: r.cacheFile, partialCacheFile: r.partialCacheFile, inRequireCache: require.cache[${JSON.stringify(file)}].exports === r.exports }));
      } catch (err) {
        console.log(JSON.stringify({ error: err.message, inCacheAfterError: ${JSON.stringify(file)} in require.cache }));
      }`;
    const run = spawnSync(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as Load;
  }

  // A cache directory of each test's own.
  let cacheRoot = '';
  let n = 0;
  beforeEach(() => (cacheRoot = tmp.file(`cache-${++n}`)));
  const cacheEnv = () => ({ NODE_COMPILE_CACHE: cacheRoot });
  const cached = () => fs.readdirSync(path.join(cacheRoot, 'connect-standalone')).sort();

  it('a short first run writes a partial cache at exit, the next uses it; a full cache, written after start-up, replaces it', () => {
    const file = moduleFile('a.js');
    const first = load(file, cacheEnv());
    expect(first).toMatchObject({ outcome: 'missing', exports: { answer: 42, dir: path.dirname(file), sep: path.sep }, inRequireCache: true });
    expect(first.cacheFile).toContain(path.join(cacheRoot, 'connect-standalone'));
    expect(cached()).toEqual([path.basename(first.partialCacheFile!)]);
    expect(fs.statSync(first.partialCacheFile!).mode & 0o077).toBe(0);
    expect(fs.statSync(path.dirname(first.partialCacheFile!)).mode & 0o777).toBe(0o700);

    expect(load(file, cacheEnv())).toMatchObject({ outcome: 'used-partial', exports: { answer: 42 }, inRequireCache: true });
    expect(cached()).toEqual([path.basename(first.partialCacheFile!)]); // a short run using it does not write again
    expect(load(file, cacheEnv(), { full: true })).toMatchObject({ outcome: 'used-partial' });
    expect(cached()).toEqual([path.basename(first.cacheFile!)]);
    expect(load(file, cacheEnv())).toMatchObject({ outcome: 'used', exports: { answer: 42 }, inRequireCache: true });
    expect(cached()).toEqual([path.basename(first.cacheFile!)]);
  });

  it('a damaged cache is rejected by V8, the module still runs, and the cache is written again', () => {
    const file = moduleFile('b.js');
    const { cacheFile } = load(file, cacheEnv(), { full: true });
    fs.writeFileSync(cacheFile!, Buffer.from('not a V8 code cache, not at all'));
    expect(load(file, cacheEnv())).toMatchObject({ outcome: 'rejected', exports: { answer: 42 } });
    expect(load(file, cacheEnv())).toMatchObject({ outcome: 'used-partial', exports: { answer: 42 } });
  });

  it('a changed file gets a cache of its own, never the old one, and the old one is removed', () => {
    const file = moduleFile('c.js');
    const before = load(file, cacheEnv(), { full: true });
    moduleFile('other.js');
    const other = load(tmp.file('other.js'), cacheEnv(), { full: true });
    fs.writeFileSync(file, "'use strict';\nmodule.exports = { answer: 7 };\n");
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const after = load(file, cacheEnv(), { full: true });
    expect(after).toMatchObject({ outcome: 'missing', exports: { answer: 7 } });
    expect(after.cacheFile).not.toBe(before.cacheFile);
    expect(cached()).toEqual([path.basename(after.cacheFile!), path.basename(other.cacheFile!)].sort());
  });

  it('NODE_DISABLE_COMPILE_CACHE=1 turns it off: nothing is read or written', () => {
    const file = moduleFile('d.js');
    expect(load(file, { ...cacheEnv(), NODE_DISABLE_COMPILE_CACHE: '1' })).toMatchObject({ outcome: 'disabled', cacheFile: null, exports: { answer: 42 } });
    expect(fs.existsSync(cacheRoot)).toBe(false);
  });

  it('a cache directory that others can write to is not used (a cache is code V8 runs)', () => {
    const file = moduleFile('e.js');
    const dir = path.join(cacheRoot, 'connect-standalone');
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o777);
    expect(load(file, cacheEnv())).toMatchObject({ outcome: 'unsafe-directory', cacheFile: null, exports: { answer: 42 } });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a module that throws while loading is not left in require.cache', () => {
    expect(load(moduleFile('f.js', "throw new Error('broken module');"), cacheEnv())).toEqual({ error: 'broken module', inCacheAfterError: false });
  });

  it('bin runs the bundle unless CONNECT_STANDALONE_NO_BUNDLE=1 or the bundle is older than the files tsc wrote', () => {
    // bin/connect-standalone in a copy of the package layout, with two stand-in entry points.
    const pkg = tmp.file('layout');
    const cli = path.join(pkg, 'dist', 'src', 'cli');
    fs.mkdirSync(path.join(pkg, 'bin'), { recursive: true });
    fs.mkdirSync(cli, { recursive: true });
    fs.copyFileSync(BIN, path.join(pkg, 'bin', 'connect-standalone'));
    fs.copyFileSync(LOADER, path.join(cli, 'code-cache-loader.js'));
    const entry = (which: string) => `exports.main = async () => { console.log(${JSON.stringify(which)}); return 0; };\n`;
    fs.writeFileSync(path.join(cli, 'main.js'), entry('unbundled'));
    fs.writeFileSync(path.join(cli, 'main.bundle.js'), entry('bundle'));
    const run = (env: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, [path.join(pkg, 'bin', 'connect-standalone')], { env: { PATH: process.env.PATH, ...cacheEnv(), ...env }, encoding: 'utf8' }).stdout.trim();
    const setTimes = (file: string, seconds: number) => fs.utimesSync(path.join(cli, file), seconds, seconds);
    setTimes('main.js', 1000);
    setTimes('main.bundle.js', 1000);
    expect(run()).toBe('bundle');
    expect(run({ CONNECT_STANDALONE_NO_BUNDLE: '1' })).toBe('unbundled');
    setTimes('main.js', 1002); // as npm may install a package: main.js written a moment after the bundle
    expect(run()).toBe('bundle');
    setTimes('main.js', 1100); // tsc ran after the bundle was built
    expect(run()).toBe('unbundled');
    fs.rmSync(path.join(cli, 'main.bundle.js'));
    setTimes('main.js', 1000);
    expect(run()).toBe('unbundled');
  });

  it('the CLI runs the bundle: kafkajs inside it (patched, says --version), the connector API from dist/src/api, a code cache after the first run', async () => {
    const topic = 'code-cache-cli';
    await broker.createTopic(topic, 1);
    const input = tmp.file('input.txt');
    fs.writeFileSync(input, 'one line\n');
    const { worker, source } = stringSourceFiles(tmp, broker.bootstrapServers, { name: 'code-cache-source', input, topic });
    const list = tmp.file('modules.txt');
    const env = { ...process.env, ...cacheEnv(), NODE_OPTIONS: `--require ${moduleListPreload(tmp, list)}` };
    delete env.CONNECT_STANDALONE_NO_BUNDLE;

    const run = spawnSync(process.execPath, [BIN, '--once', worker, source], { env, encoding: 'utf8', timeout: 60_000 });
    expect({ status: run.status, stderr: run.status === 0 ? '' : run.stderr }).toEqual({ status: 0, stderr: '' });
    const modules = fs.readFileSync(list, 'utf8').split('\n');
    expect(modules).toContain('dist/src/cli/main.bundle.js');
    expect(modules).toContain('dist/src/api/index.js'); // the one copy plugins from plugin.path get too
    expect(modules.filter((m) => /(^|\/)node_modules\/kafkajs\//.test(m) || /^dist\/src\/(runtime|cli\/connect-standalone)/.test(m))).toEqual([]);
    expect(run.stdout + run.stderr).toContain('producer patches applied (patches/kafkajs+2.2.4.patch, bundled into the CLI at build)');

    // The bundle's cache was written (on every Node version, by the loader): a --once run this short, at its exit.
    expect(cached().filter((f) => /^main\.bundle\.js-[0-9a-f]+-[0-9a-f]+\.(partial\.)?cache$/.test(f))).toHaveLength(1);

    const version = spawnSync(process.execPath, [BIN, '--version'], { env: { ...process.env, CONNECT_STANDALONE_NO_BUNDLE: '' }, encoding: 'utf8' });
    expect(version.stdout.split('\n')[1]).toBe('kafkajs 2.2.4: producer patches applied (patches/kafkajs+2.2.4.patch, bundled into the CLI at build)');
    const unbundled = spawnSync(process.execPath, [BIN, '--version'], { env: { ...process.env, CONNECT_STANDALONE_NO_BUNDLE: '1' }, encoding: 'utf8' });
    expect(unbundled.stdout.split('\n')[1]).toBe('kafkajs 2.2.4: producer patches applied (patches/kafkajs+2.2.4.patch)');
  });
});
