/**
 * FileStreamSink throughput: BENCH_SINK_LINES records of BENCH_LINE_BYTES (default 500,000 × 100 B)
 * in a topic, written as lines to a file by connect-standalone (FileStreamSink, StringConverter
 * values), next to a baseline in the same run that does the same job by hand: a raw kafkajs consumer
 * (group, eachBatch, the CLI's consumer defaults) writing each value and '\n' to an fs write stream,
 * waiting only when the stream asks to (backpressure), committing offsets every 10 s as the CLI does.
 *
 * Both are timed from the first line in the file to the last (so neither side's consumer group join
 * counts: about 3 s on the mock broker), and also from the start (baseline: subscribe; CLI: process
 * start) for reference. The file is polled for its size (each line has the same length), so the
 * baseline is timed by itself to keep the polling off its event loop. Best of BENCH_SINK_ROUNDS (3)
 * alternating runs, so that a noisy neighbour does not favour one side. Each output file is then
 * checked: every record's line exactly once.
 *
 * The topic has 32 partitions because the mock broker keeps only about the last 5 MB of a
 * partition; the bench checks that every partition still starts at offset 0 before reading.
 *
 * Figures are printed, never asserted. BENCH_CPU_PROF=<dir> writes a .cpuprofile of each
 * connect-standalone run there (and baseline-<pid>.cpuprofile of each baseline run). BENCH_SINK_OTHER_ROOT=<checkout> also runs the CLI built in another
 * checkout (e.g. an earlier commit) in the same alternation, for before/after figures.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../test/harness/broker';
import { startCli } from './cli-process';

const LINES = Number(process.env.BENCH_SINK_LINES ?? 500000);
const LINE_BYTES = Number(process.env.BENCH_LINE_BYTES ?? 100);
const ROUNDS = Number(process.env.BENCH_SINK_ROUNDS ?? 3);
const PARTITIONS = 32;
const STALL_MS = 60_000;
const NEWLINE = Buffer.from('\n');
const COMMIT_INTERVAL_MS = 10000;
const BASELINE_FLAG = '--file-sink-baseline';

/** The CLI's consumer defaults (src/runtime/kafka/client-config.ts) where kafkajs's differ. */
const CLI_CONSUMER_DEFAULTS = {
  sessionTimeout: 45000,
  heartbeatInterval: 3000,
  rebalanceTimeout: 300000,
  minBytes: 1,
  maxBytes: 52428800,
  maxBytesPerPartition: 1048576,
  maxWaitTimeInMs: 500,
};

function findRoot(dir: string): string {
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const ROOT = findRoot(__dirname);
const OTHER_ROOT = process.env.BENCH_SINK_OTHER_ROOT || null;

function line(i: number): string {
  return `${i} ${'x'.repeat(LINE_BYTES)}`.slice(0, LINE_BYTES);
}

/**
 * Fills the topic with kcat (round robin over the partitions), so the bench does not depend on the
 * producer path under test.
 */
async function produceTopic(kafka: Kafka, bootstrap: string, topic: string): Promise<void> {
  for (let p = 0; p < PARTITIONS; p++) {
    const lines: string[] = [];
    for (let i = p; i < LINES; i += PARTITIONS) lines.push(line(i));
    const r = spawnSync('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', String(p), '-X', 'linger.ms=5'], {
      input: lines.join('\n') + '\n',
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    if (r.error || r.status !== 0) throw new Error(`kcat -P (needed to fill the topic) failed: ${r.error?.message ?? r.stderr.toString()}`);
  }
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const trimmed = offsets.filter((p) => p.low !== '0');
    if (trimmed.length) throw new Error(`the broker trimmed ${trimmed.length} partitions of ${topic} (log start above 0): use fewer or shorter lines`);
    const total = offsets.reduce((sum, p) => sum + Number(p.high), 0);
    if (total !== LINES) throw new Error(`${topic} holds ${total} records, expected ${LINES}`);
  } finally {
    await admin.disconnect();
  }
}

/** Every record's line exactly once (the order across partitions is free). */
function checkOutput(file: string): void {
  const text = fs.readFileSync(file, 'utf8');
  const seen = new Uint8Array(LINES);
  let count = 0;
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) {
    const l = text.slice(start, end);
    const i = Number(l.slice(0, l.indexOf(' ')));
    if (!(i >= 0 && i < LINES) || l !== line(i) || seen[i]) throw new Error(`${file}: unexpected or repeated line ${count + 1}: ${l.slice(0, 40)}`);
    seen[i] = 1;
    count++;
  }
  if (count !== LINES || start !== text.length) throw new Error(`${file}: ${count} lines, expected ${LINES}`);
}

interface Result {
  /** Lines per second from the first line in the file to the last. */
  steady: number;
  /** Lines per second from process start to the last line. */
  overall: number;
  peakRssMb: number;
  /** CPU time (user + system, all threads) of the process from the first line to the last, per line. */
  cpuUsPerLine: number;
}

/** CPU time (user + system) a process has used so far, in µs, from /proc (10 ms ticks). */
function processCpuUs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10000; // utime, stime (fields 14 and 15)
}

/**
 * The baseline, in a process of its own (so its peak RSS can be compared): a raw kafkajs eachBatch
 * consumer writing value + '\n' per record to a write stream. Prints the monotonic clock (shared by
 * processes) at the first line written and at the last.
 */
async function rawBaselineProcess(bootstrap: string, topic: string, file: string, group: string): Promise<void> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
  const out = fs.createWriteStream(file);
  const consumer = kafka.consumer({ groupId: group, allowAutoTopicCreation: false, ...CLI_CONSUMER_DEFAULTS });
  await consumer.connect();
  try {
    let written = 0;
    let first = 0n;
    let last = 0n;
    let [firstCpu, lastCpu] = [0, 0];
    const cpuUs = (): number => processCpuUs(process.pid);
    let done: (err?: unknown) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      done = (err) => (err === undefined ? resolve() : reject(err));
    });
    await consumer.subscribe({ topic, fromBeginning: true });
    // Commits every 10 s like the CLI (offset.flush.interval.ms below), not after every batch (kafkajs's default).
    await consumer.run({
      autoCommitInterval: COMMIT_INTERVAL_MS,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        try {
          let ok = true;
          for (const m of batch.messages) {
            out.write(m.value as Buffer);
            ok = out.write(NEWLINE);
          }
          if (first === 0n) [first, firstCpu] = [process.hrtime.bigint(), cpuUs()];
          written += batch.messages.length;
          if (written >= LINES) {
            // The last line counts once the OS has it, as the CLI's does (polled by file size).
            await new Promise<void>((resolve, reject) => out.write('', (err) => (err ? reject(err) : resolve())));
            [last, lastCpu] = [process.hrtime.bigint(), cpuUs()];
            done();
          } else if (!ok) {
            await new Promise<void>((r) => out.once('drain', () => r()));
          }
          resolveOffset(batch.messages[batch.messages.length - 1].offset);
          await heartbeat();
        } catch (err) {
          done(err);
          throw err;
        }
      },
    });
    await finished;
    process.stdout.write(JSON.stringify({ first: String(first), last: String(last), cpuUs: lastCpu - firstCpu }) + '\n');
  } finally {
    await consumer.disconnect();
    await new Promise<void>((r) => out.end(() => r()));
  }
}

/** Peak RSS (VmHWM) of a child process, sampled from /proc while it runs. */
function rssSampler(pid: number): { stop(): number } {
  let peakKb = 0;
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      /* process gone */
    }
  };
  const timer = setInterval(sample, 50);
  return {
    stop: () => {
      sample();
      clearInterval(timer);
      return peakKb / 1024;
    },
  };
}

async function rawBaseline(bootstrap: string, topic: string, file: string, group: string): Promise<Result> {
  const started = process.hrtime.bigint();
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, `--cpu-prof-name=baseline-${Date.now()}.cpuprofile`] : [];
  const proc = spawn(process.execPath, [...profile, __filename, BASELINE_FLAG, bootstrap, topic, file, group], { stdio: ['ignore', 'pipe', 'inherit'] });
  const rss = rssSampler(proc.pid!);
  let output = '';
  proc.stdout.on('data', (d: Buffer) => (output += d.toString()));
  const timeout = setTimeout(() => proc.kill('SIGKILL'), STALL_MS * 5);
  const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
  clearTimeout(timeout);
  const peakRssMb = rss.stop();
  if (code !== 0) throw new Error(`the baseline process exited with ${code}`);
  const { first, last, cpuUs } = JSON.parse(output) as { first: string; last: string; cpuUs: number };
  return { steady: LINES / (Number(BigInt(last) - BigInt(first)) / 1e9), overall: LINES / (Number(BigInt(last) - started) / 1e9), peakRssMb, cpuUsPerLine: cpuUs / LINES };
}

/** connect-standalone with FileStreamSink; done when the file holds every line (polled by size). */
async function cliRun(root: string, bootstrap: string, dir: string, topic: string, file: string, name: string): Promise<Result> {
  const worker = path.join(dir, `${name}-worker.properties`);
  const conn = path.join(dir, `${name}-sink.properties`);
  fs.writeFileSync(
    worker,
    [
      `bootstrap.servers=${bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.storage.StringConverter',
      `offset.storage.file.filename=${path.join(dir, `${name}.offsets`)}`,
      `offset.flush.interval.ms=${COMMIT_INTERVAL_MS}`,
    ].join('\n'),
  );
  fs.writeFileSync(conn, [`name=${name}`, 'connector.class=FileStreamSink', `file=${file}`, `topics=${topic}`].join('\n'));
  const size = LINES * (LINE_BYTES + 1);
  const started = process.hrtime.bigint();
  const cli = startCli(root, [worker, conn]);
  try {
    let first = 0n;
    let firstCpu = 0;
    let seen = -1;
    let progressAt = Date.now();
    for (;;) {
      const n = fs.existsSync(file) ? fs.statSync(file).size : 0;
      if (n > 0 && first === 0n) [first, firstCpu] = [process.hrtime.bigint(), processCpuUs(cli.proc.pid!)];
      if (n >= size) {
        const last = process.hrtime.bigint();
        const cpuUsPerLine = (processCpuUs(cli.proc.pid!) - firstCpu) / LINES;
        return { steady: LINES / (Number(last - first) / 1e9), overall: LINES / (Number(last - started) / 1e9), peakRssMb: cli.peakRssMb(), cpuUsPerLine };
      }
      if (n !== seen) [seen, progressAt] = [n, Date.now()];
      else if (Date.now() - progressAt > STALL_MS) throw new Error(`${file}: stuck at ${n} of ${size} bytes for ${STALL_MS / 1000} s (see the worker's log above)`);
      if (cli.proc.exitCode !== null) throw new Error(`connect-standalone exited early with ${cli.proc.exitCode}`);
      await new Promise((r) => setTimeout(r, first === 0n ? 2 : 10));
    }
  } finally {
    await cli.stop();
  }
}

export async function fileSink(): Promise<void> {
  const broker = await startBroker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-file-sink-'));
  try {
    const kafka = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
    const run = Date.now();
    const topic = `bench-file-sink-${run}`;
    await broker.createTopic(topic, PARTITIONS);
    await produceTopic(kafka, broker.bootstrapServers, topic);
    const raws: Result[] = [];
    const clis: Result[] = [];
    const others: Result[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const files: string[] = [];
      const file = (side: string): string => {
        files.push(path.join(dir, `${side}-${round}.txt`));
        return files[files.length - 1];
      };
      const sides = [
        async () => raws.push(await rawBaseline(broker.bootstrapServers, topic, file('raw'), `bench-raw-${run}-${round}`)),
        async () => clis.push(await cliRun(ROOT, broker.bootstrapServers, dir, topic, file('cli'), `bench-file-sink-${run}-${round}`)),
      ];
      if (OTHER_ROOT) sides.push(async () => others.push(await cliRun(OTHER_ROOT, broker.bootstrapServers, dir, topic, file('other'), `bench-file-sink-other-${run}-${round}`)));
      // Rotate which side goes first, too.
      for (let i = 0; i < sides.length; i++) await sides[(i + round) % sides.length]();
      for (const f of files) {
        checkOutput(f);
        fs.rmSync(f);
      }
    }
    const best = (rs: Result[], k: 'steady' | 'overall'): number => Math.max(...rs.map((r) => r[k]));
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const raw = { steady: best(raws, 'steady'), overall: best(raws, 'overall'), cpu: median(raws.map((r) => r.cpuUsPerLine)) };
    const row = (name: string, rs: Result[]): string => {
      const [steady, overall, cpu] = [best(rs, 'steady'), best(rs, 'overall'), median(rs.map((r) => r.cpuUsPerLine))];
      return (
        `| ${name} | ${fmt(steady)} | ${(steady / raw.steady).toFixed(2)} | ${fmt(overall)} | ${(overall / raw.overall).toFixed(2)} | ` +
        `${cpu.toFixed(2)} µs | ${(raw.cpu / cpu).toFixed(2)} | ${Math.max(...rs.map((c) => c.peakRssMb)).toFixed(0)} MB |`
      );
    };
    console.log(
      `\nFileStreamSink: Kafka -> file, ${fmt(LINES)} lines of ${LINE_BYTES} B in ${PARTITIONS} partitions (mock broker), StringConverter, best of ${ROUNDS} alternating runs (CPU: median)\n`,
    );
    console.log('| run | lines/s (first line to last) | vs raw | lines/s from process start (incl. group join) | vs raw | CPU per line | vs raw (raw CPU / CPU) | peak RSS |');
    console.log('|---|---|---|---|---|---|---|---|');
    console.log(row('raw kafkajs eachBatch consumer + fs write stream (baseline)', raws));
    console.log(row('connect-standalone, FileStreamSink', clis));
    if (OTHER_ROOT) console.log(row(`connect-standalone at ${OTHER_ROOT}`, others));
    const each = (rs: Result[]) => rs.map((r) => fmt(r.steady)).join(', ');
    console.log(`\nEach run (lines/s, first line to last): raw ${each(raws)}; CLI ${each(clis)}${OTHER_ROOT ? `; other CLI ${each(others)}` : ''}.`);
    console.log(
      'The baseline writes each value and a newline to an fs write stream and commits every 10 s (kafkajs autoCommitInterval); the CLI adds the runtime, ' +
        'StringConverter, the sink task and offset commits every 10 s after an fsync. Target: >= 0.8 of the baseline.',
    );
  } finally {
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module && process.argv[2] === BASELINE_FLAG) {
  const [bootstrap, topic, file, group] = process.argv.slice(3);
  rawBaselineProcess(bootstrap, topic, file, group).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
