import { PredicatePlugin, TransformationPlugin } from '../api';

/** Built-in transformations of this group, registered by src/transforms/index.ts. */
export const FieldTransforms: readonly TransformationPlugin[] = [];

/** Built-in predicates of this group. */
export const FieldTransformsPredicates: readonly PredicatePlugin[] = [];
