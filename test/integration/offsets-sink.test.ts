import { execFile } from 'child_process';
import * as fs from 'fs';
import { promisify } from 'util';
import { produce } from '../harness/kcat';
import { builtinPlugins } from '../../src/cli/builtin-plugins';
import { validateConnector } from '../../src/runtime/connector-validation';
import { ConnectorOffsetsManager } from '../../src/runtime/herder/connector-offsets';
import { KafkajsClientFactory } from '../../src/runtime/kafka/kafka-client-factory';
import { silentLogger } from '../../src/runtime/runtime-logger';
import { parseWorkerConfig } from '../../src/runtime/worker-config';
import { FileOffsetBackingStore } from '../../src/storage/file-offset-backing-store';
import { BIN, eventually, ROOT, startWorker, testWorkerProps, untilFileHolds, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * KIP-875 on a stopped FileStreamSink through ConnectorOffsetsManager against the real broker: GET
 * reads the group connect-<name>, PATCH commits from outside the group and the next start reads from
 * there, DELETE removes the group's offsets and the next start reads from the beginning.
 */
describe('KIP-875 offsets of a stopped sink connector', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('gets, alters and resets the consumer group offsets; each change takes effect at the next start', async () => {
    const topic = 'offsets-sink';
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, ['a', 'b', 'c', 'd', 'e'].map((v) => ({ value: v })));
    const out = tmp.file('out.txt');
    const props = testWorkerProps(broker.bootstrapServers, tmp.file('sink.offsets'), {
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const worker = writeProperties(tmp.file('worker.properties'), props);
    const connectorProps = { name: 'offsets-sink', 'connector.class': 'FileStreamSink', file: out, topics: topic };
    const connector = writeProperties(tmp.file('sink.properties'), connectorProps);
    const run = async (expected: string) => {
      const w = startWorker([worker, connector]);
      try {
        await untilFileHolds(out, expected, 120000, () => w.stderr().slice(-3000));
      } finally {
        expect(await w.stop()).toBe(0);
      }
    };
    await run('a\nb\nc\nd\ne\n');

    const config = parseWorkerConfig(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, String(v)])));
    const store = new FileOffsetBackingStore(tmp.file('sink.offsets'));
    await store.start();
    const manager = new ConnectorOffsetsManager({ offsetStore: store, clients: new KafkajsClientFactory(config, silentLogger), config, logger: silentLogger });
    const spec = validateConnector(connectorProps, 'sink.properties', config, builtinPlugins());

    expect(await manager.get(spec)).toEqual({ offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 5 } }] });

    // The stopped worker's member may linger in the group until its session times out (the test
    // broker does not honour LeaveGroup): until then the broker refuses, with Kafka's explanation.
    let message = '';
    const errors: string[] = [];
    await eventually(
      async () => {
        try {
          message = await manager.alter(spec, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 3 } }] });
          return true;
        } catch (err) {
          errors.push(`${(err as Error).message} (${((err as Error).cause as Error)?.message})`);
          expect((err as Error).message).toMatch(/^Failed to alter consumer group offsets for connector offsets-sink either because its tasks haven't stopped completely yet/);
          return false;
        }
      },
      60000,
      () => errors.slice(-2).join('\n'),
    );
    expect(message).toBe('The offsets for this connector have been altered successfully');
    expect(await manager.get(spec)).toEqual({ offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 3 } }] });
    // The CLI exports the same body from Kafka, given the sink's config file.
    const exported = await promisify(execFile)(process.execPath, [BIN, 'offsets', 'export', worker, connector], { cwd: ROOT, timeout: 60000 });
    expect(JSON.parse(exported.stdout)).toEqual({ offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 3 } }] });
    await run('a\nb\nc\nd\ne\nd\ne\n');

    let resetMessage = '';
    await eventually(
      async () => {
        try {
          resetMessage = await manager.reset(spec);
          return true;
        } catch (err) {
          errors.push((err as Error).message);
          return false;
        }
      },
      60000,
      () => errors.slice(-2).join('\n'),
    );
    expect(resetMessage).toBe('The offsets for this connector have been reset successfully');
    // Kafka deletes the group. The test broker has no DeleteGroups: there the offsets become the
    // position auto.offset.reset picks (earliest for sinks), which reads the same at the next start.
    const afterReset = (await manager.get(spec)).offsets;
    if (broker.isMock) expect(afterReset).toEqual([{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 0 } }]);
    else expect(afterReset).toEqual([]);
    await run('a\nb\nc\nd\ne\nd\ne\na\nb\nc\nd\ne\n');
    expect(fs.readFileSync(out, 'utf8').split('\n').length).toBe(13);
  }, 420000);

  it("sets a new sink's starting offset before its first run", async () => {
    const topic = 'offsets-sink-new';
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, ['a', 'b', 'c'].map((v) => ({ value: v })));
    const out = tmp.file('new-out.txt');
    const props = testWorkerProps(broker.bootstrapServers, tmp.file('new.offsets'), {
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const config = parseWorkerConfig(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, String(v)])));
    const connectorProps = { name: 'offsets-sink-new', 'connector.class': 'FileStreamSink', file: out, topics: topic };
    const spec = validateConnector(connectorProps, 'sink.properties', config, builtinPlugins());
    const manager = new ConnectorOffsetsManager({ offsetStore: new FileOffsetBackingStore(tmp.file('new.offsets')), clients: new KafkajsClientFactory(config, silentLogger), config, logger: silentLogger });
    expect(await manager.get(spec)).toEqual({ offsets: [] });
    // No group yet: committed from outside the group, as Kafka's admin client does.
    expect(await manager.alter(spec, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: '0' }, offset: { kafka_offset: '2' } }] })).toBe('The offsets for this connector have been altered successfully');
    expect(await manager.get(spec)).toEqual({ offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 2 } }] });
    const w = startWorker([writeProperties(tmp.file('new-worker.properties'), props), writeProperties(tmp.file('new-sink.properties'), connectorProps)]);
    try {
      await untilFileHolds(out, 'c\n', 60000, () => w.stderr().slice(-3000));
    } finally {
      expect(await w.stop()).toBe(0);
    }
  }, 120000);
});
