import { SourceRecord } from '../../../src/api';
import { DbConnection, QueryResult } from '../dialect';
import { tableSelect } from './timestamp-incrementing-criteria';
import { TableQuerier } from './table-querier';

/**
 * bulk mode: the whole table (or the query) at each poll, streamed with the connection's
 * queryPages() a page of batch.max.rows at a time, so a big table is never whole in memory.
 * Records carry Confluent's bulk partition (`{"table": "<name>"}`, or `{"query": "query"}`) and no
 * offset: bulk has nothing to resume from.
 */
export class BulkQuerier extends TableQuerier {
  private pages: AsyncIterator<QueryResult> | null = null;

  private sql(): string {
    const base = this.source.kind === 'table' ? tableSelect(this.ctx.dialect, this.source.table, this.ctx.quote) : this.source.query;
    // bulk appends no criteria, so the query runs as written.
    return this.ctx.querySuffix === '' ? base : `${base} ${this.ctx.querySuffix}`;
  }

  async step(conn: DbConnection, now: number): Promise<SourceRecord[]> {
    if (this.pages === null) {
      this.pages = conn.queryPages(this.sql(), [], this.ctx.batchMaxRows)[Symbol.asyncIterator]();
      this.querying = true;
    }
    const page = await this.pages.next();
    if (page.done === true) {
      this.pages = null;
      this.finish(now);
      return [];
    }
    const { columns, rows } = page.value;
    return rows.map((row) => this.record(this.toStruct(columns, row), null));
  }

  override async reset(): Promise<void> {
    const pages = this.pages;
    this.pages = null;
    await super.reset();
    await pages?.return?.().catch(() => undefined);
  }
}
