import { ConnectError, OffsetMap, Schema, SourceRecord, Struct } from '../../../src/api';
import { DbConnection } from '../dialect';
import { checkTableColumns } from './column-checks';
import { TimestampIncrementingOffset } from './source-offsets';
import { timestampParam } from './timestamp-precision';
import { extractIncrementing, extractTimestamp, QuerierContext, QuerierSource, resolveField, TableQuerier } from './table-querier';
import { CriteriaStatement, criteriaStatement, querySelect, tableSelect } from './timestamp-incrementing-criteria';

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
  protected incrementingColumn: string | null;
  private statement: CriteriaStatement | null = null;

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
    this.statement = criteriaStatement({
      dialect: this.ctx.dialect,
      quote: this.ctx.quote,
      base: baseSelect(this.ctx, this.source),
      incrementingColumn: this.incrementingColumn,
      timestampColumns: this.options.timestampColumns,
      limit: this.ctx.batchMaxRows,
      suffix: this.ctx.querySuffix,
    });
    this.ctx.logger.info(`Begin using SQL query: ${this.statement.sql}`);
  }

  /** The page query; prepare() builds it. */
  protected criteria(): CriteriaStatement {
    if (this.statement === null) throw new ConnectError(`The querier of ${this.name} was used before prepare()`);
    return this.statement;
  }

  async step(conn: DbConnection, now: number): Promise<SourceRecord[]> {
    const statement = this.criteria();
    this.querying = true;
    const end = this.options.timestampColumns.length > 0 ? await this.endTime(conn) : new Date(0);
    const begin = timestampParam(this.offset.timestampOrEpoch(), this.ctx.timeZone, this.ctx.dialect);
    const params = statement.params({ begin, end, lastIncrementing: this.offset.incrementingOrDefault() });
    const result = await conn.query(statement.sql, params);
    const records: SourceRecord[] = [];
    for (const row of result.rows) {
      const struct = this.toStruct(result.columns, row);
      const fields = this.offsetFields(struct);
      const ts = fields.ts.length > 0 ? extractTimestamp(struct, fields.ts, (f) => this.rawValue(row, f)) : null;
      const inc = fields.inc === null ? null : extractIncrementing(struct, fields.inc);
      this.offset = new TimestampIncrementingOffset(ts, inc);
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
