import { ConnectError } from '../../../src/api';
import { DatabaseDialect, TableId } from '../dialect';
import { TABLE_BLACKLIST_CONFIG, TABLE_WHITELIST_CONFIG } from './jdbc-source-config';

export interface TableFilterOptions {
  readonly whitelist: readonly string[];
  readonly blacklist: readonly string[];
  /** Anchored regular expressions (table.include.list / table.exclude.list). */
  readonly includeList: readonly RegExp[];
  readonly excludeList: readonly RegExp[];
}

/**
 * The tables the connector reads among those the database lists, as Confluent's TableMonitorThread:
 * with table.include.list, the fully qualified unquoted names the include list matches and the
 * exclude list does not; otherwise table.whitelist / table.blacklist, where an entry matches a table
 * by its unquoted qualified name, its quoted qualified name, or its bare name. Order is kept and
 * duplicates dropped.
 */
export function filterTables(tables: readonly TableId[], options: TableFilterOptions, dialect: DatabaseDialect): TableId[] {
  const out: TableId[] = [];
  const seen = new Set<string>();
  const useRegex = options.includeList.length > 0 || options.excludeList.length > 0;
  const white = new Set(options.whitelist);
  const black = new Set(options.blacklist);
  for (const table of tables) {
    let keep: boolean;
    if (useRegex) {
      const name = table.toString();
      keep = options.includeList.some((r) => r.test(name)) && !options.excludeList.some((r) => r.test(name));
    } else if (white.size > 0) {
      keep = namesOf(table, dialect).some((n) => white.has(n));
    } else if (black.size > 0) {
      keep = !namesOf(table, dialect).some((n) => black.has(n));
    } else {
      keep = true;
    }
    const key = JSON.stringify([table.catalog, table.schema, table.table]);
    if (keep && !seen.has(key)) {
      seen.add(key);
      out.push(table);
    }
  }
  return out;
}

function namesOf(table: TableId, dialect: DatabaseDialect): string[] {
  return [dialect.tableName(table, false), dialect.tableName(table, true), table.table];
}

/**
 * Confluent fails when two selected tables share a bare name: both would write to the same topic,
 * mixing their schemas there.
 */
export function checkDuplicateTableNames(tables: readonly TableId[], options: TableFilterOptions): void {
  const byName = new Map<string, TableId[]>();
  for (const t of tables) byName.set(t.table, [...(byName.get(t.table) ?? []), t]);
  const duplicates = [...byName.values()].filter((group) => group.length > 1);
  if (duplicates.length === 0) return;
  const key = options.whitelist.length > 0 ? `'${TABLE_WHITELIST_CONFIG}'` : options.blacklist.length > 0 ? `'${TABLE_BLACKLIST_CONFIG}'` : 'table filter configuration';
  throw new ConnectError(
    'The connector uses the unqualified table name as the topic name and has found tables with the same unqualified name, whose records would mix in one topic: ' +
      `${duplicates.map((group) => group.map((t) => t.toString()).join(', ')).join('; ')}. Update the connector's ${key} to select exactly one table of each name.`,
  );
}

/**
 * Kafka's ConnectorUtils.groupPartitions: `count` contiguous groups, as even as possible, the first
 * `elements % count` groups one element larger.
 */
export function groupPartitions<T>(elements: readonly T[], count: number): T[][] {
  if (count <= 0) throw new ConnectError(`Number of groups must be positive, was ${count}`);
  const groups: T[][] = [];
  const perGroup = Math.floor(elements.length / count);
  const leftover = elements.length - count * perGroup;
  let assigned = 0;
  for (let group = 0; group < count; group++) {
    const size = group < leftover ? perGroup + 1 : perGroup;
    groups.push(elements.slice(assigned, assigned + size));
    assigned += size;
  }
  return groups;
}
