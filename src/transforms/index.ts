import { PredicatePlugin, TransformationPlugin } from '../api';
import { FieldTransforms, FieldTransformsPredicates } from './builtin-field-transforms';
import { HeaderRouteTransforms, HeaderRouteTransformsPredicates } from './builtin-header-route-transforms';
import { TimeCastTransforms, TimeCastTransformsPredicates } from './builtin-time-cast-transforms';

/** Apache Kafka's single message transforms, by Kafka class name and short alias. */
export const builtinTransformations: readonly TransformationPlugin[] = [...FieldTransforms, ...TimeCastTransforms, ...HeaderRouteTransforms];

/** Apache Kafka's predicates. */
export const builtinPredicates: readonly PredicatePlugin[] = [...FieldTransformsPredicates, ...TimeCastTransformsPredicates, ...HeaderRouteTransformsPredicates];
