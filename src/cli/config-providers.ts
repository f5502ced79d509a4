import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../api';
import { parseProperties } from './properties-format';

/**
 * Kafka's config providers (KIP-297, KIP-887, KIP-993): `${provider:[path:]key}` variables in the
 * worker and connector configs are replaced before validation by values read from a .properties
 * file, an environment variable or a file in a directory. Unlike Kafka, which leaves a variable it
 * cannot resolve as it is, a variable of a configured provider that names a missing file, key or
 * variable (or a path outside `allowed.paths`) is an error naming it; a variable of a provider that
 * is not configured is left as text, as Kafka does. Errors never contain a resolved value.
 */

/** Kafka's ConfigTransformer.DEFAULT_PATTERN: `${provider:key}` or `${provider:path:key}`. */
const VARIABLE = /\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}/g;

export const CONFIG_PROVIDERS_CONFIG = 'config.providers';
const PREFIX = 'config.providers.';

/** Looks up one key; throws ConfigError saying what is missing (never a value). */
export interface ConfigProvider {
  get(path: string, key: string): string;
}

export interface ProviderEnvironment {
  env: NodeJS.ProcessEnv;
}

interface ProviderKind {
  className: string;
  shortName: string;
  create(params: Record<string, string>, where: string, environment: ProviderEnvironment): ConfigProvider;
}

const KINDS: ProviderKind[] = [
  {
    className: 'org.apache.kafka.common.config.provider.FileConfigProvider',
    shortName: 'FileConfigProvider',
    create: (params, where) => fileConfigProvider(allowedPaths(params['allowed.paths'], where)),
  },
  {
    className: 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    shortName: 'EnvVarConfigProvider',
    create: (params, where, environment) => envVarConfigProvider(environment.env, params['allowlist.pattern'], where),
  },
  {
    className: 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
    shortName: 'DirectoryConfigProvider',
    create: (params, where) => directoryConfigProvider(allowedPaths(params['allowed.paths'], where)),
  },
];

/**
 * The providers named by `config.providers` in the worker's raw properties, each configured from
 * its `config.providers.<name>.class` and `config.providers.<name>.param.*` keys.
 */
export function createConfigProviders(workerProps: Record<string, string>, environment: ProviderEnvironment = { env: process.env }): Map<string, ConfigProvider> {
  const providers = new Map<string, ConfigProvider>();
  const names = (workerProps[CONFIG_PROVIDERS_CONFIG] ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const name of names) {
    const classKey = `${PREFIX}${name}.class`;
    const className = workerProps[classKey]?.trim();
    if (!className) throw new ConfigError(`${CONFIG_PROVIDERS_CONFIG} lists '${name}' but ${classKey} is not set`);
    const kind = KINDS.find((k) => k.className === className || k.shortName === className);
    if (!kind) {
      const known = KINDS.map((k) => `${k.className} (${k.shortName})`).join(', ');
      throw ConfigError.invalidValue(classKey, className, `unknown config provider class; known: ${known}`);
    }
    const paramPrefix = `${PREFIX}${name}.param.`;
    const params: Record<string, string> = {};
    for (const [k, v] of Object.entries(workerProps)) if (k.startsWith(paramPrefix)) params[k.slice(paramPrefix.length)] = v;
    providers.set(name, kind.create(params, paramPrefix, environment));
  }
  return providers;
}

/** A config with its variables replaced, and the original text of every value that had one. */
export interface ResolvedConfig {
  props: Record<string, string>;
  /** Key -> the value as written, for the keys whose value was changed by a provider. */
  variables: Record<string, string>;
}

/**
 * Replaces the variables of configured providers in every value (one pass: a resolved value is not
 * scanned again). The provider settings themselves (`config.providers*`) are left as written.
 * `origin` (the config file) goes into errors.
 */
export function resolveConfigVariables(props: Record<string, string>, providers: Map<string, ConfigProvider>, origin: string): ResolvedConfig {
  const out: Record<string, string> = {};
  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    if (providers.size === 0 || key === CONFIG_PROVIDERS_CONFIG || key.startsWith(PREFIX)) {
      out[key] = value;
      continue;
    }
    let changed = false;
    out[key] = value.replace(VARIABLE, (text: string, name: string, _p: string | undefined, pathPart: string | undefined, variable: string) => {
      const provider = providers.get(name);
      if (!provider) return text;
      try {
        const resolved = provider.get(pathPart ?? '', variable);
        changed = true;
        return resolved;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        throw new ConfigError(`Cannot resolve ${text} in ${key} of ${origin}: ${reason}`);
      }
    });
    if (changed) variables[key] = value;
  }
  return { props: out, variables };
}

/**
 * A config's start-up log (AbstractConfig.logString) with each resolved value shown as written
 * (`${file:...}`), so no secret reaches the log. Lines after a key's line that do not start a new
 * `\tkey = ` line belong to a multi-line value and are dropped with it.
 */
export function hideResolvedValues(logString: string, variables: Record<string, string>): string {
  if (Object.keys(variables).length === 0) return logString;
  const lines = logString.split('\n');
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    const m = /^\t(\S+) = /.exec(line);
    if (m && Object.prototype.hasOwnProperty.call(variables, m[1])) {
      out.push(`\t${m[1]} = ${variables[m[1]]}`);
      skipping = true;
      continue;
    }
    if (skipping && !m && line !== '') continue;
    skipping = false;
    out.push(line);
  }
  return out.join('\n');
}

/**
 * A validation error whose message would show a resolved value (e.g. `Invalid value <secret> for
 * configuration ...`) gets the value replaced by the text as written; other errors pass through.
 */
export function hideResolvedInError(err: unknown, resolved: ResolvedConfig): unknown {
  if (!(err instanceof ConfigError)) return err;
  let message = err.message;
  for (const key of Object.keys(resolved.variables)) {
    const value = resolved.props[key];
    if (value) message = message.split(value).join(resolved.variables[key]);
  }
  // No cause: it would carry the message with the value.
  return message === err.message ? err : new ConfigError(message);
}

/** Kafka's AllowedPaths: absolute, existing paths; null when unrestricted. */
function allowedPaths(value: string | undefined, where: string): string[] | null {
  if (value === undefined || value === '') return null;
  return value.split(',').map((p) => {
    const normalized = stripTrailingSep(path.normalize(p));
    if (!path.isAbsolute(normalized)) throw ConfigError.invalidValue(`${where}allowed.paths`, value, `path ${normalized} is not absolute`);
    if (!fs.existsSync(normalized)) throw ConfigError.invalidValue(`${where}allowed.paths`, value, `path ${normalized} does not exist`);
    return normalized;
  });
}

/** The path to read, or an error when it lies outside `allowed.paths` (compared by whole path components, as Java's Path.startsWith). */
function checkedPath(p: string, allowed: string[] | null): string {
  if (allowed === null) return p;
  const normalized = stripTrailingSep(path.normalize(p));
  const inside = allowed.some((a) => normalized === a || normalized.startsWith(a.endsWith(path.sep) ? a : a + path.sep));
  if (!inside) throw new ConfigError(`path ${p} is outside allowed.paths (${allowed.join(',')})`);
  return normalized;
}

function stripTrailingSep(p: string): string {
  return p.length > 1 && p.endsWith(path.sep) ? p.slice(0, -1) : p;
}

function readError(what: string, p: string, err: unknown): ConfigError {
  const code = (err as NodeJS.ErrnoException).code;
  const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
  return new ConfigError(`cannot read ${what} ${p}: ${reason}`);
}

/** FileConfigProvider: `${name:/path/file.properties:key}` reads a key of a Java .properties file. */
export function fileConfigProvider(allowed: string[] | null = null): ConfigProvider {
  return {
    get(p, key) {
      if (p === '') throw new ConfigError(`FileConfigProvider needs a file: \${provider:/path/file.properties:${key}}`);
      const file = checkedPath(p, allowed);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw readError('properties file', p, err);
      }
      const props = parseProperties(text, p);
      if (!Object.prototype.hasOwnProperty.call(props, key)) throw new ConfigError(`no key ${key} in properties file ${p}`);
      return props[key];
    },
  };
}

/** EnvVarConfigProvider: `${name:VAR}` reads an environment variable whose name matches `allowlist.pattern` (whole name). */
export function envVarConfigProvider(env: NodeJS.ProcessEnv, allowlistPattern?: string, where = ''): ConfigProvider {
  let allow: RegExp | null = null;
  if (allowlistPattern !== undefined) {
    try {
      allow = new RegExp(`^(?:${allowlistPattern})$`);
    } catch (err) {
      throw ConfigError.invalidValue(`${where}allowlist.pattern`, allowlistPattern, `not a regular expression: ${(err as Error).message}`);
    }
  }
  return {
    get(p, key) {
      if (p !== '') throw new ConfigError(`Path is not supported for EnvVarConfigProvider, invalid value '${p}'`);
      if (allow && !allow.test(key)) throw new ConfigError(`environment variable ${key} does not match allowlist.pattern ${allowlistPattern}`);
      const value = env[key];
      if (value === undefined) throw new ConfigError(`environment variable ${key} is not set`);
      return value;
    },
  };
}

/**
 * DirectoryConfigProvider: `${name:/dir:file}` is the whole content of the regular file `file` in
 * `/dir` (symbolic links followed, as Kubernetes mounts secrets), not trimmed, as Kafka reads it.
 */
export function directoryConfigProvider(allowed: string[] | null = null): ConfigProvider {
  return {
    get(p, key) {
      if (p === '') throw new ConfigError(`DirectoryConfigProvider needs a directory: \${provider:/path/dir:${key}}`);
      const dir = checkedPath(p, allowed);
      let isDir = false;
      try {
        isDir = fs.statSync(dir).isDirectory();
      } catch (err) {
        throw readError('directory', p, err);
      }
      if (!isDir) throw new ConfigError(`${p} is not a directory`);
      if (key.includes('/') || key.includes(path.sep) || key === '.' || key === '..') throw new ConfigError(`no file ${key} in directory ${p}`);
      const file = path.join(dir, key);
      let isFile = false;
      try {
        isFile = fs.statSync(file).isFile();
      } catch {
        isFile = false;
      }
      if (!isFile) throw new ConfigError(`no file ${key} in directory ${p}`);
      try {
        return fs.readFileSync(file, 'utf8');
      } catch (err) {
        throw readError('file', file, err);
      }
    },
  };
}
