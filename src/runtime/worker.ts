import { asConnectError, AnyConnector, ConnectorContext, ConnectError, SourceTaskProgress } from '../api';
import { OffsetBackingStore } from '../storage/offset-backing-store';
import { ValidatedConnector } from './connector-validation';
import { newTaskConverter, newTaskHeaderConverter } from './converters';
import { ErrorReporter } from './errors/error-context';
import { ErrorHandlingConfig } from './errors/error-handling-config';
import { connectorClientOverrides } from './client-overrides';
import { ConverterClassNames } from './errors/java-class-names';
import { LogReporter } from './errors/log-reporter';
import { OperatorTime, RetryWithToleranceOperator } from './errors/retry-with-tolerance-operator';
import { KafkaClientFactory } from './kafka/kafka-client-factory';
import { convertImportedKafkaOffsets } from './kafka-offset-conversion';
import { OffsetStorageWriter, StoreOffsetReader } from './offset-storage-writer';
import { PluginRegistry } from './plugins';
import { RuntimeLogger } from './runtime-logger';
import { TransformationChain } from './transformation-chain';
import { WorkerConfig } from './worker-config';
import type * as WorkerSinkTaskModule from './worker-sink-task';
import { WorkerSourceTask } from './worker-source-task';
import type * as SinkOnceTargetModule from './sink-once-target';
import type { SinkOnceTarget } from './sink-once-target';
import { ConnectorTaskId, TaskRecordCounts, TaskState, WorkerTask } from './worker-task';

/**
 * Error reporters a task gets besides the LogReporter (e.g. a dead letter queue), created when the
 * task is; the task closes them when it ends.
 */
export type ExtraReportersFactory = (spec: ValidatedConnector, taskId: ConnectorTaskId, logger: RuntimeLogger) => ErrorReporter[];

export interface WorkerDeps {
  config: WorkerConfig;
  plugins: PluginRegistry;
  offsetStore: OffsetBackingStore;
  clients: KafkaClientFactory;
  logger: RuntimeLogger;
  /** Default: no extra reporters. */
  createExtraReporters?: ExtraReportersFactory;
  /** Time for the error handlers' retries; default: the system clock. */
  errorHandlingTime?: OperatorTime;
  /**
   * A --once run: source tasks finish once caught up with their input, sink tasks once their
   * connector consumed what its topics held at start (read when the connector starts).
   */
  once?: boolean;
  /** Called whenever a task failed or finished by itself (not when it is merely stopped). */
  onTaskSettled?: (id: ConnectorTaskId) => void;
  /** Clock for the connectors' start times in their reports; default Date.now. */
  now?: () => number;
}

interface RunningConnector {
  readonly spec: ValidatedConnector;
  readonly connector: AnyConnector;
  tasks: WorkerTask[];
  /** The task configs the running tasks were started with (before the runtime keys were added). */
  taskConfigs: Record<string, string>[];
  /** The pending or running reconfiguration, so requests never overlap (null when idle). */
  reconfiguring: Promise<void> | null;
  /** A request arrived while one was running: run once more after it. */
  reconfigureAgain: boolean;
  state: 'RUNNING' | 'FAILED' | 'STOPPED';
  error: ConnectError | null;
  /** --once runs of sink connectors: what the connector must consume. */
  onceTarget: SinkOnceTarget | null;
  startedAt: number;
}

export interface TaskStatus {
  connector: string;
  task: number;
  state: TaskState;
  error: ConnectError | null;
  /** Ended by itself (input ended, or caught up in a --once run); its state is STOPPED. */
  finished: boolean;
}

/** A connector's records and progress over all its tasks, for the progress display and the run summary. */
export interface ConnectorReport {
  name: string;
  kind: 'source' | 'sink';
  counts: TaskRecordCounts;
  /** Summed over the tasks that report progress in the same unit; null when none does. */
  progress: SourceTaskProgress | null;
  tasks: TaskStatus[];
  /** Failed: the connector or a task failed; finished: every task finished; else running (or stopped). */
  outcome: 'running' | 'finished' | 'failed' | 'stopped';
  startedAt: number;
}

/**
 * Runs connectors and their tasks in one process (Kafka's Worker). Each task owns its async loop; a
 * failing task is marked FAILED and the others keep running.
 */
export class Worker {
  private readonly connectors = new Map<string, RunningConnector>();
  private readonly flushIntervalMs: number;
  private readonly flushTimeoutMs: number;
  private stopping = false;

  constructor(private readonly deps: WorkerDeps) {
    this.flushIntervalMs = deps.config.getLong('offset.flush.interval.ms');
    this.flushTimeoutMs = deps.config.getLong('offset.flush.timeout.ms');
  }

  /**
   * Loads stored offsets and checks that Kafka answers; both fail start-up with a clear error. When
   * signal aborts (a shutdown requested meanwhile), the wait for Kafka ends at once with a RetryAborted.
   */
  async start(signal?: AbortSignal): Promise<void> {
    await this.deps.offsetStore.start();
    await this.deps.clients.checkReachable(signal);
    this.deps.logger.info('Worker started');
  }

  async startConnector(spec: ValidatedConnector): Promise<void> {
    const logger = this.deps.logger.child({ connector: spec.name });
    const connector = spec.plugin.create();
    const running: RunningConnector = {
      spec,
      connector,
      tasks: [],
      taskConfigs: [],
      reconfiguring: null,
      reconfigureAgain: false,
      state: 'RUNNING',
      error: null,
      onceTarget: null,
      startedAt: (this.deps.now ?? Date.now)(),
    };
    this.connectors.set(spec.name, running);
    const context: ConnectorContext = {
      connectorName: spec.name,
      logger,
      requestTaskReconfiguration: () => this.requestReconfiguration(running, logger),
      raiseError: (err) => {
        running.state = 'FAILED';
        running.error = asConnectError(err);
        logger.error(`Connector ${spec.name} raised an error`, { err: running.error });
        this.deps.onTaskSettled?.({ connector: spec.name, task: -1 });
      },
    };
    connector.initialize(context);
    await connector.start(spec.props);
    if (connector.kind === 'source') await convertImportedKafkaOffsets(connector, spec.name, this.deps.offsetStore, logger);
    logger.info(`Instantiated connector ${spec.name} with version ${connector.version()} of type ${spec.plugin.className}`);
    if (this.deps.once && connector.kind === 'sink') running.onceTarget = await this.readSinkBacklog(spec, logger);
    const taskConfigs = connector.taskConfigs(spec.config.getInt('tasks.max'));
    this.startTasks(running, taskConfigs);
    logger.info(`Started connector ${spec.name} with ${taskConfigs.length} task(s)`);
  }

  /** --once: the end offsets of the sink connector's topics now, and where its group reads from. */
  private async readSinkBacklog(spec: ValidatedConnector, logger: RuntimeLogger): Promise<SinkOnceTarget> {
    const { clients, config } = this.deps;
    if (!clients.sinkBacklog) throw new ConnectError('This Kafka client factory cannot read end offsets, which --once needs for sink connectors');
    const subscription = spec.subscription ?? { topics: [], regex: null };
    const backlog = await clients.sinkBacklog(`connect-${spec.name}`, config.getString('client.id') || `connector-admin-${spec.name}`, subscription, connectorClientOverrides('sink', spec.config).consumer);
    const pending = backlog.filter((p) => p.start < p.end);
    logger.info(
      `--once: connector ${spec.name} consumes up to the end offsets its topics have now: ` +
        (pending.length === 0 ? 'nothing to consume' : pending.map((p) => `${p.topic}-${p.partition} ${p.start}..${p.end}`).join(', ')),
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return new (require('./sink-once-target') as typeof SinkOnceTargetModule).SinkOnceTarget(backlog);
  }

  private startTasks(running: RunningConnector, taskConfigs: Record<string, string>[]): void {
    running.taskConfigs = taskConfigs.map((c) => ({ ...c }));
    running.tasks = taskConfigs.map((taskProps, index) => this.createTask(running, index, this.withRuntimeKeys(running.spec, taskProps)));
    for (const task of running.tasks) {
      void task.settled.then(() => this.deps.onTaskSettled?.(task.id));
      task.start();
    }
  }

  /**
   * ConnectorContext.requestTaskReconfiguration(), as Kafka's standalone herder: ask the connector
   * for its task configs again and, when they changed, stop every task and start the new set.
   * Requests are serialized per connector (one arriving meanwhile runs once after), and none starts
   * tasks once the worker is stopping.
   */
  private requestReconfiguration(running: RunningConnector, logger: RuntimeLogger): void {
    if (this.stopping || running.state !== 'RUNNING') return;
    if (running.reconfiguring) {
      running.reconfigureAgain = true;
      return;
    }
    running.reconfiguring = this.reconfigure(running, logger)
      .catch((err: unknown) => logger.error(`Failed to reconfigure connector ${running.spec.name}: ${asConnectError(err).message}`, { err: asConnectError(err) }))
      .finally(() => {
        running.reconfiguring = null;
        if (running.reconfigureAgain) {
          running.reconfigureAgain = false;
          this.requestReconfiguration(running, logger);
        }
      });
  }

  private async reconfigure(running: RunningConnector, logger: RuntimeLogger): Promise<void> {
    const { spec, connector } = running;
    let next: Record<string, string>[];
    try {
      next = connector.taskConfigs(spec.config.getInt('tasks.max'));
    } catch (err) {
      logger.error(`Failed to reconfigure connector ${spec.name}: taskConfigs() threw: ${asConnectError(err).message}`, { err: asConnectError(err) });
      return;
    }
    if (sameTaskConfigs(running.taskConfigs, next)) {
      logger.debug(`Reconfiguration of connector ${spec.name} requested: its task configs did not change`);
      return;
    }
    logger.info(`Reconfiguring connector ${spec.name}: its task configs changed, restarting ${running.tasks.length} task(s) as ${next.length} task(s)`);
    const stuck = await this.stopTasks(running.tasks);
    if (stuck.length > 0) throw new ConnectError(`task(s) ${stuck.join(', ')} did not stop within task.shutdown.graceful.timeout.ms, so no new tasks were started`);
    if (this.stopping || running.state !== 'RUNNING') return;
    this.startTasks(running, next);
  }

  /** Stops the tasks in parallel, each bounded by task.shutdown.graceful.timeout.ms; returns those that did not stop in time. */
  private async stopTasks(tasks: WorkerTask[]): Promise<string[]> {
    const graceMs = this.deps.config.getLong('task.shutdown.graceful.timeout.ms');
    await Promise.all(tasks.map((t) => t.stop()));
    const results = await Promise.all(tasks.map(async (t) => ((await t.awaitStop(graceMs)) ? null : `${t.id.connector}-${t.id.task}`)));
    const stuck = results.filter((r): r is string => r !== null);
    for (const name of stuck) this.deps.logger.warn(`Graceful stop of task ${name} failed: it did not stop within ${graceMs} ms (task.shutdown.graceful.timeout.ms)`);
    return stuck;
  }

  /** Sink tasks see the connector's topics / topics.regex, as in Kafka. */
  private withRuntimeKeys(spec: ValidatedConnector, taskProps: Record<string, string>): Record<string, string> {
    if (spec.plugin.kind !== 'sink') return taskProps;
    const extra: Record<string, string> = {};
    for (const key of ['topics', 'topics.regex']) if (spec.props[key] !== undefined) extra[key] = spec.props[key];
    return { ...taskProps, ...extra };
  }

  private createTask(running: RunningConnector, index: number, props: Record<string, string>): WorkerTask {
    const { spec, connector } = running;
    const { config, plugins, clients, offsetStore } = this.deps;
    const id = { connector: spec.name, task: index };
    const logger = this.deps.logger.child({ connector: spec.name, task: index });
    const keyConverter = newTaskConverter('key', spec.config, config, plugins);
    const valueConverter = newTaskConverter('value', spec.config, config, plugins);
    const headerConverter = newTaskHeaderConverter(spec.config, config, plugins);
    const converterClasses = this.converterClassNames(spec);
    const errorHandling = spec.errorHandling;
    const operator = this.createOperator(spec, id, logger, errorHandling);
    const transformationChain = TransformationChain.create(spec.transforms, logger);
    const clientIdBase = config.getString('client.id');
    const overrides = connectorClientOverrides(connector.kind, spec.config);
    if (connector.kind === 'source') {
      const clientId = clientIdBase || `connector-producer-${spec.name}-${index}`;
      return new WorkerSourceTask({
        id,
        task: connector.createTask(),
        props,
        keyConverter,
        valueConverter,
        headerConverter,
        producer: clients.createProducer(clientId, logger, overrides.producer),
        offsetReader: new StoreOffsetReader(offsetStore, spec.name),
        offsetWriter: new OffsetStorageWriter(offsetStore, spec.name),
        offsetFlushIntervalMs: this.flushIntervalMs,
        offsetFlushTimeoutMs: this.flushTimeoutMs,
        logger,
        operator,
        converterClasses,
        transformationChain,
        endWhenCaughtUp: this.deps.once === true,
      });
    }
    const clientId = clientIdBase || `connector-consumer-${spec.name}-${index}`;
    // The sink task loop is loaded with the first sink task: a worker running only sources never loads it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { WorkerSinkTask } = require('./worker-sink-task') as typeof WorkerSinkTaskModule;
    return new WorkerSinkTask({
      id,
      task: connector.createTask(),
      props,
      subscription: spec.subscription ?? { topics: [], regex: null },
      keyConverter,
      valueConverter,
      headerConverter,
      consumer: clients.createConsumer(`connect-${spec.name}`, clientId, logger, overrides.consumer),
      offsetFlushIntervalMs: this.flushIntervalMs,
      logger,
      operator,
      converterClasses,
      transformationChain,
      errantRecordReporting: (spec.deadLetterQueue !== null && spec.deadLetterQueue.topic !== '') || errorHandling.logEnable,
      onceTarget: running.onceTarget,
    });
  }

  /** The task's error handler: a LogReporter (it checks errors.log.enable itself) plus the extra reporters. */
  private createOperator(spec: ValidatedConnector, id: ConnectorTaskId, logger: RuntimeLogger, config: ErrorHandlingConfig): RetryWithToleranceOperator {
    const reporters: ErrorReporter[] = [new LogReporter(id, config, logger), ...(this.deps.createExtraReporters?.(spec, id, logger) ?? [])];
    return new RetryWithToleranceOperator({ id, config, reporters, logger, time: this.deps.errorHandlingTime });
  }

  /** The Java class names of the task's converters, aliases resolved, as error reports name them. */
  private converterClassNames(spec: ValidatedConnector): ConverterClassNames {
    const resolve = (key: string): string => {
      const name = (spec.config.getClass(key) ?? this.deps.config.getClass(key) ?? '').trim();
      const plugin = this.deps.plugins.converterPlugins().find((p) => p.className === name || p.aliases.includes(name));
      return plugin?.className ?? name;
    };
    return { key: resolve('key.converter'), value: resolve('value.converter'), header: resolve('header.converter') };
  }

  taskStatuses(): TaskStatus[] {
    return [...this.connectors.values()].flatMap((c) => c.tasks.map(statusOf));
  }

  /** One report per started connector, in start order. */
  connectorReports(): ConnectorReport[] {
    return [...this.connectors.values()].map((c) => {
      const tasks = c.tasks.map(statusOf);
      const counts: TaskRecordCounts = { read: 0, written: 0, skipped: 0, failed: 0 };
      let progress: SourceTaskProgress | null = null;
      for (const t of c.tasks) {
        const n = t.counts();
        counts.read += n.read;
        counts.written += n.written;
        counts.skipped += n.skipped;
        counts.failed += n.failed;
        const p = t.progress();
        if (p && (!progress || progress.unit === p.unit)) {
          progress = progress ? { unit: p.unit, done: progress.done + p.done, total: progress.total === null || p.total === null ? null : progress.total + p.total } : p;
        }
      }
      // A --once sink: how far through the backlog its topics had at start.
      if (c.onceTarget) progress = { done: Math.min(counts.read, c.onceTarget.backlogSize), total: c.onceTarget.backlogSize, unit: 'records' };
      const failed = c.state === 'FAILED' || tasks.some((t) => t.state === 'FAILED');
      const finished = tasks.every((t) => t.finished);
      const outcome = failed ? 'failed' : finished ? 'finished' : this.stopping ? 'stopped' : 'running';
      return { name: c.spec.name, kind: c.connector.kind, counts, progress, tasks, outcome, startedAt: c.startedAt };
    });
  }

  /**
   * Stops every task (in parallel, each bounded by task.shutdown.graceful.timeout.ms), then the
   * connectors, then the offset store. Returns the tasks that did not stop in time.
   */
  async stop(): Promise<string[]> {
    this.stopping = true;
    // A reconfiguration under way finishes first (it starts nothing now), so its tasks are stopped too.
    await Promise.all([...this.connectors.values()].map((c) => c.reconfiguring));
    const stuck = await this.stopTasks([...this.connectors.values()].flatMap((c) => c.tasks));
    for (const c of this.connectors.values()) {
      try {
        await c.connector.stop();
        if (c.state === 'RUNNING') c.state = 'STOPPED';
      } catch (err) {
        this.deps.logger.warn(`Error stopping connector ${c.spec.name}`, { err: asConnectError(err) });
      }
    }
    await this.deps.offsetStore.stop();
    this.deps.logger.info('Worker stopped');
    return stuck;
  }
}

function statusOf(t: WorkerTask): TaskStatus {
  return { connector: t.id.connector, task: t.id.task, state: t.state, error: t.error, finished: t.finished };
}

function sameTaskConfigs(a: readonly Record<string, string>[], b: readonly Record<string, string>[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((config, i) => {
    const keys = Object.keys(config);
    return keys.length === Object.keys(b[i]).length && keys.every((k) => b[i][k] === config[k]);
  });
}
