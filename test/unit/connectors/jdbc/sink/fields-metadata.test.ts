import { ConnectError, Schema, SchemaBuilder } from '../../../../../src/api';
import { extractFieldsMetadata, FieldsMetadata } from '../../../../../connectors/jdbc/sink/fields-metadata';
import { PrimaryKeyMode } from '../../../../../connectors/jdbc/sink/jdbc-sink-config';

/** Confluent's FieldsMetadataTest, case by case. */
const SIMPLE_PRIMITIVE = Schema.INT64_SCHEMA;
const SIMPLE_STRUCT = SchemaBuilder.struct().name('name').field('name', Schema.STRING_SCHEMA).build();
const SIMPLE_MAP = SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.INT32_SCHEMA).build();

function extract(pkMode: PrimaryKeyMode, pkFields: string[], keySchema: Schema | null, valueSchema: Schema | null, whitelist: string[] = []): FieldsMetadata {
  return extractFieldsMetadata('table', pkMode, pkFields, new Set(whitelist), keySchema, valueSchema);
}

describe('fields metadata (Confluent FieldsMetadataTest)', () => {
  it('value schema must be a struct', () => {
    expect(() => extract('none', [], null, SIMPLE_PRIMITIVE)).toThrow(/Value schema must be of type Struct, but is of type INT64/);
  });

  it('no fields at all is an error', () => {
    expect(() => extract('none', [], null, SchemaBuilder.struct().build())).toThrow('No fields found using key and value schemas for table: table');
  });

  it('missing value schema with record_value', () => {
    expect(() => extract('record_value', [], SIMPLE_PRIMITIVE, null)).toThrow(/record value schema is missing/);
  });

  it('missing key schema with record_key', () => {
    expect(() => extract('record_key', [], null, SIMPLE_STRUCT)).toThrow(/PK mode for table 'table' is RECORD_KEY, but record key schema is missing/);
  });

  it('kafka pk: the three default columns, then the value fields', () => {
    const m = extract('kafka', [], null, SIMPLE_STRUCT);
    expect(m.keyFieldNames).toEqual(['__connect_topic', '__connect_partition', '__connect_offset']);
    expect(m.nonKeyFieldNames).toEqual(['name']);
    expect([...m.allFields.keys()]).toEqual(['__connect_topic', '__connect_partition', '__connect_offset', 'name']);
    expect(m.allFields.get('__connect_partition')!.schema).toBe(Schema.INT32_SCHEMA);
    expect(m.allFields.get('__connect_offset')!.schema).toBe(Schema.INT64_SCHEMA);
  });

  it('kafka pk with custom names, and a wrong count naming pk.fields', () => {
    const m = extract('kafka', ['the_topic', 'the_partition', 'the_offset'], null, SIMPLE_STRUCT);
    expect(m.keyFieldNames).toEqual(['the_topic', 'the_partition', 'the_offset']);
    expect(() => extract('kafka', ['x', 'y'], null, SIMPLE_STRUCT)).toThrow(/either be no field names defined .* or exactly 3, defined fields are: \[x, y\] \(pk.fields\)/);
  });

  it('record_key primitive: exactly one pk.fields name', () => {
    const m = extract('record_key', ['the_pk'], SIMPLE_PRIMITIVE, SIMPLE_STRUCT);
    expect(m.keyFieldNames).toEqual(['the_pk']);
    expect(m.nonKeyFieldNames).toEqual(['name']);
    expect(m.allFields.get('the_pk')!.schema).toBe(SIMPLE_PRIMITIVE);
    expect(m.allFields.get('the_pk')!.primaryKey).toBe(true);
    // Value fields first, then key fields not in the value, by name.
    expect([...m.allFields.keys()]).toEqual(['name', 'the_pk']);
    expect(() => extract('record_key', [], SIMPLE_PRIMITIVE, SIMPLE_STRUCT)).toThrow(/Need exactly one PK column defined .* defined columns are: \[\].*pk.fields/);
    expect(() => extract('record_key', ['a', 'b'], SIMPLE_PRIMITIVE, SIMPLE_STRUCT)).toThrow(ConnectError);
  });

  it('record_key struct: all its fields, or the ones named', () => {
    const key = SchemaBuilder.struct().field('a', Schema.INT32_SCHEMA).field('b', Schema.STRING_SCHEMA).build();
    expect(extract('record_key', [], key, SIMPLE_STRUCT).keyFieldNames).toEqual(['a', 'b']);
    expect(extract('record_key', ['b'], key, SIMPLE_STRUCT).keyFieldNames).toEqual(['b']);
    expect(() => extract('record_key', ['c'], key, SIMPLE_STRUCT)).toThrow(/configured PK fields \[c\], but record key schema does not contain field: c/);
    expect(() => extract('record_key', [], SIMPLE_MAP, SIMPLE_STRUCT)).toThrow(/Key schema must be primitive type or Struct, but is of type: MAP/);
  });

  it('record_value: all value fields are the key, or the named ones; the rest are non-key', () => {
    const value = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).field('name', Schema.STRING_SCHEMA).field('age', Schema.OPTIONAL_INT32_SCHEMA).build();
    const all = extract('record_value', [], null, value);
    expect(all.keyFieldNames).toEqual(['id', 'name', 'age']);
    expect(all.nonKeyFieldNames).toEqual([]);
    const one = extract('record_value', ['id'], null, value);
    expect(one.keyFieldNames).toEqual(['id']);
    expect(one.nonKeyFieldNames).toEqual(['name', 'age']);
    expect([...one.allFields.keys()]).toEqual(['id', 'name', 'age']);
    expect(() => extract('record_value', ['nope'], null, value)).toThrow(/record value schema does not contain field: nope/);
  });

  it('the whitelist filters non-key fields only', () => {
    const value = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).field('name', Schema.STRING_SCHEMA).field('age', Schema.OPTIONAL_INT32_SCHEMA).build();
    const m = extract('record_value', ['id'], null, value, ['age']);
    expect(m.keyFieldNames).toEqual(['id']);
    expect(m.nonKeyFieldNames).toEqual(['age']);
  });

  it('a tombstone (no value schema) with record_key keeps only the key fields', () => {
    const key = SchemaBuilder.struct().field('id', Schema.INT64_SCHEMA).build();
    const m = extract('record_key', [], key, null);
    expect(m.keyFieldNames).toEqual(['id']);
    expect(m.nonKeyFieldNames).toEqual([]);
  });
});
