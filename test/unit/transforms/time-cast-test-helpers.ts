/** Helpers for the Cast / TimestampConverter / TimestampRouter unit tests. */
import { ConnectRecord, Schema, SinkRecord, SourceRecord, sourceRecord, Struct, Transformation, valuesEqual } from '../../../src/api';
import { TimeCastTransforms } from '../../../src/transforms/builtin-time-cast-transforms';

/** A configured transform of this group, looked up by alias (e.g. `Cast$Value`). */
export function configured(alias: string, props: Record<string, string>): Transformation {
  const plugin = TimeCastTransforms.find((p) => p.aliases.includes(alias));
  if (!plugin) throw new Error(`no plugin ${alias}`);
  const t = plugin.create();
  t.configure(props);
  return t;
}

export function record(fields: Partial<SourceRecord> = {}): SourceRecord {
  return Object.freeze(sourceRecord({ topic: 'test', value: null, sourcePartition: { file: 'a' }, sourceOffset: { position: 1 }, ...fields }));
}

export function sinkRecord(fields: Partial<SinkRecord> = {}): SinkRecord {
  return Object.freeze({ topic: 'test', kafkaPartition: 0, keySchema: null, key: null, valueSchema: null, value: null, timestamp: null, headers: [], kafkaOffset: 7n, timestampType: 'CreateTime', ...fields });
}

export function struct(schema: Schema, values: Record<string, unknown>): Struct {
  const s = new Struct(schema);
  for (const [k, v] of Object.entries(values)) s.put(k, v);
  return s;
}

function snapshot(value: unknown): string {
  if (value instanceof Map) return `Map{${[...value].map(([k, v]) => `${String(k)}=${snapshot(v)}`).join(',')}}`;
  if (value instanceof Struct) return `${value.toString()}`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  if (value instanceof Uint8Array) return `Bytes(${Buffer.from(value).toString('hex')})`;
  return `${typeof value}:${String(value)}`;
}

/** Applies the transform and fails if it changed the record's key or value in place. */
export function applyChecked<R extends ConnectRecord>(t: Transformation, input: R): R | null {
  const before = [snapshot(input.key), snapshot(input.value)];
  const out = t.apply(input);
  expect([snapshot(input.key), snapshot(input.value)]).toEqual(before);
  return out;
}

export function expectValues(actual: unknown, expected: unknown): void {
  if (!valuesEqual(actual, expected)) throw new Error(`expected ${snapshot(expected)}, got ${snapshot(actual)}`);
}
