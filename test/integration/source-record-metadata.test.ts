import * as fs from 'fs';
import * as path from 'path';
import { readTopic } from '../harness/kcat';
import { eventually, ROOT, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

const PLUGIN_DIR = path.join(ROOT, 'test', 'fixtures', 'plugins', 'commit-record-source');

interface Reported {
  value: string;
  topic?: string;
  partition?: number;
  offset?: string | null;
  metadata?: null;
}

/**
 * commitRecord() is told where Kafka stored each record: the CommitRecordSource test plugin writes
 * what it was given, and it must match what kcat (librdkafka, not kafkajs) reads from the topic.
 */
describe('SourceTask.commitRecord metadata, through the CLI', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('reports the partition and offset Kafka gave each record, keyed and unkeyed, over several partitions', async () => {
    const topic = 'commit-record-metadata';
    const count = 60;
    await broker.createTopic(topic, 3);
    const metadataFile = tmp.file('metadata.jsonl');
    const worker = writeProperties(tmp.file('worker.properties'), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file('offsets')),
      'plugin.path': PLUGIN_DIR,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const source = writeProperties(tmp.file('source.properties'), { name: 'commit-record-source', 'connector.class': 'CommitRecordSource', topic, count, 'metadata.file': metadataFile });
    const w = startWorker([worker, source]);
    let reported: Reported[] = [];
    try {
      await eventually(
        () => {
          reported = fs.existsSync(metadataFile) ? fs.readFileSync(metadataFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Reported) : [];
          return reported.length >= count;
        },
        30000,
        () => `${reported.length} of ${count} commitRecord calls; stderr:\n${w.stderr().slice(-3000)}`,
      );
    } finally {
      expect(await w.stop()).toBe(0);
    }
    const inKafka = await readTopic(broker.bootstrapServers, topic, { count });
    const whereKafkaHasIt = new Map(inKafka.map((m) => [m.value!.toString('utf8'), { topic: m.topic, partition: m.partition, offset: String(m.offset) }]));
    expect(reported.map((r) => r.value)).toEqual(Array.from({ length: count }, (_, i) => `v${i}`));
    for (const r of reported) expect({ value: r.value, topic: r.topic, partition: r.partition, offset: r.offset }).toEqual({ value: r.value, ...whereKafkaHasIt.get(r.value) });
    // The records really are spread: the check above would be weak if they all sat in one partition.
    expect(new Set(reported.map((r) => r.partition)).size).toBe(3);
  });
});
