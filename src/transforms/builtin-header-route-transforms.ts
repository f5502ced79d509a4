import { PredicatePlugin, TransformationPlugin } from '../api';
import { DropHeaders } from './drop-headers';
import { Filter } from './filter';
import { HasHeaderKey } from './has-header-key';
import { HeaderFrom } from './header-from';
import { InsertHeader } from './insert-header';
import { RecordIsTombstone } from './record-is-tombstone';
import { RegexRouter } from './regex-router';
import { TopicNameMatches } from './topic-name-matches';
import { KAFKA_PREDICATES, KAFKA_TRANSFORMS, KEY, VALUE, variantNames } from './util/record-part';

const headerFrom = variantNames(`${KAFKA_TRANSFORMS}.HeaderFrom`);

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
  {
    className: `${KAFKA_TRANSFORMS}.DropHeaders`,
    aliases: ['DropHeaders'],
    doc: 'Removes the headers with the listed names.',
    create: () => new DropHeaders(),
  },
  {
    ...headerFrom.key,
    doc: 'Moves or copies fields of the record key into headers.',
    create: () => new HeaderFrom(KEY),
  },
  {
    ...headerFrom.value,
    doc: 'Moves or copies fields of the record value into headers.',
    create: () => new HeaderFrom(VALUE),
  },
  {
    className: `${KAFKA_TRANSFORMS}.InsertHeader`,
    aliases: ['InsertHeader'],
    doc: 'Adds a header with a literal value (type inferred as Kafka does) to every record.',
    create: () => new InsertHeader(),
  },
];

/** Built-in predicates of this group. */
export const HeaderRouteTransformsPredicates: readonly PredicatePlugin[] = [
  {
    className: `${KAFKA_PREDICATES}.TopicNameMatches`,
    aliases: ['TopicNameMatches'],
    doc: 'True for records whose whole topic name matches a Java regular expression.',
    create: () => new TopicNameMatches(),
  },
  {
    className: `${KAFKA_PREDICATES}.HasHeaderKey`,
    aliases: ['HasHeaderKey'],
    doc: 'True for records with at least one header of the given name.',
    create: () => new HasHeaderKey(),
  },
  {
    className: `${KAFKA_PREDICATES}.RecordIsTombstone`,
    aliases: ['RecordIsTombstone'],
    doc: 'True for records whose value is null.',
    create: () => new RecordIsTombstone(),
  },
];
