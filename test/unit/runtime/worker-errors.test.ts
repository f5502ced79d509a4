import { ConfigDef, ConnectorPlugin } from '../../../src/api';
import { builtinPlugins } from '../../../src/cli/builtin-plugins';
import { validateConnector } from '../../../src/runtime/connector-validation';
import { Stage } from '../../../src/runtime/errors/error-context';
import type { KafkaClientFactory } from '../../../src/runtime/kafka/kafka-client-factory';
import { Worker } from '../../../src/runtime/worker';
import { parseWorkerConfig } from '../../../src/runtime/worker-config';
import { FakeConsumer, FakeProducer, MemoryOffsetStore, record, RecordingLogger, RecordingReporter, ScriptedSourceTask, waitFor } from './fakes';

function sourcePlugin(task: ScriptedSourceTask): ConnectorPlugin {
  return {
    className: 'test.ScriptedSource',
    aliases: [],
    kind: 'source',
    create: () => ({
      kind: 'source',
      version: () => 'test',
      config: () => new ConfigDef(),
      initialize: () => undefined,
      start: () => undefined,
      taskConfigs: () => [{}],
      stop: () => undefined,
      createTask: () => task,
    }),
  };
}

function setup() {
  const task = new ScriptedSourceTask();
  const plugins = builtinPlugins();
  plugins.registerConnector(sourcePlugin(task));
  const config = parseWorkerConfig({
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': '/unused',
    'offset.flush.interval.ms': '5',
  });
  const producer = new FakeProducer({ autoAck: true });
  const clients: KafkaClientFactory = {
    checkReachable: async () => undefined,
    ensureTopic: async () => 'exists',
    createProducer: () => producer,
    createConsumer: () => new FakeConsumer(),
  };
  const offsetStore = new MemoryOffsetStore();
  const logger = new RecordingLogger();
  const extra = new RecordingReporter();
  const createExtraReporters = jest.fn(() => [extra]);
  const worker = new Worker({ config, plugins, offsetStore, clients, logger, createExtraReporters });
  return { task, plugins, config, producer, offsetStore, logger, extra, createExtraReporters, worker };
}

describe('Worker error handling wiring', () => {
  it("gives each task a LogReporter and the injected reporters, naming converters by Java class, and closes them at stop", async () => {
    const { task, plugins, config, offsetStore, logger, extra, createExtraReporters, worker } = setup();
    const spec = validateConnector(
      {
        name: 'src',
        'connector.class': 'test.ScriptedSource',
        'value.converter': 'IntegerConverter',
        'errors.tolerance': 'all',
        'errors.log.enable': 'true',
      },
      'src.properties',
      config,
      plugins,
    );
    await worker.start();
    await worker.startConnector(spec);
    expect(createExtraReporters).toHaveBeenCalledWith(spec, { connector: 'src', task: 0 }, expect.anything());

    task.push([record('lines', 'not a number', 9)]);
    await waitFor(() => offsetStore.get('src', { filename: 'a.txt' }) !== null, 'the offset of the skipped record');
    expect(logger.messages('error')).toContain(
      "Error encountered in task src-0. Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.converters.IntegerConverter'.",
    );
    expect(extra.reports.map((r) => [r.stage, r.executingClass])).toEqual([[Stage.VALUE_CONVERTER, 'org.apache.kafka.connect.converters.IntegerConverter']]);
    expect(worker.taskStatuses()[0].state).toBe('RUNNING');

    await worker.stop();
    expect(extra.closed).toBe(true);
  });

  it('logs nothing for a tolerated error when errors.log.enable is off (the default)', async () => {
    const { task, plugins, config, offsetStore, logger, worker } = setup();
    const spec = validateConnector({ name: 'src', 'connector.class': 'test.ScriptedSource', 'value.converter': 'IntegerConverter', 'errors.tolerance': 'all' }, 'f', config, plugins);
    await worker.start();
    await worker.startConnector(spec);
    task.push([record('lines', 'not a number', 9)]);
    await waitFor(() => offsetStore.get('src', { filename: 'a.txt' }) !== null, 'the offset of the skipped record');
    expect(logger.messages('error')).toEqual([]);
    await worker.stop();
  });
});
