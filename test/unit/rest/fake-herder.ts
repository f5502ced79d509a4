import { ConfigError } from '../../../src/api';
import type { AdminLoggers, ConfigInfos, ConnectorInfo, ConnectorOffsets, ConnectorStateInfo, Herder, RestartRequest, TargetState } from '../../../src/runtime/herder/herder';
import { AlreadyExistsError, BadRequestError, NotFoundError } from '../../../src/runtime/herder/herder-errors';

/** A Herder over a map, recording every call, for route tests. */
export class FakeHerder implements Herder {
  readonly workerId = '127.0.0.1:8083';
  readonly calls: Array<[string, ...unknown[]]> = [];
  readonly configs = new Map<string, Record<string, string>>();
  readonly states = new Map<string, TargetState>();
  failNext: Error | null = null;

  private connector(name: string): Record<string, string> {
    const c = this.configs.get(name);
    if (!c) throw NotFoundError.connector(name);
    return c;
  }
  private record(method: string, ...args: unknown[]): void {
    this.calls.push([method, ...args]);
    const err = this.failNext;
    this.failNext = null;
    if (err) throw err;
  }

  connectors(): string[] {
    return [...this.configs.keys()];
  }
  connectorInfo(name: string): ConnectorInfo {
    const config = this.connector(name);
    return { name, config, tasks: [{ connector: name, task: 0 }], type: 'source' };
  }
  connectorConfig(name: string): Record<string, string> {
    return this.connector(name);
  }
  connectorStatus(name: string): ConnectorStateInfo {
    this.connector(name);
    const state = this.states.get(name) ?? 'RUNNING';
    return { name, connector: { state, worker_id: this.workerId }, tasks: state === 'STOPPED' ? [] : [{ id: 0, state, worker_id: this.workerId }], type: 'source' };
  }
  taskStatus(name: string, task: number) {
    const status = this.connectorStatus(name);
    const t = status.tasks.find((x) => x.id === task);
    if (!t) throw NotFoundError.task(name, task);
    return t;
  }
  taskConfigs(name: string) {
    return [{ id: { connector: name, task: 0 }, config: { ...this.connector(name), 'task.class': 'X' } }];
  }
  async putConnectorConfig(name: string, config: Record<string, string>, options: { allowReplace: boolean; initialState?: TargetState }) {
    this.record('putConnectorConfig', name, config, options);
    if (!config['connector.class']) throw new BadRequestError('Connector configuration is invalid and contains the following 1 error(s):\nMissing required configuration "connector.class" which has no default value.');
    const exists = this.configs.has(name);
    if (exists && !options.allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
    this.configs.set(name, config);
    this.states.set(name, options.initialState ?? this.states.get(name) ?? 'RUNNING');
    return { created: !exists, info: this.connectorInfo(name) };
  }
  async patchConnectorConfig(name: string, patch: Record<string, string | null>) {
    this.record('patchConnectorConfig', name, patch);
    const merged: Record<string, string> = { ...this.connector(name) };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    this.configs.set(name, merged);
    return this.connectorInfo(name);
  }
  async deleteConnector(name: string) {
    this.record('deleteConnector', name);
    this.connector(name);
    this.configs.delete(name);
  }
  async pauseConnector(name: string) {
    this.record('pauseConnector', name);
    this.connector(name);
    this.states.set(name, 'PAUSED');
  }
  async resumeConnector(name: string) {
    this.record('resumeConnector', name);
    this.connector(name);
    this.states.set(name, 'RUNNING');
  }
  async stopConnector(name: string) {
    this.record('stopConnector', name);
    this.connector(name);
    this.states.set(name, 'STOPPED');
  }
  async restartConnector(name: string, request: RestartRequest) {
    this.record('restartConnector', name, request);
    this.connector(name);
    if (!request.includeTasks && !request.onlyFailed) return null;
    const s = this.connectorStatus(name);
    return { ...s, connector: { ...s.connector, state: 'RESTARTING' as const }, tasks: s.tasks.map((t) => ({ ...t, state: 'RESTARTING' as const })) };
  }
  async restartTask(name: string, task: number) {
    this.record('restartTask', name, task);
    this.taskStatus(name, task);
  }
  connectorActiveTopics(name: string) {
    this.connector(name);
    return ['topic-a'];
  }
  resetConnectorActiveTopics(name: string) {
    this.record('resetConnectorActiveTopics', name);
    this.connector(name);
  }
  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    this.connector(name);
    return { offsets: [{ partition: { filename: '/tmp/in.txt' }, offset: { position: 42 } }] };
  }
  async alterConnectorOffsets(name: string, offsets: ConnectorOffsets) {
    this.record('alterConnectorOffsets', name, offsets);
    this.connector(name);
    if (this.states.get(name) !== 'STOPPED') throw new BadRequestError('Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a \'PUT\' request to the \'/connectors/' + name + '/stop\' endpoint');
    return 'The offsets for this connector have been altered successfully';
  }
  async resetConnectorOffsets(name: string) {
    this.record('resetConnectorOffsets', name);
    this.connector(name);
    return 'The offsets for this connector have been reset successfully';
  }
  connectorPlugins(connectorsOnly: boolean) {
    const connectors = [{ class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source' as const, version: '3.9.0' }];
    return connectorsOnly ? connectors : [...connectors, { class: 'org.apache.kafka.connect.storage.StringConverter', type: 'converter' as const }];
  }
  connectorPluginConfig(plugin: string) {
    if (!plugin.includes('FileStream')) throw new NotFoundError(`Unknown plugin ${plugin}.`);
    return [];
  }
  validateConnectorConfig(plugin: string, config: Record<string, string>): ConfigInfos {
    this.record('validateConnectorConfig', plugin, config);
    if (config.boom) throw new ConfigError('boom');
    return { name: plugin, error_count: 1, groups: ['Common'], configs: [] };
  }
}

export class FakeLoggers implements AdminLoggers {
  readonly set: Array<[string, string]> = [];
  levels() {
    return { root: { level: 'INFO', last_modified: null } };
  }
  level(name: string) {
    if (name !== 'root') throw new NotFoundError(`Logger ${name} not found.`);
    return { level: 'INFO', last_modified: null };
  }
  setLevel(name: string, level: string) {
    this.set.push([name, level]);
    return [name];
  }
}
