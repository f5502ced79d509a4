import { ConfigDef, ConfigType, Importance, Validators } from '../../api';
import { parseSchemaRegistrySettings, SchemaRegistrySettings, withSchemaRegistryKeys } from '../schema-registry/registry-config';

/** How Connect schemas and Protobuf descriptors are translated (Confluent's ProtobufDataConfig). */
export interface ProtobufDataOptions {
  enhancedSchemaSupport: boolean;
  scrubInvalidNames: boolean;
  intForEnums: boolean;
  optionalForNullables: boolean;
  wrapperForNullables: boolean;
  wrapperForRawPrimitives: boolean;
  generateIndexForUnions: boolean;
  schemasCacheSize: number;
}

/** The keys of Confluent's ProtobufConverter (its serializer config and ProtobufDataConfig) we implement, with Confluent's defaults. */
export const PROTOBUF_CONVERTER_CONFIG_DEF = withSchemaRegistryKeys(new ConfigDef())
  .define({
    name: 'schemas.cache.config',
    type: ConfigType.INT,
    defaultValue: 1000,
    validator: Validators.atLeast(1),
    importance: Importance.LOW,
    doc: 'How many schemas are kept translated between Connect and Protobuf, in each direction.',
  })
  .define({
    name: 'enhanced.protobuf.schema.support',
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.MEDIUM,
    doc: 'Whether Connect schemas read from Protobuf keep the package: message, enum and oneof names become full names (e.g. com.acme.Order instead of Order).',
  })
  .define({
    name: 'scrub.invalid.names',
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.LOW,
    doc: 'Whether Connect field and schema names that are not valid Protobuf identifiers are rewritten (URL-encoded, other characters replaced by _, a leading digit or _ prefixed with x) when writing.',
  })
  .define({
    name: 'int.for.enums',
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.LOW,
    doc: 'Whether Protobuf enums are read as Connect INT32 (the enum number) instead of STRING (the symbol).',
  })
  .define({
    name: 'optional.for.nullables',
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.LOW,
    doc: 'Whether optional Connect fields are written as proto3 `optional` fields, and only fields declared `optional` are read as optional.',
  })
  .define({
    name: 'wrapper.for.nullables',
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.LOW,
    doc: 'Whether optional Connect primitives are written as google.protobuf wrapper messages (StringValue, Int32Value, ...) so null survives, and wrapper fields are read as nullable primitives.',
  })
  .define({
    name: 'wrapper.for.raw.primitives',
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.LOW,
    doc: 'Whether a google.protobuf wrapper message at the top level is read as the primitive it wraps (a STRING for StringValue) rather than a struct with a field value.',
  })
  .define({
    name: 'generate.index.for.unions',
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.LOW,
    doc: 'Whether the Connect field a oneof is read into is named <oneof>_<index in its message> (true) or just <oneof>.',
  });

/** ProtobufConverter's settings, parsed once in configure(). */
export interface ProtobufConverterSettings extends SchemaRegistrySettings {
  data: ProtobufDataOptions;
}

export function parseProtobufConverterConfig(props: Record<string, string>, isKey: boolean): ProtobufConverterSettings {
  const config = PROTOBUF_CONVERTER_CONFIG_DEF.parse(props, 'ProtobufConverterConfig');
  return {
    ...parseSchemaRegistrySettings(config, isKey),
    data: {
      enhancedSchemaSupport: config.getBoolean('enhanced.protobuf.schema.support'),
      scrubInvalidNames: config.getBoolean('scrub.invalid.names'),
      intForEnums: config.getBoolean('int.for.enums'),
      optionalForNullables: config.getBoolean('optional.for.nullables'),
      wrapperForNullables: config.getBoolean('wrapper.for.nullables'),
      wrapperForRawPrimitives: config.getBoolean('wrapper.for.raw.primitives'),
      generateIndexForUnions: config.getBoolean('generate.index.for.unions'),
      schemasCacheSize: config.getInt('schemas.cache.config'),
    },
  };
}
