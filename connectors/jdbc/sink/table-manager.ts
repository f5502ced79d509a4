import { ConnectError, Logger } from '../../../src/api';
import { ColumnDefinition, DatabaseDialect, DbConnection, SinkDialect, SinkField, TableId } from '../dialect';
import { FieldsMetadata } from './fields-metadata';
import { AUTO_CREATE_CONFIG, AUTO_EVOLVE_CONFIG } from './jdbc-sink-config';

/** A table the sink may not create or change as the records need (Confluent's TableAlterOrCreateException). */
export class TableAlterOrCreateError extends ConnectError {}

export interface TableManagerOptions {
  readonly dialect: DatabaseDialect;
  readonly sink: SinkDialect;
  readonly quote: boolean;
  readonly tableTypes: readonly string[];
  readonly autoCreate: boolean;
  readonly autoEvolve: boolean;
  readonly logger: Logger;
}

function describeField(field: SinkField): string {
  return `${field.name} (${field.schema.name ?? field.schema.type}${field.schema.optional ? ', optional' : ''})`;
}

/**
 * The destination tables as the sink knows them (Confluent's DbStructure and TableDefinitions):
 * their columns, read once and cached until invalidate(), and the DDL the records call for:
 * CREATE TABLE with auto.create, ALTER TABLE adding optional or defaulted columns with auto.evolve.
 * DDL runs on the connection given, inside the caller's transaction; after a rollback the caller
 * invalidates the cache, since the DDL may have been undone.
 */
export class TableManager {
  private readonly columns = new Map<string, ColumnDefinition[]>();
  /** Bumped by invalidate(), so callers can tell their own caches are stale. */
  generation = 0;

  constructor(private readonly o: TableManagerOptions) {}

  invalidate(): void {
    this.columns.clear();
    this.generation++;
  }

  private key(table: TableId): string {
    return this.o.dialect.tableName(table, true);
  }

  /** The table's columns, or null when it does not exist (as `table.types` counts tables). */
  async describe(conn: DbConnection, table: TableId): Promise<ColumnDefinition[] | null> {
    const cached = this.columns.get(this.key(table));
    if (cached !== undefined) return cached;
    if (!(await this.o.sink.tableExists(conn, table, this.o.tableTypes))) return null;
    const columns = await this.o.dialect.describeTable(conn, table);
    this.columns.set(this.key(table), columns);
    return columns;
  }

  /** The columns of a table that must exist already (schemaless records never create or change tables). */
  async existingColumns(conn: DbConnection, table: TableId): Promise<ColumnDefinition[]> {
    const columns = await this.describe(conn, table);
    if (columns === null) {
      throw new TableAlterOrCreateError(
        `Table ${table.toString()} does not exist: records without a value schema are written only into an existing table (${AUTO_CREATE_CONFIG} needs records with a schema); create the table first`,
      );
    }
    return columns;
  }

  /**
   * Makes the table fit the fields: creates it when missing (auto.create), adds missing columns
   * (auto.evolve, optional or defaulted fields only). Throws TableAlterOrCreateError saying which
   * table and field, and which key would allow it.
   */
  async ensure(conn: DbConnection, table: TableId, fields: FieldsMetadata): Promise<ColumnDefinition[]> {
    const name = table.toString();
    let columns = await this.describe(conn, table);
    if (columns === null) {
      if (!this.o.autoCreate) throw new TableAlterOrCreateError(`Table ${name} is missing and auto-creation is disabled (${AUTO_CREATE_CONFIG}=false)`);
      const sql = this.o.sink.createTableStatement(table, [...fields.allFields.values()], this.o.quote);
      this.o.logger.info(`Creating table ${name} with SQL: ${sql}`);
      try {
        await conn.query(sql);
      } catch (err) {
        // Another task may have created it meanwhile.
        this.columns.delete(this.key(table));
        if ((await this.describe(conn, table).catch(() => null)) === null) throw err;
      }
      this.columns.delete(this.key(table));
      columns = await this.describe(conn, table);
      if (columns === null) throw new TableAlterOrCreateError(`Table ${name} was created but cannot be found afterwards (check ${'table.types'})`);
    }
    const missing = missingFields([...fields.allFields.values()], columns);
    if (missing.length === 0) return columns;
    for (const field of missing) {
      if (!field.schema.optional && (field.schema.defaultValue === null || field.schema.defaultValue === undefined)) {
        throw new TableAlterOrCreateError(
          `Cannot ALTER TABLE ${name} to add missing field ${describeField(field)}, as the field is not optional and does not have a default value: ` +
            `existing rows would have no value for it; make the field optional or give it a default in the record schema, or add the column yourself`,
        );
      }
    }
    if (!this.o.autoEvolve) {
      throw new TableAlterOrCreateError(`Table ${name} is missing fields (${missing.map(describeField).join(', ')}) and auto-evolution is disabled (${AUTO_EVOLVE_CONFIG}=false)`);
    }
    const statements = this.o.sink.alterTableStatements(table, missing, this.o.quote);
    this.o.logger.info(`Amending table ${name} to add missing fields ${missing.map((f) => f.name).join(', ')} with SQL: ${statements.join('; ')}`);
    for (const sql of statements) await conn.query(sql);
    this.columns.delete(this.key(table));
    return (await this.describe(conn, table)) ?? [];
  }
}

/** Fields with no column of that name, exactly or else ignoring case (as Confluent). */
export function missingFields(fields: readonly SinkField[], columns: readonly ColumnDefinition[]): SinkField[] {
  const exact = new Set(columns.map((c) => c.name));
  const lower = new Set(columns.map((c) => c.name.toLowerCase()));
  return fields.filter((f) => !exact.has(f.name) && !lower.has(f.name.toLowerCase()));
}
