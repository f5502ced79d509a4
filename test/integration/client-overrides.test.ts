import * as fs from 'fs';
import * as path from 'path';
import { Kafka, logLevel } from 'kafkajs';
import { produce } from '../harness/kcat';
import { errorLine, eventually, ROOT, runCli, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

const PLUGIN_DIR = path.join(ROOT, 'test', 'fixtures', 'plugins', 'batch-size-sink');

/**
 * Per-connector client overrides through the real CLI and broker: a sink's consumer.override.* keys
 * reach its consumer (batch size, group), and a worker whose policy forbids them refuses to start.
 */
describe('connector client overrides', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  async function committed(group: string, topic: string): Promise<number[]> {
    const admin = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      return entry.partitions.sort((a, b) => a.partition - b.partition).map((p) => Number(p.offset));
    } finally {
      await admin.disconnect();
    }
  }

  const batches = (file: string): string[][] =>
    fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as string[]) : [];

  it('consumer.override.max.poll.records and consumer.override.group.id reach the sink\'s consumer, beating the worker\'s consumer.* keys', async () => {
    const topic = 'overridden';
    await broker.createTopic(topic, 1);
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
    // Already in the topic when the sink starts, so its first fetch could hand over all of them at once.
    await produce(broker.bootstrapServers, topic, values.map((value) => ({ value })));
    const out = tmp.file('batches.jsonl');
    const worker = writeProperties(tmp.file('worker.properties'), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file('offsets')),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'consumer.max.poll.records': 100,
      'plugin.path': PLUGIN_DIR,
    });
    const conn = writeProperties(tmp.file('sink.properties'), {
      name: 'batched',
      'connector.class': 'BatchSizeSink',
      file: out,
      topics: topic,
      'consumer.override.max.poll.records': 2,
      'consumer.override.group.id': 'custom',
    });
    const w = startWorker([worker, conn]);
    try {
      await eventually(() => batches(out).flat().length >= values.length, 60000, () => `batches so far: ${JSON.stringify(batches(out))}`);
    } finally {
      expect(await w.stop()).toBe(0);
    }
    const seen = batches(out);
    expect(seen.flat()).toEqual(values);
    expect(Math.max(...seen.map((b) => b.length))).toBe(2);
    expect(await committed('custom', topic)).toEqual([20]);
    expect(await committed('connect-batched', topic)).toEqual([-1]);
  });

  it('refuses to start when the worker\'s policy is None, naming the key and the policy (exit 1)', async () => {
    const worker = writeProperties(tmp.file('none-worker.properties'), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file('none.offsets')),
      'connector.client.config.override.policy': 'None',
      'plugin.path': PLUGIN_DIR,
    });
    const conn = writeProperties(tmp.file('none-sink.properties'), {
      name: 'refused',
      'connector.class': 'BatchSizeSink',
      file: tmp.file('never.jsonl'),
      topics: 'never',
      'consumer.override.max.poll.records': 2,
    });
    const r = await runCli([worker, conn]);
    expect(r.code).toBe(1);
    const line = errorLine(r.stderr);
    expect(line).toContain(conn);
    expect(line).toContain("The 'None' policy does not allow 'consumer.override.max.poll.records' to be overridden in the connector configuration");
    expect(fs.existsSync(tmp.file('none.offsets'))).toBe(false);
  });
});
