/**
 * The start-up hunks of patches/kafkajs+2.2.4.patch: kafkajs loads the consumer, the SASL mechanisms
 * and each API's request definitions when they are first used, not when it is required. Each case
 * runs a fresh Node process (jest's module registry is not Node's) and fails when its hunk did not
 * apply; the rest checks that what is now loaded late still loads and works.
 */
import { spawnSync } from 'child_process';

/* eslint-disable @typescript-eslint/no-require-imports */
const { requests } = require('kafkajs/src/protocol/requests') as { requests: Record<string, { versions: string[]; protocol: (a: { version: number }) => unknown }> };
const apiKeys = require('kafkajs/src/protocol/requests/apiKeys') as Record<string, number>;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The kafkajs files (relative to kafkajs/src) a fresh Node has loaded after running `script`. */
function loadedAfter(script: string): string[] {
  const run = spawnSync(
    process.execPath,
    ['-e', `${script}; process.stdout.write(JSON.stringify(Object.keys(require.cache)))`],
    { cwd: __dirname, encoding: 'utf8', timeout: 30_000, env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' } },
  );
  expect(run.stderr).toBe('');
  return (JSON.parse(run.stdout) as string[]).filter((f) => f.includes('/node_modules/kafkajs/src/')).map((f) => f.replace(/.*\/node_modules\/kafkajs\/src\//, ''));
}

// A producer and an admin client made (not connected): what a FileStreamSource run has at start-up.
const PRODUCER_AND_ADMIN = "const { Kafka } = require('kafkajs'); const k = new Kafka({ brokers: ['127.0.0.1:1'] }); k.producer(); k.admin()";

describe('kafkajs start-up patches (lazy requires)', () => {
  const loaded = loadedAfter(PRODUCER_AND_ADMIN);

  test('the list is real: the producer, admin and cluster code are loaded', () => {
    expect(loaded).toEqual(expect.arrayContaining(['index.js', 'producer/index.js', 'admin/index.js', 'cluster/index.js', 'protocol/requests/index.js']));
  });

  test('src/index.js and src/admin/index.js: a producer and an admin client load no consumer code', () => {
    // consumer/assigners and consumer/assignerProtocol are exports of kafkajs's own index.js.
    expect(loaded.filter((f) => f.startsWith('consumer/') && !/^consumer\/(assigners\/|assignerProtocol\.js$)/.test(f))).toEqual([]);
  });

  test('src/broker/saslAuthenticator/index.js: no SASL mechanism is loaded without SASL', () => {
    expect(loaded.filter((f) => /^broker\/saslAuthenticator\/(?!index\.js$)|^protocol\/sasl\//.test(f))).toEqual([]);
  });

  test('src/protocol/requests/index.js: no API definitions are loaded before a request is made', () => {
    expect(loaded.filter((f) => /^protocol\/requests\/(?!index\.js$|apiKeys\.js$)/.test(f))).toEqual([]);
  });

  test('src/network/socketFactory.js: a client without TLS does not load tls; a TLS connection still gets a TLS socket', () => {
    const script = `
      const M = require('module'); const load = M._load; const asked = [];
      M._load = function (request) { asked.push(request); return load.apply(this, arguments); };
      ${PRODUCER_AND_ADMIN};
      const before = asked.filter((r) => r === 'tls' || r === 'node:tls').length;
      const socket = require('kafkajs/src/network/socketFactory')()({ host: '127.0.0.1', port: 1, ssl: {}, onConnect() {} });
      socket.on('error', () => undefined);
      console.error(JSON.stringify({ before, tlsSocket: socket instanceof require('tls').TLSSocket }));
      socket.destroy();`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8', timeout: 30_000, env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' } });
    expect(JSON.parse(run.stderr)).toEqual({ before: 0, tlsSocket: true });
  });

  test('a consumer made later loads the consumer code', () => {
    const later = loadedAfter(`${PRODUCER_AND_ADMIN}; k.consumer({ groupId: 'g' })`);
    expect(later).toEqual(expect.arrayContaining(['consumer/index.js', 'consumer/consumerGroup.js', 'consumer/runner.js']));
  });

  test('every API kafkajs implements is still listed and loads its definitions on first use', () => {
    const implemented = Object.entries(requests).filter(([, d]) => d.versions.length > 0);
    expect(implemented.length).toBe(33); // as many as kafkajs 2.2.4 lists with definitions
    for (const [name, definition] of implemented) {
      expect([name, typeof apiKeys[name], typeof definition.protocol]).toEqual([name, 'number', 'function']);
      const version = Math.max(...definition.versions.map(Number));
      expect([name, typeof definition.protocol({ version })]).toEqual([name, 'function']); // that version's request builder
    }
    expect(requests.Produce).toBe(requests.Produce); // the same definitions every time
  });

  test('every built-in SASL mechanism still resolves to its authenticator when used', () => {
    // The authenticator picks the provider after the broker's handshake lists the mechanism.
    const script = `
      const SASLAuthenticator = require('kafkajs/src/broker/saslAuthenticator');
      const logger = { namespace: () => logger, debug() {}, info() {}, warn() {}, error() {} };
      (async () => {
        const seen = {};
        for (const m of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512', 'AWS', 'OAUTHBEARER']) {
          const connection = { sasl: { mechanism: m.toLowerCase() }, host: 'h', port: 1, send: async () => ({ enabledMechanisms: [m] }) };
          await new SASLAuthenticator(connection, logger, { 17: { maxVersion: 1 }, 36: { maxVersion: 1 } }, true).authenticate().catch(() => undefined);
          seen[m] = typeof connection.sasl.authenticationProvider;
        }
        console.error(JSON.stringify(seen));
      })();`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8', timeout: 30_000 });
    expect(JSON.parse(run.stderr)).toEqual({ PLAIN: 'function', 'SCRAM-SHA-256': 'function', 'SCRAM-SHA-512': 'function', AWS: 'function', OAUTHBEARER: 'function' });
  });
});
