import { ConfigDef, ConfigError, ConfigType, ConnectRecord, Importance, Schema, SchemaBuilder, Struct, Transformation, Validator } from '../api';
import { javaConfigText } from './util/kafka-validators';
import { RecordPart } from './util/record-part';
import { requireMap, requireStruct } from './util/requirements';
import { SchemaCache } from './util/schema-cache';
import { copySchemaBasics } from './util/schema-util';
import { REPLACE_NULL_WITH_DEFAULT, REPLACE_NULL_WITH_DEFAULT_KEY, fieldValue } from './util/replace-null-with-default';

const EXCLUDE = 'exclude';
const INCLUDE = 'include';
const RENAMES = 'renames';
/** Kafka 3.9's deprecated names of include and exclude (removed in Kafka 4.0). */
const WHITELIST = 'whitelist';
const BLACKLIST = 'blacklist';

/** `old:new` pairs; split as Java's String.split(":") does (trailing empty parts dropped). */
function parseRenames(mappings: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const mapping of mappings) {
    const parts = mapping.split(':');
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length !== 2) throw ConfigError.invalidValue(RENAMES, javaConfigText([...mappings]), `Invalid rename mapping: ${mapping}`);
    renames.set(parts[0], parts[1]);
  }
  return renames;
}

const renamesValidator: Validator = {
  ensureValid: (_name, value) => void parseRenames(value as string[]),
  describe: () => 'list of colon-delimited pairs, e.g. foo:bar,abc:xyz',
};

const CONFIG_DEF = new ConfigDef()
  .define({ name: EXCLUDE, type: ConfigType.LIST, defaultValue: [], importance: Importance.MEDIUM, doc: 'Fields to drop; wins over include.' })
  .define({ name: BLACKLIST, type: ConfigType.LIST, defaultValue: null, importance: Importance.LOW, doc: `Deprecated. Use ${EXCLUDE} instead.` })
  .define({ name: INCLUDE, type: ConfigType.LIST, defaultValue: [], importance: Importance.MEDIUM, doc: 'Fields to keep; when set, only these are kept.' })
  .define({ name: WHITELIST, type: ConfigType.LIST, defaultValue: null, importance: Importance.LOW, doc: `Deprecated. Use ${INCLUDE} instead.` })
  .define({ name: RENAMES, type: ConfigType.LIST, defaultValue: [], validator: renamesValidator, importance: Importance.MEDIUM, doc: 'Field renames as old:new pairs.' })
  .define(REPLACE_NULL_WITH_DEFAULT_KEY);

const PURPOSE = 'field replacement';

/**
 * The deprecated names mapped onto the current ones, as Kafka 3.9's translateDeprecatedConfigs: the
 * current name wins when both are set; the deprecated keys themselves are dropped.
 */
function translateDeprecated(props: Record<string, string>): Record<string, string> {
  const out = { ...props };
  for (const [current, deprecated] of [
    [INCLUDE, WHITELIST],
    [EXCLUDE, BLACKLIST],
  ]) {
    if (out[current] === undefined && out[deprecated] !== undefined) out[current] = out[deprecated];
    delete out[deprecated];
  }
  return out;
}

/**
 * Kafka's ReplaceField: keeps (include), drops (exclude, which wins) and renames top-level fields of
 * a Struct (schema: the kept fields, renamed, in their original order; name/version/doc kept) or a Map.
 * A null key or value is passed through.
 */
export class ReplaceField implements Transformation {
  private exclude: ReadonlySet<string> = new Set();
  private include: ReadonlySet<string> = new Set();
  private renames: ReadonlyMap<string, string> = new Map();
  private reverseRenames: ReadonlyMap<string, string> = new Map();
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaCache<{ schema: Schema; sources: readonly string[] }>();

  constructor(private readonly part: RecordPart) {}

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  configure(props: Record<string, string>): void {
    const config = CONFIG_DEF.parse(translateDeprecated(props), 'ReplaceField');
    this.exclude = new Set(config.getList(EXCLUDE));
    this.include = new Set(config.getList(INCLUDE));
    this.renames = parseRenames(config.getList(RENAMES));
    this.reverseRenames = new Map([...this.renames].map(([from, to]) => [to, from]));
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
  }

  private kept(name: string): boolean {
    return !this.exclude.has(name) && (this.include.size === 0 || this.include.has(name));
  }

  private renamed(name: string): string {
    return this.renames.get(name) ?? name;
  }

  apply<R extends ConnectRecord>(record: R): R {
    const value = this.part.value(record);
    if (value === null || value === undefined) return record;
    if (this.part.schema(record) === null) {
      const updated = new Map<unknown, unknown>();
      for (const [name, fieldValue] of requireMap(value, PURPOSE)) {
        if (this.kept(name as string)) updated.set(this.renamed(name as string), fieldValue);
      }
      return this.part.with(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const { schema, sources } = this.schemas.getOrDerive(struct.schema, (s) => this.updatedSchema(s));
    const updated = new Struct(schema);
    for (let i = 0; i < sources.length; i++) {
      const source = sources[i];
      updated.put(schema.fields[i].name, fieldValue(struct, source, this.replaceNullWithDefault));
    }
    return this.part.with(record, schema, updated);
  }

  private updatedSchema(schema: Schema): { schema: Schema; sources: readonly string[] } {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields) if (this.kept(field.name)) builder.field(this.renamed(field.name), field.schema);
    const updated = builder.build();
    // Each new field reads the old field whose rename it is (Kafka's reverse mapping).
    return { schema: updated, sources: updated.fields.map((f) => this.reverseRenames.get(f.name) ?? f.name) };
  }
}
