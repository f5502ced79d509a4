import * as fs from 'fs';
import { Kafka, logLevel } from 'kafkajs';
import { readTopic } from '../harness/kcat';
import { eventually, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * FileStreamSource -> broker -> FileStreamSink through the real CLI, checked with kcat.
 * Expected bytes: Apache Kafka's JsonConverter writes a STRING_SCHEMA value as
 * {"schema":{"type":"string","optional":false},"payload":<text>} with schemas.enable=true and as a
 * bare JSON string with schemas.enable=false; FileStreamSource records have a null key and null key
 * schema, which JsonConverter turns into a null Kafka key.
 */
describe('FileStreamSource and FileStreamSink', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  function configs(name: string, topic: string, extraWorker: Record<string, string | number> = {}) {
    const source = tmp.file(`${name}.txt`);
    const sink = tmp.file(`${name}.sink.txt`);
    const worker = writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`), extraWorker));
    const src = writeProperties(tmp.file(`${name}-source.properties`), { name: `${name}-source`, 'connector.class': 'FileStreamSource', file: source, topic });
    const snk = writeProperties(tmp.file(`${name}-sink.properties`), { name: `${name}-sink`, 'connector.class': 'FileStreamSink', file: sink, topics: topic });
    return { source, sink, worker, src, snk, offsets: tmp.file(`${name}.offsets`) };
  }

  it('writes Java-identical JsonConverter bytes with schemas on, and the sink writes the lines back', async () => {
    const topic = 'json-schemas-on';
    await broker.createTopic(topic, 1);
    const c = configs('on', topic);
    const lines = ['hello', 'with "quotes" and \\ backslash', 'ünïcödé ✓', ''];
    fs.writeFileSync(c.source, lines.map((l) => l + '\n').join(''));
    const w = startWorker([c.worker, c.src, c.snk]);
    try {
      const messages = await readTopic(broker.bootstrapServers, topic, { count: lines.length });
      expect(messages.map((m) => m.key)).toEqual(lines.map(() => null));
      expect(messages.map((m) => m.value?.toString('utf8'))).toEqual(
        lines.map((l) => `{"schema":{"type":"string","optional":false},"payload":${JSON.stringify(l)}}`),
      );
      await eventually(() => fs.existsSync(c.sink) && fs.readFileSync(c.sink, 'utf8') === fs.readFileSync(c.source, 'utf8'), 30000, () =>
        `sink file: ${fs.existsSync(c.sink) ? JSON.stringify(fs.readFileSync(c.sink, 'utf8')) : '(missing)'}`,
      );
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('writes bare JSON payloads with schemas.enable=false', async () => {
    const topic = 'json-schemas-off';
    await broker.createTopic(topic, 1);
    const c = configs('off', topic, { 'key.converter.schemas.enable': 'false', 'value.converter.schemas.enable': 'false' });
    fs.writeFileSync(c.source, 'hello\nworld\n');
    const w = startWorker([c.worker, c.src, c.snk]);
    try {
      const messages = await readTopic(broker.bootstrapServers, topic, { count: 2 });
      expect(messages.map((m) => m.value?.toString('utf8'))).toEqual(['"hello"', '"world"']);
      expect(messages.map((m) => m.key)).toEqual([null, null]);
      await eventually(() => fs.existsSync(c.sink) && fs.readFileSync(c.sink, 'utf8') === 'hello\nworld\n', 30000, () => 'sink file differs');
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('tails appended lines and keeps the sink group offsets under connect-<name>', async () => {
    const topic = 'tail';
    await broker.createTopic(topic, 2);
    const c = configs('tail', topic);
    fs.writeFileSync(c.source, 'one\n');
    const w = startWorker([c.worker, c.src, c.snk]);
    try {
      await readTopic(broker.bootstrapServers, topic, { count: 1 });
      fs.appendFileSync(c.source, 'two\nthree');
      await readTopic(broker.bootstrapServers, topic, { count: 2 });
      fs.appendFileSync(c.source, '\n');
      await readTopic(broker.bootstrapServers, topic, { count: 3 });
      await eventually(() => fs.existsSync(c.sink) && fs.readFileSync(c.sink, 'utf8').split('\n').filter(Boolean).sort().join() === 'one,three,two', 30000, () => 'sink file incomplete');
      await w.waitForLog(/"connector":"tail-sink".*Partitions assigned/);
    } finally {
      expect(await w.stop()).toBe(0);
    }
    const offsets = JSON.parse(fs.readFileSync(c.offsets, 'utf8'));
    const position = Buffer.byteLength('one\ntwo\nthree\n');
    // Next to Kafka's `position`: the fingerprint of the file's start (here the whole file) and the
    // file's device and inode (decimal strings), which find it again after a rotation.
    const { dev, ino } = fs.statSync(c.source, { bigint: true });
    expect(offsets.offsets).toEqual([
      {
        key: ['tail-source', { filename: c.source }],
        value: { position, headLength: position, headHash: expect.stringMatching(/^[0-9a-f]{40}$/), dev: String(dev), ino: String(ino) },
      },
    ]);
  });

  it('commits sink offsets as group connect-<name> at shutdown, so a restart writes nothing twice', async () => {
    const topic = 'sink-restart';
    await broker.createTopic(topic, 1);
    // A long flush interval: only the commit at shutdown can have stored the sink's progress.
    const c = configs('sinkrestart', topic, { 'offset.flush.interval.ms': 60000 });
    fs.writeFileSync(c.source, 'a\nb\nc\n');
    const sameAsSource = () => fs.existsSync(c.sink) && fs.readFileSync(c.sink, 'utf8') === fs.readFileSync(c.source, 'utf8');
    let w = startWorker([c.worker, c.src, c.snk]);
    await eventually(sameAsSource, 30000, () => 'sink file differs after the first run');
    expect(await w.stop()).toBe(0);

    const kafka = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId: 'connect-sinkrestart-sink', topics: [topic] });
    await admin.disconnect();
    expect(committed).toEqual([{ topic, partitions: [expect.objectContaining({ partition: 0, offset: '3' })] }]);

    fs.appendFileSync(c.source, 'd\ne\n');
    w = startWorker([c.worker, c.src, c.snk]);
    try {
      await eventually(sameAsSource, 30000, () => `sink file: ${JSON.stringify(fs.readFileSync(c.sink, 'utf8'))}`);
      // Stay a moment longer: a redelivery of a, b, c would show up as extra lines.
      await new Promise((r) => setTimeout(r, 1500));
      expect(fs.readFileSync(c.sink, 'utf8')).toBe('a\nb\nc\nd\ne\n');
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });
});
