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

/**
 * Rows each incrementing query reads at least. The task still returns batch.max.rows records per
 * poll; a bigger page spares queries (a statement, its planning and the criteria's index search
 * each) when batch.max.rows is small, as Confluent's default 100 is.
 */
export const PREFETCH_ROWS = 1000;

/** A page read ahead: records handed out batch.max.rows at a time. */
interface BufferedPage {
  readonly records: SourceRecord[];
  /** Each record's offset and the driver's timestamp value behind it. */
  readonly offsets: TimestampIncrementingOffset[];
  readonly raws: unknown[];
  /** Records handed out so far. */
  next: number;
  /** A short page: the result ends with it. */
  readonly endsResult: boolean;
  /** The offset (and raw timestamp) before the page's first row. */
  readonly startOffset: TimestampIncrementingOffset;
  readonly startRaw: unknown;
  /** A row that could not be mapped: thrown once the records before it were handed out. */
  error: unknown;
}

/** The SELECT the criteria are appended to. */
export function baseSelect(ctx: QuerierContext, source: QuerierSource): string {
  return source.kind === 'table' ? tableSelect(ctx.dialect, source.table, ctx.quote) : querySelect(source.query);
}

/**
 * incrementing and timestamp+incrementing modes (Confluent's TimestampIncrementingTableQuerier).
 * A query reads one page of at most pageRows() rows ordered by (timestamp, incrementing) or by the
 * incrementing column, starting just after the offset of the last row read; each step hands out at
 * most batch.max.rows records of it, and queries again once it is used up; a short page ends the
 * result once handed out. Every record carries its own row's offset, so a restart resumes exactly
 * after the last record Kafka acknowledged, including rows sharing a timestamp; reset() drops what
 * was read ahead and goes back to the offset of the last record returned.
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
  private page: BufferedPage | null = null;

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
    const page = this.page;
    if (page === null) return this.offset;
    return page.next > 0 ? page.offsets[page.next - 1] : page.startOffset;
  }

  /** Rows per query: the LIMIT of the page query. */
  protected pageRows(): number {
    return Math.max(this.ctx.batchMaxRows, PREFETCH_ROWS);
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
      limit: this.pageRows(),
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
    if (this.page !== null) return this.handOut(now);
    const statement = this.criteria();
    this.querying = true;
    if (!(await this.resolveForm(conn))) {
      this.finish(now);
      return [];
    }
    const end = this.options.timestampColumns.length > 0 ? await this.endParam(conn) : new Date(0);
    const params = statement.params({ begin: this.beginParam(), end, lastIncrementing: this.offset.incrementingOrDefault() });
    const result = await conn.query(statement.sql, params);
    const page: BufferedPage = {
      records: [],
      offsets: [],
      raws: [],
      next: 0,
      endsResult: result.rows.length < this.pageRows(),
      startOffset: this.offset,
      startRaw: this.offsetRaw,
      error: null,
    };
    try {
      for (const row of result.rows) {
        const struct = this.toStruct(result.columns, row);
        const fields = this.offsetFields(struct);
        let raw: unknown;
        const ts = fields.ts.length > 0 ? extractTimestamp(struct, fields.ts, (f) => (raw = this.rawValue(row, f))) : null;
        const inc = fields.inc === null ? null : extractIncrementing(struct, fields.inc);
        this.binding?.observe(raw);
        const offset = new TimestampIncrementingOffset(ts, inc);
        page.records.push(this.record(struct, offset.toMap()));
        page.offsets.push(offset);
        page.raws.push(raw);
        // The next query starts after the last row read, handed out or not.
        this.offset = offset;
        this.offsetRaw = raw;
      }
    } catch (err) {
      page.error = err;
    }
    this.page = page;
    return this.handOut(now);
  }

  /** The next batch.max.rows records of the page; finishes the result when a short page is used up. */
  private handOut(now: number): SourceRecord[] {
    const page = this.page as BufferedPage;
    const from = page.next;
    if (from === page.records.length && page.error !== null) {
      this.page = null;
      throw page.error;
    }
    const to = Math.min(page.records.length, from + this.ctx.batchMaxRows);
    page.next = to;
    if (to === page.records.length && page.error === null) {
      this.page = null;
      if (page.endsResult) this.finish(now);
    }
    return from === 0 && to === page.records.length ? page.records : page.records.slice(from, to);
  }

  /** Drops the rows read ahead: the next query starts after the last record returned. */
  override async reset(): Promise<void> {
    const page = this.page;
    this.page = null;
    if (page !== null) {
      const last = page.next - 1;
      this.offset = last >= 0 ? page.offsets[last] : page.startOffset;
      this.offsetRaw = last >= 0 ? page.raws[last] : page.startRaw;
    }
    await super.reset();
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
