import { SinkRecord } from '../../../../../src/api';
import { SqlValue, TableId } from '../../../../../connectors/jdbc/dialect';
import { RowOperation, SinkRow } from '../../../../../connectors/jdbc/sink/sink-row';
import { planStatements } from '../../../../../connectors/jdbc/sink/statement-plan';

let offset = 0n;
function row(table: string, operation: RowOperation, key: SqlValue[], nonKey: SqlValue[] = ['v'], nonKeyColumns = nonKey.map((_, i) => `c${i}`)): SinkRow {
  const record = { topic: table, kafkaPartition: 0, kafkaOffset: offset++ } as SinkRecord;
  return {
    operation,
    table: new TableId(null, null, table),
    tableKey: table,
    keyColumns: key.map((_, i) => `k${i}`),
    nonKeyColumns: operation === 'delete' ? [] : nonKeyColumns,
    keyValues: key,
    nonKeyValues: operation === 'delete' ? [] : nonKey,
    record,
  };
}

const shape = (plan: ReturnType<typeof planStatements>) => plan.map((s) => `${s.table.table}:${s.operation}:${s.rows.map((r) => r.keyValues.join('/')).join(',')}`);

describe('planStatements', () => {
  it('groups by table in record order, one statement per run of one operation', () => {
    const rows = [row('a', 'upsert', [1]), row('b', 'upsert', [1]), row('a', 'upsert', [2]), row('a', 'delete', [3]), row('a', 'delete', [4]), row('a', 'upsert', [5]), row('b', 'upsert', [2])];
    expect(shape(planStatements(rows, 100, 1000))).toEqual(['a:upsert:1,2', 'a:delete:3,4', 'a:upsert:5', 'b:upsert:1,2']);
  });

  it('a change of columns (a schema change) starts a new statement', () => {
    const rows = [row('a', 'insert', [1], ['x']), row('a', 'insert', [2], ['x', 'y']), row('a', 'insert', [3], ['x', 'y'])];
    expect(shape(planStatements(rows, 100, 1000))).toEqual(['a:insert:1', 'a:insert:2,3']);
  });

  it('chunks by batch.size and by the parameter limit', () => {
    const rows = Array.from({ length: 7 }, (_, i) => row('a', 'insert', [i], ['x', 'y']));
    expect(planStatements(rows, 3, 1000).map((s) => s.rows.length)).toEqual([3, 3, 1]);
    // 3 parameters a row, at most 7 parameters: 2 rows a statement.
    expect(planStatements(rows, 100, 7).map((s) => s.rows.length)).toEqual([2, 2, 2, 1]);
    // Deletes carry only the key.
    const deletes = Array.from({ length: 5 }, (_, i) => row('a', 'delete', [i]));
    expect(planStatements(deletes, 100, 2).map((s) => s.rows.length)).toEqual([2, 2, 1]);
  });

  it('updates are one row a statement', () => {
    expect(planStatements([row('a', 'update', [1]), row('a', 'update', [2])], 100, 1000).map((s) => s.rows.length)).toEqual([1, 1]);
  });

  it('an upsert run breaks where a key repeats, so the later record still wins', () => {
    const rows = [row('a', 'upsert', [1]), row('a', 'upsert', [2]), row('a', 'upsert', [1]), row('a', 'upsert', [3]), row('a', 'upsert', [BigInt(3)])];
    expect(shape(planStatements(rows, 100, 1000))).toEqual(['a:upsert:1,2', 'a:upsert:1,3', 'a:upsert:3']);
    const composite = [row('a', 'upsert', [1, 'x']), row('a', 'upsert', [1, 'y']), row('a', 'upsert', [1, 'x'])];
    expect(planStatements(composite, 100, 1000).map((s) => s.rows.length)).toEqual([2, 1]);
  });
});
