import { DataError, OffsetMap, SourceRecord, Struct } from '../../../src/api';
import { DbConnection, QueryResult } from '../dialect';
import { baseSelect, IncrementalOptions, IncrementingQuerier } from './incrementing-querier';
import { compareTimestamps, OffsetTimestamp, TimestampIncrementingOffset, timestampToDate } from './source-offsets';
import { extractTimestamp, QuerierContext, QuerierSource } from './table-querier';
import { sameTimestampStatement } from './timestamp-incrementing-criteria';
import { timestampParam } from './timestamp-precision';

interface Row {
  readonly struct: Struct;
  readonly ts: OffsetTimestamp | null;
}

/** Rows sharing the timestamp a full page ended on, read through a cursor a page per step. */
interface SameTimestampGroup {
  readonly at: OffsetTimestamp;
  readonly pages: AsyncIterator<QueryResult>;
  /** The page read ahead, to know which row is the group's last. */
  pending: QueryResult | null;
  started: boolean;
}

/**
 * timestamp mode (Confluent's TimestampTableQuerier). Timestamps need not be unique, so a record's
 * offset advances to its timestamp only when the next row's timestamp is greater (or the result
 * ended): a restart in the middle of rows sharing a timestamp reads them again rather than skipping
 * the rest.
 *
 * Pages: a full page (batch.max.rows rows) may end in the middle of rows sharing its last timestamp
 * T, and the next `ts > T` query would skip the others. So only the rows before T are returned and
 * the next page starts at T; when a whole page shares T, every row at T is read with `ts = T`
 * through a cursor, a page per step, before moving past T.
 */
export class TimestampQuerier extends IncrementingQuerier {
  private group: SameTimestampGroup | null = null;

  constructor(ctx: QuerierContext, source: QuerierSource, topic: string, partition: OffsetMap, options: IncrementalOptions) {
    super(ctx, source, topic, partition, { ...options, incrementingColumn: null });
  }

  override async step(conn: DbConnection, now: number): Promise<SourceRecord[]> {
    if (this.group !== null) return this.stepGroup();
    this.querying = true;
    const result = await this.queryPage(conn);
    const rows = result.rows.map((row): Row => {
      const struct = this.toStruct(result.columns, row);
      return { struct, ts: extractTimestamp(struct, this.offsetFields(struct).ts, (f) => this.rawValue(row, f)) };
    });
    if (rows.length < this.ctx.batchMaxRows) {
      const records = this.emit(rows, null);
      this.finish(now);
      return records;
    }
    const last = rows[rows.length - 1].ts;
    const cut = last === null ? rows.length : rows.findIndex((r) => r.ts !== null && compareTimestamps(r.ts, last) === 0);
    if (cut > 0 || last === null) return this.emit(rows.slice(0, cut), last);
    this.group = {
      at: last,
      pages: conn.queryPages(this.sameTimestampSql(), [timestampParam(last, this.ctx.timeZone, this.ctx.dialect)], this.ctx.batchMaxRows)[Symbol.asyncIterator](),
      pending: null,
      started: false,
    };
    return this.stepGroup();
  }

  override async reset(): Promise<void> {
    const group = this.group;
    this.group = null;
    await super.reset();
    await group?.pages.return?.().catch(() => undefined);
  }

  private queryPage(conn: DbConnection): Promise<QueryResult> {
    return this.endTime(conn).then((end) => {
      const statement = this.criteria();
      return conn.query(statement.sql, statement.params({ begin: timestampParam(this.offset.timestampOrEpoch(), this.ctx.timeZone, this.ctx.dialect), end, lastIncrementing: -1 }));
    });
  }

  /**
   * Records for `rows` with Confluent's rule: a row's offset is its own timestamp when the next row's
   * is greater (`after` is the timestamp following the last row, null at the end of the result),
   * otherwise the last offset that could be committed.
   */
  private emit(rows: readonly Row[], after: OffsetTimestamp | null): SourceRecord[] {
    return rows.map((row, i) => {
      const next = i + 1 < rows.length ? rows[i + 1].ts : after;
      if (row.ts === null || next === null || compareTimestamps(row.ts, next) < 0) this.offset = new TimestampIncrementingOffset(row.ts, null);
      return this.record(row.struct, this.offset.toMap());
    });
  }

  private async stepGroup(): Promise<SourceRecord[]> {
    const group = this.group as SameTimestampGroup;
    const page = group.started ? group.pending : await nextPage(group.pages);
    const firstPage = !group.started;
    group.started = true;
    if (page === null) {
      this.group = null;
      if (firstPage) {
        throw new DataError(
          `Rows of ${this.name} with timestamp ${timestampToDate(group.at).toISOString()} could not be read back by equality (the timestamp's precision was lost on the way)`,
        );
      }
      this.offset = new TimestampIncrementingOffset(group.at, null);
      return [];
    }
    group.pending = await nextPage(group.pages);
    const lastPage = group.pending === null;
    const records = page.rows.map((row, i) => {
      if (lastPage && i === page.rows.length - 1) this.offset = new TimestampIncrementingOffset(group.at, null);
      return this.record(this.toStruct(page.columns, row), this.offset.toMap());
    });
    if (lastPage) {
      this.group = null;
      this.offset = new TimestampIncrementingOffset(group.at, null);
    }
    return records;
  }

  private sameTimestampSql(): string {
    return sameTimestampStatement({
      dialect: this.ctx.dialect,
      quote: this.ctx.quote,
      base: baseSelect(this.ctx, this.source),
      incrementingColumn: null,
      timestampColumns: this.options.timestampColumns,
      limit: null,
      suffix: this.ctx.querySuffix,
    }).sql;
  }
}

async function nextPage(pages: AsyncIterator<QueryResult>): Promise<QueryResult | null> {
  for (;;) {
    const next = await pages.next();
    if (next.done === true) return null;
    if (next.value.rows.length > 0) return next.value;
  }
}
