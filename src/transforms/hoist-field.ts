import { ConfigDef, ConfigType, ConnectRecord, Importance, NO_DEFAULT, SchemaBuilder, Struct, Transformation } from '../api';
import { RecordPart } from './util/record-part';
import { SchemaCache } from './util/schema-cache';

const FIELD = 'field';

const CONFIG_DEF = new ConfigDef().define({
  name: FIELD,
  type: ConfigType.STRING,
  defaultValue: NO_DEFAULT,
  importance: Importance.MEDIUM,
  doc: 'Name of the single field of the Struct (with a schema) or Map (without) that wraps the key or value.',
});

/**
 * Kafka's HoistField: wraps the key or value in a Struct with one field (schema `struct{<field>: the
 * old schema}`, required, unnamed) or, without a schema, in a Map with one entry. A null is wrapped too.
 */
export class HoistField implements Transformation {
  private fieldName = '';
  private readonly schemas = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    this.fieldName = CONFIG_DEF.parse(props, 'HoistField').getString(FIELD)!;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.part.schema(record);
    const value = this.part.value(record);
    if (schema === null) return this.part.with(record, null, new Map([[this.fieldName, value]]));
    const hoisted = this.schemas.getOrDerive(schema, (s) => SchemaBuilder.struct().field(this.fieldName, s).build());
    return this.part.with(record, hoisted, new Struct(hoisted).put(this.fieldName, value));
  }
}
