import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError } from '../../../src/api';
import {
  ConfigProvider,
  createConfigProviders,
  directoryConfigProvider,
  envVarConfigProvider,
  fileConfigProvider,
  hideResolvedInError,
  hideResolvedValues,
  resolveConfigVariables,
} from '../../../src/cli/config-providers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-providers-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const secretsDir = path.join(tmp, 'secrets');
const creds = path.join(tmp, 'creds.properties');
const outside = path.join(tmp, 'outside');
beforeAll(() => {
  fs.mkdirSync(secretsDir);
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(secretsDir, 'db-password'), 's3cret\n');
  fs.mkdirSync(path.join(secretsDir, 'sub'));
  fs.writeFileSync(creds, '# creds\ndb.password = p\\u00e4ss:word\ndb.user: admin\nempty=\n');
  fs.writeFileSync(path.join(outside, 'x.properties'), 'k=v\n');
});

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('FileConfigProvider', () => {
  it('reads a key of a .properties file, with Java escapes', () => {
    const p = fileConfigProvider();
    expect(p.get(creds, 'db.password')).toBe('päss:word');
    expect(p.get(creds, 'db.user')).toBe('admin');
    expect(p.get(creds, 'empty')).toBe('');
  });
  it('a missing key or file is an error naming it', () => {
    const p = fileConfigProvider();
    expect(errorOf(() => p.get(creds, 'nope')).message).toBe(`no key nope in properties file ${creds}`);
    expect(errorOf(() => p.get(path.join(tmp, 'none.properties'), 'k')).message).toBe(`cannot read properties file ${path.join(tmp, 'none.properties')}: no such file`);
  });
  it('allowed.paths: inside is read, outside (also by ..) is an error naming allowed.paths', () => {
    const p = fileConfigProvider([tmp + '/secrets', creds].map((x) => path.normalize(x)));
    expect(p.get(creds, 'db.user')).toBe('admin');
    expect(errorOf(() => p.get(path.join(outside, 'x.properties'), 'k')).message).toMatch(/^path .*outside\/x.properties is outside allowed.paths/);
    expect(errorOf(() => p.get(`${secretsDir}/../outside/x.properties`, 'k')).message).toContain('outside allowed.paths');
  });
});

describe('EnvVarConfigProvider', () => {
  const env = { DB_PASSWORD: 'pw', OTHER: 'o', EMPTY: '' };
  it('reads a variable; empty is a value', () => {
    const p = envVarConfigProvider(env);
    expect(p.get('', 'DB_PASSWORD')).toBe('pw');
    expect(p.get('', 'EMPTY')).toBe('');
  });
  it('a variable that is not set is an error naming it', () => {
    expect(errorOf(() => envVarConfigProvider(env).get('', 'NOPE')).message).toBe('environment variable NOPE is not set');
  });
  it('allowlist.pattern must match the whole name', () => {
    const p = envVarConfigProvider(env, 'DB_.*');
    expect(p.get('', 'DB_PASSWORD')).toBe('pw');
    expect(errorOf(() => p.get('', 'OTHER')).message).toBe('environment variable OTHER does not match allowlist.pattern DB_.*');
    expect(errorOf(() => envVarConfigProvider(env, 'DB').get('', 'DB_PASSWORD')).message).toContain('does not match allowlist.pattern');
  });
  it('a path is an error, as Kafka', () => {
    expect(errorOf(() => envVarConfigProvider(env).get('/x', 'OTHER')).message).toContain("Path is not supported for EnvVarConfigProvider, invalid value '/x'");
  });
  it('a bad pattern names allowlist.pattern', () => {
    expect(errorOf(() => envVarConfigProvider(env, '(', 'config.providers.env.param.')).message).toMatch(/^Invalid value \( for configuration config.providers.env.param.allowlist.pattern/);
  });
});

describe('DirectoryConfigProvider', () => {
  it('the value is the whole file, not trimmed (as Kafka)', () => {
    expect(directoryConfigProvider().get(secretsDir, 'db-password')).toBe('s3cret\n');
  });
  it('a missing file, a subdirectory, a path in the key or a missing directory is an error', () => {
    const p = directoryConfigProvider();
    expect(errorOf(() => p.get(secretsDir, 'nope')).message).toBe(`no file nope in directory ${secretsDir}`);
    expect(errorOf(() => p.get(secretsDir, 'sub')).message).toBe(`no file sub in directory ${secretsDir}`);
    expect(errorOf(() => p.get(tmp, 'secrets/db-password')).message).toContain('no file secrets/db-password');
    expect(errorOf(() => p.get(path.join(tmp, 'none'), 'k')).message).toContain('no such file');
    expect(errorOf(() => p.get(creds, 'k')).message).toBe(`${creds} is not a directory`);
  });
  it('allowed.paths restricts the directory', () => {
    const p = directoryConfigProvider([secretsDir]);
    expect(p.get(secretsDir + '/', 'db-password')).toBe('s3cret\n');
    expect(errorOf(() => p.get(outside, 'x.properties')).message).toContain('outside allowed.paths');
    // Whole path components: /tmp/x/secrets-other is not under /tmp/x/secrets.
    fs.mkdirSync(secretsDir + '-other', { recursive: true });
    expect(errorOf(() => p.get(secretsDir + '-other', 'k')).message).toContain('outside allowed.paths');
  });
});

describe('createConfigProviders', () => {
  it('Kafka class names and short names, with params', () => {
    const providers = createConfigProviders({
      'config.providers': 'file, env,dir',
      'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
      'config.providers.file.param.allowed.paths': tmp,
      'config.providers.env.class': 'EnvVarConfigProvider',
      'config.providers.env.param.allowlist.pattern': 'A.*',
      'config.providers.dir.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
    }, { env: { A1: 'a', B1: 'b' } });
    expect([...providers.keys()]).toEqual(['file', 'env', 'dir']);
    expect(providers.get('env')!.get('', 'A1')).toBe('a');
    expect(() => providers.get('env')!.get('', 'B1')).toThrow('allowlist.pattern');
    expect(providers.get('dir')!.get(secretsDir, 'db-password')).toBe('s3cret\n');
  });
  it('no config.providers: no providers', () => {
    expect(createConfigProviders({}).size).toBe(0);
  });
  it('a missing or unknown class is an error naming the key', () => {
    expect(errorOf(() => createConfigProviders({ 'config.providers': 'vault' })).message).toBe("config.providers lists 'vault' but config.providers.vault.class is not set");
    const e = errorOf(() => createConfigProviders({ 'config.providers': 'v', 'config.providers.v.class': 'com.example.Vault' }));
    expect(e.message).toContain('Invalid value com.example.Vault for configuration config.providers.v.class');
    expect(e.message).toContain('org.apache.kafka.common.config.provider.FileConfigProvider (FileConfigProvider)');
  });
  it('allowed.paths must be absolute and exist (as Kafka)', () => {
    const base = { 'config.providers': 'file', 'config.providers.file.class': 'FileConfigProvider' };
    expect(errorOf(() => createConfigProviders({ ...base, 'config.providers.file.param.allowed.paths': 'rel/dir' })).message).toContain('config.providers.file.param.allowed.paths: path rel/dir is not absolute');
    expect(errorOf(() => createConfigProviders({ ...base, 'config.providers.file.param.allowed.paths': `${tmp}/nope` })).message).toContain('does not exist');
  });
});

describe('resolveConfigVariables (Kafka ConfigTransformer pattern)', () => {
  const fake: ConfigProvider = {
    get(p, key) {
      if (key === 'missing') throw new ConfigError('no key missing');
      return `<${p}|${key}>`;
    },
  };
  const providers = new Map([['p', fake]]);

  it('${p:key}, ${p:path:key}, a path with colons splits at the first two, several in one value', () => {
    const r = resolveConfigVariables({ a: '${p:k}', b: 'x${p:/dir/f:k}y', c: '${p:a:b:c}', d: '${p:k1}-${p:k2}', plain: 'v' }, providers, 'f.properties');
    expect(r.props).toEqual({ a: '<|k>', b: 'x</dir/f|k>y', c: '<a|b:c>', d: '<|k1>-<|k2>', plain: 'v' });
    expect(r.variables).toEqual({ a: '${p:k}', b: 'x${p:/dir/f:k}y', c: '${p:a:b:c}', d: '${p:k1}-${p:k2}' });
  });
  it('an unknown provider or text without a colon is left as is', () => {
    const r = resolveConfigVariables({ a: '${other:k}', b: '${nocolon}', c: '$p:k' }, providers, 'f');
    expect(r.props).toEqual({ a: '${other:k}', b: '${nocolon}', c: '$p:k' });
    expect(r.variables).toEqual({});
  });
  it('a resolved value is not scanned again', () => {
    const nested: ConfigProvider = { get: () => '${p:again}' };
    expect(resolveConfigVariables({ a: '${p:k}' }, new Map([['p', nested]]), 'f').props.a).toBe('${p:again}');
  });
  it('the provider keys themselves are not resolved', () => {
    const r = resolveConfigVariables({ 'config.providers.p.param.x': '${p:k}' }, providers, 'f');
    expect(r.props['config.providers.p.param.x']).toBe('${p:k}');
  });
  it('an unresolvable variable names the variable, the key and the file', () => {
    expect(errorOf(() => resolveConfigVariables({ pw: 'a${p:missing}' }, providers, 'c.properties')).message).toBe('Cannot resolve ${p:missing} in pw of c.properties: no key missing');
  });
});

describe('hiding resolved values', () => {
  it('the config log shows the text as written for resolved keys, including multi-line values', () => {
    const log = 'X values: \n\ta = 1\n\tpw = hunter2\n\tz = line1\nline2\n\tzz = 3\n';
    const out = hideResolvedValues(log, { pw: '${env:PW}', z: '${file:/f:z}' });
    expect(out).toBe('X values: \n\ta = 1\n\tpw = ${env:PW}\n\tz = ${file:/f:z}\n\tzz = 3\n');
  });
  it('a validation error showing a resolved value shows the text as written, with no cause', () => {
    const err = hideResolvedInError(ConfigError.invalidValue('tasks.max', 'hunter2', 'Not a number'), { props: { 'tasks.max': 'hunter2' }, variables: { 'tasks.max': '${env:X}' } }) as ConfigError;
    expect(err.message).toBe('Invalid value ${env:X} for configuration tasks.max: Not a number');
    expect(err.cause).toBeUndefined();
  });
});
