/**
 * Transformation chain cost, in-process: records/s of a source task's per-record work (transform,
 * then key and value JsonConverter conversion) with a three-transform chain next to no transforms, in
 * the same run, on the 10-field struct of the converter bench. The chain is the usual JDBC-style
 * keying and routing: ValueToKey(id) -> ExtractField$Key(id) -> RegexRouter. Figures are ratios,
 * never assertions.
 */
import { SourceRecord } from '../src/api';
import { builtinPlugins } from '../src/cli/builtin-plugins';
import { silentLogger } from '../src/runtime/runtime-logger';
import { TransformationChain } from '../src/runtime/transformation-chain';
import { parseTransformsConfig } from '../src/runtime/transformation-config';
import { BENCH_SCHEMA, benchStruct, jsonConverter } from './converters';

/** The chain the benchmarks use, as a connector file would configure it. */
export const BENCH_CHAIN: Record<string, string> = {
  transforms: 'createKey,extractId,route',
  'transforms.createKey.type': 'org.apache.kafka.connect.transforms.ValueToKey',
  'transforms.createKey.fields': 'id',
  'transforms.extractId.type': 'org.apache.kafka.connect.transforms.ExtractField$Key',
  'transforms.extractId.field': 'id',
  'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
  'transforms.route.regex': 'shop-(.*)',
  'transforms.route.replacement': '$1',
};

export interface ChainBenchResult {
  noTransformsPerSecond: number;
  chainPerSecond: number;
  chainOnlyPerSecond: number;
}

function chainOf(props: Record<string, string>): TransformationChain {
  const aliases = props.transforms.split(',');
  const chain = TransformationChain.create(parseTransformsConfig(props, aliases, [], builtinPlugins()), silentLogger);
  if (!chain) throw new Error('the bench chain is empty');
  return chain;
}

function rate(records: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(records, 5000); i++) fn(i); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < records; i++) fn(i);
  return records / (Number(process.hrtime.bigint() - start) / 1e9);
}

export function benchChain(records: number): ChainBenchResult {
  const input: SourceRecord[] = Array.from({ length: 1000 }, (_, i) => ({
    topic: 'shop-orders',
    kafkaPartition: null,
    keySchema: null,
    key: null,
    valueSchema: BENCH_SCHEMA,
    value: benchStruct(i),
    timestamp: 1_700_000_000_000 + i,
    headers: [],
    sourcePartition: { table: 'orders' },
    sourceOffset: { id: i },
  }));
  const keyConverter = jsonConverter(true);
  const valueConverter = jsonConverter(true);
  const chain = chainOf(BENCH_CHAIN);
  let sink = 0;
  const convert = (r: SourceRecord): void => {
    const key = keyConverter.fromConnectData(r.topic, r.headers, r.keySchema, r.key);
    const value = valueConverter.fromConnectData(r.topic, r.headers, r.valueSchema, r.value);
    sink += (key?.length ?? 0) + (value?.length ?? 0);
  };
  // Alternate the runs so that neither gets all the JIT warm-up or a noisy neighbour.
  const plain: number[] = [];
  const chained: number[] = [];
  const only: number[] = [];
  for (let round = 0; round < 3; round++) {
    plain.push(rate(records, (i) => convert(input[i % 1000])));
    chained.push(
      rate(records, (i) => {
        const r = chain.apply(input[i % 1000]);
        if (r) convert(r);
      }),
    );
    only.push(rate(records, (i) => void (chain.apply(input[i % 1000]) ?? sink++)));
  }
  chain.close();
  if (sink < 0) console.log(sink); // keep the work observable
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { noTransformsPerSecond: median(plain), chainPerSecond: median(chained), chainOnlyPerSecond: median(only) };
}

export function printChainTable(r: ChainBenchResult, records: number): void {
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  console.log(`\nTransformation chain, in-process, ${fmt(records)} records of a 10-field struct (median of 3 alternating rounds)\n`);
  console.log('| run | records/s | vs no transforms |');
  console.log('|---|---|---|');
  console.log(`| no transforms: key + value JsonConverter (schemas on) | ${fmt(r.noTransformsPerSecond)} | 1.00 |`);
  console.log(`| ValueToKey -> ExtractField$Key -> RegexRouter, then the same conversion | ${fmt(r.chainPerSecond)} | ${(r.chainPerSecond / r.noTransformsPerSecond).toFixed(2)} |`);
  console.log(`| the three transforms alone | ${fmt(r.chainOnlyPerSecond)} | - |`);
  console.log('\nWith the chain the key is a converted INT64 instead of null, so part of the difference is the extra key conversion.');
}
