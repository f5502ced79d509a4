import { PredicatePlugin, Transformation, TransformationPlugin } from '../api';
import type * as ExtractFieldModule from './extract-field';
import type * as FlattenModule from './flatten';
import type * as HoistFieldModule from './hoist-field';
import type * as InsertFieldModule from './insert-field';
import type * as MaskFieldModule from './mask-field';
import type * as ReplaceFieldModule from './replace-field';
import type * as SetSchemaMetadataModule from './set-schema-metadata';
import { KAFKA_TRANSFORMS, KEY, RecordPart, VALUE, variantNames } from './util/record-part';
import type * as ValueToKeyModule from './value-to-key';

// Each transform's module is required on its first create(): a worker loads only the transforms its configs name.
/* eslint-disable @typescript-eslint/no-require-imports */
const loadExtractField = () => require('./extract-field') as typeof ExtractFieldModule;
const loadFlatten = () => require('./flatten') as typeof FlattenModule;
const loadHoistField = () => require('./hoist-field') as typeof HoistFieldModule;
const loadInsertField = () => require('./insert-field') as typeof InsertFieldModule;
const loadMaskField = () => require('./mask-field') as typeof MaskFieldModule;
const loadReplaceField = () => require('./replace-field') as typeof ReplaceFieldModule;
const loadSetSchemaMetadata = () => require('./set-schema-metadata') as typeof SetSchemaMetadataModule;
const loadValueToKey = () => require('./value-to-key') as typeof ValueToKeyModule;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The `$Key` and `$Value` plugins of a Kafka transform that works on either part of the record. */
function variants(simpleName: string, doc: string, create: (part: RecordPart) => Transformation): TransformationPlugin[] {
  const names = variantNames(`${KAFKA_TRANSFORMS}.${simpleName}`);
  return [
    { ...names.key, doc: `${doc} (record key)`, create: () => create(KEY) },
    { ...names.value, doc: `${doc} (record value)`, create: () => create(VALUE) },
  ];
}

/** Built-in transformations of this group, registered by src/transforms/index.ts. */
export const FieldTransforms: readonly TransformationPlugin[] = [
  ...variants('ExtractField', 'Replaces the key or value with one of its fields, nested paths with field.syntax.version=V2', (p) => new (loadExtractField().ExtractField)(p)),
  ...variants('Flatten', 'Flattens nested Structs or Maps into one level, names joined with a delimiter', (p) => new (loadFlatten().Flatten)(p)),
  ...variants('HoistField', 'Wraps the key or value in a Struct or Map with one field', (p) => new (loadHoistField().HoistField)(p)),
  ...variants('InsertField', 'Adds fields with the topic, partition, offset, timestamp or a static value', (p) => new (loadInsertField().InsertField)(p)),
  ...variants('MaskField', 'Replaces fields with the empty value of their type or a given replacement', (p) => new (loadMaskField().MaskField)(p)),
  ...variants('ReplaceField', 'Keeps, drops or renames fields', (p) => new (loadReplaceField().ReplaceField)(p)),
  ...variants('SetSchemaMetadata', 'Sets the schema name and/or version', (p) => new (loadSetSchemaMetadata().SetSchemaMetadata)(p)),
  {
    className: `${KAFKA_TRANSFORMS}.ValueToKey`,
    aliases: ['ValueToKey'],
    doc: 'Replaces the key with a Struct or Map of fields of the value',
    create: () => new (loadValueToKey().ValueToKey)(),
  },
];

/** Built-in predicates of this group. */
export const FieldTransformsPredicates: readonly PredicatePlugin[] = [];
