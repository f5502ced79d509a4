import { asConnectError, AnyConnector, ConnectorContext, ConnectError } from '../api';
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
import { WorkerSinkTask } from './worker-sink-task';
import { WorkerSourceTask } from './worker-source-task';
import { ConnectorTaskId, TaskState, WorkerTask } from './worker-task';

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
}

interface RunningConnector {
  readonly spec: ValidatedConnector;
  readonly connector: AnyConnector;
  readonly tasks: WorkerTask[];
  state: 'RUNNING' | 'FAILED' | 'STOPPED';
  error: ConnectError | null;
}

export interface TaskStatus {
  connector: string;
  task: number;
  state: TaskState;
  error: ConnectError | null;
}

/**
 * Runs connectors and their tasks in one process (Kafka's Worker). Each task owns its async loop; a
 * failing task is marked FAILED and the others keep running.
 */
export class Worker {
  private readonly connectors = new Map<string, RunningConnector>();
  private readonly flushIntervalMs: number;
  private readonly flushTimeoutMs: number;

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
    const running: RunningConnector = { spec, connector, tasks: [], state: 'RUNNING', error: null };
    this.connectors.set(spec.name, running);
    const context: ConnectorContext = {
      connectorName: spec.name,
      logger,
      requestTaskReconfiguration: () => logger.warn('Task reconfiguration is not supported in standalone mode yet; restart the worker to apply it'),
      raiseError: (err) => {
        running.state = 'FAILED';
        running.error = asConnectError(err);
        logger.error(`Connector ${spec.name} raised an error`, { err: running.error });
      },
    };
    connector.initialize(context);
    await connector.start(spec.props);
    if (connector.kind === 'source') await convertImportedKafkaOffsets(connector, spec.name, this.deps.offsetStore, logger);
    logger.info(`Instantiated connector ${spec.name} with version ${connector.version()} of type ${spec.plugin.className}`);
    const taskConfigs = connector.taskConfigs(spec.config.getInt('tasks.max'));
    taskConfigs.forEach((taskProps, index) => {
      const task = this.createTask(running, index, this.withRuntimeKeys(spec, taskProps));
      running.tasks.push(task);
      task.start();
    });
    logger.info(`Started connector ${spec.name} with ${taskConfigs.length} task(s)`);
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
      });
    }
    const clientId = clientIdBase || `connector-consumer-${spec.name}-${index}`;
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
    return [...this.connectors.values()].flatMap((c) =>
      c.tasks.map((t) => ({ connector: t.id.connector, task: t.id.task, state: t.state, error: t.error })),
    );
  }

  /**
   * Stops every task (in parallel, each bounded by task.shutdown.graceful.timeout.ms), then the
   * connectors, then the offset store. Returns the tasks that did not stop in time.
   */
  async stop(): Promise<string[]> {
    const graceMs = this.deps.config.getLong('task.shutdown.graceful.timeout.ms');
    const tasks = [...this.connectors.values()].flatMap((c) => c.tasks);
    await Promise.all(tasks.map((t) => t.stop()));
    const results = await Promise.all(tasks.map(async (t) => ((await t.awaitStop(graceMs)) ? null : `${t.id.connector}-${t.id.task}`)));
    const stuck = results.filter((r): r is string => r !== null);
    for (const name of stuck) this.deps.logger.warn(`Graceful stop of task ${name} failed: it did not stop within ${graceMs} ms (task.shutdown.graceful.timeout.ms)`);
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
