import { ConfigDef, ConfigType, Importance, NO_DEFAULT, Validators } from '../../src/api';
import { readableFileValidator } from './readable-file-validator';

/**
 * The FileStreamSource keys (as Apache Kafka's FileStreamSourceConnector), declared once and parsed
 * once into typed fields. The connector validates with CONFIG_DEF; its task parses its own config
 * with the same definition.
 */
export class FileStreamSourceConfig {
  static readonly FILE_CONFIG = 'file';
  static readonly TOPIC_CONFIG = 'topic';
  static readonly TASK_BATCH_SIZE_CONFIG = 'batch.size';
  static readonly DEFAULT_TASK_BATCH_SIZE = 2000;

  static readonly CONFIG_DEF: ConfigDef = new ConfigDef()
    .define({
      name: FileStreamSourceConfig.FILE_CONFIG,
      type: ConfigType.STRING,
      defaultValue: null,
      // A directory or an unreadable path fails at start-up, naming the key; a missing file is waited for.
      validator: readableFileValidator(),
      importance: Importance.HIGH,
      doc: 'Source filename. If not specified, the standard input will be used',
    })
    .define({
      name: FileStreamSourceConfig.TOPIC_CONFIG,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      validator: Validators.nonEmptyString(),
      importance: Importance.HIGH,
      doc: 'The topic to publish data to',
    })
    .define({
      name: FileStreamSourceConfig.TASK_BATCH_SIZE_CONFIG,
      type: ConfigType.INT,
      defaultValue: FileStreamSourceConfig.DEFAULT_TASK_BATCH_SIZE,
      // Kafka declares no validator here and then returns after every record when batch.size <= 0;
      // rejecting it up front names the key instead of silently degrading.
      validator: Validators.atLeast(1),
      importance: Importance.LOW,
      doc: 'The maximum number of records the source task can read from the file each time it is polled',
    });

  private constructor(
    /** The file to read, or null for standard input (an empty `file` also means stdin, as in Kafka). */
    readonly file: string | null,
    readonly topic: string,
    readonly batchSize: number,
  ) {}

  /** Parses and validates; throws ConfigError naming the key at fault. */
  static parse(props: Record<string, string>): FileStreamSourceConfig {
    const parsed = FileStreamSourceConfig.CONFIG_DEF.parse(props, 'FileStreamSourceConfig');
    const file = parsed.getString(FileStreamSourceConfig.FILE_CONFIG);
    return new FileStreamSourceConfig(
      file === null || file === '' ? null : file,
      parsed.getString(FileStreamSourceConfig.TOPIC_CONFIG) as string,
      parsed.getInt(FileStreamSourceConfig.TASK_BATCH_SIZE_CONFIG),
    );
  }

  /** The task config carrying these settings (file omitted for stdin). */
  toTaskConfig(): Record<string, string> {
    const config: Record<string, string> = {
      [FileStreamSourceConfig.TOPIC_CONFIG]: this.topic,
      [FileStreamSourceConfig.TASK_BATCH_SIZE_CONFIG]: String(this.batchSize),
    };
    if (this.file !== null) config[FileStreamSourceConfig.FILE_CONFIG] = this.file;
    return config;
  }
}
