/**
 * `connect-standalone offsets export|import`: KIP-875 offsets bodies offline, to move connectors
 * between this worker and Apache Kafka Connect (see README "Moving to and from Apache Kafka Connect").
 *
 *   offsets export <worker.properties> [<connector file> | <connector name>]
 *     One connector: prints the body a Kafka Connect cluster's PATCH /connectors/{name}/offsets
 *     accepts, {"offsets":[...]}. No connector: every connector in the offsets file, as
 *     {"<name>": {"offsets":[...]}, ...}. A sink's offsets are its consumer group's, read from Kafka:
 *     give its config file (a bare name is looked up in the offsets file, which holds sources only).
 *   offsets import [--from-kafka] <worker.properties> <connector file | connector name> [<body file> | -]
 *     Reads such a body (stdin when "-" or absent) and applies it as PATCH does: sources into the
 *     offsets file (atomically, refused while a worker holds the file's lock), sinks into the
 *     consumer group (refused by Kafka while the group has members). --from-kafka marks source
 *     offsets as Apache Kafka Connect's, for the connector to convert at its next start
 *     (FileStreamSource: Kafka's character positions become byte positions).
 */
import * as fs from 'fs';
import { ConnectError, OffsetMap } from '../api';
import { ConnectorOffsetsManager, successMessage } from '../runtime/herder/connector-offsets';
import { parseConnectorOffsetsBody, parseSourceOffsets, KAFKA_TOPIC_KEY } from '../runtime/herder/connector-offsets-body';
import { ConnectorOffsets } from '../runtime/herder/herder';
import { KafkaClientFactory, KafkajsClientFactory } from '../runtime/kafka/kafka-client-factory';
import { RuntimeLogger } from '../runtime/runtime-logger';
import { WorkerConfig } from '../runtime/worker-config';
import { FileOffsetBackingStore } from '../storage/file-offset-backing-store';
import { OffsetsFileLock } from '../storage/offsets-file-lock';
import { loadConfiguration } from './connect-standalone';
import { ExitCode } from './exit-code';

export const OFFSETS_USAGE =
  'connect-standalone offsets export <worker.properties> [connector.properties|.json | connector-name]\n' +
  '       connect-standalone offsets import [--from-kafka] <worker.properties> <connector.properties|.json | connector-name> [offsets.json | -]';

export interface OffsetsArgs {
  action: 'export' | 'import';
  worker: string;
  connector: string | null;
  /** import: the body's file; '-' is stdin. */
  input: string;
  fromKafka: boolean;
}

/** A command line that is not one of the two forms. */
export class OffsetsUsageError extends ConnectError {}

/** `argv` after `offsets`; null for --help. */
export function parseOffsetsArgs(argv: readonly string[]): OffsetsArgs | null {
  if (argv.includes('--help') || argv.includes('-h')) return null;
  const [action, ...rest] = argv;
  if (action !== 'export' && action !== 'import') throw new OffsetsUsageError(action === undefined ? 'offsets: say export or import' : `offsets: unknown action "${action}" (export or import)`);
  const fromKafka = rest.includes('--from-kafka');
  const unknown = rest.find((a) => a.startsWith('--') && a !== '--from-kafka');
  if (unknown !== undefined) throw new OffsetsUsageError(`offsets ${action}: unknown option ${unknown}`);
  if (fromKafka && action === 'export') throw new OffsetsUsageError('offsets export: --from-kafka applies to import only');
  const positionals = rest.filter((a) => a !== '--from-kafka');
  const max = action === 'export' ? 2 : 3;
  if (positionals.length === 0) throw new OffsetsUsageError(`offsets ${action}: the worker config file is missing`);
  if (positionals.length > max) throw new OffsetsUsageError(`offsets ${action}: too many arguments (${positionals.slice(max).join(' ')})`);
  if (action === 'import' && positionals.length < 2) throw new OffsetsUsageError('offsets import: name the connector (its config file or its name)');
  return { action, worker: positionals[0], connector: positionals[1] ?? null, input: positionals[2] ?? '-', fromKafka };
}

export interface OffsetsCommandIo {
  logger: RuntimeLogger;
  stdout: { write(text: string): unknown };
  readStdin: () => Promise<string>;
  /** Injected for tests; defaults to the kafkajs clients. */
  clientFactory?: (config: WorkerConfig, logger: RuntimeLogger) => KafkaClientFactory;
}

/** Runs one offsets command; resolves the exit code. Errors reject (the caller reports them). */
export async function runOffsetsCommand(args: OffsetsArgs, io: OffsetsCommandIo): Promise<number> {
  const connectorFile = args.connector !== null && isFile(args.connector) ? args.connector : null;
  const { config, connectors } = loadConfiguration(args.worker, connectorFile === null ? [] : [connectorFile], io.logger);
  const spec = connectors[0] ?? null;
  const name = spec?.name ?? args.connector;
  const offsetsFile = config.getString('offset.storage.file.filename') as string;
  const store = new FileOffsetBackingStore(offsetsFile, { logger: io.logger });
  const clients = (): KafkaClientFactory => (io.clientFactory ?? ((c, l) => new KafkajsClientFactory(c, l)))(config, io.logger);
  const manager = (c: KafkaClientFactory | null) => new ConnectorOffsetsManager({ offsetStore: store, clients: c ?? ({} as KafkaClientFactory), config, logger: io.logger });

  if (args.action === 'export') {
    const sink = spec?.plugin.kind === 'sink';
    if (!sink) await store.start(); // read only: the file is replaced atomically, so a running worker's file reads whole
    let out: unknown;
    if (spec !== null) out = await manager(sink ? clients() : null).get(spec);
    else if (name !== null) out = sourceOffsets(store, name);
    else out = Object.fromEntries(store.connectorNames().map((n) => [n, sourceOffsets(store, n)]));
    if (name !== null && (out as ConnectorOffsets).offsets.length === 0) {
      const where = sink ? `in its consumer group` : `in ${offsetsFile}${spec === null ? " (a sink's offsets are in Kafka: give its config file)" : ''}`;
      io.logger.warn(`No offsets found for connector ${name} ${where}: Apache Kafka Connect refuses an empty PATCH body`);
    }
    io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return ExitCode.OK;
  }

  const body = parseConnectorOffsetsBody(parseBody(args.input === '-' ? await io.readStdin() : readInput(args.input), args.input));
  if (spec?.plugin.kind === 'sink') {
    io.stdout.write(`${await manager(clients()).alter(spec, body)}\n`);
    return ExitCode.OK;
  }
  if (spec === null && body.offsets.some((o) => o.partition !== null && KAFKA_TOPIC_KEY in o.partition)) {
    throw new ConnectError(`The offsets look like a sink connector's (${KAFKA_TOPIC_KEY}); give the sink's config file instead of its name, so that its consumer group in Kafka can be changed`);
  }
  const lock = new OffsetsFileLock(offsetsFile, { logger: io.logger });
  await lock.acquire();
  try {
    await store.start();
    const message = spec !== null ? await manager(null).alter(spec, body, { fromKafka: args.fromKafka }) : await writeByName(store, name as string, body, args.fromKafka);
    await store.stop();
    io.stdout.write(`${message}\n`);
    return ExitCode.OK;
  } finally {
    await lock.release();
  }
}

function sourceOffsets(store: FileOffsetBackingStore, name: string): ConnectorOffsets {
  return { offsets: store.connectorPartitions(name).map((partition) => ({ partition: { ...partition }, offset: { ...(store.get(name, partition) as OffsetMap) } })) };
}

/** A source connector known only by name: no alterOffsets hook to ask, so Kafka's framework-managed message. */
async function writeByName(store: FileOffsetBackingStore, name: string, body: ConnectorOffsets, fromKafka: boolean): Promise<string> {
  const changes = parseSourceOffsets(body);
  await store.set(changes.map(({ partition, offset }) => ({ connector: name, partition, offset, ...(fromKafka && offset !== null && { importedFromKafka: true as const }) })));
  return successMessage(false, false);
}

function isFile(arg: string): boolean {
  try {
    return fs.statSync(arg).isFile();
  } catch {
    return false;
  }
}

function readInput(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConnectError(`Cannot read offsets file to import ${file}: ${(err as Error).message}`, { cause: err });
  }
}

function parseBody(text: string, from: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConnectError(`The offsets to import (${from === '-' ? 'standard input' : from}) are not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads all of stdin as UTF-8. */
export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
