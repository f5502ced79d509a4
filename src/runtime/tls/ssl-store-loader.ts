import * as fs from 'fs';
import type * as tls from 'tls';
// jks-js reads Java's proprietary JKS format (Node's TLS cannot) and the certificate bags of PKCS12
// trust stores (Node takes a PKCS12 file only as a key store, `pfx`, and refuses one holding only
// certificates). It is the maintained converter for both; PKCS12 key stores go to Node natively.
// Loaded only when a store is read (jks-js brings node-forge: ~60 ms of every start-up otherwise).
import type * as JksModule from 'jks-js';
import { AbstractConfig, ConfigError } from '../../api';

/** Store formats of Kafka's ssl.keystore.type / ssl.truststore.type. */
export type SslStoreType = 'JKS' | 'PKCS12' | 'PEM';

/**
 * Raw values of Kafka's ssl.* store keys, by their names without prefix (`ssl.keystore.location`,
 * `ssl.keystore.type`, `ssl.keystore.password`, `ssl.key.password`, `ssl.keystore.key`,
 * `ssl.keystore.certificate.chain`, `ssl.truststore.location`, `ssl.truststore.type`,
 * `ssl.truststore.password`, `ssl.truststore.certificates`). Unset keys are absent or undefined.
 */
export type SslStoreSettings = Readonly<Record<string, string | undefined>>;

/** The Node TLS options the stores give: key + cert or pfx + passphrase, and ca. */
export type StoreTlsOptions = Pick<tls.SecureContextOptions, 'key' | 'cert' | 'pfx' | 'passphrase' | 'ca'>;

export type ReadFile = (file: string) => Buffer;

const JKS_MAGIC = 0xfeedfeed;

/**
 * Node TLS options from the ssl.* keys of `config` under `prefix` (e.g. `listeners.https.` for the
 * REST listener, `` for the top-level keys). Only keys the user set count: an unset store type is
 * detected from the file, see {@link tlsOptionsFromSettings}.
 */
export function tlsOptionsFromConfig(config: AbstractConfig, prefix: string, readFile?: ReadFile): StoreTlsOptions {
  const settings: Record<string, string> = {};
  for (const [key, value] of Object.entries(config.originalsWithPrefix(prefix))) {
    if (key.startsWith('ssl.')) settings[key] = value;
  }
  return tlsOptionsFromSettings(settings, prefix, readFile);
}

/**
 * Loads the key store and the trust store named by Kafka's keys into Node TLS options, at start-up:
 * every problem (unreadable file, wrong password, wrong format, key and certificate not matching) is
 * a ConfigError naming the key (with `prefix`) and the file; passwords never appear in messages.
 *
 * Store types as Kafka: JKS is the default. When the type key is not set, the format is taken from
 * the file (JKS magic number, PEM text, otherwise PKCS12), so a Kafka worker file with only
 * `ssl.truststore.location=/x.jks` works and so does a PEM file (this tool read only PEM before).
 * An explicit JKS type also reads a PKCS12 file and vice versa, as Java 9+ keytool does
 * (keystore.type.compat); an explicit type that cannot read the file (PEM against a binary store, a
 * binary type against a PEM file) is an error.
 */
export function tlsOptionsFromSettings(settings: SslStoreSettings, prefix = '', readFile?: ReadFile): StoreTlsOptions {
  if (readFile) return loadStores(settings, prefix, readFile);
  // Every Kafka client is built from these keys (a producer, consumer and admin per task) and a PKCS12
  // trust store costs ~0.3 s of synchronous key derivation: load each set of stores once per file version.
  const cacheKey = storesCacheKey(settings, prefix);
  const cached = loaded.get(cacheKey);
  if (cached) return { ...cached };
  const options = loadStores(settings, prefix, (f) => fs.readFileSync(f));
  if (loaded.size >= 32) loaded.clear();
  loaded.set(cacheKey, options);
  return { ...options };
}

const loaded = new Map<string, StoreTlsOptions>();

function storesCacheKey(settings: SslStoreSettings, prefix: string): string {
  const entries = Object.entries(settings).filter(([k, v]) => k.startsWith('ssl.') && v !== undefined).sort(([a], [b]) => a.localeCompare(b));
  const files = ['ssl.keystore.location', 'ssl.truststore.location'].map((k) => {
    const file = settings[k];
    if (!file) return '';
    try {
      const st = fs.statSync(file);
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return 'unreadable';
    }
  });
  return JSON.stringify([prefix, entries, files]);
}

function loadStores(settings: SslStoreSettings, prefix: string, readFile: ReadFile): StoreTlsOptions {
  const name = (key: string) => `${prefix}${key}`;
  const options: StoreTlsOptions = {};
  Object.assign(options, keyStoreOptions(settings, name, readFile));
  const ca = trustStoreCertificates(settings, name, readFile);
  if (ca !== undefined) options.ca = ca;
  if (options.key !== undefined || options.pfx !== undefined || options.ca !== undefined) checkContext(options, settings, name);
  return options;
}

function keyStoreOptions(settings: SslStoreSettings, name: (k: string) => string, readFile: ReadFile): StoreTlsOptions {
  const location = settings['ssl.keystore.location'];
  const inlineKey = settings['ssl.keystore.key'];
  const inlineChain = settings['ssl.keystore.certificate.chain'];
  const keyPassword = settings['ssl.key.password'];
  const storePassword = settings['ssl.keystore.password'];
  if (inlineKey !== undefined || inlineChain !== undefined) {
    if (location) throw new ConfigError(`${name('ssl.keystore.key')} and ${name('ssl.keystore.location')} cannot both be set: use one key store`);
    if (!inlineKey || !inlineChain) throw new ConfigError(`${name('ssl.keystore.key')} and ${name('ssl.keystore.certificate.chain')} must be set together`);
    requirePemType(settings, 'ssl.keystore.type', name, 'ssl.keystore.key');
    return { key: inlineKey, cert: inlineChain, ...(keyPassword ? { passphrase: keyPassword } : {}) };
  }
  if (!location) return {};
  const file = read(readFile, name('ssl.keystore.location'), location);
  const type = storeType(settings, 'ssl.keystore.type', file, name, location);
  switch (type) {
    case 'PEM': {
      const text = file.toString('utf8');
      if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
        throw ConfigError.invalidValue(name('ssl.keystore.location'), location, 'the PEM key store holds no private key (it needs the key and its certificate chain in one file)');
      }
      return { key: text, cert: text, ...(keyPassword ? { passphrase: keyPassword } : {}) };
    }
    case 'PKCS12':
      return { pfx: file, passphrase: storePassword ?? keyPassword ?? '' };
    case 'JKS': {
      const entries = jksEntries(file, storePassword, keyPassword ?? storePassword, name('ssl.keystore.location'), location, name('ssl.keystore.password'));
      const keyEntry = Object.values(entries).find((e) => e.key !== undefined && e.cert !== undefined);
      if (!keyEntry) throw ConfigError.invalidValue(name('ssl.keystore.location'), location, 'the JKS key store holds no private key entry');
      return { key: keyEntry.key, cert: keyEntry.cert };
    }
  }
}

function trustStoreCertificates(settings: SslStoreSettings, name: (k: string) => string, readFile: ReadFile): string | Buffer | undefined {
  const location = settings['ssl.truststore.location'];
  const inline = settings['ssl.truststore.certificates'];
  if (inline !== undefined) {
    if (location) throw new ConfigError(`${name('ssl.truststore.certificates')} and ${name('ssl.truststore.location')} cannot both be set: use one trust store`);
    requirePemType(settings, 'ssl.truststore.type', name, 'ssl.truststore.certificates');
    if (!inline.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError(`Invalid value [hidden] for configuration ${name('ssl.truststore.certificates')}: it holds no PEM certificate`);
    return inline;
  }
  if (!location) return undefined;
  const file = read(readFile, name('ssl.truststore.location'), location);
  const type = storeType(settings, 'ssl.truststore.type', file, name, location);
  if (type === 'PEM') {
    if (!file.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
      throw ConfigError.invalidValue(name('ssl.truststore.location'), location, 'the PEM trust store holds no certificate');
    }
    return file;
  }
  const entries = jksEntries(file, settings['ssl.truststore.password'], undefined, name('ssl.truststore.location'), location, name('ssl.truststore.password'));
  const certs: string[] = [];
  for (const entry of Object.values(entries)) {
    if (entry.ca) certs.push(entry.ca);
    else if (entry.cert) certs.push(entry.cert);
  }
  if (certs.length === 0) throw ConfigError.invalidValue(name('ssl.truststore.location'), location, `the ${type} trust store holds no certificate`);
  return certs.join('\n');
}

function read(readFile: ReadFile, key: string, file: string): Buffer {
  try {
    return readFile(file);
  } catch (err) {
    throw new ConfigError(`Invalid value ${file} for configuration ${key}: cannot read the file (${(err as Error).message})`, { cause: err });
  }
}

function detect(file: Buffer): SslStoreType {
  if (file.length >= 4 && file.readUInt32BE(0) === JKS_MAGIC) return 'JKS';
  if (file.toString('latin1', 0, Math.min(file.length, 4096)).includes('-----BEGIN ')) return 'PEM';
  return 'PKCS12';
}

function storeType(settings: SslStoreSettings, typeKey: string, file: Buffer, name: (k: string) => string, location: string): SslStoreType {
  const found = detect(file);
  const raw = settings[typeKey];
  if (raw === undefined || raw.trim() === '') return found;
  const declared = raw.trim().toUpperCase();
  if (declared !== 'JKS' && declared !== 'PKCS12' && declared !== 'PEM') {
    throw ConfigError.invalidValue(name(typeKey), raw, 'String must be one of: JKS, PKCS12, PEM');
  }
  if (declared === found) return found;
  if (declared !== 'PEM' && found !== 'PEM') return found; // JKS and PKCS12 read each other, as Java's keystore.type.compat
  throw ConfigError.invalidValue(
    name(typeKey),
    declared,
    `${location} (${name(typeKey.replace('.type', '.location'))}) is a ${found === 'PEM' ? 'PEM file' : `${found} store`}, not ${declared}: set ${name(typeKey)}=${found}`,
  );
}

function requirePemType(settings: SslStoreSettings, typeKey: string, name: (k: string) => string, inlineKey: string): void {
  const raw = settings[typeKey];
  if (raw !== undefined && raw.trim().toUpperCase() !== 'PEM') {
    throw ConfigError.invalidValue(name(typeKey), raw, `${name(inlineKey)} holds PEM text: set ${name(typeKey)}=PEM`);
  }
}

type PemEntries = Record<string, { key?: string; cert?: string; ca?: string }>;

function jksEntries(file: Buffer, storePassword: string | undefined, keyPassword: string | undefined, locationKey: string, location: string, passwordKey: string): PemEntries {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const jks = require('jks-js') as typeof JksModule;
    return jks.toPem(file, storePassword ?? '', keyPassword) as PemEntries;
  } catch (err) {
    const reason = (err as Error).message;
    const password = storePassword === undefined ? `no ${passwordKey} (it is not set)` : passwordKey;
    throw new ConfigError(
      `Invalid value ${location} for configuration ${locationKey}: cannot open the store with ${password} (wrong password or not a JKS/PKCS12 store): ${reason}`,
      { cause: err },
    );
  }
}

/** Builds the context once so a wrong password or a key not matching its certificate fails at start-up. */
function checkContext(options: StoreTlsOptions, settings: SslStoreSettings, name: (k: string) => string): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('tls') as typeof tls).createSecureContext(options);
  } catch (err) {
    const reason = (err as Error).message;
    const keystore = settings['ssl.keystore.location'];
    const where = options.pfx !== undefined
      ? `${keystore} (${name('ssl.keystore.location')}): wrong ${name('ssl.keystore.password')} or a damaged PKCS12 store`
      : options.key !== undefined
        ? `${keystore ?? name('ssl.keystore.key')} (${keystore ? name('ssl.keystore.location') : 'inline key'}): wrong or missing ${name('ssl.key.password')}, or the key does not match the certificate`
        : `${settings['ssl.truststore.location'] ?? name('ssl.truststore.certificates')} (${name('ssl.truststore.location')}): unreadable certificates`;
    throw new ConfigError(`Cannot load the TLS stores from ${where} (${reason})`, { cause: err });
  }
}
