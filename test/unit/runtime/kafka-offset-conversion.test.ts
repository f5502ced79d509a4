import * as fsp from 'fs/promises';
import * as os from 'os';
import * as path from 'path';
import { ConfigDef, ConnectorPlugin, OffsetMap, SourceConnector } from '../../../src/api';
import { builtinPlugins } from '../../../src/cli/builtin-plugins';
import { validateConnector } from '../../../src/runtime/connector-validation';
import type { KafkaClientFactory } from '../../../src/runtime/kafka/kafka-client-factory';
import { Worker } from '../../../src/runtime/worker';
import { parseWorkerConfig } from '../../../src/runtime/worker-config';
import { FileOffsetBackingStore } from '../../../src/storage/file-offset-backing-store';
import { javaSerializedOffsets, kafkaOffsetKey } from '../../helpers/java-serialized-offsets-writer';
import { FakeConsumer, FakeProducer, RecordingLogger, ScriptedSourceTask } from './fakes';

type Hook = SourceConnector['convertKafkaOffset'];

let dir: string;
let file: string;
/** Stopped after each test, also when an expectation failed first. */
const workers: Worker[] = [];

beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kafka-convert-'));
  file = path.join(dir, 'connect.offsets');
});

async function stopWorker(worker: Worker): Promise<void> {
  workers.splice(workers.indexOf(worker), 1);
  await worker.stop();
}

afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.stop()));
  await fsp.rm(dir, { recursive: true, force: true });
});

/** A source connector with the given hook; `events` records the order of hook calls and task starts. */
function plugin(hook: Hook, task: ScriptedSourceTask, events: string[]): ConnectorPlugin {
  return {
    className: 'test.ConvertingSource',
    aliases: [],
    kind: 'source',
    create: () => {
      const connector: SourceConnector = {
        kind: 'source',
        version: () => 'test',
        config: () => new ConfigDef(),
        initialize: () => undefined,
        start: () => void events.push('connector started'),
        taskConfigs: () => [{}],
        stop: () => undefined,
        createTask: () => {
          events.push('task created');
          return task;
        },
      };
      if (hook !== undefined) {
        connector.convertKafkaOffset = (partition, offset) => {
          events.push(`convert ${JSON.stringify(partition)}`);
          return hook(partition, offset);
        };
      }
      return connector;
    },
  };
}

async function run(hook: Hook) {
  const task = new ScriptedSourceTask();
  const events: string[] = [];
  const plugins = builtinPlugins();
  plugins.registerConnector(plugin(hook, task, events));
  const config = parseWorkerConfig({
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': file,
  });
  const clients: KafkaClientFactory = {
    checkReachable: async () => undefined,
    ensureTopic: async () => 'exists',
    createProducer: () => new FakeProducer({ autoAck: true }),
    createConsumer: () => new FakeConsumer(),
  };
  const logger = new RecordingLogger();
  const offsetStore = new FileOffsetBackingStore(file, { logger });
  const worker = new Worker({ config, plugins, offsetStore, clients, logger });
  workers.push(worker);
  const spec = validateConnector({ name: 'src', 'connector.class': 'test.ConvertingSource' }, 'src.properties', config, plugins);
  await worker.start();
  const started = worker.startConnector(spec);
  return { task, events, logger, offsetStore, worker, started };
}

const KAFKA_FILE = javaSerializedOffsets([
  { key: kafkaOffsetKey('src', { filename: '/a' }), value: '{"position":10}' },
  { key: kafkaOffsetKey('src', { filename: '/b' }), value: '{"position":3}' },
  { key: kafkaOffsetKey('other', { filename: '/a' }), value: '{"position":10}' },
]);

describe("Converting offsets imported from Apache Kafka's offsets file", () => {
  it("calls the connector's hook once per imported offset before its tasks exist, and stores the results", async () => {
    await fsp.writeFile(file, KAFKA_FILE);
    const hook = jest.fn(async (_p: OffsetMap, offset: OffsetMap) => ({ position: (offset.position as number) * 2 }));
    const { task, events, logger, offsetStore, worker, started } = await run(hook);
    await started;
    try {
      expect(events.slice(0, 3)).toEqual(['connector started', expect.stringMatching(/^convert /), expect.stringMatching(/^convert /)]);
      expect(events[3]).toBe('task created');
      expect(hook).toHaveBeenCalledTimes(2);
      expect(hook).toHaveBeenCalledWith({ filename: '/a' }, { position: 10 });
      expect(task.context?.offsetStorageReader.offset({ filename: '/a' })).toEqual({ position: 20 });
      expect(task.context?.offsetStorageReader.offset({ filename: '/b' })).toEqual({ position: 6 });
      expect(offsetStore.importedFromKafka('src')).toEqual([]);
      // Another connector's imported offsets wait for that connector.
      expect(offsetStore.importedFromKafka('other')).toEqual([{ partition: { filename: '/a' }, offset: { position: 10 } }]);
      expect(logger.messages('info')).toContain("Stored 2 converted offsets imported from Apache Kafka's offsets file for connector src");
      expect(await fsp.readFile(`${file}.kafka-backup`)).toEqual(KAFKA_FILE);
      expect(JSON.parse(await fsp.readFile(file, 'utf8')).offsets).toContainEqual({ key: ['src', { filename: '/a' }], value: { position: 20 } });
    } finally {
      await stopWorker(worker);
    }

    // The next start finds nothing left to convert.
    const again = await run(hook);
    await again.started;
    await stopWorker(again.worker);
    expect(hook).toHaveBeenCalledTimes(2);
    expect(again.task.context?.offsetStorageReader.offset({ filename: '/a' })).toEqual({ position: 20 });
  });

  it('drops an offset the hook maps to null', async () => {
    await fsp.writeFile(file, KAFKA_FILE);
    const { task, worker, started } = await run((p) => (p.filename === '/a' ? null : { position: 1 }));
    await started;
    await stopWorker(worker);
    expect(task.context?.offsetStorageReader.offset({ filename: '/a' })).toBeNull();
    expect(task.context?.offsetStorageReader.offset({ filename: '/b' })).toEqual({ position: 1 });
  });

  it('uses imported offsets as they are for a connector without the hook, and writes nothing', async () => {
    await fsp.writeFile(file, KAFKA_FILE);
    const { task, offsetStore, worker, started } = await run(undefined);
    await started;
    expect(task.context?.offsetStorageReader.offset({ filename: '/a' })).toEqual({ position: 10 });
    expect(offsetStore.importedFromKafka('src')).toHaveLength(2);
    await stopWorker(worker);
    expect(await fsp.readFile(file)).toEqual(KAFKA_FILE);
  });

  it('fails the connector start when the hook throws, naming connector and partition, and converts nothing', async () => {
    await fsp.writeFile(file, KAFKA_FILE);
    const { events, worker, started } = await run((p) => {
      if (p.filename === '/b') throw new Error('cannot read /b');
      return { position: 0 };
    });
    await expect(started).rejects.toThrow(
      `Connector src could not convert offset {"position":3} of partition {"filename":"/b"} imported from Apache Kafka's offsets file: cannot read /b`,
    );
    await stopWorker(worker);
    expect(events).not.toContain('task created');
    expect(await fsp.readFile(file)).toEqual(KAFKA_FILE);
  });
});
