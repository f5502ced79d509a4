import { ConfigDef, ConnectError, ConnectorContext, SourceConnector, SourceTask } from '../../src/api';
import { FileStreamSourceConfig } from './file-stream-source-config';
import { FileStreamSourceTask } from './file-stream-source-task';
import { FILE_CONNECTOR_VERSION } from './version';

/**
 * Reads one file (or stdin) line by line into one topic (Kafka's FileStreamSourceConnector). It has no
 * background work: everything happens in its single task.
 */
export class FileStreamSourceConnector implements SourceConnector {
  readonly kind = 'source' as const;
  private context: ConnectorContext | null = null;
  private settings: FileStreamSourceConfig | null = null;

  version(): string {
    return FILE_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return FileStreamSourceConfig.CONFIG_DEF;
  }

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  start(props: Record<string, string>): void {
    this.settings = FileStreamSourceConfig.parse(props);
    this.context?.logger.info(`Starting file source connector reading from ${this.settings.file ?? 'standard input'}`);
  }

  /** Always exactly one config, whatever maxTasks: a file (or stdin) can only be read by one task. */
  taskConfigs(_maxTasks: number): Record<string, string>[] {
    if (this.settings === null) throw new ConnectError('FileStreamSourceConnector.taskConfigs() called before start()');
    return [this.settings.toTaskConfig()];
  }

  createTask(): SourceTask {
    return new FileStreamSourceTask();
  }

  stop(): void {
    // Nothing to release: the connector has no background monitoring.
  }
}
