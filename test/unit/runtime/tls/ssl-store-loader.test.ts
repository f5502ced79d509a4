import * as fs from 'fs';
import * as path from 'path';
import * as tls from 'tls';
import { ConfigDef, ConfigError, ConfigType, Importance } from '../../../../src/api';
import { tlsOptionsFromConfig, tlsOptionsFromSettings } from '../../../../src/runtime/tls/ssl-store-loader';
import { makeTlsStores, TlsStores } from '../../../harness/tls-stores';

let s: TlsStores;
beforeAll(() => {
  s = makeTlsStores();
}, 60000);
afterAll(() => fs.rmSync(s.dir, { recursive: true, force: true }));

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/** The subject CN of the certificate a secure context presents, through a real handshake-free parse. */
function certCn(cert: unknown): string {
  const text = Array.isArray(cert) ? String(cert[0]) : String(cert);
  const first = text.slice(text.indexOf('-----BEGIN CERTIFICATE-----'));
  return new (require('crypto').X509Certificate)(first).subject as string;
}

describe('key stores', () => {
  it('reads a PKCS12 key store natively (pfx + passphrase)', () => {
    const options = tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientP12, 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.password': s.storePassword });
    expect(options.pfx).toEqual(fs.readFileSync(s.clientP12));
    expect(options.passphrase).toBe(s.storePassword);
    expect(() => tls.createSecureContext(options)).not.toThrow();
  });

  it('reads a JKS key store into the PEM key and chain', () => {
    const options = tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientJks, 'ssl.keystore.type': 'JKS', 'ssl.keystore.password': s.storePassword, 'ssl.key.password': s.keyPassword });
    expect(String(options.key)).toMatch(/-----BEGIN (RSA )?PRIVATE KEY-----/);
    expect(certCn(options.cert)).toBe('CN=client');
  });

  it('reads a PEM key store (key and chain in one file), with an encrypted key and ssl.key.password', () => {
    const plain = tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientPem, 'ssl.keystore.type': 'PEM' });
    expect(certCn(plain.cert)).toBe('CN=client');
    const encrypted = tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientEncryptedPem, 'ssl.keystore.type': 'PEM', 'ssl.key.password': s.pemKeyPassword });
    expect(encrypted.passphrase).toBe(s.pemKeyPassword);
  });

  it('reads inline PEM keys (ssl.keystore.key + ssl.keystore.certificate.chain)', () => {
    const options = tlsOptionsFromSettings({
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.key': fs.readFileSync(path.join(s.dir, 'client.key'), 'utf8'),
      'ssl.keystore.certificate.chain': fs.readFileSync(path.join(s.dir, 'client.crt'), 'utf8'),
    });
    expect(certCn(options.cert)).toBe('CN=client');
  });

  it('detects the format when ssl.keystore.type is not set (Kafka default JKS, but PEM and PKCS12 files work)', () => {
    expect(tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientJks, 'ssl.keystore.password': s.storePassword }).key).toBeDefined();
    expect(tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientP12, 'ssl.keystore.password': s.storePassword }).pfx).toBeDefined();
    expect(tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientPem }).key).toBeDefined();
  });

  it('reads a PKCS12 file declared JKS, as Java keytool does', () => {
    expect(tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientP12, 'ssl.keystore.type': 'JKS', 'ssl.keystore.password': s.storePassword }).pfx).toBeDefined();
  });
});

describe('trust stores', () => {
  const caSubject = () => new (require('crypto').X509Certificate)(fs.readFileSync(s.caPem)).subject as string;

  it.each([
    ['JKS', () => s.trustJks],
    ['PKCS12', () => s.trustP12],
    ['PEM', () => s.caPem],
  ])('reads the CA certificates of a %s trust store', (type, file) => {
    const options = tlsOptionsFromSettings({ 'ssl.truststore.location': file(), 'ssl.truststore.type': type, 'ssl.truststore.password': s.storePassword });
    expect(certCn(options.ca)).toBe(caSubject());
  });

  it('reads a Kafka worker file with only ssl.truststore.location=x.jks and its password', () => {
    const options = tlsOptionsFromSettings({ 'ssl.truststore.location': s.trustJks, 'ssl.truststore.password': s.storePassword });
    expect(certCn(options.ca)).toBe(caSubject());
  });

  it('reads inline PEM certificates (ssl.truststore.certificates)', () => {
    const options = tlsOptionsFromSettings({ 'ssl.truststore.certificates': fs.readFileSync(s.caPem, 'utf8') });
    expect(certCn(options.ca)).toBe(caSubject());
  });
});

describe('errors name the key and the file, never the password', () => {
  it('wrong JKS trust store password', () => {
    const err = thrown(() => tlsOptionsFromSettings({ 'ssl.truststore.location': s.trustJks, 'ssl.truststore.password': 'nope-secret' }));
    expect(err.message).toContain(`Invalid value ${s.trustJks} for configuration ssl.truststore.location`);
    expect(err.message).toContain('ssl.truststore.password');
    expect(err.message).not.toContain('nope-secret');
  });

  it('a JKS trust store without ssl.truststore.password is read without its integrity check, as Java does', () => {
    expect(String(tlsOptionsFromSettings({ 'ssl.truststore.location': s.trustJks }).ca)).toContain('BEGIN CERTIFICATE');
  });

  it('missing PKCS12 trust store password', () => {
    const err = thrown(() => tlsOptionsFromSettings({ 'ssl.truststore.location': s.trustP12 }));
    expect(err.message).toContain('no ssl.truststore.password (it is not set)');
  });

  it('wrong PKCS12 trust store password', () => {
    const err = thrown(() => tlsOptionsFromSettings({ 'ssl.truststore.location': s.trustP12, 'ssl.truststore.type': 'PKCS12', 'ssl.truststore.password': 'nope-secret' }));
    expect(err.message).toContain(`${s.trustP12} for configuration ssl.truststore.location`);
    expect(err.message).not.toContain('nope-secret');
  });

  it('wrong PKCS12 key store password, with the prefix in the key names', () => {
    const err = thrown(() => tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientP12, 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.password': 'nope-secret' }, 'listeners.https.'));
    expect(err.message).toContain(s.clientP12);
    expect(err.message).toContain('wrong listeners.https.ssl.keystore.password');
    expect(err.message).not.toContain('nope-secret');
  });

  it('wrong JKS key store password', () => {
    const err = thrown(() => tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientJks, 'ssl.keystore.password': 'nope-secret' }));
    expect(err.message).toContain(`${s.clientJks} for configuration ssl.keystore.location`);
    expect(err.message).toContain('ssl.keystore.password');
    expect(err.message).not.toContain('nope-secret');
  });

  it('encrypted PEM key without ssl.key.password', () => {
    const err = thrown(() => tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientEncryptedPem, 'ssl.keystore.type': 'PEM' }));
    expect(err.message).toContain(s.clientEncryptedPem);
    expect(err.message).toContain('ssl.key.password');
  });

  it('unreadable file', () => {
    const missing = path.join(s.dir, 'missing.jks');
    const err = thrown(() => tlsOptionsFromSettings({ 'ssl.truststore.location': missing, 'ssl.truststore.password': 'x' }));
    expect(err.message).toContain(`Invalid value ${missing} for configuration ssl.truststore.location: cannot read the file`);
  });

  it('a PEM file declared JKS, and a JKS store declared PEM', () => {
    const a = thrown(() => tlsOptionsFromSettings({ 'ssl.truststore.location': s.caPem, 'ssl.truststore.type': 'JKS' }));
    expect(a.message).toContain(`Invalid value JKS for configuration ssl.truststore.type: ${s.caPem} (ssl.truststore.location) is a PEM file, not JKS: set ssl.truststore.type=PEM`);
    const b = thrown(() => tlsOptionsFromSettings({ 'ssl.keystore.location': s.clientJks, 'ssl.keystore.type': 'PEM' }));
    expect(b.message).toContain(`${s.clientJks} (ssl.keystore.location) is a JKS store, not PEM`);
  });

  it('an unknown store type', () => {
    const err = thrown(() => tlsOptionsFromSettings({ 'ssl.truststore.location': s.caPem, 'ssl.truststore.type': 'BKS' }));
    expect(err.message).toContain('Invalid value BKS for configuration ssl.truststore.type');
  });

  it('a PEM key store without a private key, and a trust store holding no certificate', () => {
    expect(thrown(() => tlsOptionsFromSettings({ 'ssl.keystore.location': s.caPem })).message).toContain('holds no private key');
    const junk = path.join(s.dir, 'junk.pem');
    fs.writeFileSync(junk, '-----BEGIN NOTHING-----\n');
    expect(thrown(() => tlsOptionsFromSettings({ 'ssl.truststore.location': junk })).message).toContain(`${junk} for configuration ssl.truststore.location: the PEM trust store holds no certificate`);
  });

  it('inline PEM keys with a store type other than PEM, or with a location', () => {
    const key = fs.readFileSync(path.join(s.dir, 'client.key'), 'utf8');
    const chain = fs.readFileSync(path.join(s.dir, 'client.crt'), 'utf8');
    expect(thrown(() => tlsOptionsFromSettings({ 'ssl.keystore.key': key, 'ssl.keystore.certificate.chain': chain, 'ssl.keystore.type': 'JKS' })).message).toContain('set ssl.keystore.type=PEM');
    expect(thrown(() => tlsOptionsFromSettings({ 'ssl.keystore.key': key, 'ssl.keystore.certificate.chain': chain, 'ssl.keystore.location': s.clientPem })).message).toContain('cannot both be set');
    expect(thrown(() => tlsOptionsFromSettings({ 'ssl.keystore.key': key })).message).toContain('must be set together');
  });
});

describe('tlsOptionsFromConfig', () => {
  it('reads the keys under a prefix of any config', () => {
    const def = new ConfigDef()
      .define({ name: 'listeners.https.ssl.keystore.location', type: ConfigType.STRING, defaultValue: null, importance: Importance.LOW, doc: '' })
      .define({ name: 'listeners.https.ssl.keystore.password', type: ConfigType.PASSWORD, defaultValue: null, importance: Importance.LOW, doc: '' })
      .define({ name: 'listeners.https.ssl.truststore.location', type: ConfigType.STRING, defaultValue: null, importance: Importance.LOW, doc: '' });
    const config = def.parse(
      {
        'listeners.https.ssl.keystore.location': s.clientJks,
        'listeners.https.ssl.keystore.password': s.storePassword,
        'listeners.https.ssl.truststore.location': s.caPem,
        'ssl.keystore.location': '/not/read',
      },
      'test',
    );
    const options = tlsOptionsFromConfig(config, 'listeners.https.');
    expect(certCn(options.cert)).toBe('CN=client');
    expect(String(options.ca)).toContain('BEGIN CERTIFICATE');
  });
});

describe('loading once', () => {
  it('reads the same stores once (every Kafka client is built from them), and again when a file changes', () => {
    const copy = path.join(s.dir, 'cached-client.p12');
    fs.copyFileSync(s.clientP12, copy);
    const settings = { 'ssl.keystore.location': copy, 'ssl.keystore.type': 'PKCS12', 'ssl.keystore.password': s.storePassword };
    const first = tlsOptionsFromSettings(settings);
    const second = tlsOptionsFromSettings(settings);
    expect(second).not.toBe(first);
    expect(second.pfx).toBe(first.pfx); // the same Buffer: the file was read once
    fs.utimesSync(copy, new Date(), new Date(Date.now() + 5000));
    const third = tlsOptionsFromSettings(settings);
    expect(third.pfx).not.toBe(first.pfx);
    expect(third.pfx).toEqual(first.pfx);
  });

  it('does not keep a failure: the right password works after a wrong one', () => {
    expect(() => tlsOptionsFromSettings({ 'ssl.truststore.location': s.trustJks, 'ssl.truststore.password': 'wrong' })).toThrow(ConfigError);
    expect(tlsOptionsFromSettings({ 'ssl.truststore.location': s.trustJks, 'ssl.truststore.password': s.storePassword }).ca).toBeDefined();
  });
});
