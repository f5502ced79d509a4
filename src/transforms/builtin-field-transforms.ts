import { PredicatePlugin, Transformation, TransformationPlugin } from '../api';
import { ExtractField } from './extract-field';
import { Flatten } from './flatten';
import { HoistField } from './hoist-field';
import { InsertField } from './insert-field';
import { MaskField } from './mask-field';
import { ReplaceField } from './replace-field';
import { SetSchemaMetadata } from './set-schema-metadata';
import { KAFKA_TRANSFORMS, KEY, RecordPart, VALUE, variantNames } from './util/record-part';
import { ValueToKey } from './value-to-key';

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
  ...variants('ExtractField', 'Replaces the key or value with one of its fields, nested paths with field.syntax.version=V2', (p) => new ExtractField(p)),
  ...variants('Flatten', 'Flattens nested Structs or Maps into one level, names joined with a delimiter', (p) => new Flatten(p)),
  ...variants('HoistField', 'Wraps the key or value in a Struct or Map with one field', (p) => new HoistField(p)),
  ...variants('InsertField', 'Adds fields with the topic, partition, offset, timestamp or a static value', (p) => new InsertField(p)),
  ...variants('MaskField', 'Replaces fields with the empty value of their type or a given replacement', (p) => new MaskField(p)),
  ...variants('ReplaceField', 'Keeps, drops or renames fields', (p) => new ReplaceField(p)),
  ...variants('SetSchemaMetadata', 'Sets the schema name and/or version', (p) => new SetSchemaMetadata(p)),
  {
    className: `${KAFKA_TRANSFORMS}.ValueToKey`,
    aliases: ['ValueToKey'],
    doc: 'Replaces the key with a Struct or Map of fields of the value',
    create: () => new ValueToKey(),
  },
];

/** Built-in predicates of this group. */
export const FieldTransformsPredicates: readonly PredicatePlugin[] = [];
