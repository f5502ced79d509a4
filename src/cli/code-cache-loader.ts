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

/**
 * What happened to the cache: `used` (a cache written after a start-up), `used-partial` (a cache
 * written at the exit of a short run, such as --version: it lacks what a longer run compiles, and is
 * replaced by a full one once a run lasts long enough), `missing`, `rejected` (by V8: another
 * Node, or damaged), `disabled` or `unsafe-directory`.
 */
export type CodeCacheOutcome = 'disabled' | 'unsafe-directory' | 'used' | 'used-partial' | 'rejected' | 'missing';

export interface CodeCacheLoad {
  exports: unknown;
  outcome: CodeCacheOutcome;
  /** The full cache's file (null when the cache is disabled or its directory is not safe to use). */
  cacheFile: string | null;
  /** The partial cache's file, written at the exit of a run shorter than WRITE_AFTER_MS. */
  partialCacheFile: string | null;
  /** Writes the full cache now if this run should (it did not use one); the loader does it after WRITE_AFTER_MS. */
  writeCache(): void;
}

/** After this long the full cache is written, so that it holds the functions compiled during start-up. */
const WRITE_AFTER_MS = 2000;

interface NodeModuleInternals {
  wrap(source: string): string;
  _nodeModulePaths(dir: string): string[];
  _cache: Record<string, unknown>;
}

const hash = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Writes a cache atomically (temp file, rename); a cache that cannot be written is only a slower next start. */
function writeAtomically(file: string, data: Buffer): boolean {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, data, { mode: 0o600 });
    fs.renameSync(temp, file);
    return true;
  } catch {
    fs.rmSync(temp, { force: true });
    return false;
  }
}

/** Removes the caches of earlier builds of the same file (same prefix), keeping `keep`. */
function removeOthers(dir: string, prefix: string, keep: string[]): void {
  try {
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(prefix) && !keep.includes(path.join(dir, name))) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    // left for the next run
  }
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
  let partialCacheFile: string | null = null;
  let prefix = '';
  let cachedData: Buffer | undefined;
  let partial = false;
  if (dir) {
    // One prefix per file path (so that a rebuild's write removes the caches of earlier builds), then
    // the file's identity and change time (cheaper than hashing a megabyte at every start; a rebuild
    // or reinstall writes a new file) and the Node version. V8 also checks its version, flags and
    // the source's length, and rejects a cache that does not fit.
    const stat = fs.statSync(file);
    prefix = `${path.basename(file)}-${hash(file).slice(0, 12)}-`;
    const key = hash([stat.ino, stat.size, stat.mtimeMs, process.version, process.arch].join('\0')).slice(0, 20);
    cacheFile = path.join(dir, `${prefix}${key}.cache`);
    partialCacheFile = path.join(dir, `${prefix}${key}.partial.cache`);
    for (const [candidate, isPartial] of [[cacheFile, false], [partialCacheFile, true]] as const) {
      try {
        cachedData = fs.readFileSync(candidate);
        partial = isPartial;
        break;
      } catch {
        cachedData = undefined;
      }
    }
  }
  const script = new vm.Script(NodeModule.wrap(source), { filename: file, cachedData });
  let outcome: CodeCacheOutcome;
  if (disabled) outcome = 'disabled';
  else if (!dir) outcome = 'unsafe-directory';
  else if (!cachedData) outcome = 'missing';
  else if (script.cachedDataRejected) outcome = 'rejected';
  else outcome = partial ? 'used-partial' : 'used';

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

  // The full cache after start-up, unless one was used; a partial one at the exit of a run that ends
  // sooner and found none usable (so that --once runs and --version get a cache too).
  let pending = cacheFile !== null && outcome !== 'used';
  const writeCache = (): void => {
    if (!pending || cacheFile === null || partialCacheFile === null) return;
    pending = false;
    if (writeAtomically(cacheFile, script.createCachedData())) removeOthers(path.dirname(cacheFile), prefix, [cacheFile]);
  };
  const writePartial = (): void => {
    if (!pending || partialCacheFile === null || outcome === 'used-partial') return;
    pending = false;
    if (writeAtomically(partialCacheFile, script.createCachedData())) removeOthers(path.dirname(partialCacheFile), prefix, [partialCacheFile]);
  };
  if (pending) {
    setTimeout(writeCache, WRITE_AFTER_MS).unref();
    process.once('exit', writePartial);
  }
  return { exports: mod.exports, outcome, cacheFile, partialCacheFile, writeCache };
}
