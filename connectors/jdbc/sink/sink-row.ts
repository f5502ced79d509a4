import { SinkRecord } from '../../../src/api';
import { SqlValue, TableId } from '../dialect';

export type RowOperation = 'insert' | 'upsert' | 'update' | 'delete';

/** One record turned into the statement work it needs: its table, operation, columns and bound values. */
export interface SinkRow {
  readonly operation: RowOperation;
  readonly table: TableId;
  /** The table's name quoted, a stable map key. */
  readonly tableKey: string;
  readonly keyColumns: readonly string[];
  /** Empty for deletes. */
  readonly nonKeyColumns: readonly string[];
  readonly keyValues: readonly SqlValue[];
  readonly nonKeyValues: readonly SqlValue[];
  readonly record: SinkRecord;
}
