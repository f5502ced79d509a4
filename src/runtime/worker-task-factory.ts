import { AnyConnector } from '../api';
import { connectorClientOverrides } from './client-overrides';
import { ValidatedConnector } from './connector-validation';
import { newTaskConverter, newTaskHeaderConverter } from './converters';
import { ErrorReporter } from './errors/error-context';
import { ErrorHandlingConfig } from './errors/error-handling-config';
import { ConverterClassNames } from './errors/java-class-names';
import { LogReporter } from './errors/log-reporter';
import { RetryWithToleranceOperator } from './errors/retry-with-tolerance-operator';
import { OffsetStorageWriter, StoreOffsetReader } from './offset-storage-writer';
import type { SinkOnceTarget } from './sink-once-target';
import { TransformationChain } from './transformation-chain';
import type { WorkerDeps } from './worker-deps';
import type * as WorkerSinkTaskModule from './worker-sink-task';
import { WorkerSourceTask } from './worker-source-task';
import { ConnectorTaskId, WorkerTask } from './worker-task';

/** What a new task is made from: its connector, its number and its config (runtime keys added). */
export interface TaskBlueprint {
  spec: ValidatedConnector;
  connector: AnyConnector;
  index: number;
  props: Record<string, string>;
  onceTarget: SinkOnceTarget | null;
}

/** Sink tasks see the connector's topics / topics.regex, as in Kafka. */
export function withRuntimeKeys(spec: ValidatedConnector, taskProps: Record<string, string>): Record<string, string> {
  if (spec.plugin.kind !== 'sink') return taskProps;
  const extra: Record<string, string> = {};
  for (const key of ['topics', 'topics.regex']) if (spec.props[key] !== undefined) extra[key] = spec.props[key];
  return { ...taskProps, ...extra };
}

/** Builds a WorkerSourceTask or WorkerSinkTask with its converters, transforms, error handler and Kafka client. */
export function createWorkerTask(deps: WorkerDeps, blueprint: TaskBlueprint): WorkerTask {
  const { spec, connector, index, props } = blueprint;
  const { config, plugins, clients, offsetStore } = deps;
  const id = { connector: spec.name, task: index };
  const logger = deps.logger.child({ connector: spec.name, task: index });
  const keyConverter = newTaskConverter('key', spec.config, config, plugins);
  const valueConverter = newTaskConverter('value', spec.config, config, plugins);
  const headerConverter = newTaskHeaderConverter(spec.config, config, plugins);
  const converterClasses = converterClassNames(deps, spec);
  const errorHandling = spec.errorHandling;
  const operator = createOperator(deps, spec, id, errorHandling);
  const transformationChain = TransformationChain.create(spec.transforms, logger);
  const clientIdBase = config.getString('client.id');
  const overrides = connectorClientOverrides(connector.kind, spec.config);
  const flushIntervalMs = config.getLong('offset.flush.interval.ms');
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
      offsetFlushIntervalMs: flushIntervalMs,
      offsetFlushTimeoutMs: config.getLong('offset.flush.timeout.ms'),
      logger,
      operator,
      converterClasses,
      transformationChain,
      endWhenCaughtUp: deps.once === true,
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
    offsetFlushIntervalMs: flushIntervalMs,
    logger,
    operator,
    converterClasses,
    transformationChain,
    errantRecordReporting: (spec.deadLetterQueue !== null && spec.deadLetterQueue.topic !== '') || errorHandling.logEnable,
    onceTarget: blueprint.onceTarget,
  });
}

/** The task's error handler: a LogReporter (it checks errors.log.enable itself) plus the extra reporters. */
function createOperator(deps: WorkerDeps, spec: ValidatedConnector, id: ConnectorTaskId, config: ErrorHandlingConfig): RetryWithToleranceOperator {
  const logger = deps.logger.child({ connector: spec.name, task: id.task });
  const reporters: ErrorReporter[] = [new LogReporter(id, config, logger), ...(deps.createExtraReporters?.(spec, id, logger) ?? [])];
  return new RetryWithToleranceOperator({ id, config, reporters, logger, time: deps.errorHandlingTime });
}

/** The Java class names of the task's converters, aliases resolved, as error reports name them. */
function converterClassNames(deps: WorkerDeps, spec: ValidatedConnector): ConverterClassNames {
  const resolve = (key: string): string => {
    const name = (spec.config.getClass(key) ?? deps.config.getClass(key) ?? '').trim();
    const plugin = deps.plugins.converterPlugins().find((p) => p.className === name || p.aliases.includes(name));
    return plugin?.className ?? name;
  };
  return { key: resolve('key.converter'), value: resolve('value.converter'), header: resolve('header.converter') };
}
