import { ConfigDef, ConnectError, ConnectorPlugin } from '../../../../src/api';
import { builtinPlugins } from '../../../../src/cli/builtin-plugins';
import { validateConnector, ValidatedConnector } from '../../../../src/runtime/connector-validation';
import { ConnectorOffsets } from '../../../../src/runtime/herder/herder';
import { AlreadyExistsError, BadRequestError, HerderRequestError, NotFoundError } from '../../../../src/runtime/herder/herder-errors';
import { StandaloneHerder } from '../../../../src/runtime/herder/standalone-herder';
import type { KafkaClientFactory } from '../../../../src/runtime/kafka/kafka-client-factory';
import { Worker } from '../../../../src/runtime/worker';
import { parseWorkerConfig } from '../../../../src/runtime/worker-config';
import { batch, FakeConsumer, FakeProducer, MemoryOffsetStore, record, RecordingLogger, RecordingSinkTask, ScriptedSourceTask, waitFor } from '../fakes';

/** Connectors whose tasks the test holds: each created task is kept, in order. */
class Tasks {
  readonly sources: ScriptedSourceTask[] = [];
  readonly sinks: RecordingSinkTask[] = [];
  readonly consumers: FakeConsumer[] = [];
  connectorStarts = 0;
  connectorStops = 0;
  failStart: Error | null = null;

  plugin(kind: 'source' | 'sink'): ConnectorPlugin {
    const base = {
      version: () => 'test',
      config: () => new ConfigDef(),
      initialize: () => undefined,
      start: () => {
        this.connectorStarts++;
        if (this.failStart) throw this.failStart;
      },
      taskConfigs: (max: number) => Array.from({ length: max }, (_, i) => ({ 'task.index': String(i) })),
      stop: () => {
        this.connectorStops++;
      },
    };
    return {
      className: `test.${kind}`,
      aliases: [],
      kind,
      create: () =>
        kind === 'source'
          ? { ...base, kind, createTask: () => this.push(this.sources, new ScriptedSourceTask()) }
          : { ...base, kind, createTask: () => this.push(this.sinks, new RecordingSinkTask()) },
    };
  }

  private push<T>(list: T[], task: T): T {
    list.push(task);
    return task;
  }
}

const started: Worker[] = [];

async function setup(workerProps: Record<string, string> = {}) {
  const tasks = new Tasks();
  const plugins = builtinPlugins();
  plugins.registerConnector(tasks.plugin('source'));
  plugins.registerConnector(tasks.plugin('sink'));
  const config = parseWorkerConfig({
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': '/unused',
    'offset.flush.interval.ms': '5',
    ...workerProps,
  });
  const producers: FakeProducer[] = [];
  const clients: KafkaClientFactory = {
    checkReachable: async () => undefined,
    ensureTopic: async () => 'exists',
    createProducer: () => {
      const p = new FakeProducer({ autoAck: true });
      producers.push(p);
      return p;
    },
    createConsumer: () => {
      const c = new FakeConsumer();
      tasks.consumers.push(c);
      return c;
    },
  };
  const logger = new RecordingLogger();
  const offsetStore = new MemoryOffsetStore();
  const worker = new Worker({ config, plugins, offsetStore, clients, logger });
  await worker.start();
  started.push(worker);
  const offsetCalls: string[] = [];
  const herder = new StandaloneHerder({
    worker,
    workerId: '127.0.0.1:8083',
    validate: (props, origin) => validateConnector(props, origin, config, plugins),
    offsets: {
      get: async (spec: ValidatedConnector) => {
        offsetCalls.push(`get ${spec.name}`);
        return { offsets: [] };
      },
      alter: async (spec: ValidatedConnector, body: ConnectorOffsets) => {
        offsetCalls.push(`alter ${spec.name} ${JSON.stringify(body)}`);
        return 'The offsets for this connector have been altered successfully';
      },
      reset: async (spec: ValidatedConnector) => {
        offsetCalls.push(`reset ${spec.name}`);
        return 'The offsets for this connector have been reset successfully';
      },
    },
    plugins,
    config,
    logger,
  });
  return { tasks, herder, worker, producers, offsetCalls, logger, offsetStore };
}

afterEach(async () => {
  for (const w of started.splice(0)) await w.stop();
});

const SOURCE = { 'connector.class': 'test.source', 'tasks.max': '2' };
const SINK = { 'connector.class': 'test.sink', 'tasks.max': '1', topics: 'in' };

async function expectRejects(p: Promise<unknown>, type: new (...args: never[]) => HerderRequestError, status: number, message: string | RegExp) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(type);
  expect((err as HerderRequestError).status).toBe(status);
  if (typeof message === 'string') expect((err as Error).message).toBe(message);
  else expect((err as Error).message).toMatch(message);
}

describe('StandaloneHerder: creating and reading connectors', () => {
  it('creates a connector and reports it RUNNING with its tasks, as Kafka shapes them', async () => {
    const { herder } = await setup();
    const { created, info } = await herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false });
    expect(created).toBe(true);
    expect(info).toEqual({ name: 'src', config: { ...SOURCE, name: 'src' }, tasks: [{ connector: 'src', task: 0 }, { connector: 'src', task: 1 }], type: 'source' });
    expect(herder.connectors()).toEqual(['src']);
    expect(herder.connectorStatus('src')).toEqual({
      name: 'src',
      connector: { state: 'RUNNING', worker_id: '127.0.0.1:8083' },
      tasks: [
        { id: 0, state: 'RUNNING', worker_id: '127.0.0.1:8083' },
        { id: 1, state: 'RUNNING', worker_id: '127.0.0.1:8083' },
      ],
      type: 'source',
    });
    expect(herder.taskConfigs('src')).toEqual([
      { id: { connector: 'src', task: 0 }, config: { 'task.index': '0' } },
      { id: { connector: 'src', task: 1 }, config: { 'task.index': '1' } },
    ]);
    expect(herder.taskStatus('src', 1)).toEqual({ id: 1, state: 'RUNNING', worker_id: '127.0.0.1:8083' });
  });

  it('answers 404 for an unknown connector or task and 409 for a second POST of a name', async () => {
    const { herder } = await setup();
    expect(() => herder.connectorStatus('nope')).toThrow(NotFoundError);
    expect(() => herder.connectorInfo('nope')).toThrow('Connector nope not found');
    await expectRejects(herder.pauseConnector('nope'), NotFoundError, 404, 'Connector nope not found');
    await expectRejects(herder.deleteConnector('nope'), NotFoundError, 404, 'Connector nope not found');
    await herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false });
    expect(() => herder.taskStatus('src', 7)).toThrow('Task src-7 not found');
    await expectRejects(herder.restartTask('src', 7), NotFoundError, 404, 'Task src-7 not found');
    await expectRejects(herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false }), AlreadyExistsError, 409, 'Connector src already exists');
  });

  it('rejects an invalid config with 400 and Kafka\'s message, and starts nothing', async () => {
    const { herder, tasks } = await setup();
    await expectRejects(
      herder.putConnectorConfig('bad', { 'connector.class': 'test.source', 'tasks.max': 'many' }, { allowReplace: false }),
      BadRequestError,
      400,
      /^Connector configuration is invalid and contains the following 1 error\(s\):\nInvalid value many for configuration tasks\.max: Not a number of type INT\nYou can also find the above list of errors at the endpoint `\/connector-plugins\/\{connectorType\}\/config\/validate`$/,
    );
    // Every key's errors, as Kafka lists them (not only the first one validation stopped at).
    await expectRejects(
      herder.putConnectorConfig('bad', { 'connector.class': 'test.source', 'tasks.max': 'many', 'errors.tolerance': 'some' }, { allowReplace: false }),
      BadRequestError,
      400,
      /^Connector configuration is invalid and contains the following 2 error\(s\):\n.*tasks\.max.*\n.*errors\.tolerance/,
    );
    await expectRejects(herder.putConnectorConfig('bad', { ...SOURCE, name: 'other' }, { allowReplace: true }), BadRequestError, 400, "Connector name configuration (other) doesn't match connector name in the URL (bad)");
    expect(herder.connectors()).toEqual([]);
    expect(tasks.connectorStarts).toBe(0);
  });

  it('replaces a running connector\'s config: stopped, then started with the new one; PATCH merges and removes keys', async () => {
    const { herder, tasks } = await setup();
    await herder.putConnectorConfig('src', { ...SOURCE, extra: 'x' }, { allowReplace: false });
    const first = [...tasks.sources];
    const { created, info } = await herder.putConnectorConfig('src', { ...SOURCE, 'tasks.max': '1', extra: 'x' }, { allowReplace: true });
    expect(created).toBe(false);
    expect(first.every((t) => t.stopped)).toBe(true);
    expect(info.tasks).toEqual([{ connector: 'src', task: 0 }]);
    const patched = await herder.patchConnectorConfig('src', { extra: null, 'tasks.max': '3' });
    expect(patched.config).toEqual({ ...SOURCE, name: 'src', 'tasks.max': '3' });
    expect(herder.connectorStatus('src').tasks.map((t) => t.state)).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
    expect(tasks.connectorStops).toBe(2);
  });

  it('creates a connector in the initial_state asked for (KIP-980)', async () => {
    const { herder, tasks } = await setup();
    await herder.putConnectorConfig('paused', { ...SOURCE }, { allowReplace: false, initialState: 'PAUSED' });
    expect(herder.connectorStatus('paused').connector.state).toBe('PAUSED');
    expect(herder.connectorStatus('paused').tasks.map((t) => t.state)).toEqual(['PAUSED', 'PAUSED']);
    await herder.putConnectorConfig('stopped', { ...SOURCE }, { allowReplace: false, initialState: 'STOPPED' });
    expect(herder.connectorStatus('stopped')).toEqual({ name: 'stopped', connector: { state: 'STOPPED', worker_id: '127.0.0.1:8083' }, tasks: [], type: 'source' });
    expect(tasks.connectorStarts).toBe(1);
  });

  it('deletes a connector: its tasks stop and it is forgotten', async () => {
    const { herder, tasks } = await setup();
    await herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false });
    await herder.deleteConnector('src');
    expect(herder.connectors()).toEqual([]);
    expect(tasks.sources.every((t) => t.stopped)).toBe(true);
    expect(tasks.connectorStops).toBe(1);
    await herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false });
    expect(herder.connectorStatus('src').connector.state).toBe('RUNNING');
  });
});

describe('StandaloneHerder: pause, resume, stop', () => {
  it('pauses source tasks: nothing more is polled until resume, then it continues', async () => {
    const { herder, tasks, producers } = await setup();
    await herder.putConnectorConfig('src', { ...SOURCE, 'tasks.max': '1' }, { allowReplace: false });
    const task = tasks.sources[0];
    task.push([record('out', 'a', 1)]);
    await waitFor(() => producers[0].sends.length === 1, 'the first record sent');
    await waitFor(() => task.polls === 2, 'the next poll waiting');
    await herder.pauseConnector('src');
    expect(herder.connectorStatus('src').connector.state).toBe('PAUSED');
    expect(herder.connectorStatus('src').tasks[0].state).toBe('PAUSED');
    // The poll under way when the pause came returns its batch, which waits for the resume; no poll follows.
    task.push([record('out', 'b', 2)]);
    task.push([record('out', 'c', 3)]);
    await new Promise((r) => setTimeout(r, 50));
    expect(task.polls).toBe(2);
    expect(producers[0].sends.length).toBe(1);
    await herder.resumeConnector('src');
    await waitFor(() => producers[0].sends.length === 2, 'the held batch sent after resume');
    producers[0].ackAll();
    await waitFor(() => producers[0].sends.length === 3, 'the record pushed while paused sent after resume');
    expect(producers[0].sends.flatMap((s) => s.records.map((r) => String(r.value)))).toEqual(['a', 'b', 'c']);
    expect(herder.connectorStatus('src').tasks[0].state).toBe('RUNNING');
  });

  it('pauses a sink task\'s partitions, consumes nothing while paused, and resumes them', async () => {
    const { herder, tasks } = await setup();
    await herder.putConnectorConfig('snk', { ...SINK }, { allowReplace: false });
    await waitFor(() => tasks.consumers[0]?.listener !== null && tasks.consumers[0]?.listener !== undefined, 'the consumer started');
    const consumer = tasks.consumers[0];
    await consumer.assign([{ topic: 'in', partition: 0 }]);
    expect(await consumer.deliver(batch('in', 0, 0, [Buffer.from('a')]))).toBe(true);
    await herder.pauseConnector('snk');
    expect([...consumer.paused]).toEqual(['in-0']);
    // A batch fetched before the pause is not consumed: it is fetched again after resume.
    expect(await consumer.deliver(batch('in', 0, 1, [Buffer.from('b')]))).toBe(false);
    await consumer.assign([{ topic: 'in', partition: 1 }]);
    expect([...consumer.paused].sort()).toEqual(['in-0', 'in-1']);
    await herder.resumeConnector('snk');
    expect([...consumer.paused]).toEqual([]);
    expect(await consumer.deliver(batch('in', 0, 1, [Buffer.from('b')]))).toBe(true);
    expect(tasks.sinks[0].batches.map((b) => b.map((r) => r.value))).toEqual([['a'], ['b']]);
    expect(herder.connectorActiveTopics('snk')).toEqual(['in']);
  });

  it('stops a connector (KIP-875): STOPPED with no tasks; resume starts it with new tasks', async () => {
    const { herder, tasks } = await setup();
    await herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false });
    await herder.stopConnector('src');
    expect(herder.connectorStatus('src')).toEqual({ name: 'src', connector: { state: 'STOPPED', worker_id: '127.0.0.1:8083' }, tasks: [], type: 'source' });
    expect(herder.connectorInfo('src').tasks).toEqual([]);
    expect(tasks.sources.every((t) => t.stopped)).toBe(true);
    expect(tasks.connectorStops).toBe(1);
    await herder.resumeConnector('src');
    expect(herder.connectorStatus('src').tasks.map((t) => t.state)).toEqual(['RUNNING', 'RUNNING']);
    expect(tasks.sources.length).toBe(4);
  });
});

describe('StandaloneHerder: failures and restarts', () => {
  it('reports a failed task with its trace and restarts it without restarting the process', async () => {
    const { herder, tasks } = await setup();
    await herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false });
    tasks.sources[1].push(new ConnectError('poll failed', { cause: new Error('disk gone') }));
    await waitFor(() => herder.connectorStatus('src').tasks[1].state === 'FAILED', 'task 1 FAILED');
    const failed = herder.taskStatus('src', 1);
    expect(failed.trace).toMatch(/^ConnectError: poll failed\n\tat /);
    expect(failed.trace).toMatch(/\nCaused by: Error: disk gone\n\tat /);
    const answer = await herder.restartConnector('src', { includeTasks: true, onlyFailed: true });
    expect(answer?.connector.state).toBe('RUNNING');
    expect(answer?.tasks.map((t) => t.state)).toEqual(['RUNNING', 'RESTARTING']);
    expect(tasks.sources.length).toBe(3);
    expect(tasks.sources[0].stopped).toBe(false);
    expect(herder.connectorStatus('src').tasks.map((t) => t.state)).toEqual(['RUNNING', 'RUNNING']);
    expect(herder.taskStatus('src', 1).trace).toBeUndefined();
  });

  it('restarts the connector only (204) or the connector and every task', async () => {
    const { herder, tasks } = await setup();
    await herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false });
    expect(await herder.restartConnector('src', { includeTasks: false, onlyFailed: false })).toBeNull();
    expect(tasks.connectorStarts).toBe(2);
    expect(tasks.sources.length).toBe(2);
    const all = await herder.restartConnector('src', { includeTasks: true, onlyFailed: false });
    expect(all?.connector.state).toBe('RESTARTING');
    expect(all?.tasks.map((t) => t.state)).toEqual(['RESTARTING', 'RESTARTING']);
    expect(tasks.connectorStarts).toBe(3);
    expect(tasks.sources.length).toBe(4);
    await herder.restartTask('src', 0);
    expect(tasks.sources.length).toBe(5);
    expect(tasks.sources[2].stopped).toBe(true);
  });

  it('keeps a connector that fails to start as FAILED with its trace; a restart brings it up', async () => {
    const { herder, tasks } = await setup();
    tasks.failStart = new Error('cannot reach the database');
    await expect(herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false })).rejects.toThrow('Failed to start connector src: cannot reach the database');
    const status = herder.connectorStatus('src');
    expect(status.connector.state).toBe('FAILED');
    // Wrapped in the runtime's ConnectError, the connector's own error as the cause, as Kafka reports it.
    expect(status.connector.trace).toMatch(/^ConnectError: cannot reach the database\n\tat [^\n]+\n(\tat [^\n]+\n)*Caused by: Error: cannot reach the database\n\tat /);
    tasks.failStart = null;
    const answer = await herder.restartConnector('src', { includeTasks: false, onlyFailed: true });
    expect(answer?.connector.state).toBe('RESTARTING');
    expect(herder.connectorStatus('src').connector.state).toBe('RUNNING');
    expect(herder.connectorStatus('src').tasks.length).toBe(2);
  });
});

describe('StandaloneHerder: offsets and active topics', () => {
  it('alters and resets offsets only while the connector is STOPPED, through the offsets manager', async () => {
    const { herder, offsetCalls } = await setup();
    await herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false });
    const body = { offsets: [{ partition: { filename: 'a' }, offset: { position: 0 } }] };
    const notStopped = "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/src/stop' endpoint";
    await expectRejects(herder.alterConnectorOffsets('src', body), BadRequestError, 400, notStopped);
    await herder.pauseConnector('src');
    await expectRejects(herder.resetConnectorOffsets('src'), BadRequestError, 400, notStopped);
    expect(await herder.connectorOffsets('src')).toEqual({ offsets: [] });
    await herder.stopConnector('src');
    expect(await herder.alterConnectorOffsets('src', body)).toBe('The offsets for this connector have been altered successfully');
    expect(await herder.resetConnectorOffsets('src')).toBe('The offsets for this connector have been reset successfully');
    expect(offsetCalls).toEqual(['get src', `alter src ${JSON.stringify(body)}`, 'reset src']);
  });

  it('tracks the topics a source produced to (KIP-558) across task restarts, until reset', async () => {
    const { herder, tasks, producers } = await setup();
    await herder.putConnectorConfig('src', { ...SOURCE, 'tasks.max': '1' }, { allowReplace: false });
    tasks.sources[0].push([record('b-topic', 'x', 1), record('b-topic', 'y', 2), record('a-topic', 'z', 3)]);
    await waitFor(() => herder.connectorActiveTopics('src').length === 2, 'both topics active');
    expect(herder.connectorActiveTopics('src')).toEqual(['a-topic', 'b-topic']);
    await herder.restartTask('src', 0);
    expect(herder.connectorActiveTopics('src')).toEqual(['a-topic', 'b-topic']);
    herder.resetConnectorActiveTopics('src');
    expect(herder.connectorActiveTopics('src')).toEqual([]);
    tasks.sources[1].push([record('c-topic', 'w', 4)]);
    await waitFor(() => producers[1].sends.length === 1, 'sent');
    await waitFor(() => herder.connectorActiveTopics('src').length === 1, 'c-topic active');
    expect(herder.connectorActiveTopics('src')).toEqual(['c-topic']);
  });

  it('topic.tracking.enable=false: the topics requests are refused with 403, as Kafka does', async () => {
    const { herder } = await setup({ 'topic.tracking.enable': 'false' });
    await herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false });
    expect(() => herder.connectorActiveTopics('src')).toThrow(expect.objectContaining({ status: 403, message: 'Topic tracking is disabled.' }));
    expect(() => herder.resetConnectorActiveTopics('src')).toThrow(expect.objectContaining({ status: 403, message: 'Topic tracking is disabled.' }));
  });

  it('topic.tracking.allow.reset=false: the list is served, a reset is refused with 403', async () => {
    const { herder } = await setup({ 'topic.tracking.allow.reset': 'false' });
    await herder.putConnectorConfig('src', { ...SOURCE }, { allowReplace: false });
    expect(herder.connectorActiveTopics('src')).toEqual([]);
    expect(() => herder.resetConnectorActiveTopics('src')).toThrow(expect.objectContaining({ status: 403, message: 'Topic tracking reset is disabled.' }));
  });
});
