import { BigDecimal, DataError, Header, Logger, OffsetMap, SourceRecord, Struct } from '../../../src/api';
import { ColumnDefinition, DatabaseDialect, DbConnection, NumericMapping, TableId } from '../dialect';
import { SchemaMapping } from './schema-mapping';
import { OffsetTimestamp } from './source-offsets';
import { preciseTimestamp } from './timestamp-precision';

const NO_HEADERS: readonly Header[] = Object.freeze([]);

/** What every querier of one task shares. */
export interface QuerierContext {
  readonly dialect: DatabaseDialect;
  /** quote.sql.identifiers=always. */
  readonly quote: boolean;
  readonly numericMapping: NumericMapping;
  /** db.timezone. */
  readonly timeZone: string;
  /** batch.max.rows: rows per page. */
  readonly batchMaxRows: number;
  readonly querySuffix: string;
  readonly logger: Logger;
  readonly warnSkipped: (column: ColumnDefinition, message: string) => void;
}

/** Where a querier reads from: a table, or the user's query. */
export type QuerierSource = { readonly kind: 'table'; readonly table: TableId } | { readonly kind: 'query'; readonly query: string };

/**
 * Reads one table (or the query) page by page (Confluent's TableQuerier). The task calls step()
 * whenever the querier is due: while `querying` it is in the middle of a result and is due at once;
 * otherwise it is due poll.interval.ms after `lastUpdate`, when its previous result was read to the end.
 */
export abstract class TableQuerier {
  /** When the last result was read to its end (ms since the epoch); 0 before the first query. */
  lastUpdate = 0;
  /** True between the first page of a result and its end. */
  querying = false;
  /** True once a result was read to its end: everything the source held when it looked was returned. */
  complete = false;
  private mapping: SchemaMapping | null = null;

  constructor(
    protected readonly ctx: QuerierContext,
    readonly source: QuerierSource,
    readonly topic: string,
    readonly partition: OffsetMap | null,
  ) {}

  /** For messages: the table's name, or "query". */
  get name(): string {
    return this.source.kind === 'table' ? this.source.table.toString() : 'query';
  }

  /** Checks and resolves what the querier needs from the database before its first query. */
  async prepare(_conn: DbConnection): Promise<void> {}

  /** Reads the next page: records in order (possibly none). */
  abstract step(conn: DbConnection, now: number): Promise<SourceRecord[]>;

  /** Drops any open result (a lost connection, or stop): the next step starts a new query from the offset. */
  async reset(): Promise<void> {
    this.querying = false;
  }

  protected finish(now: number): void {
    this.querying = false;
    this.complete = true;
    this.lastUpdate = now;
  }

  /** The Struct for one row, with the schema mapping of its result's columns (built once per shape). */
  protected toStruct(columns: readonly ColumnDefinition[], row: readonly unknown[]): Struct {
    let mapping = this.mapping;
    if (mapping === null || !mapping.fits(columns)) {
      const schemaName = this.source.kind === 'table' ? this.source.table.table : null;
      mapping = SchemaMapping.create(schemaName, columns, this.ctx.dialect, this.ctx.numericMapping, this.ctx.timeZone, this.ctx.warnSkipped);
      this.mapping = mapping;
    }
    return mapping.toStruct(row);
  }

  /** The driver's value behind a field of the last mapped row shape (for precision Connect values drop). */
  protected rawValue(row: readonly unknown[], fieldName: string): unknown {
    const index = this.mapping?.columnIndex(fieldName) ?? -1;
    return index < 0 ? undefined : row[index];
  }

  protected record(value: Struct, offset: OffsetMap | null): SourceRecord {
    return {
      topic: this.topic,
      kafkaPartition: null,
      keySchema: null,
      key: null,
      valueSchema: value.schema,
      value,
      timestamp: null,
      headers: NO_HEADERS,
      sourcePartition: this.partition,
      sourceOffset: offset,
    };
  }
}

/** The field of `struct` for a configured column: the exact name, else the one name equal ignoring case. */
export function resolveField(struct: Struct, column: string, what: string): string {
  const fields = struct.schema.fields;
  if (fields.some((f) => f.name === column)) return column;
  const matches = fields.filter((f) => f.name.toLowerCase() === column.toLowerCase());
  if (matches.length === 1) return matches[0].name;
  const names = fields.map((f) => f.name).join(',');
  if (matches.length === 0) throw new DataError(`${what} ${column} not found in ${names}`);
  throw new DataError(`${what} ${column} matches several columns ignoring case (${matches.map((f) => f.name).join(',')}): set it with the exact case`);
}

/** The first non-null timestamp among `fields` (COALESCE), or null; `raw` gives a field's driver value. */
export function extractTimestamp(struct: Struct, fields: readonly string[], raw: (field: string) => unknown): OffsetTimestamp | null {
  for (const field of fields) {
    const value = struct.get(field);
    if (value === null || value === undefined) continue;
    if (value instanceof Date) return preciseTimestamp(value, raw(field));
    throw new DataError(`Timestamp column ${field} holds ${typeof value} values, not timestamps: it cannot be used as timestamp.column.name`);
  }
  return null;
}

/** The incrementing column's value as a number, as Confluent reads it into a long. */
export function extractIncrementing(struct: Struct, field: string): number {
  const value = struct.get(field);
  if (value === null || value === undefined) throw new DataError(`Null value for incrementing column ${field}`);
  let n: number;
  if (typeof value === 'number' && Number.isInteger(value)) n = value;
  else if (typeof value === 'bigint') n = Number(value);
  else if (value instanceof BigDecimal) {
    if (value.scale !== 0) throw new DataError(`Scale of Decimal value for incrementing column ${field} must be 0`);
    n = Number(value.unscaled);
  } else throw new DataError(`Invalid type for incrementing column ${field}: ${struct.schema.field(field)?.schema.type ?? typeof value}`);
  if (!Number.isSafeInteger(n)) throw new DataError(`Incrementing column ${field} value ${String(value)} is beyond ±2^53: offsets keep it as a JSON number, which would lose precision`);
  return n;
}
