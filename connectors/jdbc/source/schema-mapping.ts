import { DataError, Logger, Schema, SchemaBuilder, Struct } from '../../../src/api';
import { ColumnDefinition, ColumnMapping, DatabaseDialect, NumericMapping } from '../dialect';

/**
 * How the rows of one result become Structs (Confluent's SchemaMapping): one field per column in
 * column order, typed by the dialect's columnMapping(); columns of a type Confluent skips are left
 * out. Built once per result shape and reused for every row.
 */
export class SchemaMapping {
  private constructor(
    readonly schema: Schema,
    /** Per field: the index of its column in a row, and the column's mapping. */
    private readonly fields: readonly { readonly index: number; readonly mapping: ColumnMapping }[],
    private readonly columns: readonly ColumnDefinition[],
  ) {}

  /**
   * @param schemaName the table's name in table mode (Confluent names the value schema after it);
   *   null in query mode, where Confluent's schema has no name
   * @param warnSkipped called once per skipped column, with the message to log
   */
  static create(
    schemaName: string | null,
    columns: readonly ColumnDefinition[],
    dialect: DatabaseDialect,
    numericMapping: NumericMapping,
    timeZone: string,
    warnSkipped: (column: ColumnDefinition, message: string) => void,
  ): SchemaMapping {
    const builder = SchemaBuilder.struct();
    if (schemaName !== null) builder.name(schemaName);
    const fields: { index: number; mapping: ColumnMapping }[] = [];
    columns.forEach((column, index) => {
      const mapping = dialect.columnMapping(column, numericMapping, timeZone);
      if (mapping === null) {
        warnSkipped(column, `JDBC type ${column.jdbcType} (${column.typeName}) of column ${column.name} is not supported: the column is left out of the records`);
        return;
      }
      builder.field(mapping.fieldName, mapping.schema);
      fields.push({ index, mapping });
    });
    if (fields.length === 0) throw new DataError(`None of the columns ${columns.map((c) => c.name).join(', ')} has a supported type: there is nothing to put in a record`);
    return new SchemaMapping(builder.build(), fields, columns);
  }

  /** The index in a row of the column behind `fieldName`. */
  columnIndex(fieldName: string): number {
    return this.fields.find((f) => f.mapping.fieldName === fieldName)?.index ?? -1;
  }

  /** True when a result with these columns maps the same way (same names, types, nullability). */
  fits(columns: readonly ColumnDefinition[]): boolean {
    if (columns === this.columns) return true;
    if (columns.length !== this.columns.length) return false;
    return columns.every((c, i) => {
      const o = this.columns[i];
      return c.name === o.name && c.jdbcType === o.jdbcType && c.typeName === o.typeName && c.nullable === o.nullable && c.precision === o.precision && c.scale === o.scale;
    });
  }

  /** The row as a Struct; throws DataError naming the column whose value could not be converted. */
  toStruct(row: readonly unknown[]): Struct {
    const struct = new Struct(this.schema);
    for (const { index, mapping } of this.fields) {
      const raw = row[index];
      let value: unknown;
      try {
        value = raw === null || raw === undefined ? null : mapping.convert(raw);
      } catch (err) {
        throw new DataError(`Could not read column ${mapping.column.name}: ${(err as Error).message}`, { cause: err });
      }
      struct.put(mapping.fieldName, value);
    }
    return struct;
  }
}

/** Logs each skipped column once per task, not once per query. */
export function onceWarner(logger: Logger): (column: ColumnDefinition, message: string) => void {
  const warned = new Set<string>();
  return (column, message) => {
    const key = `${column.table?.toString() ?? ''}\u0000${column.name}\u0000${column.typeName}`;
    if (warned.has(key)) return;
    warned.add(key);
    logger.warn(message);
  };
}
