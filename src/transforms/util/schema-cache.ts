import { Schema } from '../../api';

/**
 * Derived schemas per input schema (Kafka keeps an LRU cache of 16 per transform). Keyed by the input
 * schema object, which converters reuse for records of the same shape; entries go when the input
 * schema is no longer used anywhere.
 */
export class SchemaCache<V extends object = Schema> {
  private readonly entries = new WeakMap<Schema, V>();

  get(schema: Schema): V | undefined {
    return this.entries.get(schema);
  }

  /** The cached value for this schema, derived once with derive(). */
  getOrDerive(schema: Schema, derive: (schema: Schema) => V): V {
    let value = this.entries.get(schema);
    if (value === undefined) {
      value = derive(schema);
      this.entries.set(schema, value);
    }
    return value;
  }
}
