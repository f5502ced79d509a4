import * as fs from 'fs';
import { readTopic } from '../harness/kcat';
import { startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * FileStreamSource stamps records with the time their line was read (Kafka's
 * System.currentTimeMillis()), not the time the producer finally sent them: lines read while the
 * broker is down keep their read time after it comes back.
 */
describe('FileStreamSource record timestamps', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('are the time each line was read, not the time it reached Kafka', async () => {
    if (!broker.isMock) throw new Error('this test takes the broker down: it needs the mock broker (unset KAFKA_BOOTSTRAP_SERVERS)');
    const topic = 'stamped';
    await broker.createTopic(topic, 1);
    const source = tmp.file('in.txt');
    fs.writeFileSync(source, 'first\n');
    const worker = writeProperties(tmp.file('worker.properties'), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file('offsets')),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const conn = writeProperties(tmp.file('src.properties'), { name: 'stamped-src', 'connector.class': 'FileStreamSource', file: source, topic });
    const started = Date.now();
    const w = startWorker([worker, conn]);
    try {
      const [first] = await readTopic(broker.bootstrapServers, topic, { count: 1 });
      expect(first.timestamp).toBeGreaterThanOrEqual(started);
      expect(first.timestamp).toBeLessThanOrEqual(Date.now());
      await broker.brokerDown();
      const written = Date.now();
      fs.appendFileSync(source, 'second\nthird\n');
      // The lines have been read once the producer reports failing to send them.
      await w.waitForLog(/Failed to send .*retrying/, 30000);
      const read = Date.now();
      await new Promise((r) => setTimeout(r, 2000));
      const up = Date.now();
      await broker.brokerUp();
      const messages = await readTopic(broker.bootstrapServers, topic, { count: 3, timeoutMs: 60000 });
      const later = messages.slice(1);
      expect(later.map((m) => m.value?.toString())).toEqual(['second', 'third']);
      for (const m of later) {
        expect(m.timestamp).toBeGreaterThanOrEqual(written);
        expect(m.timestamp).toBeLessThanOrEqual(read);
        expect(m.timestamp).toBeLessThan(up);
      }
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });
});
