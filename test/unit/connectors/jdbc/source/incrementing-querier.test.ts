import { SourceRecord, Struct } from '../../../../../src/api';
import { DbConnection, NumericMapping, TableId } from '../../../../../connectors/jdbc/dialect';
import { IncrementingQuerier, PREFETCH_ROWS } from '../../../../../connectors/jdbc/source/incrementing-querier';
import { TimestampIncrementingOffset } from '../../../../../connectors/jdbc/source/source-offsets';
import { QuerierContext } from '../../../../../connectors/jdbc/source/table-querier';
import { FakeDb, silentLogger } from './fake-db';

/**
 * The incrementing querier reads pages of at least PREFETCH_ROWS rows and hands them out
 * batch.max.rows records per step: what was read ahead never moves the offset a restart or a
 * reconnect resumes from, and the result is complete only once the short page is handed out.
 */
const ids = (records: SourceRecord[]) => records.map((r) => Number((r.value as Struct).get('id')));
const pageQueries = (db: FakeDb) => db.statements.filter((s) => s.sql.startsWith('SELECT * FROM "t"'));

let db: FakeDb;
let conn: DbConnection;

beforeEach(async () => {
  db = new FakeDb();
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)');
  conn = await db.factory().connect();
});

async function querier(batchMaxRows: number, incrementingColumn = 'id'): Promise<IncrementingQuerier> {
  const ctx: QuerierContext = {
    dialect: db.dialect,
    quote: true,
    numericMapping: 'none' as NumericMapping,
    timeZone: 'UTC',
    batchMaxRows,
    querySuffix: '',
    logger: silentLogger,
    warnSkipped: () => undefined,
  };
  const q = new IncrementingQuerier(ctx, { kind: 'table', table: new TableId(null, null, 't') }, 'db-t', { protocol: '1', table: 't' }, {
    incrementingColumn,
    timestampColumns: [],
    timestampDelayMs: 0,
    validateNonNull: false,
    offset: new TimestampIncrementingOffset(null, null),
  });
  await q.prepare(conn);
  return q;
}

function insertRows(from: number, to: number, n: (id: number) => number = (id) => id): void {
  for (let id = from; id <= to; id++) db.insert('t', { id, n: n(id) });
}

it('hands one page out batch.max.rows records per step, complete only when the short page is used up', async () => {
  insertRows(1, 5);
  const q = await querier(2);
  expect(ids(await q.step(conn, 1))).toEqual([1, 2]);
  expect([q.querying, q.complete]).toEqual([true, false]);
  expect(ids(await q.step(conn, 2))).toEqual([3, 4]);
  expect([q.querying, q.complete]).toEqual([true, false]);
  const last = await q.step(conn, 3);
  expect(ids(last)).toEqual([5]);
  expect(last[0].sourceOffset).toEqual({ incrementing: 5 });
  expect([q.querying, q.complete, q.lastUpdate]).toEqual([false, true, 3]);
  expect(pageQueries(db)).toEqual([{ sql: `SELECT * FROM "t" WHERE "id" > ? ORDER BY "id" ASC LIMIT ${PREFETCH_ROWS}`, params: [-1] }]);
});

it('after a full page handed out, queries again from its last row', async () => {
  insertRows(1, PREFETCH_ROWS + 3);
  const q = await querier(PREFETCH_ROWS / 2);
  expect((await q.step(conn, 1)).length).toBe(PREFETCH_ROWS / 2);
  expect((await q.step(conn, 2)).length).toBe(PREFETCH_ROWS / 2);
  expect([q.querying, q.complete]).toEqual([true, false]);
  expect(ids(await q.step(conn, 3))).toEqual([PREFETCH_ROWS + 1, PREFETCH_ROWS + 2, PREFETCH_ROWS + 3]);
  expect([q.querying, q.complete]).toEqual([false, true]);
  expect(pageQueries(db).map((s) => s.params[0])).toEqual([-1, PREFETCH_ROWS]);
});

it('batch.max.rows above PREFETCH_ROWS is the page size', async () => {
  insertRows(1, 3);
  const q = await querier(PREFETCH_ROWS * 2);
  expect(ids(await q.step(conn, 1))).toEqual([1, 2, 3]);
  expect(pageQueries(db)[0].sql).toMatch(new RegExp(`LIMIT ${PREFETCH_ROWS * 2}$`));
});

it('reset() in the middle of a page drops the rest and the next query starts after the last record returned', async () => {
  insertRows(1, 6);
  const q = await querier(2);
  expect(ids(await q.step(conn, 1))).toEqual([1, 2]);
  expect(q.currentOffset().incrementing).toBe(2);
  await q.reset();
  expect(q.querying).toBe(false);
  expect(q.currentOffset().incrementing).toBe(2);
  expect(ids(await q.step(conn, 2))).toEqual([3, 4]);
  expect(pageQueries(db).map((s) => s.params[0])).toEqual([-1, 2]);
});

it('a row that cannot be mapped fails the step after the records before it were handed out', async () => {
  insertRows(1, 5, (id) => (id === 5 ? 2 ** 53 + 2 : id));
  const q = await querier(2, 'n');
  expect(ids(await q.step(conn, 1))).toEqual([1, 2]);
  expect(ids(await q.step(conn, 2))).toEqual([3, 4]);
  await expect(q.step(conn, 3)).rejects.toThrow('Incrementing column n value 9007199254740994 is beyond');
});
