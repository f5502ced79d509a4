/**
 * The baselines the source bench measures connect-standalone against, in the same run: an unpatched
 * kafkajs 2.2.4 (installed from the npm registry or cache into a temp dir at run time, so the
 * project's patched copy cannot leak into it) and kcat.
 */
import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const BASELINE_KAFKAJS_VERSION = '2.2.4';

/** The subset of kafkajs's API the baselines use (typed here so either copy fits). */
export interface KafkajsModule {
  Kafka: new (config: { brokers: string[]; logLevel?: number }) => {
    producer(config?: Record<string, unknown>): {
      connect(): Promise<void>;
      disconnect(): Promise<void>;
      send(args: { topic: string; acks: number; messages: Array<{ value: string | Buffer }> }): Promise<unknown>;
    };
  };
  logLevel: { NOTHING: number };
}

/**
 * An unpatched kafkajs: `npm install` of the released package into a directory of its own (reused
 * by later runs), checked to still carry the code the project's patches replace.
 */
export function unpatchedKafkajs(): KafkajsModule {
  const dir = path.join(os.tmpdir(), `connect-standalone-bench-kafkajs-${BASELINE_KAFKAJS_VERSION}`);
  const pkg = path.join(dir, 'node_modules', 'kafkajs');
  if (!fs.existsSync(path.join(pkg, 'package.json'))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', `kafkajs@${BASELINE_KAFKAJS_VERSION}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const grouping = fs.readFileSync(path.join(pkg, 'src', 'producer', 'groupMessagesPerPartition.js'), 'utf8');
  if (!grouping.includes('[...current, message]')) throw new Error(`${pkg} is not the released kafkajs ${BASELINE_KAFKAJS_VERSION}: its producer code was changed`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(pkg) as KafkajsModule;
}

/** Lines per second of a kafkajs producer sending these lines in batches, acks=all, timed from its first send. */
export async function kafkajsProducer(kafkajs: KafkajsModule, bootstrap: string, topic: string, lines: readonly string[], batch: number): Promise<number> {
  const kafka = new kafkajs.Kafka({ brokers: bootstrap.split(','), logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();
  const started = process.hrtime.bigint();
  for (let i = 0; i < lines.length; i += batch) {
    await producer.send({ topic, acks: -1, messages: lines.slice(i, i + batch).map((value) => ({ value })) });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return lines.length / seconds;
}

/** True when kcat is on the PATH. */
export function hasKcat(): boolean {
  try {
    execFileSync('kcat', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Lines per second of `kcat -P` producing a file's lines (one message per line, acks=all), timed
 * from spawn to exit (kcat flushes everything before it exits).
 */
export async function kcatProducer(bootstrap: string, topic: string, file: string, lines: number): Promise<number> {
  const started = process.hrtime.bigint();
  const proc = spawn('kcat', ['-P', '-b', bootstrap, '-t', topic, '-X', 'acks=all', '-X', 'log_level=3'], { stdio: ['pipe', 'ignore', 'inherit'] });
  fs.createReadStream(file).pipe(proc.stdin!);
  const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
  if (code !== 0) throw new Error(`kcat exited with ${code}`);
  return lines / (Number(process.hrtime.bigint() - started) / 1e9);
}
