import { SqlValue, TableId } from '../dialect';
import { RowOperation, SinkRow } from './sink-row';

/** One statement to run: rows of one table and operation with the same columns. */
export interface PlannedStatement {
  readonly operation: RowOperation;
  readonly table: TableId;
  readonly keyColumns: readonly string[];
  readonly nonKeyColumns: readonly string[];
  readonly rows: SinkRow[];
}

function signature(row: SinkRow): string {
  return `${row.operation}\u0001${row.keyColumns.join('\u0000')}\u0001${row.nonKeyColumns.join('\u0000')}`;
}

function valueKey(v: SqlValue): string {
  if (v === null) return 'n';
  if (Buffer.isBuffer(v)) return `x${v.toString('hex')}`;
  if (v instanceof Date) return `d${v.getTime()}`;
  // Numbers and bigints that are equal in SQL compare equal here too.
  if (typeof v === 'number' || typeof v === 'bigint') return `#${String(v)}`;
  return `${typeof v}${String(v)}`;
}

/** The key values of a row as one string, to spot a key repeated within one statement. */
export function rowKey(values: readonly SqlValue[]): string {
  return values.map(valueKey).join('\u0000');
}

/**
 * Groups rows into statements: per table (in the order tables first appear), in record order,
 * one statement per run of rows with the same operation and columns, at most `batchSize` rows and
 * `maxParameters` parameters each. UPDATE is one row per statement. An upsert run also breaks
 * where a key repeats, so a statement never touches one row twice (PostgreSQL refuses that) and the
 * later record still wins.
 */
export function planStatements(rows: readonly SinkRow[], batchSize: number, maxParameters: number): PlannedStatement[] {
  const byTable = new Map<string, SinkRow[]>();
  for (const row of rows) {
    const list = byTable.get(row.tableKey);
    if (list === undefined) byTable.set(row.tableKey, [row]);
    else list.push(row);
  }
  const out: PlannedStatement[] = [];
  for (const tableRows of byTable.values()) {
    let current: PlannedStatement | null = null;
    let currentSignature = '';
    let limit = 1;
    let keys = new Set<string>();
    for (const row of tableRows) {
      const sig = signature(row);
      const key = row.operation === 'upsert' ? rowKey(row.keyValues) : null;
      if (current === null || sig !== currentSignature || current.rows.length >= limit || (key !== null && keys.has(key))) {
        current = { operation: row.operation, table: row.table, keyColumns: row.keyColumns, nonKeyColumns: row.nonKeyColumns, rows: [] };
        out.push(current);
        currentSignature = sig;
        keys = new Set();
        const width = row.operation === 'delete' ? row.keyColumns.length : row.keyColumns.length + row.nonKeyColumns.length;
        limit = row.operation === 'update' ? 1 : Math.max(1, Math.min(batchSize, Math.floor(maxParameters / Math.max(1, width))));
      }
      current.rows.push(row);
      if (key !== null) keys.add(key);
    }
  }
  return out;
}
