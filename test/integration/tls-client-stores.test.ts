import * as fs from 'fs';
import * as net from 'net';
import * as tls from 'tls';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaClientSettings } from '../../src/runtime/kafka/client-config';
import { parseWorkerConfig } from '../../src/runtime/worker-config';
import { makeTlsStores, TlsStores } from '../harness/tls-stores';
import { errorLine, runCli, tempDir, testWorkerProps, writeProperties } from './helpers/worker-process';

/**
 * Key and trust stores made by openssl and keytool in the test, against a real mutual-TLS endpoint: a
 * Node TLS server on loopback with a certificate for localhost signed by the test CA, requiring a
 * client certificate signed by the same CA. The Kafka clients' options come from the same
 * kafkaClientSettings() the worker uses, and kafkajs makes the connection. The endpoint does not
 * speak Kafka: what is checked is the handshake (which certificate each side presented and accepted).
 */
describe('TLS key and trust stores against a mutual-TLS endpoint', () => {
  let stores: TlsStores;
  let server: tls.Server;
  let port: number;
  const tmp = tempDir('tls-it-');
  /** Subjects of client certificates the server accepted, and the handshake errors it saw. */
  let accepted: string[] = [];
  let rejected: string[] = [];

  beforeAll(async () => {
    stores = makeTlsStores();
    server = tls.createServer({
      key: fs.readFileSync(stores.serverKey),
      cert: fs.readFileSync(stores.serverCert),
      ca: fs.readFileSync(stores.caPem),
      requestCert: true,
      rejectUnauthorized: true,
    });
    server.on('secureConnection', (socket) => {
      accepted.push(socket.getPeerCertificate().subject.CN);
      socket.destroy();
    });
    server.on('tlsClientError', (err) => rejected.push(err.message));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  }, 60000);
  beforeEach(() => {
    accepted = [];
    rejected = [];
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    fs.rmSync(stores.dir, { recursive: true, force: true });
    tmp.cleanup();
  });

  /** Connects a kafkajs admin client made from these worker keys; resolves with the connect error, if any. */
  async function connectWith(props: Record<string, string>): Promise<Error | null> {
    const base = Object.fromEntries(Object.entries(testWorkerProps(`localhost:${port}`, tmp.file('x.offsets'))).map(([k, v]) => [k, String(v)]));
    const worker = parseWorkerConfig({ ...base, 'security.protocol': 'SSL', 'request.timeout.ms': '2000', ...props });
    const { kafka } = kafkaClientSettings(worker, 'admin', 'tls-test');
    const admin = new Kafka({ ...kafka, logLevel: logLevel.NOTHING, retry: { retries: 0 } }).admin();
    try {
      await admin.connect();
      return null;
    } catch (err) {
      return err as Error;
    } finally {
      await admin.disconnect();
    }
  }

  const combinations: Array<[string, () => Record<string, string>]> = [
    ['JKS key store + JKS trust store', () => ({ 'ssl.keystore.location': stores.clientJks, 'ssl.keystore.type': 'JKS', 'ssl.keystore.password': stores.storePassword, 'ssl.key.password': stores.keyPassword, 'ssl.truststore.location': stores.trustJks, 'ssl.truststore.type': 'JKS', 'ssl.truststore.password': stores.storePassword })],
    ['PKCS12 key store + PKCS12 trust store', () => ({ 'ssl.keystore.location': stores.clientP12, 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.password': stores.storePassword, 'ssl.truststore.location': stores.trustP12, 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.password': stores.storePassword })],
    ['PEM key store (encrypted key) + PEM trust store', () => ({ 'ssl.keystore.location': stores.clientEncryptedPem, 'ssl.keystore.type': 'PEM', 'ssl.key.password': stores.pemKeyPassword, 'ssl.truststore.location': stores.caPem, 'ssl.truststore.type': 'PEM' })],
    ['a Kafka worker file without store types (JKS files)', () => ({ 'ssl.keystore.location': stores.clientJks, 'ssl.keystore.password': stores.storePassword, 'ssl.truststore.location': stores.trustJks, 'ssl.truststore.password': stores.storePassword })],
    ['admin.-prefixed keys', () => ({ 'admin.ssl.keystore.location': stores.clientP12, 'admin.ssl.keystore.password': stores.storePassword, 'admin.ssl.truststore.location': stores.trustJks, 'admin.ssl.truststore.password': stores.storePassword })],
  ];

  it.each(combinations)('%s: both sides accept each other', async (_name, props) => {
    await connectWith(props()); // the endpoint closes after the handshake: connect itself then fails
    expect(rejected).toEqual([]);
    expect(accepted).toContain('client');
  });

  it('a trust store without the server\'s CA: the client refuses the server', async () => {
    const err = await connectWith({ 'ssl.keystore.location': stores.clientJks, 'ssl.keystore.password': stores.storePassword, 'ssl.truststore.location': stores.otherTrustJks, 'ssl.truststore.password': stores.storePassword });
    expect(err).not.toBeNull();
    expect(accepted).toEqual([]);
  });

  it('no key store: the server refuses the client', async () => {
    const err = await connectWith({ 'ssl.truststore.location': stores.trustJks, 'ssl.truststore.password': stores.storePassword });
    expect(err).not.toBeNull();
    expect(accepted).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(rejected.join('\n')).toMatch(/certificate/i);
  });

  describe('through the CLI', () => {
    const sink = () => writeProperties(tmp.file('sink.properties'), { name: 'tls-sink', 'connector.class': 'FileStreamSink', file: tmp.file('sink.txt'), topics: 't' });

    it('the worker\'s clients present the JKS client certificate to the broker endpoint', async () => {
      const offsets = tmp.file('cli-ok.offsets');
      const worker = writeProperties(tmp.file('cli-ok.properties'), {
        ...testWorkerProps(`localhost:${port}`, offsets, { 'default.api.timeout.ms': 3000 }),
        'security.protocol': 'SSL',
        'ssl.keystore.location': stores.clientJks,
        'ssl.keystore.password': stores.storePassword,
        'ssl.truststore.location': stores.trustJks,
        'ssl.truststore.password': stores.storePassword,
      });
      const r = await runCli(['--no-rest', worker, sink()], 60000);
      // The endpoint is no Kafka broker, so the worker gives up after default.api.timeout.ms; the handshake happened.
      expect(r.code).not.toBe(0);
      expect(accepted).toContain('client');
      expect(r.stderr).not.toContain(stores.storePassword);
    }, 70000);

    it.each([
      ['a wrong trust store password', { 'ssl.truststore.location': 'trustJks', 'ssl.truststore.password': 'not-the-password' }, 'ssl.truststore.location', 'trustJks'],
      ['a wrong PKCS12 key store password', { 'ssl.keystore.location': 'clientP12', 'ssl.keystore.password': 'not-the-password' }, 'ssl.keystore.password', 'clientP12'],
      ['a PEM file declared JKS', { 'ssl.truststore.location': 'caPem', 'ssl.truststore.type': 'JKS' }, 'ssl.truststore.type', 'caPem'],
    ] as const)('%s: exit 1 at start-up naming the key and file, nothing written, no connection', async (_name, props, key, fileRef) => {
      const offsets = tmp.file(`bad-${Math.random().toString(36).slice(2)}.offsets`);
      const resolved: Record<string, string> = {};
      for (const [k, v] of Object.entries(props)) resolved[k] = k.endsWith('.location') ? (stores[v as keyof TlsStores] as string) : v;
      const worker = writeProperties(tmp.file('bad.properties'), { ...testWorkerProps(`localhost:${port}`, offsets), 'security.protocol': 'SSL', ...resolved });
      const r = await runCli(['--no-rest', worker, sink()], 30000);
      expect(r.code).toBe(1);
      const line = errorLine(r.stderr);
      expect(line).toContain(key);
      expect(line).toContain(stores[fileRef] as string);
      expect(r.stderr).not.toContain('not-the-password');
      expect(fs.existsSync(offsets)).toBe(false);
      expect(accepted).toEqual([]);
      expect(rejected).toEqual([]);
    }, 40000);
  });
});
