import { ConfigDef, ConfigError, ConfigType, Importance, Validator, Validators } from '../../api';
import { parseSchemaRegistrySettings, SchemaRegistrySettings, withSchemaRegistryKeys } from '../schema-registry/registry-config';

/**
 * The keys of Confluent's JsonSchemaConverter we implement: the shared registry keys
 * (AbstractKafkaSchemaSerDeConfig), JsonSchemaDataConfig's, and json.fail.invalid.schema from
 * KafkaJsonSchemaSerializerConfig / KafkaJsonSchemaDeserializerConfig. Defaults are Confluent's.
 */
export const JSON_SCHEMA_CONVERTER_CONFIG_DEF = withSchemaRegistryKeys(new ConfigDef())
  .define({
    name: 'schemas.cache.config',
    type: ConfigType.INT,
    defaultValue: 1000,
    validator: Validators.atLeast(1),
    importance: Importance.LOW,
    doc: 'How many schemas are kept translated between Connect and JSON Schema, in each direction.',
  })
  .define({
    name: 'json.fail.invalid.schema',
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.MEDIUM,
    doc: 'Whether each payload written or read is validated against its JSON Schema (with ajv); a payload that does not match fails the record, naming the topic and the first violation.',
  })
  .define({
    name: 'object.additional.properties',
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.MEDIUM,
    doc: 'Whether the object schemas written for Connect structs allow properties they do not declare; false writes "additionalProperties": false.',
  })
  .define({
    name: 'use.optional.for.nonrequired',
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.MEDIUM,
    doc: 'Whether properties not listed in an object schema\'s "required" are read as optional Connect fields (otherwise only properties declared nullable with oneOf/null are).',
  })
  .define({
    name: 'decimal.format',
    type: ConfigType.STRING,
    defaultValue: 'BASE64',
    validator: caseInsensitiveIn('BASE64', 'NUMERIC'),
    importance: Importance.LOW,
    doc: 'How Decimal values are written: BASE64 (the unscaled value as base64 bytes, schema type string) or NUMERIC (a JSON number, schema type number). Case-insensitive.',
  })
  .define({
    name: 'ignore.default.for.nullables',
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.LOW,
    doc: 'Whether a null value whose schema has a default is written as null (true) rather than as the default (false).',
  });

/** JsonSchemaConverter's settings, parsed once in configure(). */
export interface JsonSchemaConverterSettings extends SchemaRegistrySettings {
  schemasCacheSize: number;
  failInvalidSchema: boolean;
  allowAdditionalProperties: boolean;
  optionalForNonRequired: boolean;
  decimalFormat: 'BASE64' | 'NUMERIC';
  ignoreDefaultForNullables: boolean;
}

export function parseJsonSchemaConverterConfig(props: Record<string, string>, isKey: boolean): JsonSchemaConverterSettings {
  const config = JSON_SCHEMA_CONVERTER_CONFIG_DEF.parse(props, 'JsonSchemaConverterConfig');
  return {
    ...parseSchemaRegistrySettings(config, isKey),
    schemasCacheSize: config.getInt('schemas.cache.config'),
    failInvalidSchema: config.getBoolean('json.fail.invalid.schema'),
    allowAdditionalProperties: config.getBoolean('object.additional.properties'),
    optionalForNonRequired: config.getBoolean('use.optional.for.nonrequired'),
    decimalFormat: (config.getString('decimal.format') ?? 'BASE64').toUpperCase() as 'BASE64' | 'NUMERIC',
    ignoreDefaultForNullables: config.getBoolean('ignore.default.for.nullables'),
  };
}

/** Confluent's CaseInsensitiveValidString. */
function caseInsensitiveIn(...allowed: string[]): Validator {
  return {
    ensureValid(name, value) {
      if (!allowed.includes(String(value).toUpperCase())) {
        throw ConfigError.invalidValue(name, value, `String must be one of (case insensitive): ${allowed.join(', ')}`);
      }
    },
    describe: () => `(case insensitive) [${allowed.join(', ')}]`,
  };
}
