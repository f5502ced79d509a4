import * as fs from 'fs';
import { highWatermark, readTopic } from '../harness/kcat';
import { javaSerializedOffsets, kafkaOffsetKey } from '../helpers/java-serialized-offsets-writer';
import { startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * Moving from Apache Kafka's connect-standalone: the worker starts on an offsets file in Kafka's
 * format (written here by a test-only writer checked byte-for-byte against Java's output), whose
 * FileStreamSource position counts characters. Only the lines after that position may reach the
 * topic; afterwards the offsets file is in this worker's format and Kafka's is kept as a backup.
 */
describe("Importing Apache Kafka's connect-standalone offsets file", () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('resumes FileStreamSource after the lines Kafka read in a multibyte file, and keeps Kafka\'s file as a backup', async () => {
    const topic = 'kafka-import';
    await broker.createTopic(topic, 1);
    const name = 'kafka-import-source';
    const source = tmp.file('données ✓.txt');
    const offsets = tmp.file('connect.offsets');
    const read = ['première ligne', 'deuxième — ligne', '日本語の行'];
    const unread = ['😀 emoji line', 'après', 'fin ✓'];
    fs.writeFileSync(source, [...read, ...unread].map((l) => `${l}\n`).join(''));
    // Java chars (UTF-16 code units), as Kafka's FileStreamSourceTask counts: JS string length.
    const chars = read.reduce((n, l) => n + l.length + 1, 0);
    const bytes = Buffer.byteLength(read.map((l) => `${l}\n`).join(''));
    expect(bytes).toBeGreaterThan(chars); // else the test could not tell the two apart
    const kafkaFile = javaSerializedOffsets([{ key: kafkaOffsetKey(name, { filename: source }), value: JSON.stringify({ position: chars }) }]);
    fs.writeFileSync(offsets, kafkaFile);

    const worker = writeProperties(
      tmp.file('worker.properties'),
      testWorkerProps(broker.bootstrapServers, offsets, { 'value.converter.schemas.enable': 'false' }),
    );
    const connector = writeProperties(tmp.file('source.properties'), { name, 'connector.class': 'FileStreamSource', file: source, topic });
    const w = startWorker([worker, connector]);
    try {
      const messages = await readTopic(broker.bootstrapServers, topic, { count: unread.length });
      expect(messages.map((m) => JSON.parse(m.value!.toString('utf8')))).toEqual(unread);
      await w.waitForLog(new RegExp(`is Apache Kafka's format: imported 1 offset for connector ${name} \\(1\\)`));
      await w.waitForLog(new RegExp(`Imported offset for .* from Apache Kafka's offsets file: character position ${chars} is byte position ${bytes}"`));
    } finally {
      expect(await w.stop()).toBe(0);
    }
    // Stopped, so nothing more can arrive: exactly the unread lines were sent.
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(unread.length);

    expect(fs.readFileSync(`${offsets}.kafka-backup`)).toEqual(kafkaFile);
    const ours = JSON.parse(fs.readFileSync(offsets, 'utf8'));
    expect(ours.version).toBe(1);
    expect(ours.offsets).toEqual([
      { key: [name, { filename: source }], value: expect.objectContaining({ position: Buffer.byteLength(fs.readFileSync(source)) }) },
    ]);
  });
});
