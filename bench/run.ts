/**
 * npm run bench: FileStreamSource throughput into the test broker next to baselines sending the same
 * lines in the same run (an unpatched kafkajs producer, the project's patched kafkajs, kcat), time
 * from process start to the first record in Kafka, and peak RSS (bench/file-source.ts). Then peak
 * RSS at each quarter of moving BENCH_RSS_MB (default 1024) of lines. Figures are ratios against the
 * baselines, never assertions.
 *
 * Then converter throughput on a 10-field struct, both directions, against JSON.stringify/parse.
 *
 * Then the transformation chain: FileStreamSource through the CLI with a chain of three transforms
 * next to none (same run, same converter), and the in-process per-record cost (bench/transforms.ts).
 *
 * Then the JDBC source: a SQLite table through the CLI next to better-sqlite3 + a raw kafkajs
 * producer sending the same rows (bench/jdbc-source.ts).
 *
 * Then the JDBC sink: a topic written into a SQLite table through the CLI (insert and upsert) next
 * to a raw kafkajs consumer + better-sqlite3 doing the same inserts in batches (bench/jdbc-sink.ts).
 *
 * Then the file sink: a topic written to a file through the CLI (FileStreamSink) next to a raw kafkajs
 * eachBatch consumer writing the same values to a file (bench/file-sink.ts; BENCH_SINK_LINES).
 *
 * Then start-up: process start to the first record in Kafka, CLI with and without REST, next to a
 * plain kafkajs script producing one record and `node -e 0` (bench/startup.ts; BENCH_STARTUP_RUNS).
 *
 * Env: BENCH_LINES (default 500000), BENCH_LINE_BYTES (default 100), BENCH_RECORDS (converter and
 * transform records, default 100000), BENCH_ROWS (JDBC table rows, default 200000), BENCH_SINK_ROWS
 * (JDBC sink records, default 100000), BENCH_ONLY (source | memory | converters | transforms | jdbc | jdbc-sink | file-sink | startup),
 * KAFKA_BOOTSTRAP_SERVERS (use a real cluster instead of the mock broker).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../test/harness/broker';
import { AvroConverter } from '../src/converters/avro/avro-converter';
import { ProtobufConverter } from '../src/converters/protobuf/protobuf-converter';
import { JsonSchemaConverter } from '../src/converters/json-schema/json-schema-converter';
import { startSchemaRegistry } from '../test/harness/schema-registry';
import { benchConverter, benchJsonBaseline, jsonConverter, printConverterTable } from './converters';
import { fileSink } from './file-sink';
import { connectStandalone, CliResult, fileSource, fileSourceMemory, LINE_BYTES, LINES, makeLines } from './file-source';
import { jdbcSink } from './jdbc-sink';
import { jdbcSource } from './jdbc-source';
import { startup } from './startup';
import { benchChain, printChainTable } from './transforms';

async function converters(): Promise<void> {
  const records = Number(process.env.BENCH_RECORDS ?? 100000);
  const registry = await startSchemaRegistry();
  try {
    const avro = new AvroConverter();
    avro.configure({ 'schema.registry.url': registry.url }, false);
    const protobuf = new ProtobufConverter();
    protobuf.configure({ 'schema.registry.url': registry.url }, false);
    const jsonSchema = new JsonSchemaConverter();
    jsonSchema.configure({ 'schema.registry.url': registry.url }, false);
    printConverterTable([
      benchJsonBaseline(records),
      benchConverter('JsonConverter, schemas.enable=true', jsonConverter(true), records),
      benchConverter('JsonConverter, schemas.enable=false', jsonConverter(false), records),
      benchConverter('AvroConverter (test Schema Registry, ids cached)', avro, records),
      benchConverter('ProtobufConverter (test Schema Registry, ids cached)', protobuf, records),
      benchConverter('JsonSchemaConverter (test Schema Registry, ids cached)', jsonSchema, records),
    ]);
  } finally {
    await registry.stop();
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY;
  if (!only || only === 'source') await fileSource();
  if (!only || only === 'memory') await fileSourceMemory();
  if (!only || only === 'converters') await converters();
  if (!only || only === 'transforms') await transforms();
  if (!only || only === 'jdbc') await jdbcSource();
  if (!only || only === 'jdbc-sink') await jdbcSink();
  if (!only || only === 'file-sink') await fileSink();
  if (!only || only === 'startup') await startup();
}

/** A line-based chain of three for FileStreamSource: wrap the line, tag it, route the topic. */
const CLI_CHAIN: Record<string, string> = {
  transforms: 'hoist,tag,route',
  'transforms.hoist.type': 'HoistField$Value',
  'transforms.hoist.field': 'line',
  'transforms.tag.type': 'InsertField$Value',
  'transforms.tag.static.field': 'source',
  'transforms.tag.static.value': 'bench',
  'transforms.route.type': 'RegexRouter',
  'transforms.route.regex': '(.*)-raw',
  'transforms.route.replacement': '$1-routed',
};

async function transforms(): Promise<void> {
  const records = Number(process.env.BENCH_RECORDS ?? 100000);
  printChainTable(benchChain(records), records);
  const broker = await startBroker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-'));
  try {
    const input = path.join(dir, 'input.txt');
    fs.writeFileSync(input, makeLines().join('\n') + '\n');
    const kafka = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
    const run = Date.now();
    const json = 'org.apache.kafka.connect.json.JsonConverter';
    // Alternate the two runs so that a noisy neighbour does not favour one of them.
    const plain: CliResult[] = [];
    const chained: CliResult[] = [];
    for (let round = 0; round < 2; round++) {
      plain.push(await connectStandalone({ kafka, bootstrap: broker.bootstrapServers, topic: `bench-plain-${run}-${round}`, dir, input, lines: LINES, valueConverter: json }));
      chained.push(
        await connectStandalone({ kafka, bootstrap: broker.bootstrapServers, topic: `bench-${run}-${round}-raw`, dir, input, lines: LINES, valueConverter: json, connectorExtra: CLI_CHAIN, outputTopic: `bench-${run}-${round}-routed` }),
      );
    }
    const best = (rs: CliResult[]): number => Math.max(...rs.map((r) => r.steadyLinesPerSecond));
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`\nFileStreamSource -> Kafka with transforms, ${fmt(LINES)} lines of ${LINE_BYTES} B, JsonConverter (schemas off), best of 2 alternating runs\n`);
    console.log('| run | lines/s from first record | vs no transforms |');
    console.log('|---|---|---|');
    console.log(`| no transforms | ${fmt(best(plain))} | 1.00 |`);
    console.log(`| HoistField$Value -> InsertField$Value (static) -> RegexRouter | ${fmt(best(chained))} | ${(best(chained) / best(plain)).toFixed(2)} |`);
    console.log('\nWith the chain each value is a 2-field struct written as a JSON object instead of a JSON string.');
  } finally {
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
