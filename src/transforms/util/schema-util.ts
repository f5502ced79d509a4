import { Schema, SchemaBuilder } from '../../api';

/** Kafka's SchemaUtil.copySchemaBasics: name, version, doc and parameters onto a new builder. */
export function copySchemaBasics(source: Schema, builder: SchemaBuilder): SchemaBuilder {
  if (source.name !== null) builder.name(source.name);
  if (source.version !== null) builder.version(source.version);
  if (source.doc !== null) builder.doc(source.doc);
  if (source.parameters) builder.parameters({ ...source.parameters });
  return builder;
}

/** A struct builder carrying the source struct schema's basics and optionality, without its fields. */
export function structBuilderLike(source: Schema): SchemaBuilder {
  const builder = copySchemaBasics(source, SchemaBuilder.struct());
  return source.optional ? builder.optional() : builder;
}
