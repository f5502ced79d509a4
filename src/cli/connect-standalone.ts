import { ConfigError, ConnectError } from '../api';
import { connectorClientOverrides, warnIneffectiveClientOverrides } from '../runtime/client-overrides';
import { checkUniqueNames, validateConnector, ValidatedConnector } from '../runtime/connector-validation';
import type * as DeadLetterQueueReporterModule from '../runtime/errors/dead-letter-queue-reporter';
import { KafkaClientFactory, KafkajsClientFactory } from '../runtime/kafka/kafka-client-factory';
import { warnUnsupportedClientKeys } from '../runtime/kafka/client-config';
import { knownWorkerKey } from '../runtime/known-worker-keys';
import { PluginRegistry } from '../runtime/plugins';
import { RuntimeLogger } from '../runtime/runtime-logger';
import { Worker } from '../runtime/worker';
import type * as ConnectorOffsetsModule from '../runtime/herder/connector-offsets';
import { ConnectorConfigValidator, StandaloneHerder, StandaloneHerderDeps } from '../runtime/herder/standalone-herder';
import { restWorkerId } from '../rest/rest-config';
import type { RestServer } from '../rest/rest-server';
import { prepareRestServer, startRestServer } from '../rest/start-rest-server';
import type { AdminLoggers, MetricsEndpoint } from '../runtime/herder/herder';
import { BadRequestError, NotFoundError } from '../runtime/herder/herder-errors';
import { lazyWorkerMetrics } from '../runtime/metrics/lazy-worker-metrics';
import { parseProperties } from './properties-format';
import { packageVersion } from './version-text';
import { RetryAborted } from '../runtime/retry';
import { parseWorkerConfig, WorkerConfig } from '../runtime/worker-config';
import { FileOffsetBackingStore } from '../storage/file-offset-backing-store';
import { OffsetsFileLock } from '../storage/offsets-file-lock';
import { builtinPlugins } from './builtin-plugins';
import { loadConfigFile } from './config-files';
import { ConfigProvider, createConfigProviders, hideResolvedInError, hideResolvedValues, resolveConfigVariables, ResolvedConfig } from './config-providers';
import { loadPluginPath } from './plugin-path';
import { OnceController } from '../runtime/once-controller';
import type { ProgressDisplay } from './progress-display';
import { runSummary, summaryLines, writeSummaryJson } from './run-summary';
import { ExitCode } from './exit-code';

export { ExitCode } from './exit-code';

/** Why the worker should stop. */
export interface ShutdownRequest {
  /** For the log, e.g. "Received SIGTERM". */
  reason: string;
  /** The signal received, when it was one. */
  signal?: NodeJS.Signals;
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
  /** A --once run (null or absent: a normal run), with its time bound (null: none). */
  once?: { timeoutMs: number | null } | null;
  /** The live progress lines (a terminal only), started once the connectors run. */
  display?: ProgressDisplay | null;
  /** Write the run summary as JSON to this file at exit. */
  summaryJson?: string | null;
  /** Where the summary lines of a --once run go (stderr). */
  writeSummaryLine?: (line: string) => void;
  now?: () => number;
  /** --no-rest: no REST server whatever the worker file's listeners say. */
  noRest?: boolean;
  /** Log levels for GET/PUT /admin/loggers (none given: the REST API has a fixed root logger). */
  adminLoggers?: AdminLoggers | null;
  /** GET /metrics. */
  metrics?: MetricsEndpoint | null;
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
  return { config, workerProps, plugins, providers, connectors, workerVariables: worker.variables, connectorVariables: variables };
}

/**
 * How the herder checks a connector config submitted at run time (REST): the same variable
 * resolution, validation and client override policy as a connector file, and the same start-up
 * log lines (resolved values shown as written).
 */
function submittedConfigValidator(providers: Map<string, ConfigProvider>, config: WorkerConfig, plugins: PluginRegistry, logger: RuntimeLogger): ConnectorConfigValidator {
  return (props, origin) => {
    const resolved = resolveConfigVariables(props, providers, origin);
    const spec = hidingResolved(resolved, () => validateConnector(resolved.props, origin, config, plugins));
    const connectorLogger = logger.child({ connector: spec.name });
    warnIneffectiveClientOverrides(spec.plugin.kind, spec.config, connectorLogger);
    connectorLogger.info(hideResolvedValues(spec.config.logString(), resolved.variables));
    for (const key of spec.unknownKeys) connectorLogger.warn(`The configuration '${key}' was supplied but isn't a known config.`);
    return spec;
  };
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
  const { config, workerProps, plugins, providers, connectors, workerVariables, connectorVariables } = loadConfiguration(options.workerFile, options.connectorFiles, logger);
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
  // Listeners, users file and TLS stores are checked now, before anything starts.
  const rest = inFile(options.workerFile, 'Invalid worker config', () => prepareRestServer(config, { noRest: options.noRest, once: Boolean(options.once), parseProperties }));

  const clients = (options.clientFactory ?? ((c, l) => new KafkajsClientFactory(c, l)))(config, logger);
  const offsetsFile = config.getString('offset.storage.file.filename') as string;
  const offsetStore = new FileOffsetBackingStore(offsetsFile, { logger });
  let completion: OnceController | null = null;
  const worker: Worker = new Worker({
    once: Boolean(options.once),
    onTaskSettled: () => completion?.check(),
    now: options.now,
    config,
    plugins,
    offsetStore,
    clients,
    logger,
    createExtraReporters: (spec, id, taskLogger) => {
      if (!spec.deadLetterQueue) return [];
      // Loaded only when a connector has a dead letter queue (start-up loads only what configs use).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createDeadLetterQueueReporter } = require('../runtime/errors/dead-letter-queue-reporter') as typeof DeadLetterQueueReporterModule;
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
  // Every connector, from a file or (through the REST API) submitted at run time, runs through the herder.
  const herder = new StandaloneHerder({
    worker,
    workerId: restWorkerId(config),
    validate: submittedConfigValidator(providers, config, plugins, logger),
    offsets: lazyOffsets(() => ({ offsetStore, clients, config, logger })),
    plugins,
    config,
    logger,
  });
  // Before the offsets are read: a second worker on the same file fails here, changing nothing.
  completion = new OnceController(Boolean(options.once), () => worker.connectorReports());
  const lock = new OffsetsFileLock(offsetsFile, { logger });
  await lock.acquire();
  try {
    // A connector file's config as written (variables unresolved) is what GET .../config shows.
    const files = connectors.map((spec) => ({ spec, submitted: { ...spec.props, ...(connectorVariables.get(spec.name) ?? {}) } }));
    let ready = false;
    const startRest = async (): Promise<{ server: RestServer | null; started: () => void }> => {
      const server = await startRestServer(rest, {
        herder,
        loggers: options.adminLoggers ?? fixedLoggers,
        metrics: options.metrics ?? lazyWorkerMetrics(worker),
        logger,
        serverInfo: () => ({ version: packageVersion(), commit: 'unknown', kafka_cluster_id: clients.clusterId?.() ?? null }),
        ready: () => ready,
      });
      // A listener on port 0 is advertised with the port it got.
      if (server && rest.choice.listeners.some((l) => l.port === 0)) herder.advertiseAs(restWorkerId(config, rest.choice, server.listeners[0].port));
      return { server, started: () => (ready = true) };
    };
    return await runWorker(worker, herder, files, options, logger, completion, startRest);
  } finally {
    await lock.release();
  }
}

/**
 * The KIP-875 offsets requests (REST), with their module loaded at the first request rather than at
 * start-up (issue 12: start-up loads only what the run uses).
 */
function lazyOffsets(deps: () => ConnectorOffsetsModule.ConnectorOffsetsDeps): StandaloneHerderDeps['offsets'] {
  let manager: ConnectorOffsetsModule.ConnectorOffsetsManager | null = null;
  const get = (): ConnectorOffsetsModule.ConnectorOffsetsManager => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    manager ??= new (require('../runtime/herder/connector-offsets') as typeof ConnectorOffsetsModule).ConnectorOffsetsManager(deps());
    return manager;
  };
  return { get: (spec) => get().get(spec), alter: (spec, offsets, options) => get().alter(spec, offsets, options), reset: (spec) => get().reset(spec) };
}

/** How long after the connectors started the REST routes are built, unless a request comes first. */
const REST_ATTACH_DELAY_MS = 1000;

/** How the wait for the end of a run ended. */
type RunEnd = { kind: 'request'; request: ShutdownRequest } | { kind: 'complete' } | { kind: 'timeout'; ms: number };

async function runWorker(
  worker: Worker,
  herder: StandaloneHerder,
  connectors: Array<{ spec: ValidatedConnector; submitted: Record<string, string> }>,
  options: StandaloneOptions,
  logger: RuntimeLogger,
  completion: OnceController,
  startRest: () => Promise<{ server: RestServer | null; started: () => void }>,
): Promise<number> {
  const now = options.now ?? Date.now;
  const startedAt = now();
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
    return options.once ? interruptedCode(early) : ExitCode.OK;
  }
  // The worker runs and no connector has started yet: the place to start serving `herder` (REST).
  let startError: unknown = null;
  let rest: { server: RestServer | null; started: () => void } | null = null;
  try {
    rest = await startRest();
  } catch (err) {
    startError = err; // e.g. the port in use: reported as the error that stops the process
  }
  for (const { spec, submitted } of connectors) {
    if (early !== null || startError) break; // a signal during start-up: start nothing more
    try {
      await herder.startConnector(spec, submitted);
    } catch (err) {
      // Reported once, by the caller, as the error that stops the process.
      startError = new ConnectError(`Failed to start connector ${spec.name} (${spec.origin}): ${(err as Error).message}`, { cause: err });
      break;
    }
  }
  let end: RunEnd | null = null;
  if (!startError) {
    completion.connectorsStarted();
    rest?.started();
    // The REST listeners are bound; their routes are built a moment later (or at the first request), so
    // loading fastify does not delay the connectors' first records.
    rest?.server?.attachLater(REST_ATTACH_DELAY_MS);
    options.display?.start(() => worker.connectorReports());
    // The worker runs until a signal (or, for --once and ended inputs, until the run is complete),
    // even when every task has failed and no socket or timer is left.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = options.once?.timeoutMs ?? null;
    const waits: Array<Promise<RunEnd>> = [
      options.shutdownRequested.then((request) => ({ kind: 'request', request }) as const),
      completion.done.then(() => ({ kind: 'complete' }) as const),
    ];
    if (timeoutMs !== null) {
      const left = Math.max(timeoutMs - (now() - startedAt), 0);
      waits.push(new Promise((resolve) => (timer = setTimeout(() => resolve({ kind: 'timeout', ms: timeoutMs }), left))));
    }
    end = await Promise.race(waits);
    clearTimeout(timer);
    clearInterval(keepAlive);
    if (end.kind === 'request') logger.info(`${end.request.reason}: stopping the worker`);
    else if (end.kind === 'timeout') logger.warn(`--once-timeout of ${end.ms} ms passed before every task was done: stopping the worker`);
    else logger.info(options.once ? 'Every connector is done (--once): stopping the worker' : 'Every task has ended (its input ended): stopping the worker');
  }
  await rest?.server?.stop();
  const stuck = await worker.stop();
  options.display?.stop();
  let failed = worker.taskStatuses().filter((s) => s.state === 'FAILED');
  const request = end?.kind === 'request' ? end.request : null;
  if (request?.stdoutClosed) {
    const ended = failed.filter((f) => hasCode(f.error, 'EPIPE'));
    for (const f of ended) logger.info(`Task ${f.connector}-${f.task} stopped: its output, standard output, was closed by its reader`);
    failed = failed.filter((f) => !ended.includes(f));
  }
  for (const f of failed) logger.error(`Task ${f.connector}-${f.task} had failed: ${causeChain(f.error)}`);
  const connectorFailed = worker.connectorReports().some((r) => r.outcome === 'failed');
  let code: number = ExitCode.OK;
  if (startError) code = ExitCode.ERROR;
  else if (failed.length > 0 || stuck.length > 0 || (options.once && connectorFailed)) code = ExitCode.TASKS_FAILED;
  else if (options.once && end?.kind === 'timeout') code = ExitCode.ONCE_TIMEOUT;
  else if (options.once && request && !request.stdoutClosed) code = interruptedCode(request);
  reportRun(worker, options, code, startError ? 'start-up failed' : runEndText(end), startedAt, now(), logger);
  if (startError) throw startError;
  return code;
}

/** --once interrupted by a signal: 128 + the signal's number, as shells report it. */
function interruptedCode(request: ShutdownRequest): number {
  return request.signal === 'SIGINT' ? ExitCode.INTERRUPTED_SIGINT : ExitCode.INTERRUPTED_SIGTERM;
}

function runEndText(end: RunEnd | null): string {
  if (end === null) return 'start-up failed';
  if (end.kind === 'complete') return 'complete';
  if (end.kind === 'timeout') return 'once-timeout';
  return end.request.signal ?? (end.request.stdoutClosed ? 'stdout closed' : end.request.reason);
}

/** The summary lines of a --once run on stderr, and the --summary-json file of any run. */
function reportRun(worker: Worker, options: StandaloneOptions, code: number, ended: string, startedAt: number, now: number, logger: RuntimeLogger): void {
  if (!options.once && !options.summaryJson) return;
  const summary = runSummary(worker.connectorReports(), code, ended, startedAt, now);
  if (options.once) for (const line of summaryLines(summary)) (options.writeSummaryLine ?? ((l: string) => logger.info(l)))(line);
  if (options.summaryJson) {
    try {
      writeSummaryJson(options.summaryJson, summary);
    } catch (err) {
      logger.error(`Failed to write the run summary to ${options.summaryJson} (--summary-json): ${(err as Error).message}`, { err });
    }
  }
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

/** GET /admin/loggers without a logging back end (tests): root only, at INFO, not changeable. */
const fixedLoggers: AdminLoggers = {
  levels: () => ({ root: { level: 'INFO', last_modified: null } }),
  level: (name) => {
    if (name === 'root') return { level: 'INFO', last_modified: null };
    throw new NotFoundError(`Logger ${name} not found.`);
  },
  setLevel: () => {
    throw new BadRequestError('Log levels cannot be changed in this process');
  },
};
