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
  /** The driver's value of the timestamp (see StoredTimestampBinding). */
  readonly raw: unknown;
}

/** Rows sharing the timestamp a full page ended on, read through a cursor a page per step. */
interface SameTimestampGroup {
  readonly at: OffsetTimestamp;
  readonly atRaw: unknown;
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

  /** Pages of batch.max.rows: the rule above decides at each page's end. */
  protected override pageRows(): number {
    return this.ctx.batchMaxRows;
  }

  override async step(conn: DbConnection, now: number): Promise<SourceRecord[]> {
    if (this.group !== null) return this.stepGroup();
    this.querying = true;
    if (!(await this.resolveForm(conn))) {
      this.finish(now);
      return [];
    }
    const result = await this.queryPage(conn);
    const rows = result.rows.map((row): Row => {
      const struct = this.toStruct(result.columns, row);
      let raw: unknown;
      const ts = extractTimestamp(struct, this.offsetFields(struct).ts, (f) => (raw = this.rawValue(row, f)));
      this.binding?.observe(raw);
      return { struct, ts, raw };
    });
    if (rows.length < this.ctx.batchMaxRows) {
      const records = this.emit(rows, null);
      this.finish(now);
      return records;
    }
    const last = rows[rows.length - 1].ts;
    const lastRaw = rows[rows.length - 1].raw;
    const lastRow = rows[rows.length - 1];
    const cut = last === null ? rows.length : rows.findIndex((r) => r.ts !== null && this.before(r, lastRow) === false);
    if (cut > 0 || last === null) return this.emit(rows.slice(0, cut), lastRow);
    const at = this.binding === null ? timestampParam(last, this.ctx.timeZone) : this.binding.begin(last, lastRaw);
    this.group = {
      at: last,
      atRaw: lastRaw,
      pages: conn.queryPages(this.sameTimestampSql(), [at], this.ctx.batchMaxRows)[Symbol.asyncIterator](),
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

  private async queryPage(conn: DbConnection): Promise<QueryResult> {
    const end = await this.endParam(conn);
    const statement = this.criteria();
    return conn.query(statement.sql, statement.params({ begin: this.beginParam(), end, lastIncrementing: -1 }));
  }

  /**
   * Records for `rows` with Confluent's rule: a row's offset is its own timestamp when the next row's
   * is greater (`after` is the timestamp following the last row, null at the end of the result),
   * otherwise the last offset that could be committed.
   */
  private emit(rows: readonly Row[], after: Row | null): SourceRecord[] {
    return rows.map((row, i) => {
      const next = i + 1 < rows.length ? rows[i + 1] : after;
      if (row.ts === null || next === null || next.ts === null || this.before(row, next)) {
        this.offset = new TimestampIncrementingOffset(row.ts, null);
        this.offsetRaw = row.raw;
      }
      return this.record(row.struct, this.offset.toMap());
    });
  }

  /**
   * Whether `next`, after `row` in the query's order, has a greater timestamp. With a stored-form
   * binding (SQLite) the query orders stored values, so "greater" is "stored differently": the
   * offset then always moves forward in the order the query reads, even where forms mixed in one
   * column make that order differ from the instants'.
   */
  private before(row: Row, next: Row): boolean {
    if (this.binding === null) return compareTimestamps(row.ts as OffsetTimestamp, next.ts as OffsetTimestamp) < 0;
    return !sameStored(row.raw, next.raw);
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
      this.offsetRaw = group.atRaw;
      return [];
    }
    group.pending = await nextPage(group.pages);
    const lastPage = group.pending === null;
    const records = page.rows.map((row, i) => {
      if (lastPage && i === page.rows.length - 1) {
        this.offset = new TimestampIncrementingOffset(group.at, null);
        this.offsetRaw = group.atRaw;
      }
      return this.record(this.toStruct(page.columns, row), this.offset.toMap());
    });
    if (lastPage) {
      this.group = null;
      this.offset = new TimestampIncrementingOffset(group.at, null);
      this.offsetRaw = group.atRaw;
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

/** SQLite's equality of two stored values (an INTEGER equals a REAL of the same value). */
function sameStored(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' && typeof b === 'number') return Number(a) === b;
  if (typeof a === 'number' && typeof b === 'bigint') return a === Number(b);
  return a === b;
}

async function nextPage(pages: AsyncIterator<QueryResult>): Promise<QueryResult | null> {
  for (;;) {
    const next = await pages.next();
    if (next.done === true) return null;
    if (next.value.rows.length > 0) return next.value;
  }
}
