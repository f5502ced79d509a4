/**
 * The StandaloneHerder driving a real FileStreamSource and FileStreamSink against the test broker,
 * in-process: pause, resume and stop change what flows in Kafka, and nothing is lost or duplicated.
 */
import * as fs from 'fs';
import { builtinPlugins } from '../../src/cli/builtin-plugins';
import { validateConnector } from '../../src/runtime/connector-validation';
import { ConnectorOffsetsManager } from '../../src/runtime/herder/connector-offsets';
import { StandaloneHerder } from '../../src/runtime/herder/standalone-herder';
import { KafkajsClientFactory } from '../../src/runtime/kafka/kafka-client-factory';
import { Worker } from '../../src/runtime/worker';
import { parseWorkerConfig } from '../../src/runtime/worker-config';
import { FileOffsetBackingStore } from '../../src/storage/file-offset-backing-store';
import { RecordingLogger } from '../helpers/recording-logger';
import { highWatermark, produce, readTopic } from '../harness/kcat';
import { useBroker, useTempDir } from './helpers/suite';
import { eventually, testWorkerProps, untilFileHolds } from './helpers/worker-process';

jest.setTimeout(120_000);

const broker = useBroker();
const tmp = useTempDir('cs-herder-');

const lines = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => `line-${from + i}\n`).join('');

async function startHerder(name: string): Promise<{ herder: StandaloneHerder; worker: Worker }> {
  const props = testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`), {
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.flush.interval.ms': 200,
  });
  const config = parseWorkerConfig(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, String(v)])));
  const plugins = builtinPlugins();
  const logger = new RecordingLogger();
  const offsetStore = new FileOffsetBackingStore(config.getString('offset.storage.file.filename') as string, { logger });
  const clients = new KafkajsClientFactory(config, logger);
  const worker = new Worker({ config, plugins, offsetStore, clients, logger });
  await worker.start();
  const herder = new StandaloneHerder({
    worker,
    workerId: '127.0.0.1:8083',
    validate: (p, origin) => validateConnector(p, origin, config, plugins),
    offsets: new ConnectorOffsetsManager({ offsetStore, clients, config, logger }),
    plugins,
    config,
    logger,
  });
  return { herder, worker };
}

/** Waits `ms`, then checks the topic's end offset did not move. */
async function expectNothingMoreIn(topic: string, count: number, ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
  expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(count);
}

describe('StandaloneHerder with real connectors and Kafka', () => {
  it('FileStreamSource: pause stops what flows, resume sends the rest once; stop and resume continue from the committed offset', async () => {
    const topic = 'herder-source';
    await broker.createTopic(topic, 1);
    const input = tmp.file('source.txt');
    fs.writeFileSync(input, lines(1, 10));
    const { herder, worker } = await startHerder('source');
    try {
      await herder.putConnectorConfig('file-source', { 'connector.class': 'FileStreamSource', file: input, topic }, { allowReplace: false });
      expect(herder.connectorStatus('file-source').tasks.map((t) => t.state)).toEqual(['RUNNING']);
      await readTopic(broker.bootstrapServers, topic, { count: 10 });

      await herder.pauseConnector('file-source');
      expect(herder.connectorStatus('file-source').connector.state).toBe('PAUSED');
      expect(herder.connectorStatus('file-source').tasks[0].state).toBe('PAUSED');
      // As in Kafka, a poll() under way when the pause came still returns (and its records are sent);
      // FileStreamSource's poll() returns within a second when there is nothing to read.
      await new Promise((r) => setTimeout(r, 1500));
      fs.appendFileSync(input, lines(11, 20));
      await expectNothingMoreIn(topic, 10, 2500);

      await herder.resumeConnector('file-source');
      await eventually(async () => (await highWatermark(broker.bootstrapServers, topic, 0)) >= 20, 30_000, () => 'the 10 lines written while paused to arrive');

      await herder.stopConnector('file-source');
      expect(herder.connectorStatus('file-source')).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
      fs.appendFileSync(input, lines(21, 25));
      await expectNothingMoreIn(topic, 20, 2500);

      await herder.resumeConnector('file-source');
      expect(herder.connectorStatus('file-source').tasks.map((t) => t.state)).toEqual(['RUNNING']);
      const all = await readTopic(broker.bootstrapServers, topic, { count: 25 });
      expect(all.map((m) => m.value?.toString())).toEqual(lines(1, 25).trimEnd().split('\n'));
      await expectNothingMoreIn(topic, 25, 1500);
      expect(herder.connectorActiveTopics('file-source')).toEqual([topic]);
    } finally {
      await worker.stop();
    }
  });

  it('FileStreamSink: nothing is written while paused or stopped, everything once after resume', async () => {
    const topic = 'herder-sink';
    await broker.createTopic(topic, 1);
    const output = tmp.file('sink.txt');
    const { herder, worker } = await startHerder('sink');
    try {
      await produce(broker.bootstrapServers, topic, lines(1, 5).trimEnd().split('\n').map((value) => ({ value })));
      await herder.putConnectorConfig('file-sink', { 'connector.class': 'FileStreamSink', file: output, topics: topic }, { allowReplace: false });
      await untilFileHolds(output, lines(1, 5), 60_000);

      await herder.pauseConnector('file-sink');
      expect(herder.connectorStatus('file-sink').tasks[0].state).toBe('PAUSED');
      await produce(broker.bootstrapServers, topic, lines(6, 10).trimEnd().split('\n').map((value) => ({ value })));
      await new Promise((r) => setTimeout(r, 3000));
      expect(fs.readFileSync(output, 'utf8')).toBe(lines(1, 5));

      await herder.resumeConnector('file-sink');
      await untilFileHolds(output, lines(1, 10), 30_000);

      await herder.stopConnector('file-sink');
      expect(herder.connectorStatus('file-sink')).toMatchObject({ connector: { state: 'STOPPED' }, tasks: [] });
      await produce(broker.bootstrapServers, topic, lines(11, 15).trimEnd().split('\n').map((value) => ({ value })));
      await new Promise((r) => setTimeout(r, 2000));
      expect(fs.readFileSync(output, 'utf8')).toBe(lines(1, 10));

      await herder.resumeConnector('file-sink');
      await untilFileHolds(output, lines(1, 15), 60_000);
      await new Promise((r) => setTimeout(r, 1000));
      expect(fs.readFileSync(output, 'utf8')).toBe(lines(1, 15));
      expect(herder.connectorActiveTopics('file-sink')).toEqual([topic]);
    } finally {
      await worker.stop();
    }
  });
});
