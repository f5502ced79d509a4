import { deadLetterQueueConfig, dlqConfigDef, validateDeadLetterQueueTopic } from './errors/dlq-config';
import { AbstractConfig, ConfigDef, ConfigError, ConfigType, Importance, NO_DEFAULT, Validators, Width } from '../api';
import { errorHandlingConfigDef } from './errors/error-handling-config';
import { uniqueAliases } from './transformation-config';

/** Kafka's ConnectorConfig groups, as the REST API shows them. */
export const COMMON_GROUP = 'Common';
export const TRANSFORMS_GROUP = 'Transforms';
export const PREDICATES_GROUP = 'Predicates';

/** Keys every connector has, handled by the runtime (Kafka's ConnectorConfig), errors.* included. */
export const connectorConfigDef = new ConfigDef()
  .define({
    name: 'name',
    type: ConfigType.STRING,
    defaultValue: NO_DEFAULT,
    validator: Validators.nonEmptyString(),
    importance: Importance.HIGH,
    doc: 'Globally unique name of the connector. Sink connectors consume as consumer group connect-<name>; source offsets are stored under it.',
    group: COMMON_GROUP,
    orderInGroup: 1,
    width: Width.MEDIUM,
    displayName: 'Connector name',
  })
  .define({
    name: 'connector.class',
    type: ConfigType.CLASS,
    defaultValue: NO_DEFAULT,
    importance: Importance.HIGH,
    doc: 'The connector: its Java class name (e.g. org.apache.kafka.connect.file.FileStreamSourceConnector) or an alias (FileStreamSource, FileStreamSourceConnector).',
    group: COMMON_GROUP,
    orderInGroup: 2,
    width: Width.LONG,
    displayName: 'Connector class',
  })
  .define({
    name: 'tasks.max',
    type: ConfigType.INT,
    defaultValue: 1,
    validator: Validators.atLeast(1),
    importance: Importance.HIGH,
    doc: 'Maximum number of tasks for this connector.',
    group: COMMON_GROUP,
    orderInGroup: 3,
    width: Width.SHORT,
    displayName: 'Tasks max',
  })
  .define({
    name: 'key.converter',
    type: ConfigType.CLASS,
    defaultValue: null,
    importance: Importance.LOW,
    doc: "Overrides the worker's key.converter for this connector; its settings use the key.converter. prefix in the connector config.",
    group: COMMON_GROUP,
    orderInGroup: 5,
    width: Width.SHORT,
    displayName: 'Key converter class',
  })
  .define({
    name: 'value.converter',
    type: ConfigType.CLASS,
    defaultValue: null,
    importance: Importance.LOW,
    doc: "Overrides the worker's value.converter for this connector; its settings use the value.converter. prefix in the connector config.",
    group: COMMON_GROUP,
    orderInGroup: 6,
    width: Width.SHORT,
    displayName: 'Value converter class',
  })
  .define({
    name: 'header.converter',
    type: ConfigType.CLASS,
    defaultValue: null,
    importance: Importance.LOW,
    doc: "Overrides the worker's header.converter for this connector; its settings use the header.converter. prefix in the connector config.",
    group: COMMON_GROUP,
    orderInGroup: 7,
    width: Width.SHORT,
    displayName: 'Header converter class',
  })
  .define({
    name: 'transforms',
    type: ConfigType.LIST,
    defaultValue: [],
    validator: uniqueAliases('transformation'),
    importance: Importance.LOW,
    doc: 'Aliases for the transformations to be applied to records, in order. Each alias needs transforms.<alias>.type (a class name or alias) and takes its settings under transforms.<alias>.; transforms.<alias>.predicate names a predicate alias that decides whether it runs (transforms.<alias>.negate=true inverts it).',
    group: TRANSFORMS_GROUP,
    orderInGroup: 8,
    width: Width.LONG,
    displayName: 'Transforms',
  })
  .define({
    name: 'predicates',
    type: ConfigType.LIST,
    defaultValue: [],
    validator: uniqueAliases('predicate'),
    importance: Importance.LOW,
    doc: 'Aliases for the predicates used by transformations. Each alias needs predicates.<alias>.type and takes its settings under predicates.<alias>.',
    group: PREDICATES_GROUP,
    orderInGroup: 9,
    width: Width.LONG,
    displayName: 'Predicates',
  })
  .merge(errorHandlingConfigDef);

/** Extra keys of sink connectors (Kafka's SinkConnectorConfig). */
export const sinkConnectorConfigDef = connectorConfigDef
  .merge(
    new ConfigDef()
      .define({
        name: 'topics',
        type: ConfigType.LIST,
        defaultValue: [],
        importance: Importance.HIGH,
        doc: 'Comma-separated topics to consume. Exactly one of topics or topics.regex must be set.',
        group: COMMON_GROUP,
        orderInGroup: 4,
        width: Width.LONG,
        displayName: 'Topics',
      })
      .define({
        name: 'topics.regex',
        type: ConfigType.STRING,
        defaultValue: '',
        importance: Importance.HIGH,
        doc: 'Regular expression of topics to consume. Exactly one of topics or topics.regex must be set.',
        group: COMMON_GROUP,
        orderInGroup: 4,
        width: Width.LONG,
        displayName: 'Topics regex',
      }),
  )
  .merge(dlqConfigDef);

/** Checks the topics / topics.regex rule Kafka enforces for sinks. */
export function validateSinkTopics(config: AbstractConfig): { topics: string[]; regex: RegExp | null } {
  const topics = config.getList('topics').filter((t) => t !== '');
  const regexText = config.getString('topics.regex') ?? '';
  if (topics.length > 0 && regexText !== '') {
    throw new ConfigError('topics and topics.regex are mutually exclusive options, but both are set.');
  }
  if (topics.length === 0 && regexText === '') {
    throw new ConfigError('Must configure one of topics or topics.regex');
  }
  let regex: RegExp | null = null;
  if (regexText !== '') {
    try {
      regex = new RegExp(`^(?:${regexText})$`);
    } catch (err) {
      throw ConfigError.invalidValue('topics.regex', regexText, `Must be a valid regular expression (${(err as Error).message})`);
    }
  }
  const subscription = { topics, regex };
  validateDeadLetterQueueTopic(deadLetterQueueConfig(config), subscription, { topics: config.originals().topics, regex: regexText });
  return subscription;
}
