import { ConfigDef, ConfigError, ConfigType, ConnectRecord, DataError, Header, Importance, newRecord, NO_DEFAULT, Schema, SchemaBuilder, Struct, Transformation, Validators } from '../api';
import { nonEmptyList } from './util/kafka-validators';
import { RecordPart } from './util/record-part';
import { requireMap, requireStruct } from './util/requirements';
import { SchemaCache } from './util/schema-cache';
import { copySchemaBasics } from './util/schema-util';
import { REPLACE_NULL_WITH_DEFAULT, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue } from './util/replace-null-with-default';

const FIELDS = 'fields';
const HEADERS = 'headers';
const OPERATION = 'operation';

const CONFIG_DEF = new ConfigDef()
  .define({ name: FIELDS, type: ConfigType.LIST, defaultValue: NO_DEFAULT, validator: nonEmptyList, importance: Importance.HIGH, doc: 'Field names in the key or value whose values go to headers.' })
  .define({ name: HEADERS, type: ConfigType.LIST, defaultValue: NO_DEFAULT, validator: nonEmptyList, importance: Importance.HIGH, doc: 'Header names, in the same order as the field names in fields.' })
  .define({ name: OPERATION, type: ConfigType.STRING, defaultValue: NO_DEFAULT, validator: Validators.in('move', 'copy'), importance: Importance.HIGH, doc: '`move` removes the fields from the key or value, `copy` keeps them.' })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY);

/** What one input struct schema turns into: the schema after a move, and each header's schema. */
interface Derived {
  readonly moved: Schema | null;
  readonly headerSchemas: readonly Schema[];
}

/**
 * Kafka's HeaderFrom ($Key / $Value): appends a header per listed field, named by the matching entry
 * of `headers`, holding the field's value (with the field's schema, or no schema when schemaless);
 * `move` also removes the fields. Needs a Struct (with a schema) or a Map (without): a null key or
 * value fails, as in Kafka.
 */
export class HeaderFrom implements Transformation {
  private fields: readonly string[] = [];
  private headers: readonly string[] = [];
  private move = false;
  private replaceNullWithDefault = true;
  private purpose = '';
  private readonly schemas = new SchemaCache<Derived>();

  constructor(private readonly part: RecordPart) {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'HeaderFrom');
    this.fields = config.getList(FIELDS);
    this.headers = config.getList(HEADERS);
    if (this.fields.length !== this.headers.length) {
      throw new ConfigError(`'${FIELDS}' config must have the same number of elements as '${HEADERS}' config.`);
    }
    const operation = config.getString(OPERATION) as string;
    this.move = operation === 'move';
    this.purpose = `header ${operation}`;
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.part.schema(record);
    const value = this.part.value(record);
    return schema === null ? this.applySchemaless(record, value) : this.applyWithSchema(record, schema, value);
  }

  private applySchemaless<R extends ConnectRecord>(record: R, value: unknown): R {
    const map = requireMap(value, this.purpose);
    const headers: Header[] = [...record.headers];
    for (let i = 0; i < this.fields.length; i++) headers.push({ key: this.headers[i], schema: null, value: map.get(this.fields[i]) ?? null });
    let updated = map;
    if (this.move) {
      updated = new Map(map);
      for (const field of this.fields) updated.delete(field);
    }
    return newRecord(this.part.with(record, null, updated), { headers });
  }

  private applyWithSchema<R extends ConnectRecord>(record: R, schema: Schema, value: unknown): R {
    const struct = requireStruct(value, this.purpose);
    const derived = this.schemas.getOrDerive(schema, (s) => this.derive(s));
    const headers: Header[] = [...record.headers];
    for (let i = 0; i < this.fields.length; i++) {
      const name = this.fields[i];
      const fieldValue = struct.schema.field(name) !== undefined ? this.read(struct, name) : null;
      headers.push({ key: this.headers[i], schema: derived.headerSchemas[i], value: fieldValue });
    }
    let updated = struct;
    if (derived.moved !== null) {
      updated = new Struct(derived.moved);
      for (const field of derived.moved.fields) updated.put(field.name, this.read(struct, field.name));
    }
    return newRecord(this.part.with(record, derived.moved ?? schema, updated), { headers });
  }

  private read(struct: Struct, name: string): unknown {
    return fieldValue(struct, name, this.replaceNullWithDefault);
  }

  private derive(schema: Schema): Derived {
    const headerSchemas = this.fields.map((name) => {
      const field = schema.field(name);
      if (field === undefined) throw new DataError(`${name} is not a valid field name`);
      return field.schema;
    });
    if (!this.move) return { moved: null, headerSchemas };
    // As Kafka: the schema's name, version, doc and parameters, not its optionality.
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields) if (!this.fields.includes(field.name)) builder.field(field.name, field.schema);
    return { moved: builder.build(), headerSchemas };
  }
}
