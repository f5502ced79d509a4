import { ConfigDef, ConnectError, ConnectorContext, SinkConnector, SinkTask } from '../../../src/api';
import { JDBC_CONNECTOR_VERSION } from '../source/version';
import { JdbcSinkConfig } from './jdbc-sink-config';
import { JdbcSinkTask, JdbcSinkTaskOptions } from './jdbc-sink-task';

/** Writes records from Kafka topics to database tables (Confluent's JdbcSinkConnector). */
export class JdbcSinkConnector implements SinkConnector {
  readonly kind = 'sink' as const;
  private context: ConnectorContext | null = null;
  private props: Record<string, string> | null = null;

  constructor(private readonly taskOptions: JdbcSinkTaskOptions) {}

  version(): string {
    return JDBC_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return JdbcSinkConfig.CONFIG_DEF;
  }

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  /** Validates the configuration, so a bad key fails the connector before any task starts. */
  start(props: Record<string, string>): void {
    const config = JdbcSinkConfig.parse(props);
    this.props = { ...props };
    this.context?.logger.info(`Starting JDBC sink connector for ${config.common.url.display}`);
  }

  /** maxTasks copies of the connector's config, as Confluent: the runtime spreads the partitions over them. */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    const props = this.props;
    if (props === null) throw new ConnectError('JdbcSinkConnector.taskConfigs() called before start()');
    return Array.from({ length: maxTasks }, () => ({ ...props }));
  }

  createTask(): SinkTask {
    return new JdbcSinkTask(this.taskOptions);
  }

  stop(): void {
    // Nothing runs in the connector itself.
  }
}
