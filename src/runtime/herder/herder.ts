/**
 * The standalone herder's contract (Kafka's Herder, as StandaloneHerder implements it): the one
 * place that creates, reconfigures, pauses, resumes, stops, restarts and deletes connectors and
 * their tasks, reports their states, and reads and changes their offsets. The CLI (connector files,
 * --once) and the REST API (src/rest) drive connectors only through it.
 *
 * Shapes are Kafka Connect's REST shapes (snake_case where Kafka's JSON has it), so the REST layer
 * serializes them as they are. Methods that change something are async and resolve once the change
 * is done (e.g. the connector is running, or stopped); they reject with a HerderRequestError
 * (herder-errors.ts) carrying the HTTP status Kafka answers with, or with a ConfigError (400).
 */

/** A connector's or task's state as Kafka reports it. */
export type ConnectorStateName = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';

/** The state a connector is asked to be in (Kafka's TargetState); also POST /connectors' initial_state. */
export type TargetState = 'RUNNING' | 'PAUSED' | 'STOPPED';

export type ConnectorType = 'source' | 'sink';

/** `{"state":"RUNNING","worker_id":"127.0.0.1:8083"}`; `trace` (the error's stack with its causes) only when FAILED. */
export interface StateInfo {
  state: ConnectorStateName;
  worker_id: string;
  trace?: string;
}

export interface TaskStateInfo extends StateInfo {
  id: number;
}

/** GET /connectors/{name}/status. A STOPPED connector has no tasks. */
export interface ConnectorStateInfo {
  name: string;
  connector: StateInfo;
  tasks: TaskStateInfo[];
  type: ConnectorType;
}

export interface ConnectorTaskIdInfo {
  connector: string;
  task: number;
}

/** GET /connectors/{name}: the config as submitted (variables unresolved) and the current tasks. */
export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: ConnectorTaskIdInfo[];
  type: ConnectorType;
}

/** One element of GET /connectors/{name}/tasks: the task's config as the connector generated it. */
export interface TaskInfo {
  id: ConnectorTaskIdInfo;
  config: Record<string, string>;
}

/**
 * KIP-875's offsets body, GET /connectors/{name}/offsets and PATCH's request body. Sources: the
 * connector's own partition and offset maps. Sinks: partition `{"kafka_topic":t,"kafka_partition":p}`,
 * offset `{"kafka_offset":o}`. In PATCH, a null offset removes that partition's offset.
 */
export interface ConnectorOffsets {
  offsets: Array<{ partition: Record<string, unknown>; offset: Record<string, unknown> | null }>;
}

/** POST /connectors/{name}/restart query parameters. */
export interface RestartRequest {
  includeTasks: boolean;
  onlyFailed: boolean;
}

/** A plugin as GET /connector-plugins lists it. */
export interface PluginInfo {
  class: string;
  type: 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate';
  version?: string;
}

/** Kafka's ConfigKeyInfo (GET /connector-plugins/{plugin}/config, and the definition part of ConfigInfos). */
export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  order_in_group: number;
  width: string;
  display_name: string;
  dependents: string[];
}

/** Kafka's ConfigValueInfo: the value given and its errors. */
export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

/** PUT /connector-plugins/{plugin}/config/validate: Kafka's ConfigInfos. */
export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  /** definition is null for a value no ConfigDef defines (e.g. an unknown client override), as in Kafka. */
  configs: Array<{ definition: ConfigKeyInfo | null; value: ConfigValueInfo }>;
}

export interface Herder {
  /** This worker's id in states: the REST advertised `host:port` (Kafka's worker_id). */
  readonly workerId: string;

  /** Names of the connectors, in creation order. */
  connectors(): string[];
  /** @throws NotFoundError */
  connectorInfo(name: string): ConnectorInfo;
  /** The config as submitted. @throws NotFoundError */
  connectorConfig(name: string): Record<string, string>;
  /** @throws NotFoundError */
  connectorStatus(name: string): ConnectorStateInfo;
  /** @throws NotFoundError (of the connector or the task) */
  taskStatus(name: string, task: number): TaskStateInfo;
  /** @throws NotFoundError */
  taskConfigs(name: string): TaskInfo[];

  /**
   * Creates (POST /connectors, allowReplace false: an existing name is an AlreadyExistsError) or
   * creates-or-replaces (PUT .../config) a connector. The config goes through the same variable
   * resolution, validation and client override policy as a connector file; an invalid one is a
   * BadRequestError with Kafka's "Connector configuration is invalid and contains the following N
   * error(s):" message. A replaced connector is stopped and started with the new config.
   */
  putConnectorConfig(name: string, config: Record<string, string>, options: { allowReplace: boolean; initialState?: TargetState }): Promise<{ created: boolean; info: ConnectorInfo }>;
  /** PATCH .../config: merges (a null value removes the key), then as putConnectorConfig. */
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>;
  /** Stops the connector and its tasks and forgets it (its offsets stay). */
  deleteConnector(name: string): Promise<void>;

  pauseConnector(name: string): Promise<void>;
  /** From PAUSED or STOPPED back to RUNNING (a STOPPED connector is started again, with new tasks). */
  resumeConnector(name: string): Promise<void>;
  /** KIP-875: shuts the connector and its tasks down; status STOPPED with no tasks. */
  stopConnector(name: string): Promise<void>;
  /**
   * Kafka's restart: without includeTasks/onlyFailed, the connector only, resolving null (HTTP 204);
   * otherwise the connector and/or tasks chosen, resolving the status with RESTARTING for what is
   * restarted (HTTP 202).
   */
  restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null>;
  restartTask(name: string, task: number): Promise<void>;

  /** KIP-558: topics the connector's tasks produced to or consumed from since the last reset. */
  connectorActiveTopics(name: string): string[];
  resetConnectorActiveTopics(name: string): void;

  /** KIP-875 GET .../offsets. */
  connectorOffsets(name: string): Promise<ConnectorOffsets>;
  /** KIP-875 PATCH .../offsets: only while STOPPED (else BadRequestError); resolves Kafka's message text. */
  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<string>;
  /** KIP-875 DELETE .../offsets: only while STOPPED; resolves Kafka's message text. */
  resetConnectorOffsets(name: string): Promise<string>;

  /** GET /connector-plugins (connectorsOnly false: converters, transforms and predicates too). */
  connectorPlugins(connectorsOnly: boolean): PluginInfo[];
  /** GET /connector-plugins/{plugin}/config. @throws NotFoundError */
  connectorPluginConfig(pluginName: string): ConfigKeyInfo[];
  /** PUT /connector-plugins/{plugin}/config/validate: every key's errors, none thrown. */
  validateConnectorConfig(pluginName: string, config: Record<string, string>): ConfigInfos;
}

/** Log levels at run time (GET/PUT /admin/loggers). Names are logger names; "root" is the root. */
export interface AdminLoggers {
  /** Every logger with an explicitly set level, and root: name -> { level (Kafka's upper case), last_modified (ms or null) }. */
  levels(): Record<string, { level: string; last_modified: number | null }>;
  /** @throws NotFoundError for an unknown logger */
  level(name: string): { level: string; last_modified: number | null };
  /** Sets the level of the logger and its children; returns the names changed. @throws BadRequestError for an unknown level */
  setLevel(name: string, level: string): string[];
}

/** The Prometheus exposition of the worker's metrics (GET /metrics). */
export interface MetricsEndpoint {
  readonly contentType: string;
  text(): Promise<string>;
}
