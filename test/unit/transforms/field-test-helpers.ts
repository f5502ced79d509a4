/**
 * Helpers for the field transforms' unit tests: records, a configured transform by alias, and a deep
 * copy to prove a transform left its input alone.
 */
import { ConnectRecord, Schema, SinkRecord, SourceRecord, sourceRecord, Struct, Transformation, valuesEqual } from '../../../src/api';
import { FieldTransforms } from '../../../src/transforms/builtin-field-transforms';

/** A configured transform of this group, looked up by its alias (e.g. `InsertField$Value`). */
export function transform(alias: string, props: Record<string, string>): Transformation {
  const plugin = FieldTransforms.find((p) => p.aliases.includes(alias));
  if (!plugin) throw new Error(`no plugin ${alias}`);
  const t = plugin.create();
  t.configure(props);
  return t;
}

export function sinkRecord(fields: Partial<SinkRecord> = {}): SinkRecord {
  return Object.freeze({
    topic: 'test',
    kafkaPartition: 0,
    keySchema: null,
    key: null,
    valueSchema: null,
    value: null,
    timestamp: null,
    headers: [],
    kafkaOffset: 0n,
    timestampType: 'CreateTime',
    ...fields,
  });
}

export function srcRecord(fields: Partial<SourceRecord> = {}): SourceRecord {
  return Object.freeze(sourceRecord({ topic: 'test', value: null, ...fields }));
}

/** A deep copy of a Connect value (Structs, Maps, arrays, Buffers), to compare with after apply(). */
export function deepCopy<T>(value: T): T {
  if (value instanceof Struct) {
    const copy = new Struct(value.schema);
    for (const f of value.schema.fields) copy.put(f.name, deepCopy(value.getWithoutDefault(f.name)));
    return copy as T;
  }
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, deepCopy(v)])) as T;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (Buffer.isBuffer(value)) return Buffer.from(value) as T;
  return value;
}

/** Applies the transform and checks that the record's key and value were not changed in place. */
export function applyUnchanged<R extends ConnectRecord>(t: Transformation, record: R): R | null {
  const key = deepCopy(record.key);
  const value = deepCopy(record.value);
  const keyText = describe(record.key);
  const valueText = describe(record.value);
  const out = t.apply(record);
  if (!valuesEqual(record.key, key) || describe(record.key) !== keyText) throw new Error('apply() changed the input key');
  if (!valuesEqual(record.value, value) || describe(record.value) !== valueText) throw new Error('apply() changed the input value');
  return out;
}

function describe(value: unknown): string {
  if (value instanceof Map) return `Map{${[...value].map(([k, v]) => `${String(k)}=${describe(v)}`).join(',')}}`;
  return value instanceof Struct ? value.toString() : String(value);
}

export function struct(schema: Schema, values: Record<string, unknown>): Struct {
  const s = new Struct(schema);
  for (const [k, v] of Object.entries(values)) s.put(k, v);
  return s;
}
