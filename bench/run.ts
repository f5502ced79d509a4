/**
 * npm run bench: FileStreamSource throughput into the mock broker next to a raw kafkajs producer
 * sending the same lines in the same run, time from process start to the first record in Kafka, and
 * peak RSS. Figures are ratios against the baseline, never assertions.
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
 * Env: BENCH_LINES (default 200000), BENCH_LINE_BYTES (default 100), BENCH_RECORDS (converter and
 * transform records, default 100000), BENCH_ROWS (JDBC table rows, default 200000), BENCH_SINK_ROWS
 * (JDBC sink records, default 100000), BENCH_ONLY (source | converters | transforms | jdbc | jdbc-sink | file-sink),
 * KAFKA_BOOTSTRAP_SERVERS (use a real cluster instead of the mock broker).
 */
import { startCli } from './cli-process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../test/harness/broker';
import { AvroConverter } from '../src/converters/avro/avro-converter';
import { startSchemaRegistry } from '../test/harness/schema-registry';
import { benchConverter, benchJsonBaseline, jsonConverter, printConverterTable } from './converters';
import { fileSink } from './file-sink';
import { jdbcSink } from './jdbc-sink';
import { jdbcSource } from './jdbc-source';
import { benchChain, printChainTable } from './transforms';

const ROOT = findRoot(__dirname);
const LINES = Number(process.env.BENCH_LINES ?? 200000);
const LINE_BYTES = Number(process.env.BENCH_LINE_BYTES ?? 100);
const BATCH = 2000;

function findRoot(dir: string): string {
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

function makeLines(): string[] {
  const pad = 'x'.repeat(LINE_BYTES);
  return Array.from({ length: LINES }, (_, i) => `${i} ${pad}`.slice(0, LINE_BYTES));
}

async function topicTotal(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    // High watermarks, not high - low: the mock broker trims old records (about 5 MB per partition).
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } catch {
    return 0;
  } finally {
    await admin.disconnect();
  }
}

async function rawProducer(kafka: Kafka, topic: string, lines: string[]): Promise<number> {
  const producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();
  const started = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i += BATCH) {
    await producer.send({ topic, acks: -1, messages: lines.slice(i, i + BATCH).map((value) => ({ value })) });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return lines.length / seconds;
}

interface CliResult {
  linesPerSecond: number;
  steadyLinesPerSecond: number;
  firstRecordMs: number;
  peakRssMb: number;
}

async function connectStandalone(
  kafka: Kafka,
  bootstrap: string,
  topic: string,
  dir: string,
  valueConverter: string,
  connectorExtra: Record<string, string> = {},
  outputTopic = topic,
): Promise<CliResult> {
  const worker = path.join(dir, `${topic}-worker.properties`);
  const conn = path.join(dir, `${topic}-source.properties`);
  fs.writeFileSync(
    worker,
    [
      `bootstrap.servers=${bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      `value.converter=${valueConverter}`,
      'value.converter.schemas.enable=false',
      `offset.storage.file.filename=${path.join(dir, `${topic}.offsets`)}`,
      'offset.flush.interval.ms=10000',
    ].join('\n'),
  );
  fs.writeFileSync(
    conn,
    [
      `name=bench-${topic}`,
      'connector.class=FileStreamSource',
      `file=${path.join(dir, 'input.txt')}`,
      `topic=${topic}`,
      ...Object.entries(connectorExtra).map(([k, v]) => `${k}=${v}`),
    ].join('\n'),
  );
  const started = process.hrtime.bigint();
  const cli = startCli(ROOT, [worker, conn]);
  const proc = cli.proc;
  let firstAt = 0n;
  let count = 0;
  while (count < LINES) {
    count = await topicTotal(kafka, outputTopic);
    if (count > 0 && firstAt === 0n) firstAt = process.hrtime.bigint();
    if (proc.exitCode !== null) throw new Error(`connect-standalone exited early with ${proc.exitCode}`);
    await new Promise((r) => setTimeout(r, firstAt === 0n ? 2 : 20));
  }
  const done = process.hrtime.bigint();
  await cli.stop();
  return {
    linesPerSecond: LINES / (Number(done - started) / 1e9),
    steadyLinesPerSecond: LINES / (Number(done - firstAt) / 1e9),
    firstRecordMs: Number(firstAt - started) / 1e6,
    peakRssMb: cli.peakRssMb(),
  };
}

async function converters(): Promise<void> {
  const records = Number(process.env.BENCH_RECORDS ?? 100000);
  const registry = await startSchemaRegistry();
  try {
    const avro = new AvroConverter();
    avro.configure({ 'schema.registry.url': registry.url }, false);
    printConverterTable([
      benchJsonBaseline(records),
      benchConverter('JsonConverter, schemas.enable=true', jsonConverter(true), records),
      benchConverter('JsonConverter, schemas.enable=false', jsonConverter(false), records),
      benchConverter('AvroConverter (test Schema Registry, ids cached)', avro, records),
    ]);
  } finally {
    await registry.stop();
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY;
  if (!only || only === 'source') await source();
  if (!only || only === 'converters') await converters();
  if (!only || only === 'transforms') await transforms();
  if (!only || only === 'jdbc') await jdbcSource();
  if (!only || only === 'jdbc-sink') await jdbcSink();
  if (!only || only === 'file-sink') await fileSink();
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
    fs.writeFileSync(path.join(dir, 'input.txt'), makeLines().join('\n') + '\n');
    const kafka = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
    const run = Date.now();
    const json = 'org.apache.kafka.connect.json.JsonConverter';
    // Alternate the two runs so that a noisy neighbour does not favour one of them.
    const plain: CliResult[] = [];
    const chained: CliResult[] = [];
    for (let round = 0; round < 2; round++) {
      plain.push(await connectStandalone(kafka, broker.bootstrapServers, `bench-plain-${run}-${round}`, dir, json));
      chained.push(await connectStandalone(kafka, broker.bootstrapServers, `bench-${run}-${round}-raw`, dir, json, CLI_CHAIN, `bench-${run}-${round}-routed`));
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

async function source(): Promise<void> {
  const broker = await startBroker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-'));
  try {
    const lines = makeLines();
    fs.writeFileSync(path.join(dir, 'input.txt'), lines.join('\n') + '\n');
    const kafka = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
    const run = Date.now();
    const baseline = await rawProducer(kafka, `bench-raw-${run}`, lines);
    const str = await connectStandalone(kafka, broker.bootstrapServers, `bench-string-${run}`, dir, 'org.apache.kafka.connect.storage.StringConverter');
    const json = await connectStandalone(kafka, broker.bootstrapServers, `bench-json-${run}`, dir, 'org.apache.kafka.connect.json.JsonConverter');
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(`\nFileStreamSource -> Kafka, ${fmt(LINES)} lines of ${LINE_BYTES} B (mock broker, batch ${BATCH}, acks=all)\n`);
    console.log('| run | lines/s from first record | vs raw kafkajs | lines/s incl. start-up | first record after process start | peak RSS |');
    console.log('|---|---|---|---|---|---|');
    console.log(`| raw kafkajs producer (baseline) | ${fmt(baseline)} | 1.00 | - | - | - |`);
    for (const [name, r] of [['connect-standalone, StringConverter', str], ['connect-standalone, JsonConverter (schemas off)', json]] as const) {
      console.log(
        `| ${name} | ${fmt(r.steadyLinesPerSecond)} | ${(r.steadyLinesPerSecond / baseline).toFixed(2)} | ${fmt(r.linesPerSecond)} | ${r.firstRecordMs.toFixed(0)} ms | ${r.peakRssMb.toFixed(0)} MB |`,
      );
    }
    console.log('\nThe baseline times only its sends (connected producer, lines in memory); connect-standalone reads the file too.');
  } finally {
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
