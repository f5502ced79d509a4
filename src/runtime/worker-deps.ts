import { ValidatedConnector } from './connector-validation';
import { ErrorReporter } from './errors/error-context';
import { OperatorTime } from './errors/retry-with-tolerance-operator';
import { KafkaClientFactory } from './kafka/kafka-client-factory';
import { PluginRegistry } from './plugins';
import { RuntimeLogger } from './runtime-logger';
import { WorkerConfig } from './worker-config';
import { OffsetBackingStore } from '../storage/offset-backing-store';
import { ConnectorTaskId } from './worker-task';

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
  /**
   * Called whenever a task failed or finished by itself (not when it is merely stopped), and with
   * task -1 when a connector raised an error or was stopped or deleted through the herder.
   */
  onTaskSettled?: (id: ConnectorTaskId) => void;
  /** Clock for the connectors' start times in their reports; default Date.now. */
  now?: () => number;
}
