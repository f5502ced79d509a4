/**
 * Converter throughput on a struct of 10 fields, both directions, in records/s, measured in-process.
 * The baseline in the same run is JSON.stringify / JSON.parse of an equivalent plain object (what a
 * hand-written schemaless JSON pipeline would cost). Extra converters (e.g. Avro against a test
 * registry) are passed in by the caller.
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

function time(records: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(records, 2000); i++) fn(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < records; i++) fn(i);
  return records / (Number(process.hrtime.bigint() - start) / 1e9);
}

export interface ConverterBenchRow {
  name: string;
  serializePerSecond: number;
  deserializePerSecond: number;
}

export function benchConverter(name: string, converter: Converter, records: number): ConverterBenchRow {
  const structs = Array.from({ length: 1000 }, (_, i) => benchStruct(i));
  const bytes = structs.map((s) => converter.fromConnectData('bench', [], BENCH_SCHEMA, s) as Buffer);
  return {
    name,
    serializePerSecond: time(records, (i) => converter.fromConnectData('bench', [], BENCH_SCHEMA, structs[i % 1000])),
    deserializePerSecond: time(records, (i) => converter.toConnectData('bench', [], bytes[i % 1000])),
  };
}

export function benchJsonBaseline(records: number): ConverterBenchRow {
  const objects = Array.from({ length: 1000 }, (_, i) => ({
    id: i, customer: `customer-${i % 1000}`, quantity: i % 100, price: 19.99, paid: i % 2 === 0,
    note: i % 3 === 0 ? null : 'leave at the door', tags: ['a', 'b'], amount: '19.99', created: 1_700_000_000_000 + i, score: 0.5,
  }));
  const texts = objects.map((o) => Buffer.from(JSON.stringify(o)));
  return {
    name: 'JSON.stringify / JSON.parse of a plain object (baseline)',
    serializePerSecond: time(records, (i) => Buffer.from(JSON.stringify(objects[i % 1000]))),
    deserializePerSecond: time(records, (i) => JSON.parse(texts[i % 1000].toString('utf8'))),
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
  console.log('\nConverters, struct of 10 fields (records/s, in-process)\n');
  console.log('| converter | Connect -> bytes | vs baseline | bytes -> Connect | vs baseline |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.name} | ${fmt(r.serializePerSecond)} | ${(r.serializePerSecond / base.serializePerSecond).toFixed(2)} | ${fmt(r.deserializePerSecond)} | ${(r.deserializePerSecond / base.deserializePerSecond).toFixed(2)} |`);
  }
}
