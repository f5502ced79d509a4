import { PredicatePlugin, TransformationPlugin } from '../api';
import { Filter } from './filter';
import { RegexRouter } from './regex-router';
import { TopicNameMatches } from './topic-name-matches';
import { KAFKA_PREDICATES, KAFKA_TRANSFORMS } from './util/record-part';

/** Built-in transformations of this group, registered by src/transforms/index.ts. */
export const HeaderRouteTransforms: readonly TransformationPlugin[] = [
  {
    className: `${KAFKA_TRANSFORMS}.RegexRouter`,
    aliases: ['RegexRouter'],
    doc: 'Renames the topic with a Java regular expression and replacement when the whole topic matches.',
    create: () => new RegexRouter(),
  },
  {
    className: `${KAFKA_TRANSFORMS}.Filter`,
    aliases: ['Filter'],
    doc: 'Drops every record it is applied to; use it with a predicate to drop only some records.',
    create: () => new Filter(),
  },
];

/** Built-in predicates of this group. */
export const HeaderRouteTransformsPredicates: readonly PredicatePlugin[] = [
  {
    className: `${KAFKA_PREDICATES}.TopicNameMatches`,
    aliases: ['TopicNameMatches'],
    doc: "True for records whose whole topic name matches a Java regular expression.",
    create: () => new TopicNameMatches(),
  },
];
