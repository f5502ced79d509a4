import { ConfigError, ConnectError } from '../api';
import { connectorClientOverrides, warnIneffectiveClientOverrides } from '../runtime/client-overrides';
import { checkUniqueNames, validateConnector, ValidatedConnector } from '../runtime/connector-validation';
import { createDeadLetterQueueReporter } from '../runtime/errors/dead-letter-queue-reporter';
import { KafkaClientFactory, KafkajsClientFactory } from '../runtime/kafka/kafka-client-factory';
import { warnUnsupportedClientKeys } from '../runtime/kafka/client-config';
import { knownWorkerKey } from '../runtime/known-worker-keys';
import { PluginRegistry } from '../runtime/plugins';
import { RuntimeLogger } from '../runtime/runtime-logger';
import { Worker } from '../runtime/worker';
import { RetryAborted } from '../runtime/retry';
import { parseWorkerConfig, WorkerConfig } from '../runtime/worker-config';
import { FileOffsetBackingStore } from '../storage/file-offset-backing-store';
import { OffsetsFileLock } from '../storage/offsets-file-lock';
import { builtinPlugins } from './builtin-plugins';
import { loadConfigFile } from './config-files';
import { createConfigProviders, hideResolvedInError, hideResolvedValues, resolveConfigVariables, ResolvedConfig } from './config-providers';
import { loadPluginPath } from './plugin-path';

/** Process exit codes, documented in the README. */
export const ExitCode = {
  OK: 0,
  /** Bad configuration, unreadable files, Kafka unreachable at start-up, or a connector failed to start. */
  ERROR: 1,
  /** Bad command-line usage. */
  USAGE: 2,
  /** Shut down on a signal, but one or more tasks had failed or did not stop in time. */
  TASKS_FAILED: 3,
} as const;

/** Why the worker should stop. */
export interface ShutdownRequest {
  /** For the log, e.g. "Received SIGTERM". */
  reason: string;
  /**
   * The reader of stdout went away (EPIPE, e.g. `| head`): the sink tasks that failed writing to it
   * stopped because their output ended, which is not counted as a task failure in the exit code.
   */
  stdoutClosed?: boolean;
}

export interface StandaloneOptions {
  workerFile: string;
  connectorFiles: string[];
  logger: RuntimeLogger;
  /** Resolves when the process should shut down (a signal, or stdout closed by its reader). */
  shutdownRequested: Promise<ShutdownRequest>;
  /** Injected for tests; defaults to the kafkajs clients. */
  clientFactory?: (config: WorkerConfig, logger: RuntimeLogger) => KafkaClientFactory;
}

/** Tags a config error with the file it came from, keeping Kafka's wording of the error itself. */
function inFile<T>(file: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConfigError && !err.message.includes(file)) {
      throw new ConfigError(`${what} ${file}: ${err.message}`, { cause: err });
    }
    throw err;
  }
}

/**
 * Loads and validates everything before anything starts, so bad input changes nothing on disk.
 * Config provider variables are resolved first; the `variables` maps (key -> text as written) let
 * the start-up logs show the text instead of a resolved secret.
 */
export function loadConfiguration(workerFile: string, connectorFiles: string[], logger: RuntimeLogger, env: NodeJS.ProcessEnv = process.env) {
  const rawWorkerProps = loadConfigFile(workerFile);
  const providers = inFile(workerFile, 'Invalid worker config', () => createConfigProviders(rawWorkerProps, { env }));
  const worker = resolveConfigVariables(rawWorkerProps, providers, workerFile);
  const workerProps = worker.props;
  const config = inFile(workerFile, 'Invalid worker config', () => hidingResolved(worker, () => parseWorkerConfig(workerProps)));
  const plugins: PluginRegistry = builtinPlugins();
  inFile(workerFile, 'Invalid worker config', () => loadPluginPath(config.getList('plugin.path'), plugins, logger));
  const variables = new Map<string, Record<string, string>>();
  const connectors: ValidatedConnector[] = connectorFiles.map((file) => {
    const resolved = resolveConfigVariables(loadConfigFile(file), providers, file);
    const connector = inFile(file, 'Invalid connector config', () => hidingResolved(resolved, () => validateConnector(resolved.props, file, config, plugins)));
    variables.set(connector.name, resolved.variables);
    return connector;
  });
  checkUniqueNames(connectors);
  return { config, workerProps, plugins, connectors, workerVariables: worker.variables, connectorVariables: variables };
}

function hidingResolved<T>(resolved: ResolvedConfig, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw hideResolvedInError(err, resolved);
  }
}

/** The composition root of `connect-standalone`: wires config, plugins, storage, Kafka and the worker. */
export async function runStandalone(options: StandaloneOptions): Promise<number> {
  const { logger } = options;
  const { config, workerProps, plugins, connectors, workerVariables, connectorVariables } = loadConfiguration(options.workerFile, options.connectorFiles, logger);
  logger.info(hideResolvedValues(config.logString(), workerVariables));
  for (const key of Object.keys(workerProps)) {
    if (!knownWorkerKey(key) && !key.startsWith('config.providers.')) logger.warn(`The configuration '${key}' was supplied but isn't a known config.`);
  }
  warnUnsupportedClientKeys(config, logger);
  for (const c of connectors) warnIneffectiveClientOverrides(c.plugin.kind, c.config, logger.child({ connector: c.name }));
  for (const c of connectors) {
    logger.info(hideResolvedValues(c.config.logString(), connectorVariables.get(c.name) ?? {}), { connector: c.name });
    for (const key of c.unknownKeys) logger.warn(`The configuration '${key}' was supplied but isn't a known config.`, { connector: c.name });
  }
  if (connectors.length === 0) logger.warn('No connector config files were given: the worker has nothing to run');

  const clients = (options.clientFactory ?? ((c, l) => new KafkajsClientFactory(c, l)))(config, logger);
  const offsetsFile = config.getString('offset.storage.file.filename') as string;
  const offsetStore = new FileOffsetBackingStore(offsetsFile, { logger });
  const worker = new Worker({
    config,
    plugins,
    offsetStore,
    clients,
    logger,
    createExtraReporters: (spec, id, taskLogger) => {
      if (!spec.deadLetterQueue) return [];
      const dlq = createDeadLetterQueueReporter({
        clients,
        config: spec.deadLetterQueue,
        connectorName: id.connector,
        taskId: id.task,
        clientIdBase: config.getString('client.id') ?? '',
        overrides: connectorClientOverrides('sink', spec.config),
        logger: taskLogger,
      });
      return dlq ? [dlq] : [];
    },
  });
  // Before the offsets are read: a second worker on the same file fails here, changing nothing.
  const lock = new OffsetsFileLock(offsetsFile, { logger });
  await lock.acquire();
  try {
    return await runWorker(worker, connectors, options, logger);
  } finally {
    await lock.release();
  }
}

async function runWorker(worker: Worker, connectors: ValidatedConnector[], options: StandaloneOptions, logger: RuntimeLogger): Promise<number> {
  // A signal while waiting for Kafka at start-up ends the wait (up to default.api.timeout.ms) at once.
  const startUp = new AbortController();
  let early: ShutdownRequest | null = null;
  options.shutdownRequested.then(
    (r) => {
      early = r;
      startUp.abort();
    },
    () => undefined,
  );
  try {
    await worker.start(startUp.signal);
  } catch (err) {
    if (!(err instanceof RetryAborted) || early === null) throw err;
    logger.info(`${(early as ShutdownRequest).reason} while waiting for Kafka at start-up: stopping the worker`);
    await worker.stop();
    return ExitCode.OK;
  }
  let startError: unknown = null;
  for (const spec of connectors) {
    try {
      await worker.startConnector(spec);
    } catch (err) {
      // Reported once, by the caller, as the error that stops the process.
      startError = new ConnectError(`Failed to start connector ${spec.name} (${spec.origin}): ${(err as Error).message}`, { cause: err });
      break;
    }
  }
  let request: ShutdownRequest | null = null;
  if (!startError) {
    // The worker runs until a signal, even when every task has failed and no socket or timer is left.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    request = await options.shutdownRequested;
    clearInterval(keepAlive);
    logger.info(`${request.reason}: stopping the worker`);
  }
  const stuck = await worker.stop();
  if (startError) throw startError;
  let failed = worker.taskStatuses().filter((s) => s.state === 'FAILED');
  if (request?.stdoutClosed) {
    const ended = failed.filter((f) => hasCode(f.error, 'EPIPE'));
    for (const f of ended) logger.info(`Task ${f.connector}-${f.task} stopped: its output, standard output, was closed by its reader`);
    failed = failed.filter((f) => !ended.includes(f));
  }
  for (const f of failed) logger.error(`Task ${f.connector}-${f.task} had failed: ${causeChain(f.error)}`);
  return failed.length > 0 || stuck.length > 0 ? ExitCode.TASKS_FAILED : ExitCode.OK;
}

/** True when the error or one of its causes has this errno code. */
function hasCode(err: unknown, code: string): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as NodeJS.ErrnoException).code === code) return true;
  }
  return false;
}

/** "A: B: C" from an error and its causes, without repeating text a message already contains. */
function causeChain(err: unknown): string {
  const parts: string[] = [];
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (!parts.some((p) => p.includes(e.message))) parts.push(e.message);
  }
  return parts.join(': ') || String(err);
}
