import { asConnectError, AnyConnector, ConnectorContext, ConnectError } from '../api';
import { addCounts, connectorCounts, ConnectorReport, ConnectorStatus, TaskStatus } from './connector-report';
import { ValidatedConnector } from './connector-validation';
import type { TargetState } from './herder/herder';
import { convertImportedKafkaOffsets } from './kafka-offset-conversion';
import { RuntimeLogger } from './runtime-logger';
import type * as SinkBacklogModule from './sink-backlog';
import type { SinkOnceTarget } from './sink-once-target';
import { WorkerDeps } from './worker-deps';
import { createWorkerTask, withRuntimeKeys } from './worker-task-factory';
import { TaskRecordCounts, WorkerTask } from './worker-task';
import { RetiredTaskCounters } from './metrics/retired-task-counters';

export type { ConnectorReport, ConnectorStatus, TaskStatus } from './connector-report';
export type { ExtraReportersFactory, WorkerDeps } from './worker-deps';

interface RunningConnector {
  readonly spec: ValidatedConnector;
  /** The running Connector instance; null while STOPPED (or before its first start). */
  connector: AnyConnector | null;
  tasks: WorkerTask[];
  /** The task configs the running tasks were started with (before the runtime keys were added). */
  taskConfigs: Record<string, string>[];
  /** The pending or running reconfiguration, so requests never overlap (null when idle). */
  reconfiguring: Promise<void> | null;
  /** A request arrived while one was running: run once more after it. */
  reconfigureAgain: boolean;
  state: 'RUNNING' | 'PAUSED' | 'FAILED' | 'STOPPED';
  /** The state asked for (Kafka's TargetState); state follows it unless the connector failed. */
  targetState: TargetState;
  error: ConnectError | null;
  /** --once runs of sink connectors: what the connector must consume. */
  onceTarget: SinkOnceTarget | null;
  startedAt: number;
  /** Counts and active topics of tasks that were stopped or restarted, so reports keep them. */
  retired: TaskRecordCounts;
  retiredTopics: Set<string>;
  /** Bumped whenever the instance is stopped or replaced: calls from an older instance's context are ignored. */
  generation: number;
}



/**
 * Runs connectors and their tasks in one process (Kafka's Worker). Each task owns its async loop; a
 * failing task is marked FAILED and the others keep running. Per connector it can pause and resume
 * the tasks, stop the connector with its tasks and start it again, restart the connector or one
 * task, and delete it; the herder decides when.
 */
export class Worker {
  private readonly connectors = new Map<string, RunningConnector>();
  private stopping = false;
  /** Kafka's connect-worker-metrics connector-startup-* and task-startup-* totals. */
  readonly startups = { connectorAttempts: 0, connectorFailures: 0, taskAttempts: 0, taskFailures: 0 };
  /** Counter totals of stopped task instances, so the metrics' totals continue across restarts. */
  readonly retiredCounters = new RetiredTaskCounters();

  constructor(private readonly deps: WorkerDeps) {}

  /**
   * Loads stored offsets and checks that Kafka answers; both fail start-up with a clear error. When
   * signal aborts (a shutdown requested meanwhile), the wait for Kafka ends at once with a RetryAborted.
   */
  async start(signal?: AbortSignal): Promise<void> {
    await this.deps.offsetStore.start();
    await this.deps.clients.checkReachable(signal);
    this.deps.logger.info('Worker started');
  }

  /**
   * Starts a connector in the target state: RUNNING, PAUSED (connector started, tasks created
   * paused) or STOPPED (nothing started, no tasks). A connector that fails to start stays known as
   * FAILED (with its error) and the error is thrown.
   */
  async startConnector(spec: ValidatedConnector, targetState: TargetState = 'RUNNING'): Promise<void> {
    if (this.connectors.has(spec.name)) throw new ConnectError(`Connector ${spec.name} already runs on this worker`);
    const running: RunningConnector = {
      spec,
      connector: null,
      tasks: [],
      taskConfigs: [],
      reconfiguring: null,
      reconfigureAgain: false,
      state: 'STOPPED',
      targetState,
      error: null,
      onceTarget: null,
      startedAt: (this.deps.now ?? Date.now)(),
      retired: { read: 0, written: 0, skipped: 0, failed: 0 },
      retiredTopics: new Set(),
      generation: 0,
    };
    this.connectors.set(spec.name, running);
    if (targetState === 'STOPPED') {
      this.deps.logger.info(`Connector ${spec.name} created in the STOPPED state: neither it nor its tasks run`, { connector: spec.name });
      return;
    }
    await this.startWithTasks(running);
  }

  /** Starts the connector instance, asks it for its task configs and starts the tasks. */
  private async startWithTasks(running: RunningConnector): Promise<void> {
    const taskConfigs = await this.startInstance(running);
    this.startTasks(running, taskConfigs);
    this.deps.logger.info(`Started connector ${running.spec.name} with ${taskConfigs.length} task(s)`, { connector: running.spec.name });
  }

  /** A new Connector instance, started; returns its task configs. On failure the connector is FAILED. */
  private async startInstance(running: RunningConnector): Promise<Record<string, string>[]> {
    const { spec } = running;
    const logger = this.deps.logger.child({ connector: spec.name });
    const generation = ++running.generation;
    const connector = spec.plugin.create();
    running.connector = connector;
    running.error = null;
    const context: ConnectorContext = {
      connectorName: spec.name,
      logger,
      requestTaskReconfiguration: () => {
        if (running.generation === generation) this.requestReconfiguration(running, logger);
      },
      raiseError: (err) => {
        if (running.generation !== generation) return;
        running.state = 'FAILED';
        running.error = asConnectError(err);
        logger.error(`Connector ${spec.name} raised an error`, { err: running.error });
        this.deps.onTaskSettled?.({ connector: spec.name, task: -1 });
      },
    };
    this.startups.connectorAttempts++;
    try {
      connector.initialize(context);
      await connector.start(spec.props);
      if (connector.kind === 'source') await convertImportedKafkaOffsets(connector, spec.name, this.deps.offsetStore, logger);
      logger.info(`Instantiated connector ${spec.name} with version ${connector.version()} of type ${spec.plugin.className}`);
      if (this.deps.once && connector.kind === 'sink' && !running.onceTarget) {
        // Loaded by --once runs with a sink connector only.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { readSinkBacklog } = require('./sink-backlog') as typeof SinkBacklogModule;
        running.onceTarget = await readSinkBacklog(this.deps, spec, logger);
      }
      const taskConfigs = connector.taskConfigs(spec.config.getInt('tasks.max'));
      running.state = running.targetState === 'PAUSED' ? 'PAUSED' : 'RUNNING';
      return taskConfigs;
    } catch (err) {
      this.startups.connectorFailures++;
      running.state = 'FAILED';
      running.error = asConnectError(err);
      throw err;
    }
  }

  private startTasks(running: RunningConnector, taskConfigs: Record<string, string>[]): void {
    running.taskConfigs = taskConfigs.map((c) => ({ ...c }));
    running.tasks = taskConfigs.map((_, index) => this.newTask(running, index));
    for (const task of running.tasks) this.launch(running, task);
  }

  private newTask(running: RunningConnector, index: number): WorkerTask {
    const props = withRuntimeKeys(running.spec, running.taskConfigs[index]);
    this.startups.taskAttempts++;
    try {
      return createWorkerTask(this.deps, { spec: running.spec, connector: running.connector!, index, props, onceTarget: running.onceTarget });
    } catch (err) {
      this.startups.taskFailures++;
      throw err;
    }
  }

  /** For the metrics collector: every connector with its kind, class, state and live tasks, in start order. */
  metricsView(): Array<{ name: string; kind: 'source' | 'sink'; className: string; state: ConnectorStatus['state']; tasks: readonly WorkerTask[] }> {
    return [...this.connectors.values()].map((c) => ({ name: c.spec.name, kind: c.spec.plugin.kind, className: c.spec.plugin.className, state: c.state, tasks: c.tasks }));
  }

  private launch(running: RunningConnector, task: WorkerTask): void {
    if (running.targetState === 'PAUSED') task.pause();
    void task.settled.then(() => this.deps.onTaskSettled?.(task.id));
    task.start();
  }

  /**
   * ConnectorContext.requestTaskReconfiguration(), as Kafka's standalone herder: ask the connector
   * for its task configs again and, when they changed, stop every task and start the new set.
   * Requests are serialized per connector (one arriving meanwhile runs once after), and none starts
   * tasks once the worker is stopping.
   */
  private requestReconfiguration(running: RunningConnector, logger: RuntimeLogger): void {
    if (this.stopping || !isUp(running)) return;
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
    if (!connector) return;
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
    const stuck = await this.retireTasks(running, running.tasks);
    running.tasks = [];
    if (stuck.length > 0) throw new ConnectError(`task(s) ${stuck.join(', ')} did not stop within task.shutdown.graceful.timeout.ms, so no new tasks were started`);
    if (this.stopping || !isUp(running) || running.connector !== connector) return;
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

  /** Stops tasks for good, keeping their counts and active topics in the connector's reports. */
  private async retireTasks(running: RunningConnector, tasks: WorkerTask[]): Promise<string[]> {
    const stuck = await this.stopTasks(tasks);
    for (const t of tasks) {
      addCounts(running.retired, t.counts());
      this.retiredCounters.retire(t);
      for (const topic of t.activeTopics()) running.retiredTopics.add(topic);
    }
    return stuck;
  }

  /** Stops the Connector instance (not its tasks). Errors are logged. */
  private async stopInstance(running: RunningConnector): Promise<void> {
    running.generation++;
    const connector = running.connector;
    running.connector = null;
    if (!connector) return;
    try {
      await connector.stop();
    } catch (err) {
      this.deps.logger.warn(`Error stopping connector ${running.spec.name}`, { err: asConnectError(err), connector: running.spec.name });
    }
  }

  private get(name: string): RunningConnector {
    const running = this.connectors.get(name);
    if (!running) throw new ConnectError(`Connector ${name} does not run on this worker`);
    return running;
  }

  /** Its tasks stop working but stay alive (Kafka's PAUSED). */
  pauseConnector(name: string): void {
    const running = this.get(name);
    if (running.targetState === 'STOPPED') return;
    running.targetState = 'PAUSED';
    if (running.state === 'RUNNING') running.state = 'PAUSED';
    for (const t of running.tasks) t.pause();
  }

  /** From PAUSED: the tasks continue where they were. From STOPPED: the connector and new tasks start. */
  async resumeConnector(name: string): Promise<void> {
    const running = this.get(name);
    const from = running.targetState;
    running.targetState = 'RUNNING';
    if (from === 'STOPPED') {
      await this.startWithTasks(running);
      return;
    }
    if (running.state === 'PAUSED') running.state = 'RUNNING';
    for (const t of running.tasks) t.resume();
  }

  /** KIP-875: stops the tasks and the connector; it stays known as STOPPED. Returns the tasks that did not stop in time. */
  async stopConnector(name: string): Promise<string[]> {
    const stuck = await this.shutDown(this.get(name));
    this.deps.onTaskSettled?.({ connector: name, task: -1 });
    return stuck;
  }

  /** Stops the connector and its tasks and forgets it. */
  async deleteConnector(name: string): Promise<string[]> {
    const stuck = await this.shutDown(this.get(name));
    this.connectors.delete(name);
    this.retiredCounters.forget(name);
    this.deps.onTaskSettled?.({ connector: name, task: -1 });
    return stuck;
  }

  /** A new config for a known connector: stopped, then started with it in the target state (no run-complete check in between). */
  async replaceConnector(spec: ValidatedConnector, targetState: TargetState): Promise<void> {
    await this.shutDown(this.get(spec.name));
    this.connectors.delete(spec.name);
    await this.startConnector(spec, targetState);
  }

  private async shutDown(running: RunningConnector): Promise<string[]> {
    running.targetState = 'STOPPED';
    await running.reconfiguring;
    const stuck = await this.retireTasks(running, running.tasks);
    running.tasks = [];
    running.taskConfigs = [];
    await this.stopInstance(running);
    running.state = 'STOPPED';
    running.error = null;
    return stuck;
  }

  /**
   * Kafka's connector restart: a new Connector instance (tasks keep running; they are replaced only
   * if its task configs differ). A connector without tasks (it had failed) gets them now. Nothing
   * happens to a STOPPED connector. Throws when the new instance fails to start (it is then FAILED).
   */
  async restartConnector(name: string): Promise<void> {
    const running = this.get(name);
    if (running.targetState === 'STOPPED') return;
    await running.reconfiguring;
    await this.stopInstance(running);
    const taskConfigs = await this.startInstance(running);
    if (running.tasks.length === 0) this.startTasks(running, taskConfigs);
    else this.requestReconfiguration(running, this.deps.logger.child({ connector: name }));
  }

  /** Stops task `index` and starts it again with the same config, in the connector's target state. */
  async restartTask(name: string, index: number): Promise<void> {
    const running = this.get(name);
    const old = running.tasks[index];
    if (!old || !running.connector) throw new ConnectError(`Task ${name}-${index} does not run on this worker`);
    const stuck = await this.retireTasks(running, [old]);
    if (stuck.length > 0) throw new ConnectError(`Task ${name}-${index} did not stop within task.shutdown.graceful.timeout.ms, so it was not started again`);
    if (running.tasks[index] !== old || !running.connector) return; // replaced meanwhile (reconfigured or stopped)
    const task = this.newTask(running, index);
    running.tasks[index] = task;
    this.launch(running, task);
  }

  /** The state asked for (Kafka's TargetState); null for an unknown connector. */
  connectorTargetState(name: string): TargetState | null {
    return this.connectors.get(name)?.targetState ?? null;
  }

  hasConnector(name: string): boolean {
    return this.connectors.has(name);
  }

  connectorStatus(name: string): ConnectorStatus | null {
    const running = this.connectors.get(name);
    if (!running) return null;
    return { state: running.state, error: running.error, kind: running.spec.plugin.kind, tasks: running.tasks.map(statusOf) };
  }

  /** The task configs the connector generated for its current tasks (none while STOPPED). */
  taskConfigs(name: string): Record<string, string>[] {
    return this.get(name).taskConfigs.map((c) => ({ ...c }));
  }

  /** KIP-558: topics the connector's tasks produced to or consumed from since the last reset, sorted. */
  activeTopics(name: string): string[] {
    const running = this.get(name);
    const topics = new Set(running.retiredTopics);
    for (const t of running.tasks) for (const topic of t.activeTopics()) topics.add(topic);
    return [...topics].sort();
  }

  resetActiveTopics(name: string): void {
    const running = this.get(name);
    running.retiredTopics.clear();
    for (const t of running.tasks) t.resetActiveTopics();
  }

  taskStatuses(): TaskStatus[] {
    return [...this.connectors.values()].flatMap((c) => c.tasks.map(statusOf));
  }

  /** One report per connector, in start order. */
  connectorReports(): ConnectorReport[] {
    return [...this.connectors.values()].map((c) => {
      const tasks = c.tasks.map(statusOf);
      const { counts, progress } = connectorCounts(c.tasks, c.retired, c.onceTarget);
      const failed = c.state === 'FAILED' || tasks.some((t) => t.state === 'FAILED');
      const finished = c.targetState !== 'STOPPED' && tasks.every((t) => t.finished);
      const outcome = failed ? 'failed' : finished ? 'finished' : this.stopping || c.targetState === 'STOPPED' ? 'stopped' : 'running';
      return { name: c.spec.name, kind: c.spec.plugin.kind, counts, progress, tasks, outcome, startedAt: c.startedAt };
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
      await this.stopInstance(c);
      if (c.state === 'RUNNING' || c.state === 'PAUSED') c.state = 'STOPPED';
    }
    await this.deps.offsetStore.stop();
    this.deps.logger.info('Worker stopped');
    return stuck;
  }
}

/** Started and not failed or stopped: task reconfigurations apply. */
function isUp(running: RunningConnector): boolean {
  return running.state === 'RUNNING' || running.state === 'PAUSED';
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
