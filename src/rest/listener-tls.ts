import type { TlsOptions } from 'tls';
import { ConfigError } from '../api';
import { HTTPS_LISTENER_PREFIX } from '../runtime/rest-server-config';
import { ReadFile, tlsOptionsFromConfig } from '../runtime/tls/ssl-store-loader';
import { WorkerConfig } from '../runtime/worker-config';

/**
 * Node TLS options for the https listener from Kafka's keys (JKS, PKCS12 or PEM stores, through the
 * shared store loader). Kafka's rule: when any `listeners.https.` key is set, the listener uses only
 * those; otherwise the top-level ssl.* keys. A key store is required; ssl.client.auth asks for
 * (requested) or requires (required) client certificates checked against the trust store.
 */
export function httpsServerOptions(config: WorkerConfig, readFile?: ReadFile): TlsOptions {
  const prefix = Object.keys(config.originalsWithPrefix(HTTPS_LISTENER_PREFIX)).length > 0 ? HTTPS_LISTENER_PREFIX : '';
  const options: TlsOptions = { ...tlsOptionsFromConfig(config, prefix, readFile) };
  if (options.key === undefined && options.pfx === undefined) {
    throw new ConfigError(`The https listener needs a key store: set ${HTTPS_LISTENER_PREFIX}ssl.keystore.location (and its type and password)`);
  }
  const clientAuth = (config.originals()[`${prefix}ssl.client.auth`] ?? 'none').trim().toLowerCase();
  if (clientAuth === 'requested' || clientAuth === 'required') {
    options.requestCert = true;
    options.rejectUnauthorized = clientAuth === 'required';
  }
  return options;
}
