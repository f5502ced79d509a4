import { PredicatePlugin, TransformationPlugin } from '../api';
import { Cast } from './cast';
import { TimestampConverter } from './timestamp-converter';
import { TimestampRouter } from './timestamp-router';
import { KAFKA_TRANSFORMS, KEY, VALUE, variantNames } from './util/record-part';

const cast = variantNames(`${KAFKA_TRANSFORMS}.Cast`);
const timestampConverter = variantNames(`${KAFKA_TRANSFORMS}.TimestampConverter`);

/** Built-in transformations of this group, registered by src/transforms/index.ts. */
export const TimeCastTransforms: readonly TransformationPlugin[] = [
  { ...cast.key, doc: 'Casts the record key, or fields of it, to another primitive type.', create: () => new Cast(KEY) },
  { ...cast.value, doc: 'Casts the record value, or fields of it, to another primitive type.', create: () => new Cast(VALUE) },
  {
    ...timestampConverter.key,
    doc: 'Converts a timestamp in the record key (or a field of it) between unix time, formatted strings and Date/Time/Timestamp.',
    create: () => new TimestampConverter(KEY),
  },
  {
    ...timestampConverter.value,
    doc: 'Converts a timestamp in the record value (or a field of it) between unix time, formatted strings and Date/Time/Timestamp.',
    create: () => new TimestampConverter(VALUE),
  },
  {
    className: `${KAFKA_TRANSFORMS}.TimestampRouter`,
    aliases: ['TimestampRouter'],
    doc: "Renames the topic from the original topic and the record's timestamp (UTC), e.g. orders-20240131.",
    create: () => new TimestampRouter(),
  },
];

/** Built-in predicates of this group (none: Kafka's predicates are in the other groups). */
export const TimeCastTransformsPredicates: readonly PredicatePlugin[] = [];
