import { ConnectError, OffsetMap, Schema, SourceRecord, Struct } from '../../../src/api';
import { DbConnection, SqlValue } from '../dialect';
import { checkTableColumns } from './column-checks';
import { TimestampIncrementingOffset } from './source-offsets';
import { StoredTimestampBinding } from './stored-timestamp-binding';
import { timestampParam } from './timestamp-precision';
import { extractIncrementing, extractTimestamp, QuerierContext, QuerierSource, resolveField, TableQuerier } from './table-querier';
import { CriteriaOptions, CriteriaStatement, criteriaStatement, storedTimestampStatements, querySelect, tableSelect, timestampExpression } from './timestamp-incrementing-criteria';

export interface IncrementalOptions {
  /** '' = the table's auto-increment column; null in timestamp-only mode. */
  readonly incrementingColumn: string | null;
  readonly timestampColumns: readonly string[];
  readonly timestampDelayMs: number;
  readonly validateNonNull: boolean;
  readonly offset: TimestampIncrementingOffset;
}

/** The SELECT the criteria are appended to. */
export function baseSelect(ctx: QuerierContext, source: QuerierSource): string {
  return source.kind === 'table' ? tableSelect(ctx.dialect, source.table, ctx.quote) : querySelect(source.query);
}

/**
 * incrementing and timestamp+incrementing modes (Confluent's TimestampIncrementingTableQuerier).
 * Each step reads one page of at most batch.max.rows rows ordered by (timestamp, incrementing) or by
 * the incrementing column, starting just after the offset of the last row returned; a short page
 * ends the result. Every record carries its own row's offset, so a restart resumes exactly after the
 * last record Kafka acknowledged, including rows sharing a timestamp.
 */
export class IncrementingQuerier extends TableQuerier {
  protected offset: TimestampIncrementingOffset;
  /** The stored value of the timestamp the offset holds, when it came from a row read (see StoredTimestampBinding). */
  protected offsetRaw: unknown = undefined;
  protected incrementingColumn: string | null;
  private statement: CriteriaStatement | null = null;
  /** For a dialect with timestampCriteria: parameters in the column's stored form. */
  protected binding: StoredTimestampBinding | null = null;
  private storedSql = { newest: '', oldest: '' };

  private fields: { schema: Schema; inc: string | null; ts: string[] } | null = null;

  constructor(
    ctx: QuerierContext,
    source: QuerierSource,
    topic: string,
    partition: OffsetMap,
    protected readonly options: IncrementalOptions,
  ) {
    super(ctx, source, topic, partition);
    this.offset = options.offset;
    this.incrementingColumn = options.incrementingColumn;
  }

  /** The offset of the last record returned (or the stored one). */
  currentOffset(): TimestampIncrementingOffset {
    return this.offset;
  }

  override async prepare(conn: DbConnection): Promise<void> {
    if (this.source.kind === 'table') {
      this.incrementingColumn = await checkTableColumns(conn, this.ctx.dialect, this.source.table, {
        incrementingColumn: this.incrementingColumn,
        timestampColumns: this.options.timestampColumns,
        validateNonNull: this.options.validateNonNull,
      });
    }
    const options: CriteriaOptions = {
      dialect: this.ctx.dialect,
      quote: this.ctx.quote,
      base: baseSelect(this.ctx, this.source),
      incrementingColumn: this.incrementingColumn,
      timestampColumns: this.options.timestampColumns,
      limit: this.ctx.batchMaxRows,
      suffix: this.ctx.querySuffix,
    };
    this.statement = criteriaStatement(options);
    const criteria = this.ctx.dialect.timestampCriteria;
    if (criteria !== undefined && this.options.timestampColumns.length > 0 && this.binding === null) {
      const logger = this.ctx.logger;
      this.binding = new StoredTimestampBinding(criteria, timestampExpression(options), this.ctx.timeZone, this.name, (m) => logger.warn(m));
      this.storedSql = storedTimestampStatements(options);
    }
    this.ctx.logger.info(`Begin using SQL query: ${this.statement.sql}`);
  }

  /**
   * False when the timestamp column's stored form is needed (timestampCriteria) and the column
   * holds no value yet: there is nothing to read.
   */
  protected async resolveForm(conn: DbConnection): Promise<boolean> {
    return this.binding === null || this.binding.resolve(conn, this.storedSql);
  }

  /** The offset's timestamp (the epoch when none) as the criteria's lower bound. */
  protected beginParam(): SqlValue {
    const ts = this.offset.timestampOrEpoch();
    return this.binding === null ? timestampParam(ts, this.ctx.timeZone) : this.binding.begin(ts, this.offset.timestamp === null ? undefined : this.offsetRaw);
  }

  /** The criteria's upper bound: the database's time minus timestamp.delay.interval.ms. */
  protected async endParam(conn: DbConnection): Promise<SqlValue> {
    const end = await this.endTime(conn);
    return this.binding === null ? end : this.binding.end(end);
  }

  /** The page query; prepare() builds it. */
  protected criteria(): CriteriaStatement {
    if (this.statement === null) throw new ConnectError(`The querier of ${this.name} was used before prepare()`);
    return this.statement;
  }

  async step(conn: DbConnection, now: number): Promise<SourceRecord[]> {
    const statement = this.criteria();
    this.querying = true;
    if (!(await this.resolveForm(conn))) {
      this.finish(now);
      return [];
    }
    const end = this.options.timestampColumns.length > 0 ? await this.endParam(conn) : new Date(0);
    const params = statement.params({ begin: this.beginParam(), end, lastIncrementing: this.offset.incrementingOrDefault() });
    const result = await conn.query(statement.sql, params);
    const records: SourceRecord[] = [];
    for (const row of result.rows) {
      const struct = this.toStruct(result.columns, row);
      const fields = this.offsetFields(struct);
      let raw: unknown;
      const ts = fields.ts.length > 0 ? extractTimestamp(struct, fields.ts, (f) => (raw = this.rawValue(row, f))) : null;
      const inc = fields.inc === null ? null : extractIncrementing(struct, fields.inc);
      this.binding?.observe(raw);
      this.offset = new TimestampIncrementingOffset(ts, inc);
      this.offsetRaw = raw;
      records.push(this.record(struct, this.offset.toMap()));
    }
    if (result.rows.length < this.ctx.batchMaxRows) this.finish(now);
    return records;
  }

  /** The database's time minus timestamp.delay.interval.ms: rows newer than this wait for a later poll. */
  protected async endTime(conn: DbConnection): Promise<Date> {
    const dbNow = await this.ctx.dialect.currentTime(conn);
    return new Date(dbNow.getTime() - this.options.timestampDelayMs);
  }

  /** The record fields holding the offset columns, resolved once per result shape. */
  protected offsetFields(struct: Struct): { inc: string | null; ts: string[] } {
    if (this.fields === null || this.fields.schema !== struct.schema) {
      this.fields = {
        schema: struct.schema,
        inc: this.incrementingColumn === null ? null : resolveField(struct, this.incrementingColumn, 'Incrementing column'),
        ts: this.options.timestampColumns.map((c) => resolveField(struct, c, 'Timestamp column')),
      };
    }
    return this.fields;
  }
}
