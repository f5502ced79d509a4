import { ConfigDef, ConnectorContext, ConnectorPlugin } from '../../../src/api';
import { builtinPlugins } from '../../../src/cli/builtin-plugins';
import { validateConnector } from '../../../src/runtime/connector-validation';
import type { KafkaClientFactory } from '../../../src/runtime/kafka/kafka-client-factory';
import { Worker } from '../../../src/runtime/worker';
import { parseWorkerConfig } from '../../../src/runtime/worker-config';
import { FakeConsumer, FakeProducer, MemoryOffsetStore, RecordingLogger, ScriptedSourceTask, waitFor } from './fakes';

/** A source connector whose task configs a test changes, then asks the runtime to apply. */
class ReconfigurableConnector {
  context: ConnectorContext | null = null;
  configs: Record<string, string>[] = [{ tables: 'a' }];
  failNext: Error | null = null;
  /** Resolved by the test to let a pending taskConfigs-driven restart go on (null: no hold). */
  readonly tasks: Array<{ task: ScriptedSourceTask; props: Record<string, string> }> = [];

  plugin(): ConnectorPlugin {
    return {
      className: 'test.Reconfigurable',
      aliases: [],
      kind: 'source',
      create: () => ({
        kind: 'source',
        version: () => 'test',
        config: () => new ConfigDef(),
        initialize: (context: ConnectorContext) => {
          this.context = context;
        },
        start: () => undefined,
        taskConfigs: (maxTasks: number) => {
          if (this.failNext) {
            const err = this.failNext;
            this.failNext = null;
            throw err;
          }
          return this.configs.slice(0, maxTasks);
        },
        stop: () => undefined,
        createTask: () => {
          const task = new ScriptedSourceTask();
          const entry = { task, props: {} as Record<string, string> };
          task.start = (props?: Record<string, string>) => {
            entry.props = props ?? {};
          };
          this.tasks.push(entry);
          return task;
        },
      }),
    };
  }
}

async function setup() {
  const connector = new ReconfigurableConnector();
  const plugins = builtinPlugins();
  plugins.registerConnector(connector.plugin());
  const config = parseWorkerConfig({
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': '/unused',
    'offset.flush.interval.ms': '5',
  });
  const clients: KafkaClientFactory = {
    checkReachable: async () => undefined,
    ensureTopic: async () => 'exists',
    createProducer: () => new FakeProducer({ autoAck: true }),
    createConsumer: () => new FakeConsumer(),
  };
  const logger = new RecordingLogger();
  const worker = new Worker({ config, plugins, offsetStore: new MemoryOffsetStore(), clients, logger });
  const spec = validateConnector({ name: 'db', 'connector.class': 'test.Reconfigurable', 'tasks.max': '3' }, 'db.properties', config, plugins);
  await worker.start();
  await worker.startConnector(spec);
  await waitFor(() => connector.tasks.length === 1 && connector.tasks[0].props.tables === 'a', 'the first task to start');
  return { connector, worker, logger };
}

describe('Worker: ConnectorContext.requestTaskReconfiguration()', () => {
  it('restarts the tasks with the new task configs when they changed', async () => {
    const { connector, worker, logger } = await setup();
    connector.configs = [{ tables: 'a' }, { tables: 'b' }];
    connector.context!.requestTaskReconfiguration();
    await waitFor(() => connector.tasks.length === 3, 'two new tasks');
    expect(connector.tasks[0].task.stopped).toBe(true);
    expect(connector.tasks.slice(1).map((t) => t.props.tables)).toEqual(['a', 'b']);
    await waitFor(() => worker.taskStatuses().length === 2 && worker.taskStatuses().every((s) => s.state === 'RUNNING'), 'both new tasks running');
    expect(worker.taskStatuses().map((s) => s.task)).toEqual([0, 1]);
    expect(logger.messages('info')).toContain('Reconfiguring connector db: its task configs changed, restarting 1 task(s) as 2 task(s)');
    await worker.stop();
    expect(connector.tasks.slice(1).every((t) => t.task.stopped)).toBe(true);
  });

  it('leaves the tasks running when the task configs did not change', async () => {
    const { connector, worker } = await setup();
    connector.context!.requestTaskReconfiguration();
    connector.context!.requestTaskReconfiguration();
    await new Promise((r) => setTimeout(r, 50));
    expect(connector.tasks.length).toBe(1);
    expect(connector.tasks[0].task.stopped).toBe(false);
    await worker.stop();
  });

  it('starts no task after the worker was asked to stop', async () => {
    const { connector, worker } = await setup();
    connector.configs = [{ tables: 'c' }];
    connector.context!.requestTaskReconfiguration();
    await worker.stop();
    await new Promise((r) => setTimeout(r, 50));
    const running = connector.tasks.filter((t) => !t.task.stopped);
    expect(running).toEqual([]);
    expect(worker.taskStatuses().every((s) => s.state !== 'RUNNING')).toBe(true);
  });

  it('keeps the running tasks and logs the error when taskConfigs() throws', async () => {
    const { connector, worker, logger } = await setup();
    connector.configs = [{ tables: 'x' }];
    connector.failNext = new Error('table listing failed');
    connector.context!.requestTaskReconfiguration();
    await waitFor(() => logger.messages('error').some((m) => m.includes('table listing failed')), 'the error logged');
    expect(logger.messages('error')).toContain('Failed to reconfigure connector db: taskConfigs() threw: table listing failed');
    expect(connector.tasks.length).toBe(1);
    expect(connector.tasks[0].task.stopped).toBe(false);
    await worker.stop();
  });
});
