import { ConfigDef, ConnectError, ConnectorContext, SinkConnector, SinkTask } from '../../src/api';
import { FileStreamSinkConfig } from './file-stream-sink-config';
import { FileStreamSinkTask, FileStreamSinkTaskOptions } from './file-stream-sink-task';
import { FILE_CONNECTOR_VERSION } from './version';

/** Writes the values of the records it consumes to one file (or stdout), one per line (Kafka's FileStreamSinkConnector). */
export class FileStreamSinkConnector implements SinkConnector {
  readonly kind = 'sink' as const;
  private context: ConnectorContext | null = null;
  private settings: FileStreamSinkConfig | null = null;

  /** @param taskOptions passed to every task it creates (tests inject failing file operations here). */
  constructor(private readonly taskOptions: FileStreamSinkTaskOptions = {}) {}

  version(): string {
    return FILE_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return FileStreamSinkConfig.CONFIG_DEF;
  }

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  start(props: Record<string, string>): void {
    this.settings = FileStreamSinkConfig.parse(props);
    this.context?.logger.info(`Starting file sink connector writing to ${this.settings.file ?? 'standard output'}`);
  }

  /**
   * maxTasks identical configs, as Kafka does: the runtime spreads the topic partitions over them and
   * every task appends whole lines to the same file.
   */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    const settings = this.settings;
    if (settings === null) throw new ConnectError('FileStreamSinkConnector.taskConfigs() called before start()');
    return Array.from({ length: maxTasks }, () => settings.toTaskConfig());
  }

  createTask(): SinkTask {
    return new FileStreamSinkTask(this.taskOptions);
  }

  /** KIP-875: the sink keeps no offsets of its own and needs no check (Kafka's FileStreamSinkConnector). */
  alterOffsets(): boolean {
    return true;
  }

  stop(): void {
    // Nothing to release: the connector has no background monitoring.
  }
}
