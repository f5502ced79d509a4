import { ConnectError, ErrantRecordReporter, Logger, SinkRecord } from '../../../src/api';
import { DbConnection, DbConnectionFactory, SinkDialect, SqlValue } from '../dialect';
import { JdbcSinkConfig } from './jdbc-sink-config';
import { SinkRowBuilder, coordinates } from './sink-row-builder';
import { PlannedStatement, planStatements } from './statement-plan';
import { SinkRow } from './sink-row';
import { TableManager } from './table-manager';

export interface JdbcDbWriterOptions {
  readonly config: JdbcSinkConfig;
  readonly factory: DbConnectionFactory;
  readonly logger: Logger;
  readonly connectorName: string;
}

/** True for failures a later retry may get past (DatabaseError and ConnectError carry the flag). */
export function isTransient(err: unknown): boolean {
  return (err as { retriable?: unknown } | null)?.retriable === true;
}

// Standard SQL that PostgreSQL, MySQL/MariaDB and SQLite all accept.
const SAVEPOINT = 'SAVEPOINT connect_jdbc_record';
const ROLLBACK_TO_SAVEPOINT = 'ROLLBACK TO SAVEPOINT connect_jdbc_record';
const RELEASE_SAVEPOINT = 'RELEASE SAVEPOINT connect_jdbc_record';

const SQL_CACHE_LIMIT = 500;

/** A record and its row, or the error building the row failed with. */
interface BuiltRow {
  readonly record: SinkRecord;
  readonly row: SinkRow | null;
  readonly error: unknown;
}

/**
 * Writes the records of one put() in one database transaction (Confluent's JdbcDbWriter): rows
 * grouped by table into multi-row statements, committed before write() returns, so everything a
 * put returned from is durable. The DDL the records call for runs first, outside that transaction.
 * A transient failure (retriable) rolls back, closes the connection and is rethrown. Any other
 * failure rolls back and the records are written again one by one, each under a savepoint of one
 * new transaction: a record that fails is rolled back alone and handed to the errant record
 * reporter, or, without one, fails the write naming the record, and nothing of the put is written.
 */
export class JdbcDbWriter {
  private conn: DbConnection | null = null;
  private readonly sink: SinkDialect;
  private readonly tables: TableManager;
  private readonly rows: SinkRowBuilder;
  private readonly sql = new Map<string, string>();

  constructor(private readonly o: JdbcDbWriterOptions) {
    const dialect = o.factory.dialect;
    if (dialect.sink === undefined) throw new ConnectError(`The ${dialect.name} dialect cannot be used by the JDBC sink yet`);
    this.sink = dialect.sink;
    const common = o.config.common;
    this.tables = new TableManager({
      dialect,
      sink: this.sink,
      quote: common.quoteIdentifiers,
      tableTypes: common.tableTypes,
      autoCreate: o.config.autoCreate,
      autoEvolve: o.config.autoEvolve,
      logger: o.logger,
    });
    this.rows = new SinkRowBuilder({ config: o.config, dialect, sink: this.sink, tables: this.tables, logger: o.logger, connectorName: o.connectorName });
  }

  private async connection(): Promise<DbConnection> {
    this.conn ??= await this.o.factory.connect();
    return this.conn;
  }

  async write(records: readonly SinkRecord[], reporter: ErrantRecordReporter | null): Promise<void> {
    if (records.length === 0) return;
    const conn = await this.connection();
    const built = await this.closeOnTransient(() => this.buildRows(conn, records));
    if (built.every((b) => b.row !== null)) {
      try {
        await conn.transaction((tx) => this.executeAll(tx, built.map((b) => b.row as SinkRow)));
        return;
      } catch (err) {
        if (isTransient(err)) {
          await this.close();
          throw err;
        }
        this.o.logger.warn(`Writing ${records.length} records in one transaction failed, writing them one by one to find the bad ones: ${(err as Error).message}`);
      }
    }
    await this.writeOneByOne(conn, built, reporter);
  }

  /**
   * Each record's row, or the non-transient error building it failed with. Building runs the DDL
   * the records call for (auto.create, auto.evolve) here, before and outside the data transaction,
   * each statement committed on its own: MySQL and MariaDB commit any open transaction at a DDL
   * statement and carry on without one, which would make part of a put durable before it failed.
   */
  private async buildRows(conn: DbConnection, records: readonly SinkRecord[]): Promise<BuiltRow[]> {
    const built: BuiltRow[] = [];
    for (const record of records) {
      try {
        built.push({ record, row: await this.rows.toRow(conn, record), error: null });
      } catch (err) {
        if (isTransient(err)) throw err;
        built.push({ record, row: null, error: err });
      }
    }
    return built;
  }

  /**
   * Writes the rows one by one in one transaction, each under a savepoint: a row that fails (or
   * could not be built) is handed to the reporter and the others are written; without a reporter
   * the first bad record fails the write and nothing of the put is written.
   */
  private async writeOneByOne(conn: DbConnection, built: readonly BuiltRow[], reporter: ErrantRecordReporter | null): Promise<void> {
    const firstBad = built.find((b) => b.row === null);
    if (firstBad !== undefined && reporter === null) throw this.recordError(firstBad.record, firstBad.error);
    const reports: Promise<void>[] = [];
    const report = (record: SinkRecord, err: unknown): void => {
      const error = this.recordError(record, err);
      if (reporter === null) throw error;
      this.o.logger.warn(`Reporting the record at ${coordinates(record)} as errant: ${error.message}`);
      reports.push(reporter.report(record, error));
    };
    await this.closeOnTransient(() =>
      conn.transaction(async (tx) => {
        for (const { record, row, error } of built) {
          if (row === null) {
            report(record, error);
            continue;
          }
          await tx.query(SAVEPOINT);
          try {
            await this.executeAll(tx, [row]);
          } catch (err) {
            if (isTransient(err)) throw err;
            await tx.query(ROLLBACK_TO_SAVEPOINT);
            report(record, err);
          }
          await tx.query(RELEASE_SAVEPOINT);
        }
      }),
    );
    await Promise.all(reports);
  }

  /** Runs `work`; a transient failure closes the connection (the next write opens a new one) before it is rethrown. */
  private async closeOnTransient<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (isTransient(err)) await this.close();
      throw err;
    }
  }

  private recordError(record: SinkRecord, err: unknown): ConnectError {
    let table: string;
    try {
      table = this.rows.destinationTable(record.topic).toString();
    } catch {
      table = '(no table)';
    }
    const message = err instanceof Error ? err.message : String(err);
    return new ConnectError(`Cannot write the record at ${coordinates(record)} to table ${table}: ${message}`, { cause: err });
  }

  private async executeAll(tx: DbConnection, rows: readonly SinkRow[]): Promise<void> {
    for (const statement of planStatements(rows, this.o.config.batchSize, this.sink.maxParameters)) await this.execute(tx, statement);
  }

  private async execute(tx: DbConnection, s: PlannedStatement): Promise<void> {
    const n = s.rows.length;
    const params: SqlValue[] = [];
    switch (s.operation) {
      case 'update': {
        if (s.nonKeyColumns.length === 0) return; // nothing to set
        const sql = this.cached(s, 1, () => this.sink.updateStatement(s.table, s.keyColumns, s.nonKeyColumns, this.quote));
        for (const row of s.rows) await tx.query(sql, [...row.nonKeyValues, ...row.keyValues]);
        return;
      }
      case 'delete': {
        const sql = this.cached(s, n, () => this.sink.deleteStatement(s.table, s.keyColumns, n, this.quote));
        for (const row of s.rows) params.push(...row.keyValues);
        await tx.query(sql, params);
        return;
      }
      case 'insert':
      case 'upsert': {
        const sql = this.cached(s, n, () =>
          s.operation === 'insert'
            ? this.sink.insertStatement(s.table, [...s.keyColumns, ...s.nonKeyColumns], n, this.quote)
            : this.sink.upsertStatement(s.table, s.keyColumns, s.nonKeyColumns, n, this.quote),
        );
        for (const row of s.rows) params.push(...row.keyValues, ...row.nonKeyValues);
        await tx.query(sql, params);
        return;
      }
    }
  }

  private get quote(): boolean {
    return this.o.config.common.quoteIdentifiers;
  }

  private cached(s: PlannedStatement, rows: number, build: () => string): string {
    const key = `${s.operation}\u0001${s.rows[0].tableKey}\u0001${s.keyColumns.join('\u0000')}\u0001${s.nonKeyColumns.join('\u0000')}\u0001${rows}`;
    let sql = this.sql.get(key);
    if (sql === undefined) {
      if (this.sql.size >= SQL_CACHE_LIMIT) this.sql.clear();
      sql = build();
      this.sql.set(key, sql);
    }
    return sql;
  }

  /** Closes the connection; the next write opens a new one. */
  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = null;
    this.tables.invalidate();
    if (conn !== null) await conn.close().catch((err: unknown) => this.o.logger.warn(`Closing the database connection failed: ${(err as Error).message}`));
  }
}
