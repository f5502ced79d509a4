import { PredicatePlugin, TransformationPlugin } from '../api';

/** Built-in transformations of this group, registered by src/transforms/index.ts. */
export const HeaderRouteTransforms: readonly TransformationPlugin[] = [];

/** Built-in predicates of this group. */
export const HeaderRouteTransformsPredicates: readonly PredicatePlugin[] = [];
