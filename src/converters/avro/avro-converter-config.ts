import { ConfigDef, ConfigType, Importance, Validators } from '../../api';
import { parseSchemaRegistrySettings, SchemaRegistrySettings, withSchemaRegistryKeys } from '../schema-registry/registry-config';
import { AvroDataOptions } from './avro-constants';

/** The keys of Confluent's AvroConverter (AbstractKafkaSchemaSerDeConfig, SchemaRegistryClientConfig, AvroDataConfig) we implement. */
export const AVRO_CONVERTER_CONFIG_DEF = withSchemaRegistryKeys(new ConfigDef())
  .define({
    name: 'schemas.cache.config',
    type: ConfigType.INT,
    defaultValue: 1000,
    validator: Validators.atLeast(1),
    importance: Importance.LOW,
    doc: 'How many schemas are kept translated between Connect and Avro, in each direction.',
  })
  .define({
    name: 'connect.meta.data',
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.LOW,
    doc: 'Whether Connect schema details (name, version, doc, parameters, default, INT8/INT16) are written into, and read from, connect.* properties of the Avro schema.',
  })
  .define({
    name: 'enhanced.avro.schema.support',
    type: ConfigType.BOOLEAN,
    defaultValue: false,
    importance: Importance.MEDIUM,
    doc: 'Whether Avro enums read are written back as enums (not strings), and union members are named by full name.',
  });

/** AvroConverter's settings, parsed once in configure(). */
export interface AvroConverterSettings extends SchemaRegistrySettings {
  data: AvroDataOptions;
}

export function parseAvroConverterConfig(props: Record<string, string>, isKey: boolean): AvroConverterSettings {
  const config = AVRO_CONVERTER_CONFIG_DEF.parse(props, 'AvroConverterConfig');
  return {
    ...parseSchemaRegistrySettings(config, isKey),
    data: {
      connectMetaData: config.getBoolean('connect.meta.data'),
      enhancedSchemaSupport: config.getBoolean('enhanced.avro.schema.support'),
      schemasCacheSize: config.getInt('schemas.cache.config'),
    },
  };
}
