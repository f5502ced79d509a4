import * as fs from 'fs';
import { ConfigError } from '../api';
import { parseJaasFile } from '../runtime/jaas-login-modules';
import { WorkerConfig } from '../runtime/worker-config';

export const JAAS_CONFIG_PROPERTY = 'java.security.auth.login.config';
/** The JAAS entry Kafka's JaasBasicAuthFilter logs in with. */
export const CONNECT_LOGIN_CONTEXT = 'KafkaConnect';
export const PROPERTY_FILE_LOGIN_MODULE = 'org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule';

/**
 * The JAAS file: the worker key java.security.auth.login.config, else -Djava.security.auth.login.config=
 * in KAFKA_OPTS (how Kafka's scripts pass the JVM system property).
 */
export function jaasConfigFile(config: WorkerConfig, env: NodeJS.ProcessEnv): { file: string; from: string } | null {
  const key = config.getString(JAAS_CONFIG_PROPERTY);
  if (key) return { file: key, from: `worker config ${JAAS_CONFIG_PROPERTY}` };
  const m = /(?:^|\s)-Djava\.security\.auth\.login\.config=(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(env.KAFKA_OPTS ?? '');
  if (m) return { file: m[1] ?? m[2] ?? m[3], from: 'KAFKA_OPTS' };
  return null;
}

/**
 * The users of Kafka's PropertyFileLoginModule: the `file` option of that module in the KafkaConnect
 * entry, a properties file of `user: password` (or `user=password`) lines. `parseProperties` reads
 * it as Java properties. An empty users file is refused (Kafka then lets every request through).
 */
export function loadBasicAuthUsers(
  jaas: { file: string; from: string } | null,
  parseProperties: (text: string, where: string) => Record<string, string>,
  readFile: (file: string) => string = (f) => fs.readFileSync(f, 'utf8'),
): Map<string, string> {
  const extension = 'rest.extension.classes=BasicAuthSecurityRestExtension';
  if (jaas === null) {
    throw new ConfigError(`${extension} needs a JAAS file: set ${JAAS_CONFIG_PROPERTY}=/path/to/jaas.conf in the worker config, or -D${JAAS_CONFIG_PROPERTY}=/path/to/jaas.conf in KAFKA_OPTS`);
  }
  const read = (file: string, what: string): string => {
    try {
      return readFile(file);
    } catch (err) {
      throw new ConfigError(`Cannot read the ${what} ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  const entries = parseJaasFile(read(jaas.file, `JAAS file (${jaas.from})`), jaas.file);
  const modules = entries.get(CONNECT_LOGIN_CONTEXT);
  if (!modules || modules.length === 0) throw new ConfigError(`The JAAS file ${jaas.file} has no ${CONNECT_LOGIN_CONTEXT} entry, which ${extension} logs in with`);
  const module = modules.find((m) => m.loginModule === PROPERTY_FILE_LOGIN_MODULE);
  if (!module || modules.length > 1) {
    throw new ConfigError(`The ${CONNECT_LOGIN_CONTEXT} entry of the JAAS file ${jaas.file} must hold one login module, ${PROPERTY_FILE_LOGIN_MODULE}; found ${modules.map((m) => m.loginModule).join(', ')}`);
  }
  const usersFile = module.options.file;
  if (!usersFile || usersFile.trim() === '') throw new ConfigError(`The ${PROPERTY_FILE_LOGIN_MODULE} in ${jaas.file} needs its file="/path/users.properties" option (Property Credentials file must be specified)`);
  const users = new Map(Object.entries(parseProperties(read(usersFile, 'users file'), usersFile)));
  if (users.size === 0) {
    throw new ConfigError(`The users file ${usersFile} (named in ${jaas.file}) has no users: Kafka would let every request through; add user: password lines`);
  }
  return users;
}
