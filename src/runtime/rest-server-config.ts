import { ConfigDef, ConfigError, ConfigType, ConfigValue, Importance, Validators } from '../api';

/** Kafka's class name of the basic authentication REST extension (connect/basic-auth-extension). */
export const BASIC_AUTH_EXTENSION_CLASS = 'org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension';

/** The prefix of the https listener's TLS keys (Kafka's RestServerConfig). */
export const HTTPS_LISTENER_PREFIX = 'listeners.https.';

const listenersValidator = {
  ensureValid(name: string, value: ConfigValue): void {
    for (const item of value as string[]) {
      if (!/^https?:\/\/[^/]*:\d+\/?$/i.test(item)) {
        throw ConfigError.invalidValue(name, (value as string[]).join(','), `Could not parse listener '${item}': expected http://host:port or https://host:port`);
      }
    }
  },
  describe: () => 'comma-separated http://host:port or https://host:port',
};

const sslKey = (name: string, type: ConfigType, defaultValue: ConfigValue, doc: string, validator?: { ensureValid(n: string, v: ConfigValue): void; describe(): string }) => ({
  name: `${HTTPS_LISTENER_PREFIX}${name}`,
  type,
  defaultValue,
  importance: Importance.LOW,
  doc,
  ...(validator ? { validator } : {}),
});

/**
 * The REST server's worker keys, named as Kafka's RestServerConfig names them. Merged into the worker
 * ConfigDef; src/rest reads them through the parsed worker config.
 */
export const restServerConfigDef = new ConfigDef()
  .define({
    name: 'listeners',
    type: ConfigType.LIST,
    defaultValue: null,
    validator: listenersValidator,
    importance: Importance.LOW,
    doc: 'Comma-separated URIs the REST API listens on, http://host:port or https://host:port (0.0.0.0 binds every interface). Unset: http://127.0.0.1:8083, loopback only (Kafka binds every interface), or rest.host.name/rest.port when a worker file still carries them. Set but empty: no REST server. A --once run starts a REST server only when this key is set.',
  })
  .define({
    name: 'rest.host.name',
    type: ConfigType.STRING,
    defaultValue: null,
    importance: Importance.LOW,
    doc: 'Deprecated in Kafka (use listeners): the host name the REST API binds to, used only when listeners is unset. Unset: 127.0.0.1.',
  })
  .define({
    name: 'rest.port',
    type: ConfigType.INT,
    defaultValue: null,
    validator: Validators.between(0, 65535),
    importance: Importance.LOW,
    doc: 'Deprecated in Kafka (use listeners): the port the REST API listens on, used only when listeners is unset. Unset: 8083.',
  })
  .define({
    name: 'rest.advertised.host.name',
    type: ConfigType.STRING,
    defaultValue: null,
    importance: Importance.LOW,
    doc: 'The host name given out as this worker\'s address: the host part of worker_id in connector and task statuses. Unset: the listener\'s host (the machine\'s host name when the listener binds every interface).',
  })
  .define({
    name: 'rest.advertised.port',
    type: ConfigType.INT,
    defaultValue: null,
    validator: Validators.between(0, 65535),
    importance: Importance.LOW,
    doc: 'The port given out as this worker\'s address (the port part of worker_id). Unset: the listener\'s port.',
  })
  .define({
    name: 'rest.advertised.listener',
    type: ConfigType.STRING,
    defaultValue: null,
    validator: Validators.in('http', 'https', 'HTTP', 'HTTPS'),
    importance: Importance.LOW,
    doc: 'Which listener (http or https) gives the advertised address when several are configured. Unset: the first listener.',
  })
  .define({
    name: 'access.control.allow.origin',
    type: ConfigType.STRING,
    defaultValue: '',
    importance: Importance.LOW,
    doc: 'Value of the Access-Control-Allow-Origin header for REST API requests: the origin of the application allowed to call the API from a browser (comma-separated for several), or * for any. Empty (the default): no cross-origin access.',
  })
  .define({
    name: 'access.control.allow.methods',
    type: ConfigType.STRING,
    defaultValue: '',
    importance: Importance.LOW,
    doc: 'Comma-separated methods allowed in cross-origin requests (the Access-Control-Allow-Methods header), with access.control.allow.origin. Empty: GET, POST and HEAD.',
  })
  .define({
    name: 'rest.extension.classes',
    type: ConfigType.LIST,
    defaultValue: [],
    validator: {
      ensureValid(name: string, value: ConfigValue): void {
        for (const c of value as string[]) {
          if (c !== BASIC_AUTH_EXTENSION_CLASS && c !== 'BasicAuthSecurityRestExtension') {
            throw ConfigError.invalidValue(name, (value as string[]).join(','), `Unknown REST extension '${c}': only ${BASIC_AUTH_EXTENSION_CLASS} is available`);
          }
        }
      },
      describe: () => `[${BASIC_AUTH_EXTENSION_CLASS}]`,
    },
    importance: Importance.LOW,
    doc: `REST extensions to load. ${BASIC_AUTH_EXTENSION_CLASS} (as Kafka's) requires HTTP basic authentication on every request, checked against the users file of the PropertyFileLoginModule in the KafkaConnect entry of the JAAS file named by java.security.auth.login.config.`,
  })
  .define({
    name: 'java.security.auth.login.config',
    type: ConfigType.STRING,
    defaultValue: null,
    importance: Importance.LOW,
    doc: 'The JAAS file for the basic authentication REST extension (Kafka reads the JVM system property of this name). Unset: taken from -Djava.security.auth.login.config=/path in the KAFKA_OPTS environment variable, as Kafka\'s scripts pass it.',
  })
  .define(sslKey('ssl.keystore.location', ConfigType.STRING, null, 'Key store of the https listener: its private key and certificate chain (PEM: one file holding both; PKCS12 or JKS: the store file). When no listeners.https. key is set, the top-level ssl.* keys are used, as Kafka does.'))
  .define(sslKey('ssl.keystore.type', ConfigType.STRING, null, 'Format of the https listener\'s key store: JKS, PKCS12 or PEM. Unset: taken from the file.', Validators.in('JKS', 'PKCS12', 'PEM')))
  .define(sslKey('ssl.keystore.password', ConfigType.PASSWORD, null, 'Password of the https listener\'s key store (JKS, PKCS12).'))
  .define(sslKey('ssl.key.password', ConfigType.PASSWORD, null, 'Password of the https listener\'s private key, if it differs from the store\'s or the PEM key is encrypted.'))
  .define(sslKey('ssl.truststore.location', ConfigType.STRING, null, 'Trust store of the https listener: CA certificates client certificates are checked against (with ssl.client.auth).'))
  .define(sslKey('ssl.truststore.type', ConfigType.STRING, null, 'Format of the https listener\'s trust store: JKS, PKCS12 or PEM. Unset: taken from the file.', Validators.in('JKS', 'PKCS12', 'PEM')))
  .define(sslKey('ssl.truststore.password', ConfigType.PASSWORD, null, 'Password of the https listener\'s trust store.'))
  .define(sslKey('ssl.client.auth', ConfigType.STRING, 'none', 'Client certificates on the https listener: none, requested or required.', Validators.in('none', 'requested', 'required')));
