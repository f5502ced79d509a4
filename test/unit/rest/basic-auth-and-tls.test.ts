import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import * as os from 'os';
import * as path from 'path';
import { parseProperties } from '../../../src/cli/properties-format';
import { jaasConfigFile, loadBasicAuthUsers } from '../../../src/rest/basic-auth';
import { prepareRestServer, startRestServer } from '../../../src/rest/start-rest-server';
import { silentLogger } from '../../../src/runtime/runtime-logger';
import { parseWorkerConfig } from '../../../src/runtime/worker-config';
import { FakeHerder, FakeLoggers } from './fake-herder';

const base = { 'key.converter': 'StringConverter', 'value.converter': 'StringConverter', 'offset.storage.file.filename': '/tmp/offsets' };
const MODULE = 'org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule';

describe('basic auth set-up (BasicAuthSecurityRestExtension) and the https listener', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-rest-auth-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('reads the users of the KafkaConnect entry from a JAAS file named in KAFKA_OPTS or the worker key', () => {
    const users = file('users.properties', '# users\nadmin: admin-secret\nops=ops secret\n');
    const jaas = file('jaas.conf', `KafkaConnect {\n  ${MODULE} required\n  file="${users}";\n};\n`);
    const fromEnv = jaasConfigFile(parseWorkerConfig(base), { KAFKA_OPTS: `-Xmx1g -Djava.security.auth.login.config=${jaas} -Dother=1` });
    expect(fromEnv).toEqual({ file: jaas, from: 'KAFKA_OPTS' });
    expect(loadBasicAuthUsers(fromEnv, parseProperties)).toEqual(new Map([['admin', 'admin-secret'], ['ops', 'ops secret']]));
    expect(jaasConfigFile(parseWorkerConfig({ ...base, 'java.security.auth.login.config': jaas }), { KAFKA_OPTS: '-Djava.security.auth.login.config=/other' })?.file).toBe(jaas);
  });

  it('refuses a missing JAAS file setting, a missing entry, an empty users file and JndiLoginModule, naming what is wrong', () => {
    expect(() => loadBasicAuthUsers(null, parseProperties)).toThrow(/needs a JAAS file: set java\.security\.auth\.login\.config/);
    const other = file('other.conf', `Other { ${MODULE} required file="/x"; };`);
    expect(() => loadBasicAuthUsers({ file: other, from: 'x' }, parseProperties)).toThrow(`The JAAS file ${other} has no KafkaConnect entry`);
    const empty = file('empty.properties', '# nobody\n');
    const jaas = file('jaas.conf', `KafkaConnect { ${MODULE} required file="${empty}"; };`);
    expect(() => loadBasicAuthUsers({ file: jaas, from: 'x' }, parseProperties)).toThrow(`The users file ${empty} (named in ${jaas}) has no users`);
    const jndi = file('jndi.conf', 'KafkaConnect { com.sun.security.auth.module.JndiLoginModule required user.provider.url="ldap://x"; };');
    expect(() => loadBasicAuthUsers({ file: jndi, from: 'x' }, parseProperties)).toThrow(/JndiLoginModule is not allowed/);
    expect(() => loadBasicAuthUsers({ file: path.join(dir, 'missing.conf'), from: 'KAFKA_OPTS' }, parseProperties)).toThrow(/Cannot read the JAAS file \(KAFKA_OPTS\) .*missing\.conf/);
  });

  it('an https listener with a PEM key store serves the API over TLS', async () => {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const store = file('store.pem', fs.readFileSync(key, 'utf8') + fs.readFileSync(cert, 'utf8'));
    const config = parseWorkerConfig({ ...base, listeners: 'https://127.0.0.1:0', 'listeners.https.ssl.keystore.type': 'PEM', 'listeners.https.ssl.keystore.location': store });
    const prepared = prepareRestServer(config, { parseProperties });
    const server = await startRestServer(prepared, { herder: new FakeHerder(), loggers: new FakeLoggers(), logger: silentLogger, serverInfo: () => ({ version: '1', commit: 'c', kafka_cluster_id: null }) });
    try {
      const port = server!.listeners[0].port;
      const body = await new Promise<string>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port, path: '/', ca: fs.readFileSync(cert), servername: 'localhost', checkServerIdentity: () => undefined }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(JSON.parse(body)).toEqual({ version: '1', commit: 'c', kafka_cluster_id: null });
    } finally {
      await server?.stop();
    }
  });

  it('an https listener with a PKCS12 key store made by openssl (type taken from the file)', async () => {
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const p12 = path.join(dir, 'store.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-out', p12, '-passout', 'pass:store-pass'], { stdio: 'ignore' });
    const config = parseWorkerConfig({ ...base, listeners: 'https://127.0.0.1:0', 'listeners.https.ssl.keystore.location': p12, 'listeners.https.ssl.keystore.password': 'store-pass' });
    const server = await startRestServer(prepareRestServer(config, { parseProperties }), { herder: new FakeHerder(), loggers: new FakeLoggers(), logger: silentLogger, serverInfo: () => ({ version: '2', commit: 'c', kafka_cluster_id: null }) });
    try {
      const body = await new Promise<string>((resolve, reject) => {
        https.get({ host: '127.0.0.1', port: server!.listeners[0].port, path: '/', ca: fs.readFileSync(cert), checkServerIdentity: () => undefined }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(JSON.parse(body).version).toBe('2');
    } finally {
      await server?.stop();
    }
    const wrong = parseWorkerConfig({ ...base, listeners: 'https://127.0.0.1:0', 'listeners.https.ssl.keystore.location': p12, 'listeners.https.ssl.keystore.password': 'nope' });
    expect(() => prepareRestServer(wrong, { parseProperties })).toThrow(/listeners\.https\.ssl\.keystore/);
  });

  it('an https listener without a key store names the key', () => {
    expect(() => prepareRestServer(parseWorkerConfig({ ...base, listeners: 'https://127.0.0.1:0' }), { parseProperties })).toThrow(/listeners\.https\.ssl\.keystore\.location/);
  });
});
