import { Logger } from '../../../src/api';
import { DbConnection, DbConnectionFactory, ListTablesOptions, TableId } from '../dialect';
import { checkDuplicateTableNames, filterTables, TableFilterOptions } from './table-filter';

export interface TableMonitorOptions {
  readonly factory: DbConnectionFactory;
  readonly listOptions: ListTablesOptions;
  readonly filter: TableFilterOptions;
  readonly pollIntervalMs: number;
  readonly logger: Logger;
  /** Called when the set of tables changed since the last listing. */
  readonly onChange: (tables: readonly TableId[]) => void;
  /** Called when the tables can no longer be read consistently (duplicate names): the connector fails. */
  readonly onFatal: (err: Error) => void;
}

/**
 * Lists the tables the connector reads (Confluent's TableMonitorThread): once at start, then every
 * table.poll.interval.ms on a timer it owns, reporting a change of the set. A failed listing is
 * logged and retried at the next interval with a new connection.
 */
export class TableMonitor {
  private tableList: TableId[] = [];
  private conn: DbConnection | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly options: TableMonitorOptions) {}

  /** The current tables, in the database's listing order. */
  tables(): readonly TableId[] {
    return this.tableList;
  }

  /** Lists the tables once (failures are thrown), then schedules the periodic listing. */
  async start(): Promise<void> {
    try {
      this.tableList = await this.list();
    } catch (err) {
      await this.closeConnection();
      throw err;
    }
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    await this.closeConnection();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.refresh().finally(() => {
        this.running = null;
        this.schedule();
      });
    }, this.options.pollIntervalMs);
    this.timer.unref?.();
  }

  private async refresh(): Promise<void> {
    let tables: TableId[];
    try {
      tables = await this.list();
    } catch (err) {
      this.options.logger.error(`Error while trying to get the updated table list, ignoring and waiting for the next table poll interval: ${(err as Error).message}`);
      await this.closeConnection();
      return;
    }
    if (this.stopped || sameTables(tables, this.tableList)) return;
    try {
      checkDuplicateTableNames(tables, this.options.filter);
    } catch (err) {
      this.stopped = true;
      this.options.onFatal(err as Error);
      return;
    }
    this.options.logger.info(`The set of tables changed: ${tables.length} table(s) now: ${tables.map((t) => t.toString()).join(', ')}`);
    this.tableList = tables;
    this.options.onChange(tables);
  }

  private async list(): Promise<TableId[]> {
    if (this.conn === null) this.conn = await this.options.factory.connect();
    const all = await this.options.factory.dialect.listTables(this.conn, this.options.listOptions);
    return filterTables(all, this.options.filter, this.options.factory.dialect);
  }

  private async closeConnection(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    await conn?.close().catch(() => undefined);
  }
}

function sameTables(a: readonly TableId[], b: readonly TableId[]): boolean {
  return a.length === b.length && a.every((t, i) => t.equals(b[i]));
}
