import { ConfigError } from '../api';

/**
 * JAAS login modules refused in every config, as Kafka refuses them since CVE-2023-25194 (its
 * JaasContext and the org.apache.kafka.disallowed.login.modules default): JndiLoginModule looks users
 * up through JNDI, which can load and run code from a remote server named in the config.
 */
export const DISALLOWED_LOGIN_MODULES: readonly string[] = ['com.sun.security.auth.module.JndiLoginModule'];

/** One login module of a JAAS entry: `class flag key="value" ...;`. */
export interface JaasLoginModule {
  loginModule: string;
  flag: string;
  options: Record<string, string>;
}

const FLAGS = new Set(['required', 'requisite', 'sufficient', 'optional']);

/** Throws a ConfigError naming the key and where it was set when a JAAS text uses a disallowed module. */
export function assertLoginModulesAllowed(jaasText: string, key: string, where: string): void {
  for (const module of DISALLOWED_LOGIN_MODULES) {
    // Any mention as a token counts: a module name is a token however the text around it is written.
    const re = new RegExp(`(^|[^\\w.$])${module.replace(/\./g, '\\.')}($|[^\\w.$])`);
    if (re.test(jaasText)) {
      throw new ConfigError(
        `Invalid value for configuration ${key} in ${where}: ${module} is not allowed: it can load and run remote code (CVE-2023-25194), so it is refused in every config, as Kafka refuses it`,
      );
    }
  }
}

/**
 * Checks every JAAS config in a config map: keys named sasl.jaas.config, with any prefix
 * (producer., consumer.override., listener.name.x.y. ...).
 */
export function assertJaasConfigsAllowed(props: Record<string, string>, where: string): void {
  for (const [key, value] of Object.entries(props)) {
    if (key === 'sasl.jaas.config' || key.endsWith('.sasl.jaas.config')) assertLoginModulesAllowed(value, key, where);
  }
}

/**
 * Parses a JAAS configuration file (`Name { class flag key="value" ...; ... };`, with // and /* *\/
 * comments) into its entries. Disallowed login modules are refused.
 */
export function parseJaasFile(text: string, file: string): Map<string, JaasLoginModule[]> {
  assertLoginModulesAllowed(text, 'the JAAS file', file);
  const tokens = tokenize(text, file);
  const entries = new Map<string, JaasLoginModule[]>();
  let i = 0;
  const fail = (what: string): never => {
    throw new ConfigError(`Invalid JAAS file ${file}: ${what}`);
  };
  const next = (expected: string): string => {
    const t = tokens[i++];
    if (t === undefined) fail(`expected ${expected} but the file ended`);
    return t.text;
  };
  while (i < tokens.length) {
    const name = next('an entry name');
    if (next("'{'") !== '{') fail(`expected '{' after the entry name ${name}`);
    const modules: JaasLoginModule[] = [];
    for (;;) {
      const loginModule = next("a login module class or '}'");
      if (loginModule === '}') break;
      const flag = next('a control flag');
      if (!FLAGS.has(flag.toLowerCase())) fail(`login module ${loginModule} in entry ${name}: expected a control flag (required, requisite, sufficient or optional), got '${flag}'`);
      const options: Record<string, string> = {};
      for (let t = next("an option or ';'"); t !== ';'; t = next("an option or ';'")) {
        if (next("'='") !== '=') fail(`login module ${loginModule} in entry ${name}: expected '=' after option ${t}`);
        options[t] = next(`the value of option ${t}`);
      }
      modules.push({ loginModule, flag: flag.toLowerCase(), options });
    }
    if (tokens[i]?.text === ';') i++;
    entries.set(name, modules);
  }
  return entries;
}

function tokenize(text: string, file: string): Array<{ text: string }> {
  const tokens: Array<{ text: string }> = [];
  const re = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"((?:[^"\\]|\\.)*)"|([{};=])|([^\s{};="]+)/gy;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) throw new ConfigError(`Invalid JAAS file ${file}: unexpected text at character ${pos}: ${text.slice(pos, pos + 20)}`);
    pos = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ text: m[1].replace(/\\(.)/g, '$1') });
    else if (m[2] !== undefined) tokens.push({ text: m[2] });
    else if (m[3] !== undefined) tokens.push({ text: m[3] });
  }
  return tokens;
}
