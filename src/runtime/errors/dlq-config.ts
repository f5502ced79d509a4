import { AbstractConfig, ConfigDef, ConfigError, ConfigType, Importance, Validator, Width } from '../../api';
import { ERROR_GROUP } from './error-handling-config';

export const DLQ_TOPIC_NAME_CONFIG = 'errors.deadletterqueue.topic.name';
export const DLQ_TOPIC_REPLICATION_FACTOR_CONFIG = 'errors.deadletterqueue.topic.replication.factor';
export const DLQ_CONTEXT_HEADERS_ENABLE_CONFIG = 'errors.deadletterqueue.context.headers.enable';

/** Kafka declares the replication factor as a SHORT; INT here, held to the same range. */
const shortValue: Validator = {
  ensureValid(name, value) {
    if (typeof value === 'number' && (value < -32768 || value > 32767)) throw ConfigError.invalidValue(name, value, 'Not a number of type SHORT');
  },
  describe: () => '[-32768,...,32767]',
};

/** The dead letter queue keys of sink connectors (part of Kafka's SinkConnectorConfig). */
export const dlqConfigDef = new ConfigDef()
  .define({
    name: DLQ_TOPIC_NAME_CONFIG,
    type: ConfigType.STRING,
    defaultValue: '',
    importance: Importance.MEDIUM,
    doc:
      'Topic that records this sink connector, its transformations or its converters fail on are written to ' +
      '(the dead letter queue), with their original key, value and headers. Empty (the default): no dead letter queue. ' +
      'Records are only skipped, and so written here, with errors.tolerance=all.',
    group: ERROR_GROUP,
    orderInGroup: 6,
    width: Width.MEDIUM,
    displayName: 'Dead Letter Queue Topic Name',
  })
  .define({
    name: DLQ_TOPIC_REPLICATION_FACTOR_CONFIG,
    type: ConfigType.INT,
    defaultValue: 3,
    validator: shortValue,
    importance: Importance.MEDIUM,
    doc:
      'Replication factor of the dead letter queue topic when the task creates it (one partition). ' +
      'If it cannot be created (e.g. a cluster with fewer brokers), a warning is logged and the topic is left to broker auto-creation.',
    group: ERROR_GROUP,
    orderInGroup: 7,
    width: Width.MEDIUM,
    displayName: 'Dead Letter Queue Topic Replication Factor',
  })
  .define({
    name: DLQ_CONTEXT_HEADERS_ENABLE_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.MEDIUM,
    doc:
      'If true, each record written to the dead letter queue also carries headers describing the failure: ' +
      'the original topic, partition and offset, connector name, task id, stage, class, and the exception class, message and stack trace. ' +
      'Their names start with __connect.errors. so they do not clash with the record\'s own headers.',
    group: ERROR_GROUP,
    orderInGroup: 8,
    width: Width.MEDIUM,
    displayName: 'Enable Error Context Headers',
  });

/** The dead letter queue settings of one sink connector, parsed once. */
export interface DeadLetterQueueConfig {
  /** Trimmed; empty means no dead letter queue. */
  readonly topic: string;
  readonly replicationFactor: number;
  readonly contextHeadersEnabled: boolean;
}

/** Reads the settings from a parsed config whose def includes dlqConfigDef (e.g. the sink connector config). */
export function deadLetterQueueConfig(config: AbstractConfig): DeadLetterQueueConfig {
  return {
    topic: (config.getString(DLQ_TOPIC_NAME_CONFIG) ?? '').trim(),
    replicationFactor: config.getInt(DLQ_TOPIC_REPLICATION_FACTOR_CONFIG),
    contextHeadersEnabled: config.getBoolean(DLQ_CONTEXT_HEADERS_ENABLE_CONFIG),
  };
}

/** Parses and validates the settings from raw connector properties. */
export function parseDeadLetterQueueConfig(props: Record<string, string>): DeadLetterQueueConfig {
  return deadLetterQueueConfig(dlqConfigDef.parse(props, 'SinkConnectorConfig'));
}

/**
 * Kafka refuses a dead letter queue the connector itself consumes (each failure would loop back).
 * `topicsRaw` / `regexRaw` are the values as written, for the message.
 */
export function validateDeadLetterQueueTopic(
  dlq: DeadLetterQueueConfig,
  subscription: { topics: readonly string[]; regex: RegExp | null },
  raw: { topics?: string; regex?: string } = {},
): void {
  if (dlq.topic === '') return;
  if (subscription.topics.includes(dlq.topic)) {
    const list = `[${[...new Set(subscription.topics)].join(', ')}]`;
    throw ConfigError.invalidValue(
      'topics',
      raw.topics ?? subscription.topics.join(','),
      `The DLQ topic '${dlq.topic}' may not be included in the list of topics ('topics=${list}') consumed by the connector`,
    );
  }
  if (subscription.regex && subscription.regex.test(dlq.topic)) {
    const text = raw.regex ?? subscription.regex.source;
    throw ConfigError.invalidValue(
      'topics.regex',
      text,
      `The DLQ topic '${dlq.topic}' may not be matched by the regex for the topics ('topics.regex=${text}') consumed by the connector`,
    );
  }
}
