import { PredicatePlugin, TransformationPlugin } from '../api';
import type * as DropHeadersModule from './drop-headers';
import type * as FilterModule from './filter';
import type * as HasHeaderKeyModule from './has-header-key';
import type * as HeaderFromModule from './header-from';
import type * as InsertHeaderModule from './insert-header';
import type * as RecordIsTombstoneModule from './record-is-tombstone';
import type * as RegexRouterModule from './regex-router';
import type * as TopicNameMatchesModule from './topic-name-matches';
import { KAFKA_PREDICATES, KAFKA_TRANSFORMS, KEY, VALUE, variantNames } from './util/record-part';

// Each transform's module is required on its first create(): a worker loads only the transforms its configs name.
/* eslint-disable @typescript-eslint/no-require-imports */
const loadDropHeaders = () => require('./drop-headers') as typeof DropHeadersModule;
const loadFilter = () => require('./filter') as typeof FilterModule;
const loadHasHeaderKey = () => require('./has-header-key') as typeof HasHeaderKeyModule;
const loadHeaderFrom = () => require('./header-from') as typeof HeaderFromModule;
const loadInsertHeader = () => require('./insert-header') as typeof InsertHeaderModule;
const loadRecordIsTombstone = () => require('./record-is-tombstone') as typeof RecordIsTombstoneModule;
const loadRegexRouter = () => require('./regex-router') as typeof RegexRouterModule;
const loadTopicNameMatches = () => require('./topic-name-matches') as typeof TopicNameMatchesModule;
/* eslint-enable @typescript-eslint/no-require-imports */

const headerFrom = variantNames(`${KAFKA_TRANSFORMS}.HeaderFrom`);

/** Built-in transformations of this group, registered by src/transforms/index.ts. */
export const HeaderRouteTransforms: readonly TransformationPlugin[] = [
  {
    className: `${KAFKA_TRANSFORMS}.RegexRouter`,
    aliases: ['RegexRouter'],
    doc: 'Renames the topic with a Java regular expression and replacement when the whole topic matches.',
    create: () => new (loadRegexRouter().RegexRouter)(),
  },
  {
    className: `${KAFKA_TRANSFORMS}.Filter`,
    aliases: ['Filter'],
    doc: 'Drops every record it is applied to; use it with a predicate to drop only some records.',
    create: () => new (loadFilter().Filter)(),
  },
  {
    className: `${KAFKA_TRANSFORMS}.DropHeaders`,
    aliases: ['DropHeaders'],
    doc: 'Removes the headers with the listed names.',
    create: () => new (loadDropHeaders().DropHeaders)(),
  },
  {
    ...headerFrom.key,
    doc: 'Moves or copies fields of the record key into headers.',
    create: () => new (loadHeaderFrom().HeaderFrom)(KEY),
  },
  {
    ...headerFrom.value,
    doc: 'Moves or copies fields of the record value into headers.',
    create: () => new (loadHeaderFrom().HeaderFrom)(VALUE),
  },
  {
    className: `${KAFKA_TRANSFORMS}.InsertHeader`,
    aliases: ['InsertHeader'],
    doc: 'Adds a header with a literal value (type inferred as Kafka does) to every record.',
    create: () => new (loadInsertHeader().InsertHeader)(),
  },
];

/** Built-in predicates of this group. */
export const HeaderRouteTransformsPredicates: readonly PredicatePlugin[] = [
  {
    className: `${KAFKA_PREDICATES}.TopicNameMatches`,
    aliases: ['TopicNameMatches'],
    doc: 'True for records whose whole topic name matches a Java regular expression.',
    create: () => new (loadTopicNameMatches().TopicNameMatches)(),
  },
  {
    className: `${KAFKA_PREDICATES}.HasHeaderKey`,
    aliases: ['HasHeaderKey'],
    doc: 'True for records with at least one header of the given name.',
    create: () => new (loadHasHeaderKey().HasHeaderKey)(),
  },
  {
    className: `${KAFKA_PREDICATES}.RecordIsTombstone`,
    aliases: ['RecordIsTombstone'],
    doc: 'True for records whose value is null.',
    create: () => new (loadRecordIsTombstone().RecordIsTombstone)(),
  },
];
