import * as fs from 'fs';
import type { SecureContextOptions, TlsOptions } from 'tls';
import { ConfigError } from '../api';
import { HTTPS_LISTENER_PREFIX } from '../runtime/rest-server-config';
import { WorkerConfig } from '../runtime/worker-config';

/** The TLS settings of the https listener, by their Kafka names without prefix (ssl.keystore.location ...). */
export type SslSettings = Record<string, string | undefined>;

/**
 * Kafka's rule: when any `listeners.https.` key is set, the https listener uses only those; otherwise
 * the top-level ssl.* keys. Keys are returned without the prefix, with the listener keys' defaults.
 */
export function httpsListenerSslSettings(config: WorkerConfig): { settings: SslSettings; prefix: string } {
  const listener = config.originalsWithPrefix(HTTPS_LISTENER_PREFIX);
  if (Object.keys(listener).length > 0) {
    const settings: SslSettings = {};
    for (const name of config.definition.names()) {
      if (!name.startsWith(HTTPS_LISTENER_PREFIX)) continue;
      const v = config.originals()[name];
      settings[name.slice(HTTPS_LISTENER_PREFIX.length)] = v ?? defaultText(config, name);
    }
    return { settings, prefix: HTTPS_LISTENER_PREFIX };
  }
  const top = config.originals();
  const settings: SslSettings = {};
  for (const [k, v] of Object.entries(top)) if (k.startsWith('ssl.')) settings[k] = v;
  return { settings, prefix: '' };
}

function defaultText(config: WorkerConfig, name: string): string | undefined {
  const d = config.definition.configKeys().find((k) => k.name === name)?.defaultValue;
  return typeof d === 'string' ? d : undefined;
}

/**
 * Node TLS options for the https listener from Kafka's keys: PEM (key and certificate chain in one
 * file) and PKCS12 key stores, PEM trust stores. One small function, to be replaced by the shared
 * store loader (src/runtime/tls) which adds JKS.
 */
export function httpsServerOptions(config: WorkerConfig, readFile: (file: string) => Buffer = (f) => fs.readFileSync(f)): TlsOptions {
  const { settings, prefix } = httpsListenerSslSettings(config);
  const key = (k: string) => `${prefix}${k}`;
  const read = (k: string, file: string): Buffer => {
    try {
      return readFile(file);
    } catch (err) {
      throw new ConfigError(`Cannot read ${file} (${key(k)}) for the https listener: ${(err as Error).message}`, { cause: err });
    }
  };
  const location = settings['ssl.keystore.location'];
  if (!location) throw new ConfigError(`The https listener needs a key store: set ${HTTPS_LISTENER_PREFIX}ssl.keystore.location (and its type and password)`);
  const type = (settings['ssl.keystore.type'] ?? 'JKS').toUpperCase();
  const options: TlsOptions & SecureContextOptions = {};
  if (type === 'PEM') {
    const pem = read('ssl.keystore.location', location);
    options.key = pem;
    options.cert = pem;
    const pass = settings['ssl.key.password'] ?? settings['ssl.keystore.password'];
    if (pass) options.passphrase = pass;
  } else if (type === 'PKCS12') {
    options.pfx = read('ssl.keystore.location', location);
    const pass = settings['ssl.keystore.password'] ?? settings['ssl.key.password'];
    if (pass) options.passphrase = pass;
  } else {
    throw new ConfigError(`Invalid value ${type} for configuration ${key('ssl.keystore.type')}: the https listener reads PEM and PKCS12 key stores`);
  }
  const trust = settings['ssl.truststore.location'];
  if (trust) {
    const trustType = (settings['ssl.truststore.type'] ?? 'JKS').toUpperCase();
    if (trustType !== 'PEM') throw new ConfigError(`Invalid value ${trustType} for configuration ${key('ssl.truststore.type')}: the https listener reads PEM trust stores`);
    options.ca = read('ssl.truststore.location', trust);
  }
  const clientAuth = (settings['ssl.client.auth'] ?? 'none').toLowerCase();
  if (clientAuth === 'requested' || clientAuth === 'required') {
    options.requestCert = true;
    options.rejectUnauthorized = clientAuth === 'required';
  }
  return options;
}
