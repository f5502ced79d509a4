/**
 * FileStreamSource into the test broker through the CLI, next to baselines sending the same lines in
 * the same run: an unpatched kafkajs producer (the issue's yardstick), the project's own kafkajs copy
 * with its install-time patches, and kcat. Then time to the first record, and peak RSS while moving
 * BENCH_RSS_MB of lines (default 1024), sampled at each quarter of the run to show whether it stays flat.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../test/harness/broker';
import { hasKcat, kafkajsProducer, kcatProducer, KafkajsModule, unpatchedKafkajs } from './baselines';
import { startCli } from './cli-process';

export const ROOT = findRoot(__dirname);
export const LINES = Number(process.env.BENCH_LINES ?? 500000);
export const LINE_BYTES = Number(process.env.BENCH_LINE_BYTES ?? 100);
const RSS_MB = Number(process.env.BENCH_RSS_MB ?? 1024);
const BATCH = 2000;
const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';

function findRoot(dir: string): string {
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}

export function makeLines(count = LINES): string[] {
  const pad = 'x'.repeat(LINE_BYTES);
  return Array.from({ length: count }, (_, i) => `${i} ${pad}`.slice(0, LINE_BYTES));
}

/** Sum of the topic's high watermarks (the mock broker trims old records, so not high - low); 0 before it exists. */
async function topicTotal(admin: ReturnType<Kafka['admin']>, topic: string): Promise<number> {
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high), 0);
  } catch {
    return 0;
  }
}

export interface CliResult {
  linesPerSecond: number;
  steadyLinesPerSecond: number;
  firstRecordMs: number;
  peakRssMb: number;
  /** Peak RSS seen by the end of each quarter of the lines. */
  rssByQuarter: number[];
}

export interface CliRun {
  kafka: Kafka;
  bootstrap: string;
  topic: string;
  dir: string;
  input: string;
  lines: number;
  valueConverter: string;
  schemasEnable?: boolean;
  connectorExtra?: Record<string, string>;
  outputTopic?: string;
}

/** Runs connect-standalone with a FileStreamSource until the output topic holds every line. */
export async function connectStandalone(run: CliRun): Promise<CliResult> {
  const { kafka, bootstrap, topic, dir } = run;
  const outputTopic = run.outputTopic ?? topic;
  const worker = path.join(dir, `${topic}-worker.properties`);
  const conn = path.join(dir, `${topic}-source.properties`);
  fs.writeFileSync(
    worker,
    [
      `bootstrap.servers=${bootstrap}`,
      `key.converter=${STRING}`,
      `value.converter=${run.valueConverter}`,
      `value.converter.schemas.enable=${run.schemasEnable === true}`,
      `offset.storage.file.filename=${path.join(dir, `${topic}.offsets`)}`,
      'offset.flush.interval.ms=10000',
    ].join('\n'),
  );
  fs.writeFileSync(
    conn,
    [`name=bench-${topic}`, 'connector.class=FileStreamSource', `file=${run.input}`, `topic=${topic}`, ...Object.entries(run.connectorExtra ?? {}).map(([k, v]) => `${k}=${v}`)].join('\n'),
  );
  const admin = kafka.admin();
  await admin.connect();
  const started = process.hrtime.bigint();
  const cli = startCli(ROOT, [worker, conn]);
  let firstAt = 0n;
  let count = 0;
  const rssByQuarter: number[] = [];
  let progressAt = Date.now();
  try {
    while (count < run.lines) {
      const now = await topicTotal(admin, outputTopic);
      if (now > count) progressAt = Date.now();
      else if (Date.now() - progressAt > 60000) throw new Error(`connect-standalone moved no record for 60 s (${count} of ${run.lines} in ${outputTopic})`);
      count = now;
      if (count > 0 && firstAt === 0n) firstAt = process.hrtime.bigint();
      while (rssByQuarter.length < 4 && count >= (run.lines * (rssByQuarter.length + 1)) / 4) rssByQuarter.push(cli.peakRssMb());
      if (cli.proc.exitCode !== null) throw new Error(`connect-standalone exited early with ${cli.proc.exitCode}`);
      await new Promise((r) => setTimeout(r, firstAt === 0n ? 1 : 20));
    }
  } catch (err) {
    await cli.stop();
    throw err;
  } finally {
    await admin.disconnect();
  }
  const done = process.hrtime.bigint();
  await cli.stop();
  return {
    linesPerSecond: run.lines / (Number(done - started) / 1e9),
    steadyLinesPerSecond: run.lines / (Number(done - firstAt) / 1e9),
    firstRecordMs: Number(firstAt - started) / 1e6,
    peakRssMb: cli.peakRssMb(),
    rssByQuarter,
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function fileSource(): Promise<void> {
  const unpatched = unpatchedKafkajs();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const patched = require('kafkajs') as KafkajsModule;
  const broker = await startBroker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-'));
  try {
    const lines = makeLines();
    const input = path.join(dir, 'input.txt');
    fs.writeFileSync(input, lines.join('\n') + '\n');
    const bootstrap = broker.bootstrapServers;
    const kafka = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
    const id = Date.now();
    const base = { kafka, bootstrap, dir, input, lines: LINES };
    // Two rounds, alternating, best of each: a noisy neighbour should not favour one side.
    const best = new Map<string, number>();
    const keep = (name: string, v: number) => best.set(name, Math.max(best.get(name) ?? 0, v));
    const runs = new Map<string, CliResult>();
    const keepRun = (name: string, r: CliResult) => {
      const prev = runs.get(name);
      if (!prev || r.steadyLinesPerSecond > prev.steadyLinesPerSecond) runs.set(name, r);
    };
    const kcat = hasKcat();
    for (let round = 0; round < 2; round++) {
      keep('unpatched', await kafkajsProducer(unpatched, bootstrap, `bench-raw-${id}-${round}`, lines, BATCH));
      keep('patched', await kafkajsProducer(patched, bootstrap, `bench-patched-${id}-${round}`, lines, BATCH));
      if (kcat) keep('kcat', await kcatProducer(bootstrap, `bench-kcat-${id}-${round}`, input, LINES));
      keepRun('string', await connectStandalone({ ...base, topic: `bench-string-${id}-${round}`, valueConverter: STRING }));
      keepRun('json', await connectStandalone({ ...base, topic: `bench-json-${id}-${round}`, valueConverter: JSON_CONVERTER, schemasEnable: true }));
    }
    const baseline = best.get('unpatched')!;
    const kcatRate = best.get('kcat');
    const vsKcat = (v: number) => (kcatRate ? (v / kcatRate).toFixed(2) : 'n/a');
    console.log(`\nFileStreamSource -> Kafka, ${fmt(LINES)} lines of ${LINE_BYTES} B (test broker, 4 partitions, acks=all), best of 2 alternating rounds\n`);
    console.log('| run | lines/s | vs unpatched kafkajs | vs kcat | lines/s incl. start-up | first record after process start | peak RSS |');
    console.log('|---|---|---|---|---|---|---|');
    const row = (name: string, v: number, rest = '- | - | -') => console.log(`| ${name} | ${fmt(v)} | ${(v / baseline).toFixed(2)} | ${vsKcat(v)} | ${rest} |`);
    row(`raw kafkajs ${'2.2.4'} producer, unpatched (baseline; batches of ${BATCH})`, baseline);
    row(`raw kafkajs producer with this project's patches (batches of ${BATCH})`, best.get('patched')!);
    if (kcatRate) row('kcat -P (librdkafka, whole process)', kcatRate);
    for (const [name, key] of [
      ['connect-standalone, StringConverter', 'string'],
      ['connect-standalone, JsonConverter (schemas.enable=true)', 'json'],
    ] as const) {
      const r = runs.get(key)!;
      row(name, r.steadyLinesPerSecond, `${fmt(r.linesPerSecond)} | ${r.firstRecordMs.toFixed(0)} ms | ${r.peakRssMb.toFixed(0)} MB`);
    }
    console.log('\nThe kafkajs baselines time only their sends (connected producer, lines in memory); connect-standalone is timed from its first record in Kafka to its last and reads the file too; kcat is timed as a whole process.');
  } finally {
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak RSS while moving BENCH_RSS_MB of 100 B lines through FileStreamSource + StringConverter. */
export async function fileSourceMemory(): Promise<void> {
  const lines = Math.round((RSS_MB * 1024 * 1024) / (LINE_BYTES + 1));
  const broker = await startBroker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-'));
  try {
    const input = path.join(dir, 'input.txt');
    const fd = fs.openSync(input, 'w');
    const chunk = makeLines(100000).join('\n') + '\n';
    for (let written = 0; written < lines; written += 100000) fs.writeSync(fd, written + 100000 <= lines ? chunk : chunk.split('\n').slice(0, lines - written).join('\n') + '\n');
    fs.closeSync(fd);
    const bootstrap = broker.bootstrapServers;
    const kafka = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
    const r = await connectStandalone({ kafka, bootstrap, dir, input, lines, topic: `bench-rss-${Date.now()}`, valueConverter: STRING });
    const size = fs.statSync(input).size;
    console.log(`\nFileStreamSource memory: ${fmt(lines)} lines (${(size / 1024 / 1024).toFixed(0)} MB) into the test broker, StringConverter\n`);
    console.log('| peak RSS after 25% | 50% | 75% | 100% | lines/s |');
    console.log('|---|---|---|---|---|');
    console.log(`| ${r.rssByQuarter.map((m) => `${m.toFixed(0)} MB`).join(' | ')} | ${fmt(r.steadyLinesPerSecond)} |`);
  } finally {
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
