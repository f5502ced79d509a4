import { ConfigDef, ConnectError, ConnectorContext, SourceConnector, SourceTask } from '../../../src/api';
import { DbConnectionFactory } from '../dialect';
import { JdbcCommonConfig } from '../jdbc-common-config';
import { encodeTables, JDBC_SOURCE_CONFIG_DEF, JdbcSourceConfig, TABLES_CONFIG } from './jdbc-source-config';
import { JdbcSourceTask } from './jdbc-source-task';
import { checkDuplicateTableNames, groupPartitions } from './table-filter';
import { TableMonitor } from './table-monitor';
import { JDBC_CONNECTOR_VERSION } from './version';

export interface JdbcSourceConnectorOptions {
  /** Opens connections for a config; shared by the connector and its tasks. */
  readonly connectionFactory: (config: JdbcCommonConfig) => DbConnectionFactory;
}

/**
 * Confluent's JdbcSourceConnector: finds the tables to read (or takes the query) and splits them
 * across up to tasks.max tasks, contiguous groups as Kafka's ConnectorUtils.groupPartitions; a query
 * is always one task. A table monitor lists the tables again every table.poll.interval.ms and asks
 * the runtime to reconfigure the tasks when the set changed, so tables created later are read and
 * dropped ones let go.
 */
export class JdbcSourceConnector implements SourceConnector {
  readonly kind = 'source' as const;
  private context: ConnectorContext | null = null;
  private props: Record<string, string> = {};
  private settings: JdbcSourceConfig | null = null;
  private monitor: TableMonitor | null = null;

  constructor(private readonly options: JdbcSourceConnectorOptions) {}

  version(): string {
    return JDBC_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return JDBC_SOURCE_CONFIG_DEF;
  }

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  async start(props: Record<string, string>): Promise<void> {
    const context = this.context;
    if (context === null) throw new ConnectError('JdbcSourceConnector.start() called before initialize()');
    const config = JdbcSourceConfig.parse(props);
    this.props = { ...props };
    this.settings = config;
    const { source, common } = config;
    context.logger.info(`Starting JDBC source connector for ${common.url.display}`);
    const factory = this.options.connectionFactory(common);
    if (source.query !== null) {
      // As Confluent: connect once at start, so a wrong URL or password fails the connector itself.
      await (await factory.connect()).close();
      return;
    }
    const monitor = new TableMonitor({
      factory,
      listOptions: { tableTypes: common.tableTypes, schemaPattern: source.schemaPattern, catalogPattern: source.catalogPattern },
      filter: source,
      pollIntervalMs: source.tablePollIntervalMs,
      logger: context.logger,
      onChange: () => context.requestTaskReconfiguration(),
      onFatal: (err) => context.raiseError(new ConnectError(`Encountered an unrecoverable error while reading tables from the database: ${err.message}`, { cause: err })),
    });
    await monitor.start();
    try {
      checkDuplicateTableNames(monitor.tables(), source);
    } catch (err) {
      await monitor.stop();
      throw err;
    }
    this.monitor = monitor;
    if (monitor.tables().length === 0) context.logger.warn('No tables match the configuration, so there is no work to be done until matching tables are created');
  }

  taskConfigs(maxTasks: number): Record<string, string>[] {
    const config = this.settings;
    if (config === null) throw new ConnectError('JdbcSourceConnector.taskConfigs() called before start()');
    if (config.source.query !== null) return [{ ...this.props, [TABLES_CONFIG]: '[]' }];
    const tables = this.monitor?.tables() ?? [];
    // With no table, one idle task keeps the connector running until the monitor finds one.
    if (tables.length === 0) return [{ ...this.props, [TABLES_CONFIG]: '[]' }];
    return groupPartitions(tables, Math.min(tables.length, Math.max(1, maxTasks))).map((group) => ({ ...this.props, [TABLES_CONFIG]: encodeTables(group) }));
  }

  createTask(): SourceTask {
    return new JdbcSourceTask({ connectionFactory: this.options.connectionFactory });
  }

  async stop(): Promise<void> {
    const monitor = this.monitor;
    this.monitor = null;
    await monitor?.stop();
  }
}
