/**
 * Loads one CommonJS file (the CLI's bundle) with V8's code cache kept on disk. Compiling the bundle
 * is a large part of the start-up (issue 12); with the cache, V8 reuses the code compiled by an
 * earlier run, including the functions compiled while it started, since the cache is written after
 * start-up. (Node 22.1's `module.enableCompileCache()` writes each file's cache right after compiling
 * it, without those functions: measured slower for the bundle on Node 22, so it serves the other
 * files only.)
 *
 * The cache is an optimisation only: any problem with it (no directory, a rejected or unreadable
 * cache, a failed write) loads the file as usual and leaves the run unchanged. The directory is kept
 * per user and used only when it is the user's own and not writable by others, since a cache is
 * code that V8 runs. NODE_DISABLE_COMPILE_CACHE=1 turns it off and NODE_COMPILE_CACHE=<dir> moves
 * it, as with Node's own compile cache.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import Module = require('module');
import * as os from 'os';
import * as path from 'path';
import * as vm from 'vm';

/** What happened to the cache, for tests and NODE_DEBUG-style diagnosis. */
export type CodeCacheOutcome = 'disabled' | 'unsafe-directory' | 'used' | 'rejected' | 'missing';

export interface CodeCacheLoad {
  exports: unknown;
  outcome: CodeCacheOutcome;
  /** The cache file (null when the cache is disabled or its directory is not safe to use). */
  cacheFile: string | null;
  /** Writes the cache now if this run should (missing or rejected); the loader also does it at exit. */
  writeCache(): void;
}

/** After this long the cache is written, so that it holds the functions compiled during start-up. */
const WRITE_AFTER_MS = 2000;

interface NodeModuleInternals {
  wrap(source: string): string;
  _nodeModulePaths(dir: string): string[];
  _cache: Record<string, unknown>;
}

/** The cache directory, or null when it must not be used. Creates it (mode 0700) if missing. */
export function codeCacheDirectory(env: NodeJS.ProcessEnv = process.env): string | null {
  const uid = typeof process.getuid === 'function' ? process.getuid() : null;
  const dir = env.NODE_COMPILE_CACHE
    ? path.join(env.NODE_COMPILE_CACHE, 'connect-standalone')
    : path.join(os.tmpdir(), `connect-standalone-compile-cache${uid === null ? '' : `-${uid}`}`);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory()) return null;
    if (uid !== null && stat.uid !== uid) return null;
    if ((stat.mode & 0o022) !== 0) return null; // group or others could plant code
    return dir;
  } catch {
    return null;
  }
}

/**
 * Runs `file` as a CommonJS module (as `require(file)` would, registered in require.cache) and
 * returns its exports, compiling it with the cached code when there is a valid cache for this file
 * and this Node.
 */
export function loadWithCodeCache(file: string, env: NodeJS.ProcessEnv = process.env): CodeCacheLoad {
  const NodeModule = Module as unknown as typeof Module & NodeModuleInternals;
  const source = fs.readFileSync(file, 'utf8');
  const disabled = env.NODE_DISABLE_COMPILE_CACHE === '1';
  const dir = disabled ? null : codeCacheDirectory(env);
  let cacheFile: string | null = null;
  let cachedData: Buffer | undefined;
  if (dir) {
    // Keyed by the file's identity and change time (cheaper than hashing a megabyte at every start;
    // a rebuild or reinstall writes a new file) and the Node version. V8 also checks its version,
    // flags and the source's length, and rejects a cache that does not fit.
    const stat = fs.statSync(file);
    const key = createHash('sha256')
      .update([file, stat.ino, stat.size, stat.mtimeMs, process.version, process.arch].join('\0'))
      .digest('hex')
      .slice(0, 32);
    cacheFile = path.join(dir, `${path.basename(file)}-${key}.cache`);
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
  }
  const script = new vm.Script(NodeModule.wrap(source), { filename: file, cachedData });
  const outcome: CodeCacheOutcome = disabled ? 'disabled' : !dir ? 'unsafe-directory' : !cachedData ? 'missing' : script.cachedDataRejected ? 'rejected' : 'used';

  const mod = new Module(file, require.main);
  mod.filename = file;
  mod.paths = NodeModule._nodeModulePaths(path.dirname(file));
  NodeModule._cache[file] = mod;
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  try {
    wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  } catch (err) {
    delete NodeModule._cache[file];
    throw err;
  }
  mod.loaded = true;

  let pending = cacheFile !== null && (outcome === 'missing' || outcome === 'rejected');
  const writeCache = (): void => {
    if (!pending || cacheFile === null) return;
    pending = false;
    const temp = `${cacheFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(temp, cacheFile);
    } catch {
      fs.rmSync(temp, { force: true }); // a cache that cannot be written: the next run compiles again
    }
  };
  if (pending) {
    setTimeout(writeCache, WRITE_AFTER_MS).unref();
    process.once('exit', writeCache); // short runs (--once) get their cache too
  }
  return { exports: mod.exports, outcome, cacheFile, writeCache };
}
