import { asConnectError, ConfigError, ConnectError } from '../../api';
import { ValidatedConnector } from '../connector-validation';
import { PluginRegistry } from '../plugins';
import { RuntimeLogger } from '../runtime-logger';
import { TaskStatus, Worker } from '../worker';
import { WorkerConfig } from '../worker-config';
import type * as ConfigInfosModule from './config-infos';
import type { ConnectorOffsetsManager } from './connector-offsets';
import { errorTrace } from './error-trace';
import {
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  ConnectorTaskIdInfo,
  Herder,
  PluginInfo,
  RestartRequest,
  StateInfo,
  TargetState,
  TaskInfo,
  TaskStateInfo,
} from './herder';
import { AlreadyExistsError, BadRequestError, HerderRequestError, NotFoundError } from './herder-errors';
import { restartPlan } from './restart-plan';

/**
 * Resolves a submitted connector config's config provider variables and validates it as a connector
 * file is (validateConnector, including connector.client.config.override.policy). Throws a
 * ConfigError naming what is wrong.
 */
/** ConfigInfos are built only for REST validation requests: loaded then, not at start-up (issue 12). */
function configInfos(): typeof ConfigInfosModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./config-infos') as typeof ConfigInfosModule;
}

export type ConnectorConfigValidator = (props: Record<string, string>, origin: string) => ValidatedConnector;

export interface StandaloneHerderDeps {
  worker: Worker;
  /** The worker_id in statuses: the REST advertised `host:port`. */
  workerId: string;
  validate: ConnectorConfigValidator;
  offsets: Pick<ConnectorOffsetsManager, 'get' | 'alter' | 'reset'>;
  plugins: PluginRegistry;
  config: WorkerConfig;
  logger: RuntimeLogger;
}

interface ConnectorEntry {
  /** As submitted (variables unresolved), for GET .../config. */
  submitted: Record<string, string>;
  spec: ValidatedConnector;
}

/**
 * Kafka's StandaloneHerder: the connectors of this one worker, their configs, target states and
 * statuses, and every change to them, one at a time (changes are queued, as Kafka's herder methods
 * are synchronized).
 *
 * Connector configs live in memory only, as in Kafka's standalone mode (its MemoryConfigBackingStore):
 * a connector created or changed over REST is gone when the process ends, and the connector files
 * given on the command line are read again at the next start. Offsets are stored (offset.storage.file.filename).
 */
export class StandaloneHerder implements Herder {
  private workerIdValue: string;
  private readonly entries = new Map<string, ConnectorEntry>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: StandaloneHerderDeps) {
    this.workerIdValue = deps.workerId;
  }

  get workerId(): string {
    return this.workerIdValue;
  }

  /** The advertised `host:port` once known (e.g. the port bound for a REST listener on port 0). */
  advertiseAs(workerId: string): void {
    this.workerIdValue = workerId;
  }

  /** Runs fn after every change requested before it. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private entry(name: string): ConnectorEntry {
    const entry = this.entries.get(name);
    if (!entry) throw NotFoundError.connector(name);
    return entry;
  }

  /**
   * Starts a connector from a file validated at start-up (the CLI's path): a failure to start is
   * thrown as it is, and the connector stays listed as FAILED.
   */
  async startConnector(spec: ValidatedConnector, submitted: Record<string, string>, targetState: TargetState = 'RUNNING'): Promise<void> {
    await this.exclusive(async () => {
      if (this.entries.has(spec.name)) throw new AlreadyExistsError(`Connector ${spec.name} already exists`);
      this.entries.set(spec.name, { submitted: { ...submitted }, spec });
      await this.deps.worker.startConnector(spec, targetState);
    });
  }

  connectors(): string[] {
    return [...this.entries.keys()];
  }

  connectorInfo(name: string): ConnectorInfo {
    const entry = this.entry(name);
    return { name, config: { ...entry.submitted }, tasks: this.taskIds(name), type: entry.spec.plugin.kind };
  }

  connectorConfig(name: string): Record<string, string> {
    return { ...this.entry(name).submitted };
  }

  private taskIds(name: string): ConnectorTaskIdInfo[] {
    return this.deps.worker.taskConfigs(name).map((_, task) => ({ connector: name, task }));
  }

  connectorStatus(name: string): ConnectorStateInfo {
    const entry = this.entry(name);
    const status = this.deps.worker.connectorStatus(name);
    if (!status) throw NotFoundError.connector(name);
    const connector: StateInfo = { state: status.state, worker_id: this.workerId };
    if (status.state === 'FAILED' && status.error) connector.trace = errorTrace(status.error);
    // A STOPPED connector has no tasks in its status (KIP-875).
    const tasks = status.state === 'STOPPED' ? [] : status.tasks.map((t) => this.taskState(t));
    return { name, connector, tasks, type: entry.spec.plugin.kind };
  }

  private taskState(t: TaskStatus): TaskStateInfo {
    const info: TaskStateInfo = { id: t.task, state: t.state, worker_id: this.workerId };
    if (t.state === 'FAILED' && t.error) info.trace = errorTrace(t.error);
    return info;
  }

  taskStatus(name: string, task: number): TaskStateInfo {
    const found = this.connectorStatus(name).tasks.find((t) => t.id === task);
    if (!found) throw NotFoundError.task(name, task);
    return found;
  }

  taskConfigs(name: string): TaskInfo[] {
    this.entry(name);
    return this.deps.worker.taskConfigs(name).map((config, task) => ({ id: { connector: name, task }, config }));
  }

  async putConnectorConfig(
    name: string,
    config: Record<string, string>,
    options: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<{ created: boolean; info: ConnectorInfo }> {
    const submitted = { ...config };
    if (submitted.name === undefined) submitted.name = name;
    const spec = this.validate(name, submitted);
    return this.exclusive(async () => {
      const existing = this.entries.get(name);
      if (existing && !options.allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
      let targetState: TargetState = options.initialState ?? 'RUNNING';
      if (existing) {
        // Replaced: stopped, then started with the new config in the target state it had.
        targetState = options.initialState ?? this.targetStateOf(name);
        this.deps.logger.info(`Connector ${name} config updated: restarting it with the new config`, { connector: name });
      }
      this.entries.set(name, { submitted, spec });
      try {
        if (existing) await this.deps.worker.replaceConnector(spec, targetState);
        else await this.deps.worker.startConnector(spec, targetState);
      } catch (err) {
        // Kept, as FAILED with its trace, like Kafka; the request fails.
        throw new ConnectError(`Failed to start connector ${name}: ${asConnectError(err).message}`, { cause: err });
      }
      return { created: !existing, info: this.connectorInfo(name) };
    });
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const merged = this.connectorConfig(name);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    const { info } = await this.putConnectorConfig(name, merged, { allowReplace: true });
    return info;
  }

  /** Validation as for a connector file; a failure is a BadRequestError with Kafka's message. */
  private validate(name: string, submitted: Record<string, string>): ValidatedConnector {
    if (submitted.name !== name) {
      throw new BadRequestError(`Connector name configuration (${submitted.name}) doesn't match connector name in the URL (${name})`);
    }
    try {
      return this.deps.validate(submitted, `connector ${name}`);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      throw new BadRequestError(this.invalidConfigText(submitted, err), { cause: err });
    }
  }

  /**
   * Kafka's "Connector configuration is invalid..." from every key's errors, or from the one error
   * found. The keys are checked as submitted (variables unresolved), so a message never echoes a
   * secret a config provider resolved.
   */
  private invalidConfigText(submitted: Record<string, string>, err: ConfigError): string {
    let infos: ConfigInfos | null = null;
    try {
      infos = configInfos().validateConnectorConfigInfos(this.deps.plugins, this.deps.config, submitted);
    } catch {
      infos = null; // not available: the one error validation found
    }
    if (infos && infos.error_count > 0) return configInfos().invalidConfigMessage(infos);
    return configInfos().invalidConfigErrorsMessage([err.message]);
  }

  private targetStateOf(name: string): TargetState {
    const state = this.deps.worker.connectorTargetState(name);
    return state ?? 'RUNNING';
  }

  async deleteConnector(name: string): Promise<void> {
    await this.exclusive(async () => {
      this.entry(name);
      this.entries.delete(name);
      await this.deps.worker.deleteConnector(name);
      this.deps.logger.info(`Connector ${name} deleted`, { connector: name });
    });
  }

  async pauseConnector(name: string): Promise<void> {
    await this.exclusive(async () => {
      this.entry(name);
      this.deps.worker.pauseConnector(name);
      this.deps.logger.info(`Connector ${name} paused`, { connector: name });
    });
  }

  async resumeConnector(name: string): Promise<void> {
    await this.exclusive(async () => {
      this.entry(name);
      await this.deps.worker.resumeConnector(name);
      this.deps.logger.info(`Connector ${name} resumed`, { connector: name });
    });
  }

  async stopConnector(name: string): Promise<void> {
    await this.exclusive(async () => {
      this.entry(name);
      await this.deps.worker.stopConnector(name);
      this.deps.logger.info(`Connector ${name} stopped`, { connector: name });
    });
  }

  async restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null> {
    return this.exclusive(async () => {
      this.entry(name);
      if (!request.includeTasks && !request.onlyFailed) {
        await this.deps.worker.restartConnector(name);
        return null;
      }
      const plan = restartPlan(this.connectorStatus(name), request);
      this.deps.logger.info(`Restarting connector ${name}${plan.restartConnector ? '' : ' (tasks only)'} and ${plan.taskIds.length} task(s) (includeTasks=${request.includeTasks}, onlyFailed=${request.onlyFailed})`, { connector: name });
      if (plan.restartConnector) {
        await this.deps.worker.restartConnector(name).catch((err: unknown) => this.deps.logger.error(`Connector ${name} restart failed`, { err: asConnectError(err), connector: name }));
      }
      for (const task of plan.taskIds) await this.deps.worker.restartTask(name, task);
      return plan.status;
    });
  }

  async restartTask(name: string, task: number): Promise<void> {
    await this.exclusive(async () => {
      this.entry(name);
      if (task < 0 || task >= this.deps.worker.taskConfigs(name).length) throw NotFoundError.task(name, task);
      await this.deps.worker.restartTask(name, task);
    });
  }

  connectorActiveTopics(name: string): string[] {
    this.checkTopicTracking(false);
    this.entry(name);
    return this.deps.worker.activeTopics(name);
  }

  resetConnectorActiveTopics(name: string): void {
    this.checkTopicTracking(true);
    this.entry(name);
    this.deps.worker.resetActiveTopics(name);
  }

  /** topic.tracking.enable / topic.tracking.allow.reset: Kafka refuses with 403 before looking the connector up. */
  private checkTopicTracking(reset: boolean): void {
    const { config } = this.deps;
    if (!config.getBoolean('topic.tracking.enable')) throw new HerderRequestError('Topic tracking is disabled.', 403);
    if (reset && !config.getBoolean('topic.tracking.allow.reset')) throw new HerderRequestError('Topic tracking reset is disabled.', 403);
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    return this.deps.offsets.get(this.entry(name).spec);
  }

  async alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string> {
    return this.exclusive(async () => this.deps.offsets.alter(this.stoppedConnector(name).spec, offsets));
  }

  async resetConnectorOffsets(name: string): Promise<string> {
    return this.exclusive(async () => this.deps.offsets.reset(this.stoppedConnector(name).spec));
  }

  /** Kafka's check before offsets are modified: the connector is STOPPED and has no tasks. */
  private stoppedConnector(name: string): ConnectorEntry {
    const entry = this.entry(name);
    const status = this.deps.worker.connectorStatus(name);
    if (this.deps.worker.connectorTargetState(name) !== 'STOPPED' || !status || status.tasks.length > 0) {
      throw new BadRequestError(
        "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the " +
          `'/connectors/${name}/stop' endpoint`,
      );
    }
    return entry;
  }

  connectorPlugins(connectorsOnly: boolean): PluginInfo[] {
    return configInfos().connectorPluginInfos(this.deps.plugins, connectorsOnly);
  }

  connectorPluginConfig(pluginName: string): ConfigKeyInfo[] {
    return configInfos().connectorPluginConfigKeys(this.deps.plugins, pluginName);
  }

  validateConnectorConfig(pluginName: string, config: Record<string, string>): ConfigInfos {
    return configInfos().validateConnectorConfigInfos(this.deps.plugins, this.deps.config, config, pluginName);
  }
}
