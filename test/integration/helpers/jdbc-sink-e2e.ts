import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { committedOffset } from './jdbc-sink';
import { eventually, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './worker-process';

/**
 * What the PostgreSQL and MariaDB sink end-to-end tests share: a worker running one or more sink
 * connector files, waiting for a connector's group to commit a topic's end, and reading a dead
 * letter queue with its headers (kafkajs: kcat's header output cannot carry commas). Envelopes,
 * producing and committed offsets come from ./jdbc-sink, re-exported here.
 */

export { committedOffset, envelope, produceValues, structSchema as struct } from './jdbc-sink';
export type { JsonField as WireField } from './jdbc-sink';

/** A task failing for good, as the runtime logs it. */
export const TASK_FAILED = /Task threw an uncaught and unrecoverable exception|is being killed and will not recover/;

export interface SinkRun {
  /** Starts a worker with the worker file and every connector file. */
  start(): WorkerProcess;
  readonly workerFile: string;
  readonly connectorFiles: readonly string[];
}

/** Writes the worker file (test settings plus `worker`) and one file per connector config, named after it. */
export function sinkRun(
  file: (name: string) => string,
  bootstrap: string,
  runName: string,
  connectors: ReadonlyArray<Record<string, string | number>>,
  worker: Record<string, string | number> = {},
): SinkRun {
  const workerFile = writeProperties(file(`${runName}-worker.properties`), testWorkerProps(bootstrap, file(`${runName}.offsets`), worker));
  const connectorFiles = connectors.map((c) => writeProperties(file(`${c.name}-sink.properties`), c));
  return { workerFile, connectorFiles, start: () => startWorker([workerFile, ...connectorFiles]) };
}

/**
 * Waits until connector `name` committed offset `end` on partition 0 of `topic`; fails at once when a
 * task failed (unless `allowFailure`), with the worker's log tail.
 */
export async function awaitCommitted(w: WorkerProcess, bootstrap: string, name: string, topic: string, end: number, timeoutMs = 90_000): Promise<void> {
  let committed = -1;
  await eventually(async () => {
    if (TASK_FAILED.test(w.stderr())) throw new Error(`a task failed:\n${w.stderr().slice(-4000)}`);
    committed = await committedOffset(bootstrap, name, topic);
    return committed === end;
  }, timeoutMs, () => `connector ${name} committed ${committed} of ${end} on ${topic}; stderr:\n${w.stderr().slice(-3000)}`);
}

/** Stops the worker with SIGTERM and returns its exit code, printing its log tail when it is not 0. */
export async function stopWorker(w: WorkerProcess): Promise<number | null> {
  const code = await w.stop();
  if (code !== 0) process.stderr.write(`worker stderr tail:\n${w.stderr().slice(-4000)}\n`);
  return code;
}

/** Reads `count` messages of `topic` from the beginning with a fresh consumer group. */
export async function consumeAll(bootstrap: string, topic: string, count: number, timeoutMs = 60_000): Promise<KafkaMessage[]> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Date.now().toString(36)}`, sessionTimeout: 6000, heartbeatInterval: 2000 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
    await eventually(() => messages.length >= count, timeoutMs, () => `${messages.length} of ${count} messages read from ${topic}`);
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** A header's value as text, undefined when absent. */
export function header(m: KafkaMessage, key: string): string | undefined {
  const v = m.headers?.[key];
  return v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

/** JsonConverter's payload for a Decimal: the unscaled value as big-endian two's complement bytes, in base64. */
export function decimalBase64(unscaled: bigint): string {
  let hex = (unscaled < 0n ? (1n << 64n) + unscaled : unscaled).toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if (unscaled >= 0n && bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  if (unscaled < 0n) while (bytes.length > 1 && bytes[0] === 0xff && bytes[1] & 0x80) bytes = bytes.subarray(1);
  return bytes.toString('base64');
}

/** Days since the epoch (Connect's Date) and milliseconds of the day (Connect's Time), from UTC parts. */
export const epochDays = (iso: string): number => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
export const msOfDay = (hhmmss: string): number => Date.parse(`1970-01-01T${hhmmss}Z`);
