/**
 * Converter throughput on a struct of 10 fields, both directions, in records/s, measured in-process.
 * The baseline in the same run is JSON.stringify / JSON.parse of an equivalent plain object (what a
 * hand-written schemaless JSON pipeline would cost). Extra converters (e.g. Avro against a test
 * registry) are passed in by the caller. Figures are per second of CPU time, best of five rounds, and
 * each ratio is against baseline rounds run in turn with that row (see timeAgainst).
 */
import { BigDecimal, Converter, Decimal, Schema, SchemaBuilder, Struct, ConnectTimestamp } from '../src/api';
import { JsonConverter } from '../src/converters/json-converter';

export const BENCH_SCHEMA = SchemaBuilder.struct()
  .name('bench.Order')
  .field('id', Schema.INT64_SCHEMA)
  .field('customer', Schema.STRING_SCHEMA)
  .field('quantity', Schema.INT32_SCHEMA)
  .field('price', Schema.FLOAT64_SCHEMA)
  .field('paid', Schema.BOOLEAN_SCHEMA)
  .field('note', Schema.OPTIONAL_STRING_SCHEMA)
  .field('tags', SchemaBuilder.array(Schema.STRING_SCHEMA).build())
  .field('amount', Decimal.schema(2))
  .field('created', ConnectTimestamp.SCHEMA)
  .field('score', Schema.FLOAT32_SCHEMA)
  .build();

export function benchStruct(i: number): Struct {
  return new Struct(BENCH_SCHEMA)
    .put('id', BigInt(i))
    .put('customer', `customer-${i % 1000}`)
    .put('quantity', i % 100)
    .put('price', 19.99)
    .put('paid', i % 2 === 0)
    .put('note', i % 3 === 0 ? null : 'leave at the door')
    .put('tags', ['a', 'b'])
    .put('amount', new BigDecimal(BigInt(1999 + i), 2))
    .put('created', new Date(1_700_000_000_000 + i))
    .put('score', 0.5);
}

/** Rounds per measurement; each figure is the best round. */
const ROUNDS = 5;

/**
 * Records per second of CPU time used by this process (all threads, GC included), best of ROUNDS
 * rounds, for `fn` and, in alternating rounds, for `baseline`: the machine is shared, so wall time
 * mostly measures the neighbours, and a baseline measured minutes earlier ran on a different machine
 * load; rounds taken in turn see the same conditions, which keeps the ratio steady.
 */
function timeAgainst(records: number, fn: (i: number) => void, baseline?: (i: number) => void): { rate: number; baselineRate: number } {
  for (let i = 0; i < Math.min(records, 5000); i++) {
    fn(i); // warm-up
    baseline?.(i);
  }
  const perRound = Math.max(1, Math.ceil(records / ROUNDS));
  const round = (f: (i: number) => void, r: number): number => {
    const start = process.cpuUsage();
    for (let i = 0; i < perRound; i++) f(r * perRound + i);
    const used = process.cpuUsage(start);
    return perRound / ((used.user + used.system) / 1e6);
  };
  let rate = 0;
  let baselineRate = 0;
  for (let r = 0; r < ROUNDS; r++) {
    if (baseline) baselineRate = Math.max(baselineRate, round(baseline, r));
    rate = Math.max(rate, round(fn, r));
  }
  return { rate, baselineRate };
}

export interface ConverterBenchRow {
  name: string;
  serializePerSecond: number;
  deserializePerSecond: number;
  /** Against the baseline measured in rounds alternating with this row's; absent for the baseline row. */
  serializeVsBaseline?: number;
  deserializeVsBaseline?: number;
}

/** The baseline: JSON.stringify / JSON.parse of a plain object equivalent to benchStruct(i). */
function baselineCodec(): { stringify: (i: number) => void; parse: (i: number) => void } {
  const objects = Array.from({ length: 1000 }, (_, i) => ({
    id: i, customer: `customer-${i % 1000}`, quantity: i % 100, price: 19.99, paid: i % 2 === 0,
    note: i % 3 === 0 ? null : 'leave at the door', tags: ['a', 'b'], amount: '19.99', created: 1_700_000_000_000 + i, score: 0.5,
  }));
  const texts = objects.map((o) => Buffer.from(JSON.stringify(o)));
  return {
    stringify: (i) => Buffer.from(JSON.stringify(objects[i % 1000])),
    parse: (i) => JSON.parse(texts[i % 1000].toString('utf8')),
  };
}

export function benchConverter(name: string, converter: Converter, records: number): ConverterBenchRow {
  const structs = Array.from({ length: 1000 }, (_, i) => benchStruct(i));
  const bytes = structs.map((s) => converter.fromConnectData('bench', [], BENCH_SCHEMA, s) as Buffer);
  const base = baselineCodec();
  const serialize = timeAgainst(records, (i) => converter.fromConnectData('bench', [], BENCH_SCHEMA, structs[i % 1000]), base.stringify);
  const deserialize = timeAgainst(records, (i) => converter.toConnectData('bench', [], bytes[i % 1000]), base.parse);
  return {
    name,
    serializePerSecond: serialize.rate,
    deserializePerSecond: deserialize.rate,
    serializeVsBaseline: serialize.rate / serialize.baselineRate,
    deserializeVsBaseline: deserialize.rate / deserialize.baselineRate,
  };
}

export function benchJsonBaseline(records: number): ConverterBenchRow {
  const base = baselineCodec();
  return {
    name: 'JSON.stringify / JSON.parse of a plain object (baseline)',
    serializePerSecond: timeAgainst(records, base.stringify).rate,
    deserializePerSecond: timeAgainst(records, base.parse).rate,
  };
}

export function jsonConverter(schemasEnable: boolean): Converter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': String(schemasEnable) }, false);
  return c;
}

export function printConverterTable(rows: ConverterBenchRow[]): void {
  const base = rows[0];
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log('\nConverters, struct of 10 fields (records per CPU second, in-process, best of 5 rounds; each ratio against baseline rounds run in turn with that row)\n');
  console.log('| converter | Connect -> bytes | vs baseline | bytes -> Connect | vs baseline |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    const toBytes = r.serializeVsBaseline ?? r.serializePerSecond / base.serializePerSecond;
    const fromBytes = r.deserializeVsBaseline ?? r.deserializePerSecond / base.deserializePerSecond;
    console.log(`| ${r.name} | ${fmt(r.serializePerSecond)} | ${toBytes.toFixed(2)} | ${fmt(r.deserializePerSecond)} | ${fromBytes.toFixed(2)} |`);
  }
}
