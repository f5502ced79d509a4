import { ConfigDef, ConfigError, ConfigType, ConnectRecord, DataError, Field, Importance, NO_DEFAULT, Transformation } from '../api';
import { fieldSyntaxVersion, FIELD_SYNTAX_VERSION_CONFIG, SingleFieldPath, withFieldSyntaxVersion } from './util/field-path';
import { RecordPart } from './util/record-part';
import { requireMapOrNull, requireStructOrNull } from './util/requirements';
import { SchemaCache } from './util/schema-cache';
import { REPLACE_NULL_WITH_DEFAULT, REPLACE_NULL_WITH_DEFAULT_KEY } from './util/replace-null-with-default';

const FIELD = 'field';

const CONFIG_DEF = withFieldSyntaxVersion(
  new ConfigDef()
    .define({
      name: FIELD,
      type: ConfigType.STRING,
      defaultValue: NO_DEFAULT,
      importance: Importance.MEDIUM,
      doc: 'The field to extract (a nested path with field.syntax.version=V2).',
    })
    .define(REPLACE_NULL_WITH_DEFAULT_KEY),
);

const PURPOSE = 'field extraction';

/**
 * Kafka's ExtractField: replaces the key or value with one of its fields (the field's schema becomes
 * the key or value schema). With a schema the field must exist in it (`Unknown field: <path>`);
 * without one a missing field gives null. A null key or value stays null (with the field's schema).
 */
export class ExtractField implements Transformation {
  private path = new SingleFieldPath('', 'V1');
  private replaceNullWithDefault = true;
  private readonly fields = new SchemaCache<{ field: Field | null }>();

  constructor(private readonly part: RecordPart) {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(props, 'ExtractField');
    const text = config.getString(FIELD)!;
    try {
      this.path = new SingleFieldPath(text, fieldSyntaxVersion(config.getString(FIELD_SYNTAX_VERSION_CONFIG)));
    } catch (err) {
      throw ConfigError.invalidValue(FIELD, text, (err as Error).message);
    }
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends ConnectRecord>(record: R): R {
    const schema = this.part.schema(record);
    if (schema === null) {
      const map = requireMapOrNull(this.part.value(record), PURPOSE);
      return map === null ? record : this.part.with(record, null, this.path.valueFromMap(map));
    }
    const struct = requireStructOrNull(this.part.value(record), PURPOSE);
    const { field } = this.fields.getOrDerive(schema, (s) => ({ field: this.path.fieldFrom(s) }));
    if (field === null) throw new DataError(`Unknown field: ${this.path.text}`);
    return this.part.with(record, field.schema, struct === null ? null : this.path.valueFromStruct(struct, this.replaceNullWithDefault));
  }
}
