import { ConfigDef, ConfigType, Importance } from '../../src/api';

/**
 * The FileStreamSink keys (as Apache Kafka's FileStreamSinkConnector). `topics` and `topics.regex`
 * are declared and handled by the runtime for every sink, so they are not repeated here.
 */
export class FileStreamSinkConfig {
  static readonly FILE_CONFIG = 'file';

  static readonly CONFIG_DEF: ConfigDef = new ConfigDef().define({
    name: FileStreamSinkConfig.FILE_CONFIG,
    type: ConfigType.STRING,
    defaultValue: null,
    importance: Importance.HIGH,
    doc: 'Destination filename. If not specified, the standard output will be used',
  });

  private constructor(
    /** The file to append to, or null for standard output (an empty `file` also means stdout). */
    readonly file: string | null,
  ) {}

  /** Parses and validates; throws ConfigError naming the key at fault. */
  static parse(props: Record<string, string>): FileStreamSinkConfig {
    const file = FileStreamSinkConfig.CONFIG_DEF.parse(props, 'FileStreamSinkConfig').getString(FileStreamSinkConfig.FILE_CONFIG);
    return new FileStreamSinkConfig(file === null || file === '' ? null : file);
  }

  toTaskConfig(): Record<string, string> {
    return this.file === null ? {} : { [FileStreamSinkConfig.FILE_CONFIG]: this.file };
  }
}
