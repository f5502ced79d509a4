/**
 * Start-up: time from process start to the first record in Kafka (BENCH_ONLY=startup).
 *
 * Each run spawns a process and polls the topic's end offsets until the first record is there. The
 * runs, alternating round by round so a noisy neighbour does not favour one of them:
 * - `node -e 0`: Node's own start and exit (timed to exit);
 * - the baseline: a plain node script that requires the project's kafkajs and produces one record,
 *   and the same script with the released kafkajs (unpatched: what the start-up hunks save);
 * - connect-standalone (the compiled CLI through bin/) with a FileStreamSource of a few lines and
 *   StringConverter, with its REST server on (a free loopback port, as the default listener) and
 *   with --no-rest, both with the code cache of earlier runs (bin/connect-standalone), and once more
 *   with REST on and an empty code cache, as the first run after an install.
 * Reported as median, min and max of BENCH_STARTUP_RUNS (default 7), in ms and as a ratio to the
 * baseline's median. Runs are made without NODE_EXTRA_CA_CERTS; where it is set, node -e 0 and the
 * CLI are also timed with it, to show what that setting costs any Node process. BENCH_CPU_PROF=<dir> makes the CLI runs write V8 CPU profiles there.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../test/harness/broker';
import { BASELINE_KAFKAJS_VERSION, unpatchedKafkajs } from './baselines';
import { ROOT } from './file-source';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 7);
const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const GIVE_UP_MS = 30_000;

/** A loopback port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The baseline: what any Node program producing to Kafka with kafkajs pays before its first record. */
function baselineScript(dir: string, kafkajs: string, name: string): string {
  const file = path.join(dir, `${name}.js`);
  fs.writeFileSync(
    file,
    [
      "'use strict';",
      `const { Kafka, logLevel } = require(${JSON.stringify(kafkajs)});`,
      'const [bootstrap, topic] = process.argv.slice(2);',
      "const producer = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING }).producer();",
      "producer.connect().then(() => producer.send({ topic, acks: -1, messages: [{ value: 'first' }] })).then(() => producer.disconnect());",
    ].join('\n'),
  );
  return file;
}

/** Milliseconds from spawning `args` until the topic has a record (or, without a topic, until exit). */
async function timeRun(admin: ReturnType<Kafka['admin']>, args: string[], topic: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const started = process.hrtime.bigint();
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  try {
    if (!topic) {
      await exited;
      return Number(process.hrtime.bigint() - started) / 1e6;
    }
    for (;;) {
      const offsets = await admin.fetchTopicOffsets(topic);
      if (offsets.some((p) => Number(p.high) > 0)) return Number(process.hrtime.bigint() - started) / 1e6;
      if (proc.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${proc.exitCode} before its first record: ${stderr}`);
      if (Number(process.hrtime.bigint() - started) / 1e6 > GIVE_UP_MS) throw new Error(`no record in ${topic} after ${GIVE_UP_MS} ms: ${stderr}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  } finally {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      await exited;
    }
  }
}

interface Stats {
  median: number;
  min: number;
  max: number;
}

function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
}

export async function startup(): Promise<void> {
  const broker = await startBroker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-startup-'));
  const kafka = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const input = path.join(dir, 'input.txt');
    fs.writeFileSync(input, 'first line\nsecond line\nthird line\n');
    const bin = path.join(ROOT, 'bin', 'connect-standalone');
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const baseline = baselineScript(dir, require.resolve('kafkajs', { paths: [ROOT] }), 'kafkajs-one-record');
    unpatchedKafkajs(); // installs the released kafkajs (see baselines.ts) if this machine has none yet
    const released = baselineScript(dir, path.join(os.tmpdir(), `connect-standalone-bench-kafkajs-${BASELINE_KAFKAJS_VERSION}`, 'node_modules', 'kafkajs'), 'released-kafkajs-one-record');
    const id = Date.now();
    let n = 0;
    /** Worker and connector files for a fresh topic (pre-created: every run finds its topic there). */
    const cliArgs = async (topic: string, rest: boolean): Promise<string[]> => {
      const worker = path.join(dir, `${topic}-worker.properties`);
      const source = path.join(dir, `${topic}-source.properties`);
      const listeners = rest ? `listeners=http://127.0.0.1:${await freePort()}` : '';
      fs.writeFileSync(worker, [`bootstrap.servers=${broker.bootstrapServers}`, `key.converter=${STRING}`, `value.converter=${STRING}`, `offset.storage.file.filename=${path.join(dir, `${topic}.offsets`)}`, listeners].join('\n'));
      fs.writeFileSync(source, [`name=${topic}`, 'connector.class=FileStreamSource', `file=${input}`, `topic=${topic}`].join('\n'));
      return [...profile, bin, '--log-level', 'warn', ...(rest ? [] : ['--no-rest']), worker, source];
    };
    // NODE_EXTRA_CA_CERTS makes Node read and parse that file at every start, whatever the program
    // (here it names the system CA bundle and costs node -e 0 about 50 ms). It is this machine's
    // setting, not the program's: the runs are made without it, and node -e 0 and the CLI also with
    // it, so that its cost is shown rather than hidden.
    const extraCa = process.env.NODE_EXTRA_CA_CERTS;
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const kinds: Record<string, (topic: string) => Promise<number>> = {
      'node -e 0 (Node start and exit)': async () => timeRun(admin, ['-e', '0'], undefined, env),
      'node script: require kafkajs, produce one record (baseline)': async (topic: string) => timeRun(admin, [baseline, broker.bootstrapServers, topic], topic, env),
      [`same script, released kafkajs ${BASELINE_KAFKAJS_VERSION} (without this project's patches)`]: async (topic: string) =>
        timeRun(admin, [released, broker.bootstrapServers, topic], topic, env),
      'connect-standalone, FileStreamSource + StringConverter, REST on': async (topic: string) => timeRun(admin, await cliArgs(topic, true), topic, env),
      'connect-standalone, same, --no-rest': async (topic: string) => timeRun(admin, await cliArgs(topic, false), topic, env),
      // The first run after an install or a build: the compiled-code cache is empty (a new directory each run).
      'connect-standalone, REST on, first run (empty code cache)': async (topic: string) =>
        timeRun(admin, await cliArgs(topic, true), topic, { ...env, NODE_COMPILE_CACHE: fs.mkdtempSync(path.join(dir, 'code-cache-')) }),
    };
    if (extraCa) {
      kinds[`node -e 0, with this machine's NODE_EXTRA_CA_CERTS=${extraCa}`] = async () => timeRun(admin, ['-e', '0'], undefined);
      kinds["connect-standalone, REST on, with this machine's NODE_EXTRA_CA_CERTS"] = async (topic: string) => timeRun(admin, await cliArgs(topic, true), topic);
    }
    const times = new Map<string, number[]>(Object.keys(kinds).map((k) => [k, []]));
    // One unmeasured round first: the first spawn reads the files from disk.
    for (let round = -1; round < RUNS; round++) {
      for (const [name, run] of Object.entries(kinds)) {
        const topic = `bench-startup-${id}-${n++}`;
        await broker.createTopic(topic, 1);
        const ms = await run(topic);
        if (round >= 0) times.get(name)!.push(ms);
      }
    }
    const base = stats(times.get('node script: require kafkajs, produce one record (baseline)')!).median;
    console.log(`\nStart-up: process start to the first record in Kafka (Node ${process.versions.node}), ${RUNS} runs each, alternating\n`);
    console.log('| run | median | min | max | median vs baseline |');
    console.log('|---|---|---|---|---|');
    for (const [name, values] of times) {
      const s = stats(values);
      console.log(`| ${name} | ${s.median.toFixed(0)} ms | ${s.min.toFixed(0)} ms | ${s.max.toFixed(0)} ms | ${(s.median / base).toFixed(2)} |`);
    }
    console.log('\nnode -e 0 is timed to its exit; every other run until the topic has its first record (end offsets polled).');
    if (extraCa) console.log('Runs are made without NODE_EXTRA_CA_CERTS except the two rows that name it: Node reads that file at every start.');
  } finally {
    await admin.disconnect();
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
