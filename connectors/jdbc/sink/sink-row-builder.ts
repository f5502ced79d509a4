import { ConnectError, DataError, Logger, Schema, SchemaType, SinkRecord, Struct } from '../../../src/api';
import { ColumnDefinition, DatabaseDialect, DbConnection, SinkDialect, SqlValue, TableId } from '../dialect';
import { extractFieldsMetadata, FieldsMetadata } from './fields-metadata';
import {
  DEFAULT_KAFKA_PK_NAMES,
  DELETE_ENABLED_CONFIG,
  JdbcSinkConfig,
  PK_FIELDS_CONFIG,
  PK_MODE_CONFIG,
  SCHEMALESS_UNKNOWN_FIELDS_CONFIG,
  TABLE_NAME_FORMAT_CONFIG,
} from './jdbc-sink-config';
import { RowOperation, SinkRow } from './sink-row';
import { TableManager } from './table-manager';

/** What a record with a schema maps to, cached per table and schema pair. */
interface SchemaShape {
  readonly tableKey: string;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema | null;
  readonly fields: FieldsMetadata;
  /** The schemas of fields.nonKeyFieldNames, in that order. */
  readonly nonKeySchemas: readonly Schema[];
  /** TableManager generation the table was checked at. */
  generation: number;
}

export interface SinkRowBuilderOptions {
  readonly config: JdbcSinkConfig;
  readonly dialect: DatabaseDialect;
  readonly sink: SinkDialect;
  readonly tables: TableManager;
  readonly logger: Logger;
  readonly connectorName: string;
}

const sameSchema = (a: Schema | null, b: Schema | null): boolean => a === b || (a !== null && a.equals(b));

function entriesOf(value: unknown): Map<string, unknown> | null {
  if (value instanceof Map) return value as Map<string, unknown>;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value) && !(value instanceof Struct) && !(value instanceof Date)) {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return new Map(Object.entries(value));
  }
  return null;
}

/**
 * Turns records into rows (Confluent's BufferedRecords/PreparedStatementBinder, per record): the
 * destination table from table.name.format, the key and non-key columns per pk.mode, the table
 * created or evolved for a record schema, and each value bound by the dialect. Records without a
 * value schema (JSON maps) take their columns and types from the existing table.
 */
export class SinkRowBuilder {
  private readonly shapes = new Map<string, SchemaShape>();
  private readonly tableIds = new Map<string, TableId>();
  private readonly tableKeys = new Map<string, string>();
  /** The shape the last record had: consecutive records of one topic and schema skip the lookup. */
  private lastShape: SchemaShape | null = null;
  private readonly warnedUnknown = new Set<string>();

  constructor(private readonly o: SinkRowBuilderOptions) {}

  /** Confluent's destinationTable: table.name.format with ${topic} replaced, parsed by the dialect. */
  destinationTable(topic: string): TableId {
    let table = this.tableIds.get(topic);
    if (table === undefined) {
      const name = this.o.config.tableNameFormat.split('${topic}').join(topic);
      if (name.trim() === '') {
        throw new ConnectError(`Destination table name for topic '${topic}' is empty using the format string '${this.o.config.tableNameFormat}' (${TABLE_NAME_FORMAT_CONFIG})`);
      }
      table = this.o.sink.parseTableName(name);
      this.tableIds.set(topic, table);
    }
    return table;
  }

  /** The destination table's quoted name, the key rows and statements are grouped by. */
  private tableKey(topic: string, table: TableId): string {
    let key = this.tableKeys.get(topic);
    if (key === undefined) {
      key = this.o.dialect.tableName(table, true);
      this.tableKeys.set(topic, key);
    }
    return key;
  }

  async toRow(conn: DbConnection, record: SinkRecord): Promise<SinkRow> {
    const table = this.destinationTable(record.topic);
    const tableKey = this.tableKey(record.topic, table);
    if (record.value === null || record.value === undefined) return this.deleteRow(conn, record, table, tableKey);
    const entries = record.valueSchema === null || record.valueSchema.type === SchemaType.MAP ? entriesOf(record.value) : null;
    if (entries !== null) return this.schemalessRow(conn, record, table, tableKey, entries, this.o.config.insertMode);
    if (record.valueSchema === null) {
      throw new DataError(`The record at ${coordinates(record)} has a ${typeof record.value} value without a schema; the JDBC sink writes structs, or maps into an existing table`);
    }
    const shape = await this.shape(conn, table, tableKey, record.keySchema, record.valueSchema);
    const key = this.keyValues(record, shape.fields);
    const value = record.value as Struct;
    if (!(value instanceof Struct)) throw new DataError(`The record at ${coordinates(record)} has a value that is not a Struct for its ${record.valueSchema.type} schema`);
    const names = shape.fields.nonKeyFieldNames;
    const schemas = shape.nonKeySchemas;
    const tz = this.o.config.common.timeZone;
    const nonKeyValues: SqlValue[] = new Array(names.length);
    for (let i = 0; i < names.length; i++) nonKeyValues[i] = this.o.sink.bindValue(schemas[i], value.get(names[i]), tz);
    return this.row(this.o.config.insertMode, table, tableKey, shape.fields.keyFieldNames, shape.fields.nonKeyFieldNames, key, nonKeyValues, record);
  }

  private row(
    operation: RowOperation,
    table: TableId,
    tableKey: string,
    keyColumns: readonly string[],
    nonKeyColumns: readonly string[],
    keyValues: SqlValue[],
    nonKeyValues: SqlValue[],
    record: SinkRecord,
  ): SinkRow {
    if ((operation === 'upsert' || operation === 'update' || operation === 'delete') && keyColumns.length === 0) {
      const what = operation === 'delete' ? 'Deletes from' : `Write to`;
      throw new ConnectError(
        `${what} table '${table.toString()}' in ${operation.toUpperCase()} mode requires key field names to be known, check the primary key configuration (${PK_MODE_CONFIG}, ${PK_FIELDS_CONFIG})`,
      );
    }
    return { operation, table, tableKey, keyColumns, nonKeyColumns, keyValues, nonKeyValues, record };
  }

  private async shape(conn: DbConnection, table: TableId, tableKey: string, keySchema: Schema | null, valueSchema: Schema | null): Promise<SchemaShape> {
    const last = this.lastShape;
    if (
      last !== null &&
      last.valueSchema === valueSchema &&
      last.keySchema === keySchema &&
      last.tableKey === tableKey &&
      valueSchema !== null &&
      last.generation === this.o.tables.generation
    ) {
      return last;
    }
    const cacheKey = `${valueSchema === null ? 'delete' : 'write'}\u0000${tableKey}`;
    let shape = this.shapes.get(cacheKey);
    if (shape === undefined || !sameSchema(shape.keySchema, keySchema) || !sameSchema(shape.valueSchema, valueSchema)) {
      const c = this.o.config;
      const fields = extractFieldsMetadata(table.toString(), c.pkMode, c.pkFields, c.fieldsWhitelist, keySchema, valueSchema);
      const nonKeySchemas = fields.nonKeyFieldNames.map((name) => (fields.allFields.get(name) as { schema: Schema }).schema);
      shape = { tableKey, keySchema, valueSchema, fields, nonKeySchemas, generation: -1 };
      this.shapes.set(cacheKey, shape);
    }
    if (shape.generation !== this.o.tables.generation) {
      await this.o.tables.ensure(conn, table, shape.fields);
      shape.generation = this.o.tables.generation;
    }
    this.lastShape = shape;
    return shape;
  }

  private keyValues(record: SinkRecord, fields: FieldsMetadata): SqlValue[] {
    const tz = this.o.config.common.timeZone;
    const names = fields.keyFieldNames;
    const schemaOf = (name: string): Schema => fields.allFields.get(name)!.schema;
    switch (this.o.config.pkMode) {
      case 'none':
        return [];
      case 'kafka':
        return [record.topic, record.kafkaPartition, record.kafkaOffset].map((v, i) => this.o.sink.bindValue(schemaOf(names[i]), v, tz));
      case 'record_key': {
        if (record.key === null || record.key === undefined) throw new DataError(`The record at ${coordinates(record)} has a null key, but ${PK_MODE_CONFIG}=record_key needs one`);
        if (record.keySchema !== null && record.keySchema.type !== SchemaType.STRUCT) return [this.o.sink.bindValue(schemaOf(names[0]), record.key, tz)];
        const key = record.key as Struct;
        return names.map((n) => this.o.sink.bindValue(schemaOf(n), key.get(n), tz));
      }
      case 'record_value': {
        const value = record.value as Struct;
        return names.map((n) => this.o.sink.bindValue(schemaOf(n), value.get(n), tz));
      }
    }
  }

  private async deleteRow(conn: DbConnection, record: SinkRecord, table: TableId, tableKey: string): Promise<SinkRow> {
    const c = this.o.config;
    if (!c.deleteEnabled) {
      throw new DataError(
        `Sink connector '${this.o.connectorName}' is configured with '${DELETE_ENABLED_CONFIG}=false' and '${PK_MODE_CONFIG}=${c.pkMode}' and therefore requires records with a non-null value, ` +
          `but found a null value (tombstone) at ${coordinates(record)}; set ${DELETE_ENABLED_CONFIG}=true (with ${PK_MODE_CONFIG}=record_key) to delete rows by key`,
      );
    }
    if (record.key === null || record.key === undefined) throw new DataError(`The tombstone at ${coordinates(record)} has a null key: ${DELETE_ENABLED_CONFIG}=true deletes by the record key`);
    const keyEntries = record.keySchema === null ? entriesOf(record.key) : null;
    if (record.keySchema === null) {
      const columns = await this.o.tables.existingColumns(conn, table);
      const [names, values] = this.schemalessKey(record, table, columns, keyEntries);
      return this.row('delete', table, tableKey, names, [], values, [], record);
    }
    const shape = await this.shape(conn, table, tableKey, record.keySchema, null);
    return this.row('delete', table, tableKey, shape.fields.keyFieldNames, [], this.keyValues(record, shape.fields), [], record);
  }

  /** Key column names and bound values of a schemaless record, per pk.mode. */
  private schemalessKey(record: SinkRecord, table: TableId, columns: readonly ColumnDefinition[], valueEntries: Map<string, unknown> | null): [string[], SqlValue[]] {
    const c = this.o.config;
    const bind = (name: string, value: unknown): [string, SqlValue] => {
      const column = findColumn(columns, name);
      if (column === undefined) throw new DataError(`Key column ${name} is not a column of table ${table.toString()} (${PK_MODE_CONFIG}=${c.pkMode}, ${PK_FIELDS_CONFIG})`);
      return [column.name, this.o.sink.bindSchemaless(column, value, c.common.timeZone)];
    };
    const pairs: [string, SqlValue][] = [];
    switch (c.pkMode) {
      case 'none':
        break;
      case 'kafka': {
        const names = c.pkFields.length === 3 ? c.pkFields : DEFAULT_KAFKA_PK_NAMES;
        pairs.push(bind(names[0], record.topic), bind(names[1], record.kafkaPartition), bind(names[2], record.kafkaOffset));
        break;
      }
      case 'record_value': {
        const names = c.pkFields.length > 0 ? c.pkFields : columns.filter((col) => col.primaryKey).map((col) => col.name);
        for (const name of names) {
          if (!valueEntries?.has(name)) throw new DataError(`The record at ${coordinates(record)} has no field ${name}, a primary key column of table ${table.toString()} (${PK_MODE_CONFIG}=record_value)`);
          pairs.push(bind(name, valueEntries.get(name)));
        }
        break;
      }
      case 'record_key': {
        const key = record.key;
        if (key === null || key === undefined) throw new DataError(`The record at ${coordinates(record)} has a null key, but ${PK_MODE_CONFIG}=record_key needs one`);
        const keyMap = key instanceof Struct ? new Map(key.schema.fields.map((f) => [f.name, key.get(f.name)])) : entriesOf(key);
        if (keyMap === null) {
          if (c.pkFields.length !== 1) {
            throw new DataError(`Need exactly one PK column defined since the record key is a primitive value, defined columns are: [${c.pkFields.join(', ')}] (set ${PK_FIELDS_CONFIG} to the column name for the key)`);
          }
          pairs.push(bind(c.pkFields[0], key));
        } else {
          for (const name of c.pkFields.length > 0 ? c.pkFields : [...keyMap.keys()]) {
            if (!keyMap.has(name)) throw new DataError(`The record key at ${coordinates(record)} has no field ${name} (${PK_FIELDS_CONFIG})`);
            pairs.push(bind(name, keyMap.get(name)));
          }
        }
        break;
      }
    }
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
  }

  private async schemalessRow(conn: DbConnection, record: SinkRecord, table: TableId, tableKey: string, entries: Map<string, unknown>, operation: RowOperation): Promise<SinkRow> {
    const c = this.o.config;
    const columns = await this.o.tables.existingColumns(conn, table);
    const [keyNames, keyValues] = this.schemalessKey(record, table, columns, entries);
    const keySet = new Set(keyNames.map((n) => n.toLowerCase()));
    const pairs: { index: number; name: string; value: SqlValue }[] = [];
    for (const [field, value] of entries) {
      if (keySet.has(field.toLowerCase())) continue;
      if (c.fieldsWhitelist.size > 0 && !c.fieldsWhitelist.has(field)) continue;
      const column = findColumn(columns, field);
      if (column === undefined) {
        if (c.unknownFields === 'fail') {
          throw new DataError(
            `Field ${field} of the record at ${coordinates(record)} is not a column of table ${table.toString()}; add the column, or set ${SCHEMALESS_UNKNOWN_FIELDS_CONFIG}=ignore to drop such fields`,
          );
        }
        const warnKey = `${tableKey}\u0000${field}`;
        if (!this.warnedUnknown.has(warnKey)) {
          this.warnedUnknown.add(warnKey);
          this.o.logger.warn(`Field ${field} is not a column of table ${table.toString()}; dropping it from this and later records (${SCHEMALESS_UNKNOWN_FIELDS_CONFIG}=ignore)`);
        }
        continue;
      }
      try {
        pairs.push({ index: columns.indexOf(column), name: column.name, value: this.o.sink.bindSchemaless(column, value, c.common.timeZone) });
      } catch (err) {
        throw new DataError(`Field ${field} of the record at ${coordinates(record)} cannot be written to table ${table.toString()}: ${(err as Error).message}`, { cause: err });
      }
    }
    // In table order, so records with the same fields share statements whatever their JSON order.
    pairs.sort((a, b) => a.index - b.index);
    return this.row(operation, table, tableKey, keyNames, pairs.map((p) => p.name), keyValues, pairs.map((p) => p.value), record);
  }
}

function findColumn(columns: readonly ColumnDefinition[], name: string): ColumnDefinition | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** `topic-partition@offset`, how errors name a record. */
export function coordinates(record: SinkRecord): string {
  return `${record.topic}-${record.kafkaPartition} offset ${record.kafkaOffset}`;
}
