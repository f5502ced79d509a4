import { ConfigDef, ConfigError, ConfigType, ConnectRecord, DataError, Importance, newRecord, Transformation } from '../api';
import { JavaDateFormat, javaDateFormat } from './util/java-date-format';
import { recordToString } from './util/record-text';

const TOPIC_FORMAT = 'topic.format';
const TIMESTAMP_FORMAT = 'timestamp.format';

const TOPIC_PLACEHOLDER = /\$\{topic\}/g;
const TIMESTAMP_PLACEHOLDER = /\$\{timestamp\}/g;

const CONFIG_DEF = new ConfigDef()
  .define({
    name: TOPIC_FORMAT,
    type: ConfigType.STRING,
    defaultValue: '${topic}-${timestamp}',
    importance: Importance.HIGH,
    doc: 'Format of the new topic name; ${topic} and ${timestamp} stand for the original topic and the formatted record timestamp.',
  })
  .define({
    name: TIMESTAMP_FORMAT,
    type: ConfigType.STRING,
    defaultValue: 'yyyyMMdd',
    importance: Importance.HIGH,
    doc: 'Java SimpleDateFormat pattern for the record timestamp, formatted in UTC.',
  });

/**
 * Kafka's TimestampRouter: the topic becomes `topic.format` with `${topic}` replaced by the record's
 * topic and `${timestamp}` by its timestamp formatted with `timestamp.format` in UTC. Mostly for sinks,
 * whose destination table or index is named after the topic.
 */
export class TimestampRouter implements Transformation {
  private topicFormat = '';
  private timestampFormat!: JavaDateFormat;

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'TimestampRouter');
    this.topicFormat = config.getString(TOPIC_FORMAT) ?? '';
    const pattern = config.getString(TIMESTAMP_FORMAT) ?? '';
    try {
      this.timestampFormat = javaDateFormat(pattern);
    } catch (e) {
      // Kafka only finds out when the first record is routed; a bad pattern is a configuration mistake.
      throw ConfigError.invalidValue(TIMESTAMP_FORMAT, pattern, `Not a SimpleDateFormat pattern: ${(e as Error).message}`);
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (record.timestamp === null || record.timestamp === undefined) throw new DataError(`Timestamp missing on record: ${recordToString(record)}`);
    const timestamp = this.timestampFormat.format(record.timestamp);
    const topic = this.topicFormat.replace(TOPIC_PLACEHOLDER, () => record.topic).replace(TIMESTAMP_PLACEHOLDER, () => timestamp);
    return newRecord(record, { topic });
  }
}
