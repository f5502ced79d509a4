import * as fs from 'fs';
import { readTopic } from '../harness/kcat';
import { startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/** A broker outage after start-up is retried: the worker lives and every line arrives afterwards. */
describe('broker outage after start-up', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('keeps the source running through a short outage and delivers every line', async () => {
    if (!broker.isMock) throw new Error('this test takes the broker down: it needs the mock broker (unset KAFKA_BOOTSTRAP_SERVERS)');
    const topic = 'outage';
    await broker.createTopic(topic, 1);
    const source = tmp.file('in.txt');
    fs.writeFileSync(source, 'before\n');
    const worker = writeProperties(tmp.file('worker.properties'), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file('offsets')),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
    const conn = writeProperties(tmp.file('src.properties'), { name: 'outage-src', 'connector.class': 'FileStreamSource', file: source, topic });
    const w = startWorker([worker, conn]);
    try {
      await readTopic(broker.bootstrapServers, topic, { count: 1 });
      await broker.brokerDown();
      const lines = Array.from({ length: 500 }, (_, i) => `during ${i}`);
      fs.appendFileSync(source, lines.join('\n') + '\n');
      await w.waitForLog(/Failed to send .*retrying/, 30000);
      await new Promise((r) => setTimeout(r, 3000));
      await broker.brokerUp();
      const messages = await readTopic(broker.bootstrapServers, topic, { count: 501, timeoutMs: 60000 });
      const values = new Set(messages.map((m) => m.value!.toString()));
      expect(lines.filter((l) => !values.has(l))).toEqual([]);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });
});
