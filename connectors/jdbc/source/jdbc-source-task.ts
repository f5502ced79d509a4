import { ConnectError, OffsetMap, RetriableError, SourceRecord, SourceTask, SourceTaskContext, SourceTaskProgress } from '../../../src/api';
import { DbConnection, DbConnectionFactory } from '../dialect';
import { JdbcCommonConfig } from '../jdbc-common-config';
import { BulkQuerier } from './bulk-querier';
import { IncrementingQuerier } from './incrementing-querier';
import { JdbcSourceConfig, TIMESTAMP_INITIAL_CURRENT, usesIncrementing } from './jdbc-source-config';
import { onceWarner } from './schema-mapping';
import { partitionForProtocolV0, partitionForProtocolV1, QUERY_PARTITION, TimestampIncrementingOffset, timestampFromDate } from './source-offsets';
import { QuerierContext, QuerierSource, TableQuerier } from './table-querier';
import { TimestampQuerier } from './timestamp-querier';
import { JDBC_CONNECTOR_VERSION } from './version';

export interface JdbcSourceTaskOptions {
  /** Opens connections for the task's config; the CLI's default is the driver-backed factory. */
  readonly connectionFactory: (config: JdbcCommonConfig) => DbConnectionFactory;
  /** Milliseconds since the epoch; default Date.now. */
  readonly clock?: () => number;
  /** Longest one poll() waits for a table to become due before returning null; default 1000 ms. */
  readonly maxPollWaitMs?: number;
}

/**
 * Reads the tables (or the query) assigned by JdbcSourceConnector (Confluent's JdbcSourceTask).
 *
 * One querier per table, each queried at most every poll.interval.ms, a page of batch.max.rows rows
 * per poll(). Offsets are read back at start under Confluent's protocol-1 partition, then its
 * protocol-0 partition (`{"table": "<name>"}`, written by older releases), so a restart, or a
 * switch from Confluent's connector, resumes exactly.
 *
 * poll() waits for the next due table on an abortable timer (at most maxPollWaitMs, then it returns
 * null); stop() wakes it. A retriable database failure (a lost connection, a deadlock) closes the
 * connection and is thrown as RetriableError: the runtime polls again after a backoff, and the next
 * poll reopens the connection and queries again from the last offset returned.
 */
export class JdbcSourceTask implements SourceTask {
  private context: SourceTaskContext | null = null;
  private config: JdbcSourceConfig | null = null;
  private factory: DbConnectionFactory | null = null;
  private conn: DbConnection | null = null;
  private queriers: TableQuerier[] = [];
  private readonly clock: () => number;
  private readonly maxPollWaitMs: number;
  private stopped = false;
  private wake: (() => void) | null = null;
  private inFlight: Promise<unknown> | null = null;
  /** False once a poll returned records; true again after a poll that found nothing new. */
  private quiet = false;
  /** Rows poll() returned since start, for progress(). */
  private rowsReturned = 0;

  constructor(private readonly options: JdbcSourceTaskOptions) {
    this.clock = options.clock ?? Date.now;
    this.maxPollWaitMs = options.maxPollWaitMs ?? 1000;
  }

  version(): string {
    return JDBC_CONNECTOR_VERSION;
  }

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  async start(props: Record<string, string>): Promise<void> {
    const context = this.context;
    if (context === null) throw new ConnectError('JdbcSourceTask.start() called before initialize()');
    const config = JdbcSourceConfig.parseTask(props);
    this.config = config;
    const { source } = config;
    if (source.query === null && config.tables.length === 0) {
      context.logger.warn('No tables are assigned to this task: it has nothing to read until the connector finds tables that match its configuration');
      return;
    }
    this.factory = this.options.connectionFactory(config.common);
    const conn = await this.connection();
    const ctx: QuerierContext = {
      dialect: this.factory.dialect,
      quote: config.common.quoteIdentifiers,
      numericMapping: source.numericMapping,
      timeZone: config.common.timeZone,
      batchMaxRows: source.batchMaxRows,
      querySuffix: source.querySuffix,
      logger: context.logger,
      warnSkipped: onceWarner(context.logger),
    };
    const sources: QuerierSource[] = source.query !== null ? [{ kind: 'query', query: source.query }] : config.tables.map((table) => ({ kind: 'table', table }));
    for (const s of sources) {
      const querier = await this.createQuerier(ctx, s, conn);
      await querier.prepare(conn);
      this.queriers.push(querier);
    }
    context.logger.info(`Started JDBC source task reading ${sources.length === 1 && source.query !== null ? 'the query' : `${sources.length} table(s)`} in ${source.mode} mode`);
  }

  async poll(): Promise<SourceRecord[] | null> {
    const deadline = this.clock() + this.maxPollWaitMs;
    while (!this.stopped && this.queriers.length > 0) {
      const querier = this.nextDue();
      const now = this.clock();
      const dueAt = querier.querying ? now : querier.lastUpdate + (this.config as JdbcSourceConfig).source.pollIntervalMs;
      if (dueAt > now) {
        if (now >= deadline) break;
        await this.sleep(Math.min(dueAt, deadline) - now);
        continue;
      }
      const records = await this.runStep(querier);
      if (records === null) return null;
      if (records.length > 0) {
        this.quiet = false;
        this.rowsReturned += records.length;
        return records;
      }
      if (this.clock() >= deadline) break;
    }
    this.quiet = true;
    return null;
  }

  /** True after a poll that found nothing new, once every table's last query was read to its end. */
  caughtUp(): boolean {
    return this.quiet && this.queriers.every((q) => q.complete && !q.querying);
  }

  /** Rows returned so far; a table's size is not counted (a COUNT(*) per poll would cost more than the read). */
  progress(): SourceTaskProgress {
    return { done: this.rowsReturned, total: null, unit: 'rows' };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    // Let a query under way finish (queries are paged, so this is short) before closing under it.
    await this.inFlight?.catch(() => undefined);
    for (const q of this.queriers) await q.reset().catch(() => undefined);
    await this.closeConnection();
  }

  private async createQuerier(ctx: QuerierContext, s: QuerierSource, conn: DbConnection): Promise<TableQuerier> {
    const { source } = this.config as JdbcSourceConfig;
    const topic = s.kind === 'table' ? source.topicPrefix + s.table.table : source.topicPrefix;
    if (source.mode === 'bulk') return new BulkQuerier(ctx, s, topic, s.kind === 'table' ? partitionForProtocolV0(s.table) : QUERY_PARTITION);
    const partition = s.kind === 'table' ? partitionForProtocolV1(s.table) : QUERY_PARTITION;
    const offset = await this.initialOffset(s, conn);
    const options = {
      incrementingColumn: usesIncrementing(source.mode) ? source.incrementingColumn : null,
      timestampColumns: source.mode === 'incrementing' ? [] : source.timestampColumns,
      timestampDelayMs: source.timestampDelayMs,
      validateNonNull: source.validateNonNull,
      offset,
    };
    return source.mode === 'timestamp' ? new TimestampQuerier(ctx, s, topic, partition, options) : new IncrementingQuerier(ctx, s, topic, partition, options);
  }

  /** The stored offset (protocol 1, then protocol 0), else timestamp.initial, else from the start. */
  private async initialOffset(s: QuerierSource, conn: DbConnection): Promise<TimestampIncrementingOffset> {
    const context = this.context as SourceTaskContext;
    const { source } = this.config as JdbcSourceConfig;
    const candidates: OffsetMap[] = s.kind === 'table' ? [partitionForProtocolV1(s.table), partitionForProtocolV0(s.table)] : [QUERY_PARTITION];
    const name = s.kind === 'table' ? s.table.toString() : 'the query';
    for (const partition of candidates) {
      const stored = context.offsetStorageReader.offset(partition);
      if (stored !== null) {
        context.logger.info(`Found offset ${JSON.stringify(stored)} for ${name} under partition ${JSON.stringify(partition)}`);
        return TimestampIncrementingOffset.fromMap(stored);
      }
    }
    if (source.timestampInitial === null) return TimestampIncrementingOffset.EMPTY;
    const initial =
      source.timestampInitial === TIMESTAMP_INITIAL_CURRENT
        ? timestampFromDate(await (this.factory as DbConnectionFactory).dialect.currentTime(conn))
        : timestampFromDate(new Date(source.timestampInitial));
    context.logger.info(`No offsets found for ${name}, so using configured timestamp ${initial.millis}`);
    return new TimestampIncrementingOffset(initial, null);
  }

  /** The earliest due querier: one in the middle of a result first, then by last update, then table order. */
  private nextDue(): TableQuerier {
    let best = this.queriers[0];
    for (const q of this.queriers) {
      if (q.querying !== best.querying) {
        if (q.querying) best = q;
      } else if (q.lastUpdate < best.lastUpdate) {
        best = q;
      }
    }
    return best;
  }

  /** One page of one querier; null if the task was stopped meanwhile. */
  private async runStep(querier: TableQuerier): Promise<SourceRecord[] | null> {
    const step = (async () => querier.step(await this.connection(), this.clock()))();
    this.inFlight = step;
    try {
      return await step;
    } catch (err) {
      if (this.stopped) return null;
      throw await this.failed(querier, err);
    } finally {
      this.inFlight = null;
    }
  }

  /** A retriable failure drops the connection and every open result, and is rethrown for the runtime to retry. */
  private async failed(querier: TableQuerier, err: unknown): Promise<unknown> {
    const retriable = (err as { retriable?: unknown }).retriable === true;
    const message = `Failed to query ${querier.name}: ${(err as Error).message}`;
    if (!retriable) return err instanceof ConnectError ? err : new ConnectError(message, { cause: err });
    (this.context as SourceTaskContext).logger.warn(`${message}; the connection is closed and reopened at the next poll`);
    for (const q of this.queriers) await q.reset().catch(() => undefined);
    await this.closeConnection();
    return new RetriableError(message, { cause: err });
  }

  private async connection(): Promise<DbConnection> {
    if (this.conn === null) this.conn = await (this.factory as DbConnectionFactory).connect();
    return this.conn;
  }

  private async closeConnection(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    await conn?.close().catch((err: unknown) => this.context?.logger.warn(`Error closing the database connection: ${(err as Error).message}`));
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
