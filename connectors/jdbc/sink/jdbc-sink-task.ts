import { ConnectError, ErrantRecordReporter, Logger, RetriableError, SinkRecord, SinkTask, SinkTaskContext } from '../../../src/api';
import { DbConnectionFactory } from '../dialect';
import { JdbcCommonConfig } from '../jdbc-common-config';
import { JDBC_CONNECTOR_VERSION } from '../source/version';
import { isTransient, JdbcDbWriter } from './jdbc-db-writer';
import { JdbcSinkConfig, MAX_RETRIES_CONFIG } from './jdbc-sink-config';

export interface JdbcSinkTaskOptions {
  /** Builds the connection factory for the task's config (the plugin passes createConnectionFactory). */
  readonly connectionFactory: (config: JdbcCommonConfig) => DbConnectionFactory;
  /** Waits retry.backoff.ms after a transient failure; default a timer. Tests inject it. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const timerSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const fallbackLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, isLevelEnabled: () => false };

/**
 * Writes records to a database table per topic (Confluent's JdbcSinkTask). Every put() is one
 * transaction, committed before put() returns, so flush() has nothing left to do and the offsets
 * the runtime commits afterwards never run ahead of the table.
 *
 * A transient database failure (connection lost, deadlock, serialization failure) waits
 * retry.backoff.ms and throws RetriableError, so the runtime delivers the same records again; after
 * max.retries such failures in a row the task fails with the last one (Confluent's remainingRetries).
 * Records the database refuses go to the errant record reporter (errors.tolerance=all), or fail the
 * task naming the record.
 */
export class JdbcSinkTask implements SinkTask {
  private context: SinkTaskContext | null = null;
  private config: JdbcSinkConfig | null = null;
  private writer: JdbcDbWriter | null = null;
  private reporter: ErrantRecordReporter | null = null;
  private remainingRetries = 0;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: JdbcSinkTaskOptions) {
    this.sleep = options.sleep ?? timerSleep;
  }

  version(): string {
    return JDBC_CONNECTOR_VERSION;
  }

  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  private get logger(): Logger {
    return this.context?.logger ?? fallbackLogger;
  }

  start(props: Record<string, string>): void {
    const config = JdbcSinkConfig.parse(props);
    this.config = config;
    const factory = this.options.connectionFactory(config.common);
    this.writer = new JdbcDbWriter({ config, factory, logger: this.logger, connectorName: this.context?.connectorName ?? props.name ?? '' });
    this.remainingRetries = config.maxRetries;
    this.reporter = this.context?.errantRecordReporter?.() ?? null;
    this.logger.info(`Starting JDBC sink task writing to ${config.common.url.display} with the ${factory.dialect.name} dialect (insert.mode=${config.insertMode}, pk.mode=${config.pkMode})`);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const writer = this.writer;
    const config = this.config;
    if (writer === null || config === null) throw new ConnectError('JdbcSinkTask.put() called before start()');
    if (records.length === 0) return;
    try {
      await writer.write(records, this.reporter);
    } catch (err) {
      if (!isTransient(err)) throw err;
      const message = (err as Error).message;
      if (this.remainingRetries <= 0) {
        throw new ConnectError(`Writing ${records.length} records failed after ${config.maxRetries} retries (${MAX_RETRIES_CONFIG}): ${message}`, { cause: err });
      }
      this.remainingRetries--;
      this.logger.warn(`Writing ${records.length} records failed with a transient database error, ${this.remainingRetries} retries left; retrying in ${config.retryBackoffMs} ms: ${message}`);
      await this.sleep(config.retryBackoffMs);
      throw new RetriableError(message, { cause: err });
    }
    this.remainingRetries = config.maxRetries;
    if (this.logger.isLevelEnabled('debug')) this.logger.debug(`Wrote ${records.length} records`);
  }

  flush(): void {
    // Every put() committed its transaction before returning.
  }

  async stop(): Promise<void> {
    const writer = this.writer;
    this.writer = null;
    await writer?.close();
  }
}
