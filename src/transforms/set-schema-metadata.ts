import { ConfigDef, ConfigError, ConfigType, ConnectRecord, Importance, Schema, SchemaType, Struct, Transformation } from '../api';
import { RecordPart } from './util/record-part';
import { requireSchema } from './util/requirements';
import { SchemaCache } from './util/schema-cache';
import { REPLACE_NULL_WITH_DEFAULT, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue } from './util/replace-null-with-default';

const SCHEMA_NAME = 'schema.name';
const SCHEMA_VERSION = 'schema.version';

const CONFIG_DEF = new ConfigDef()
  .define({ name: SCHEMA_NAME, type: ConfigType.STRING, defaultValue: null, importance: Importance.HIGH, doc: 'Schema name to set.' })
  .define({ name: SCHEMA_VERSION, type: ConfigType.INT, defaultValue: null, importance: Importance.HIGH, doc: 'Schema version to set.' })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY);

/**
 * Kafka's SetSchemaMetadata: sets the name and/or version of the key or value schema (only the
 * top-level schema: nested schemas, including logical types such as Decimal, are left alone; renaming
 * a top-level logical schema makes it a plain one, as in Kafka). A Struct is copied onto the new
 * schema. A schema is required unless both the schema and the value are null.
 */
export class SetSchemaMetadata implements Transformation {
  private schemaName: string | null = null;
  private schemaVersion: number | null = null;
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'SetSchemaMetadata');
    this.schemaName = config.getString(SCHEMA_NAME);
    this.schemaVersion = config.getInt(SCHEMA_VERSION) ?? null;
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
    if (this.schemaName === null && this.schemaVersion === null) {
      throw new ConfigError(`Neither schema name nor version configured: set ${SCHEMA_NAME} or ${SCHEMA_VERSION}`);
    }
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.part.value(record);
    const schema = this.part.schema(record);
    if ((value === null || value === undefined) && schema === null) return record;
    const updated = this.schemas.getOrDerive(requireSchema(schema, 'updating schema metadata'), (s) => this.updatedSchema(s));
    return this.part.with(record, updated, value instanceof Struct ? this.copyOnto(value, updated) : value);
  }

  private updatedSchema(schema: Schema): Schema {
    return new Schema(schema.type, {
      optional: schema.optional,
      defaultValue: schema.defaultValue,
      name: this.schemaName ?? schema.name,
      version: this.schemaVersion ?? schema.version,
      doc: schema.doc,
      parameters: schema.parameters,
      fields: schema.fields,
      keySchema: schema.type === SchemaType.MAP ? schema.keySchema : null,
      valueSchema: schema.type === SchemaType.MAP || schema.type === SchemaType.ARRAY ? schema.valueSchema : null,
    });
  }

  private copyOnto(struct: Struct, schema: Schema): Struct {
    const copy = new Struct(schema);
    for (const field of schema.fields) {
      copy.put(field.name, fieldValue(struct, field.name, this.replaceNullWithDefault));
    }
    return copy;
  }
}
