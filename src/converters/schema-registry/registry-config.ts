import { AbstractConfig, ConfigDef, ConfigError, ConfigType, Importance, NO_DEFAULT, Validator, Validators } from '../../api';
import { SchemaRegistryClient } from './schema-registry-client';
import { DEFAULT_SUBJECT_NAME_STRATEGY, SubjectNameStrategy, subjectNameStrategy, subjectNameStrategyValidator } from './subject-name-strategy';
import { SyncHttpTransport, WorkerThreadHttp } from './sync-http';

/**
 * The keys every Schema Registry converter (Avro, Protobuf, JSON Schema) shares, as Confluent's
 * AbstractKafkaSchemaSerDeConfig and SchemaRegistryClientConfig declare them: added to a converter's
 * own ConfigDef so each key is declared once.
 */
export function withSchemaRegistryKeys(def: ConfigDef): ConfigDef {
  return def
  .define({
    name: 'schema.registry.url',
    type: ConfigType.LIST,
    defaultValue: NO_DEFAULT,
    validator: nonEmptyList(),
    importance: Importance.HIGH,
    doc: 'Comma-separated Schema Registry URLs; the next is tried when one cannot be reached. Credentials may be given as http://user:password@host:8081 with basic.auth.credentials.source=URL.',
  })
  .define({
    name: 'basic.auth.credentials.source',
    type: ConfigType.STRING,
    defaultValue: 'URL',
    validator: Validators.in('URL', 'USER_INFO'),
    importance: Importance.MEDIUM,
    doc: 'Where HTTP basic auth credentials for the registry come from: URL (the user info of each schema.registry.url, if any) or USER_INFO (basic.auth.user.info).',
  })
  .define({
    name: 'basic.auth.user.info',
    type: ConfigType.PASSWORD,
    defaultValue: null,
    importance: Importance.MEDIUM,
    doc: 'user:password for the registry, used when basic.auth.credentials.source=USER_INFO. Never logged.',
  })
  .define({
    name: 'auto.register.schemas',
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.MEDIUM,
    doc: 'Whether a schema not yet in the registry is registered on first use. When false, its id is looked up under the subject (or the latest version is used, see use.latest.version), and a schema not found fails the record.',
  })
  .define({
    name: 'use.latest.version',
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.LOW,
    doc: 'With auto.register.schemas=false, write with the latest schema registered under the subject instead of looking the record\'s own schema up. Compatibility with it is not checked here.',
  })
  .define({
    name: 'key.subject.name.strategy',
    type: ConfigType.CLASS,
    defaultValue: DEFAULT_SUBJECT_NAME_STRATEGY,
    validator: subjectNameStrategyValidator,
    importance: Importance.MEDIUM,
    doc: 'The subject a key schema is registered under: TopicNameStrategy (<topic>-key), RecordNameStrategy (<record full name>) or TopicRecordNameStrategy (<topic>-<record full name>).',
  })
  .define({
    name: 'value.subject.name.strategy',
    type: ConfigType.CLASS,
    defaultValue: DEFAULT_SUBJECT_NAME_STRATEGY,
    validator: subjectNameStrategyValidator,
    importance: Importance.MEDIUM,
    doc: 'The subject a value schema is registered under: TopicNameStrategy (<topic>-value), RecordNameStrategy (<record full name>) or TopicRecordNameStrategy (<topic>-<record full name>).',
  })
  .define({
    name: 'http.connect.timeout.ms',
    type: ConfigType.INT,
    defaultValue: 60000,
    validator: Validators.atLeast(1),
    importance: Importance.LOW,
    doc: 'Part of the time a registry request may take: a request gives up after http.connect.timeout.ms + http.read.timeout.ms. The task waits meanwhile, so keep it short.',
  })
  .define({
    name: 'http.read.timeout.ms',
    type: ConfigType.INT,
    defaultValue: 60000,
    validator: Validators.atLeast(1),
    importance: Importance.LOW,
    doc: 'See http.connect.timeout.ms.',
  });
}

/** The shared keys, parsed. */
export interface SchemaRegistrySettings {
  urls: string[];
  credentialsSource: 'URL' | 'USER_INFO';
  userInfo: string | null;
  autoRegister: boolean;
  useLatestVersion: boolean;
  subjectName: SubjectNameStrategy;
  timeoutMs: number;
}

export function parseSchemaRegistrySettings(config: AbstractConfig, isKey: boolean): SchemaRegistrySettings {
  const strategyKey = isKey ? 'key.subject.name.strategy' : 'value.subject.name.strategy';
  return {
    urls: config.getList('schema.registry.url'),
    credentialsSource: config.getString('basic.auth.credentials.source') as 'URL' | 'USER_INFO',
    userInfo: config.getPassword('basic.auth.user.info')?.value() || null,
    autoRegister: config.getBoolean('auto.register.schemas'),
    useLatestVersion: config.getBoolean('use.latest.version'),
    subjectName: subjectNameStrategy(config.getClass(strategyKey)!, strategyKey),
    timeoutMs: config.getInt('http.connect.timeout.ms') + config.getInt('http.read.timeout.ms'),
  };
}

/** The registry client for these settings; `transport` defaults to the shared helper thread. */
export function schemaRegistryClient(settings: SchemaRegistrySettings, transport?: SyncHttpTransport): SchemaRegistryClient {
  return new SchemaRegistryClient({
    urls: settings.urls,
    credentialsSource: settings.credentialsSource,
    userInfo: settings.userInfo,
    timeoutMs: settings.timeoutMs,
    transport: transport ?? WorkerThreadHttp.instance(),
  });
}

function nonEmptyList(): Validator {
  return {
    ensureValid(name, value) {
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => v.trim() === '')) {
        throw new ConfigError(`Invalid value for configuration ${name}: at least one URL is required`);
      }
    },
    describe: () => 'non-empty list of http(s) URLs',
  };
}
