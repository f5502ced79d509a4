import * as fs from 'fs';
import { highWatermark, produce } from '../harness/kcat';
import { eventually, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/** errors.tolerance, errors.log.enable and errors.log.include.messages through the real CLI. */
describe('error tolerance', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  const workerFile = (name: string, extra: Record<string, string | number> = {}) =>
    writeProperties(tmp.file(`${name}-worker.properties`), {
      ...testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`)),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      ...extra,
    });

  const logLines = (stderr: string, re: RegExp) => stderr.split('\n').filter((l) => re.test(l));

  /**
   * A healthy source connector run next to a failing one. Without it, once the only task has failed
   * and closed its clients nothing holds Node's event loop and the process exits 0 on its own before
   * the test sends SIGTERM (a CLI matter: Kafka's worker stays up with a FAILED task).
   */
  const companion = (name: string) => {
    const file = tmp.file(`${name}-companion.txt`);
    fs.writeFileSync(file, '');
    return writeProperties(tmp.file(`${name}-companion.properties`), {
      name: `${name}-companion`,
      'connector.class': 'FileStreamSource',
      file,
      topic: `${name}-companion`,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
  };

  describe('sink (JsonConverter, one record not JSON)', () => {
    async function topicWithBadRecord(topic: string): Promise<void> {
      await broker.createTopic(topic, 1);
      await produce(broker.bootstrapServers, topic, [{ value: '"one"' }, { value: 'this is { not JSON' }, { value: '"three"' }]);
    }

    it('errors.tolerance=all: the task lives, good records reach the file, the error is logged in Kafka\'s shape, and the commit moves past it', async () => {
      const topic = 'tolerant-sink';
      await topicWithBadRecord(topic);
      const out = tmp.file('tolerant-sink.txt');
      const worker = workerFile('tolerant-sink');
      const conn = writeProperties(tmp.file('tolerant-sink.properties'), {
        name: 'tolerant-sink',
        'connector.class': 'FileStreamSink',
        topics: topic,
        file: out,
        'errors.tolerance': 'all',
        'errors.log.enable': 'true',
        'errors.log.include.messages': 'true',
      });
      const logged =
        /Error encountered in task tolerant-sink-0\. Executing stage 'VALUE_CONVERTER' with class 'org\.apache\.kafka\.connect\.json\.JsonConverter', where consumed record is \{topic='tolerant-sink', partition=0, offset=1, timestamp=\d+, timestampType=CreateTime\}\./;
      let w = startWorker([worker, conn]);
      try {
        const line = await w.waitForLog(logged, 60000);
        expect(JSON.parse(line)).toMatchObject({ level: 50, connector: 'tolerant-sink', task: 0, err: { type: 'DataError' } });
        await eventually(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8') === 'one\nthree\n', 30000, () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '(no file)'));
        // Let an offset commit happen (offset.flush.interval.ms=500).
        await new Promise((r) => setTimeout(r, 1500));
      } finally {
        expect(await w.stop()).toBe(0);
      }
      expect(w.stderr()).not.toContain('Task threw an uncaught and unrecoverable exception');

      // After a restart only the new record is read: the skipped one was committed past.
      await produce(broker.bootstrapServers, topic, [{ value: '"four"' }]);
      w = startWorker([worker, conn]);
      try {
        await eventually(() => fs.readFileSync(out, 'utf8') === 'one\nthree\nfour\n', 60000, () => fs.readFileSync(out, 'utf8'));
      } finally {
        expect(await w.stop()).toBe(0);
      }
      expect(logLines(w.stderr(), /Error encountered in task/)).toEqual([]);
    });

    it('errors.tolerance=none (the default): the task fails naming the record, and the worker exits 3 after SIGTERM', async () => {
      const topic = 'intolerant-sink';
      await topicWithBadRecord(topic);
      const out = tmp.file('intolerant-sink.txt');
      const conn = writeProperties(tmp.file('intolerant-sink.properties'), { name: 'intolerant-sink', 'connector.class': 'FileStreamSink', topics: topic, file: out });
      const w = startWorker([workerFile('intolerant-sink'), conn, companion('intolerant-sink')]);
      try {
        const failure = await w.waitForLog(/"connector":"intolerant-sink".*Task threw an uncaught and unrecoverable exception/, 60000);
        expect(failure).toContain('Tolerance exceeded in error handler');
        expect(failure).toContain('Failed to convert the value of the record at topic intolerant-sink partition 0 offset 1');
        // errors.log.enable is off: no error-handler line.
        expect(logLines(w.stderr(), /Error encountered in task/)).toEqual([]);
      } finally {
        expect(await w.stop()).toBe(3);
      }
      expect(fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '').not.toContain('three');
    });
  });

  describe('source (FileStreamSource lines into IntegerConverter, which cannot convert them)', () => {
    function setup(name: string, extra: Record<string, string>) {
      const source = tmp.file(`${name}.txt`);
      const offsets = tmp.file(`${name}.offsets`);
      const worker = workerFile(name);
      const conn = writeProperties(tmp.file(`${name}.properties`), {
        name,
        'connector.class': 'FileStreamSource',
        file: source,
        topic: name,
        'value.converter': 'org.apache.kafka.connect.converters.IntegerConverter',
        ...extra,
      });
      return { source, offsets, args: [worker, conn] };
    }

    const storedPosition = (offsets: string): number | null => {
      if (!fs.existsSync(offsets)) return null;
      const doc = JSON.parse(fs.readFileSync(offsets, 'utf8')) as { offsets: Array<{ value: { position?: number } }> };
      return doc.offsets[0]?.value.position ?? null;
    };

    it('errors.tolerance=all: nothing is produced, the worker lives, and the offsets file advances so a restart does not read the lines again', async () => {
      const name = 'tolerant-source';
      await broker.createTopic(name, 1);
      const { source, offsets, args } = setup(name, { 'errors.tolerance': 'all', 'errors.log.enable': 'true' });
      fs.writeFileSync(source, 'alpha\nbeta\n');
      const line = /Error encountered in task tolerant-source-0\. Executing stage 'VALUE_CONVERTER' with class 'org\.apache\.kafka\.connect\.converters\.IntegerConverter'\./;
      let w = startWorker(args);
      try {
        await eventually(() => logLines(w.stderr(), line).length === 2, 30000, () => w.stderr().slice(-2000));
        await eventually(() => storedPosition(offsets) === fs.statSync(source).size, 30000, () => fs.readFileSync(offsets, 'utf8'));
        expect(logLines(w.stderr(), line).join('\n')).not.toContain('alpha'); // include.messages is off
      } finally {
        expect(await w.stop()).toBe(0);
      }
      expect(await highWatermark(broker.bootstrapServers, name, 0)).toBe(0);

      fs.appendFileSync(source, 'gamma\n');
      w = startWorker(args);
      try {
        await eventually(() => storedPosition(offsets) === fs.statSync(source).size, 30000, () => fs.readFileSync(offsets, 'utf8'));
      } finally {
        expect(await w.stop()).toBe(0);
      }
      expect(logLines(w.stderr(), line)).toHaveLength(1); // only gamma: alpha and beta were not read again
      expect(await highWatermark(broker.bootstrapServers, name, 0)).toBe(0);
    });

    it('errors.tolerance=none: the task fails and stores no offset', async () => {
      const name = 'intolerant-source';
      await broker.createTopic(name, 1);
      const { source, offsets, args } = setup(name, {});
      fs.writeFileSync(source, 'alpha\n');
      const w = startWorker([...args, companion(name)]);
      try {
        const failure = await w.waitForLog(/"connector":"intolerant-source".*Task threw an uncaught and unrecoverable exception/, 30000);
        expect(failure).toContain('Tolerance exceeded in error handler');
        expect(failure).toContain('Failed to convert the value of a record for topic intolerant-source');
      } finally {
        expect(await w.stop()).toBe(3);
      }
      expect(storedPosition(offsets)).toBeNull();
      expect(await highWatermark(broker.bootstrapServers, name, 0)).toBe(0);
    });
  });
});
