import { PredicatePlugin, TransformationPlugin } from '../api';
import type * as CastModule from './cast';
import type * as TimestampConverterModule from './timestamp-converter';
import type * as TimestampRouterModule from './timestamp-router';
import { KAFKA_TRANSFORMS, KEY, VALUE, variantNames } from './util/record-part';

// Each transform's module is required on its first create(): a worker loads only the transforms its configs name.
/* eslint-disable @typescript-eslint/no-require-imports */
const loadCast = () => require('./cast') as typeof CastModule;
const loadTimestampConverter = () => require('./timestamp-converter') as typeof TimestampConverterModule;
const loadTimestampRouter = () => require('./timestamp-router') as typeof TimestampRouterModule;
/* eslint-enable @typescript-eslint/no-require-imports */

const cast = variantNames(`${KAFKA_TRANSFORMS}.Cast`);
const timestampConverter = variantNames(`${KAFKA_TRANSFORMS}.TimestampConverter`);

/** Built-in transformations of this group, registered by src/transforms/index.ts. */
export const TimeCastTransforms: readonly TransformationPlugin[] = [
  { ...cast.key, doc: 'Casts the record key, or fields of it, to another primitive type.', create: () => new (loadCast().Cast)(KEY) },
  { ...cast.value, doc: 'Casts the record value, or fields of it, to another primitive type.', create: () => new (loadCast().Cast)(VALUE) },
  {
    ...timestampConverter.key,
    doc: 'Converts a timestamp in the record key (or a field of it) between unix time, formatted strings and Date/Time/Timestamp.',
    create: () => new (loadTimestampConverter().TimestampConverter)(KEY),
  },
  {
    ...timestampConverter.value,
    doc: 'Converts a timestamp in the record value (or a field of it) between unix time, formatted strings and Date/Time/Timestamp.',
    create: () => new (loadTimestampConverter().TimestampConverter)(VALUE),
  },
  {
    className: `${KAFKA_TRANSFORMS}.TimestampRouter`,
    aliases: ['TimestampRouter'],
    doc: "Renames the topic from the original topic and the record's timestamp (UTC), e.g. orders-20240131.",
    create: () => new (loadTimestampRouter().TimestampRouter)(),
  },
];

/** Built-in predicates of this group (none: Kafka's predicates are in the other groups). */
export const TimeCastTransformsPredicates: readonly PredicatePlugin[] = [];
