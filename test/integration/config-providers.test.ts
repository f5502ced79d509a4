import * as fs from 'fs';
import { readTopic } from '../harness/kcat';
import { errorLine, runCli, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * Config providers through the CLI: `${file:...}`, `${env:...}` and `${dir:...}` variables resolved
 * in connector configs before validation; unresolvable ones stop start-up with one line naming them;
 * no resolved secret ever reaches stderr, even at debug level.
 */
const SECRET = 'hunter2-Zq8x';
const ENV_SECRET = 'CS_IT_PROVIDER_SECRET';

describe('config providers', () => {
  const tmp = useTempDir();
  const providers = (extra: Record<string, string> = {}) => ({
    'config.providers': 'file,env,dir',
    'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
    'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
    'config.providers.env.param.allowlist.pattern': 'CS_IT_.*',
    'config.providers.dir.class': 'DirectoryConfigProvider',
    ...extra,
  });
  const connector = (props: Record<string, string>) => writeProperties(tmp.file(`c${Math.random().toString(36).slice(2)}.properties`), props);
  let creds: string;
  let secretsDir: string;

  beforeAll(() => {
    process.env[ENV_SECRET] = SECRET;
    creds = tmp.file('creds.properties');
    secretsDir = tmp.file('secrets');
    fs.mkdirSync(secretsDir);
    fs.writeFileSync(tmp.file('input.txt'), 'hello\nworld\n');
    writeProperties(creds, { 'source.file': tmp.file('input.txt'), 'tasks': SECRET });
    fs.writeFileSync(`${secretsDir}/token`, SECRET);
  });
  afterAll(() => delete process.env[ENV_SECRET]);

  describe('start-up errors (no broker reached)', () => {
    let worker: string;
    beforeAll(() => {
      worker = writeProperties(tmp.file('worker.properties'), {
        ...testWorkerProps('127.0.0.1:1', tmp.file('err.offsets')),
        ...providers({ 'config.providers.file.param.allowed.paths': tmp.dir }),
      });
    });

    const cases: Array<[string, () => string, (file: string) => string]> = [
      ['a missing key in a properties file', () => `\${file:${creds}:db.password}`, (f) => `Cannot resolve \${file:${creds}:db.password} in file of ${f}: no key db.password in properties file ${creds}`],
      ['a missing properties file', () => `\${file:${tmp.dir}/none.properties:k}`, (f) => `Cannot resolve \${file:${tmp.dir}/none.properties:k} in file of ${f}: cannot read properties file ${tmp.dir}/none.properties: no such file`],
      ['an unset environment variable', () => '${env:CS_IT_UNSET}', (f) => `Cannot resolve \${env:CS_IT_UNSET} in file of ${f}: environment variable CS_IT_UNSET is not set`],
      ['a variable outside allowlist.pattern', () => '${env:HOME}', (f) => `Cannot resolve \${env:HOME} in file of ${f}: environment variable HOME does not match allowlist.pattern CS_IT_.*`],
      ['a missing file in a directory', () => `\${dir:${secretsDir}:nope}`, (f) => `Cannot resolve \${dir:${secretsDir}:nope} in file of ${f}: no file nope in directory ${secretsDir}`],
      ['a path outside allowed.paths', () => '${file:/etc/hostname:k}', (f) => `Cannot resolve \${file:/etc/hostname:k} in file of ${f}: path /etc/hostname is outside allowed.paths (${tmp.dir})`],
    ];
    it.each(cases)('%s: exit 1, one line naming it', async (_what, value, expected) => {
      const file = connector({ name: 'src', 'connector.class': 'FileStreamSource', topic: 't', file: value() });
      const r = await runCli([worker, file]);
      expect(r.code).toBe(1);
      expect(errorLine(r.stderr)).toBe(`connect-standalone: ${expected(file)}`);
    });

    it('an unknown provider name is left as text (as Kafka), then validated as such', async () => {
      const file = connector({ name: 'src', 'connector.class': 'FileStreamSource', topic: 't', 'batch.size': '${vault:x:y}' });
      const r = await runCli([worker, file]);
      expect(r.code).toBe(1);
      expect(errorLine(r.stderr)).toContain('Invalid value ${vault:x:y} for configuration batch.size');
    });

    it('an invalid resolved value is reported as written, never as the secret', async () => {
      const file = connector({ name: 'src', 'connector.class': 'FileStreamSource', topic: 't', 'batch.size': `\${file:${creds}:tasks}` });
      const r = await runCli(['--log-level', 'debug', worker, file]);
      expect(r.code).toBe(1);
      expect(errorLine(r.stderr)).toContain(`Invalid value \${file:${creds}:tasks} for configuration batch.size`);
      expect(r.stderr).not.toContain(SECRET);
    });

    it('an unknown provider class names the key', async () => {
      const bad = writeProperties(tmp.file('bad-worker.properties'), { ...testWorkerProps('127.0.0.1:1', tmp.file('err.offsets')), 'config.providers': 'v', 'config.providers.v.class': 'com.example.Vault' });
      const r = await runCli([bad]);
      expect(r.code).toBe(1);
      expect(errorLine(r.stderr)).toMatch(new RegExp(`^connect-standalone: Invalid worker config ${bad}: Invalid value com.example.Vault for configuration config.providers.v.class: unknown config provider class`));
    });
  });

  describe('with a broker', () => {
    const broker = useBroker();

    it('file, env and dir variables are resolved into a running connector; no secret on stderr at debug', async () => {
      const topic = 'providers';
      await broker.createTopic(topic, 1);
      const worker = writeProperties(tmp.file('run-worker.properties'), {
        ...testWorkerProps(broker.bootstrapServers, tmp.file('run.offsets'), { 'value.converter.schemas.enable': 'false' }),
        ...providers(),
        'client.id': '${env:CS_IT_PROVIDER_SECRET}',
      });
      const source = connector({
        name: 'src',
        'connector.class': 'FileStreamSource',
        file: `\${file:${creds}:source.file}`,
        topic,
        transforms: 'hoist,token',
        'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
        'transforms.hoist.field': 'line',
        'transforms.token.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
        'transforms.token.static.field': 'token',
        'transforms.token.static.value': `\${dir:${secretsDir}:token}`,
      });
      const w = startWorker([worker, source], { logLevel: 'debug' });
      try {
        const messages = await readTopic(broker.bootstrapServers, topic, { count: 2 });
        expect(messages.map((m) => JSON.parse(m.value!.toString('utf8')))).toEqual([
          { line: 'hello', token: SECRET },
          { line: 'world', token: SECRET },
        ]);
        await w.waitForLog(/StandaloneConfig values/);
      } finally {
        expect(await w.stop()).toBe(0);
      }
      const stderr = w.stderr();
      expect(stderr).toContain('client.id = ${env:CS_IT_PROVIDER_SECRET}');
      expect(stderr).toContain(`file = \${file:${creds}:source.file}`);
      expect(stderr).toContain('"level":20');
      expect(stderr).not.toContain(SECRET);
      expect(stderr).not.toContain("'config.providers.");
    });
  });
});
