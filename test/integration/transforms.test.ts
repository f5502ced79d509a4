import * as fs from 'fs';
import { Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { highWatermark, produce, readTopic } from '../harness/kcat';
import { errorLine, eventually, runCli, startWorker, testWorkerProps, writeProperties, untilFileHolds } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * Single message transforms through the real CLI, checked in Kafka with kcat (and kafkajs for the
 * dead letter queue's headers).
 */
describe('transforms', () => {
  const broker = useBroker();
  const tmp = useTempDir('cs-transforms-');
  const run = Date.now().toString(36); // fresh topics when run against a real cluster

  const workerFile = (name: string, extra: Record<string, string | number> = {}): string =>
    writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`), extra));

  /** The stored FileStreamSource position per connector name, from the offsets file (JSON). */
  function storedPositions(file: string): Record<string, number> {
    if (!fs.existsSync(file)) return {};
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { offsets: Array<{ key: [string, unknown]; value: { position: number } }> };
    return Object.fromEntries(doc.offsets.map((o) => [o.key[0], o.value.position]));
  }

  it('HoistField -> InsertField (static) -> ValueToKey -> RegexRouter on a file source: the key and value bytes and the topic Apache Kafka Connect produces', async () => {
    const raw = `lines-${run}-raw`;
    const clean = `lines-${run}-clean`;
    await broker.createTopic(clean, 1);
    const source = tmp.file('chain.txt');
    fs.writeFileSync(source, 'hello\nsay "hi" ✓\n');
    const conn = writeProperties(tmp.file('chain-source.properties'), {
      name: 'chain-source',
      'connector.class': 'FileStreamSource',
      file: source,
      topic: raw,
      transforms: 'hoist,tag,key,route',
      'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
      'transforms.hoist.field': 'line',
      'transforms.tag.type': 'InsertField$Value',
      'transforms.tag.static.field': 'source',
      'transforms.tag.static.value': 'file-a',
      'transforms.key.type': 'org.apache.kafka.connect.transforms.ValueToKey',
      'transforms.key.fields': 'line',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.regex': '(.*)-raw',
      'transforms.route.replacement': '$1-clean',
    });
    const w = startWorker([workerFile('chain'), conn]);
    try {
      const messages = await readTopic(broker.bootstrapServers, clean, { count: 2 });
      // Kafka: FileStreamSource emits (key null, value STRING_SCHEMA line). HoistField$Value builds
      // struct{line: string} (not optional, no name); InsertField$Value appends the static field as
      // an optional string (InsertionSpec: no '!' suffix means optional); ValueToKey builds a key
      // struct with the value's field schema; RegexRouter matches the whole topic. JsonConverter
      // (schemas.enable=true) writes type, fields, optional in that order; a field's schema gets
      // "field" last.
      const keyEnvelope = (line: string): string =>
        `{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"}],"optional":false},"payload":{"line":${JSON.stringify(line)}}}`;
      const valueEnvelope = (line: string): string =>
        '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"},{"type":"string","optional":true,"field":"source"}],"optional":false},' +
        `"payload":{"line":${JSON.stringify(line)},"source":"file-a"}}`;
      expect(messages.map((m) => m.topic)).toEqual([clean, clean]);
      expect(messages.map((m) => m.key?.toString('utf8'))).toEqual([keyEnvelope('hello'), keyEnvelope('say "hi" ✓')]);
      expect(messages.map((m) => m.value?.toString('utf8'))).toEqual([valueEnvelope('hello'), valueEnvelope('say "hi" ✓')]);
      expect(messages[0].key?.toString('utf8')).toBe(
        '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"}],"optional":false},"payload":{"line":"hello"}}',
      );
      expect(messages[0].value?.toString('utf8')).toBe(
        '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"line"},{"type":"string","optional":true,"field":"source"}],"optional":false},"payload":{"line":"hello","source":"file-a"}}',
      );
      expect(await highWatermark(broker.bootstrapServers, raw, 0).catch(() => 0)).toBe(0);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('Filter with a TopicNameMatches predicate drops exactly the records of the matching topic; their source offsets are still committed', async () => {
    const keep = `orders-${run}`;
    const audit = `orders-${run}-audit`;
    await broker.createTopic(keep, 1);
    await broker.createTopic(audit, 1);
    const chain = {
      transforms: 'dropAudit',
      'transforms.dropAudit.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.dropAudit.predicate': 'isAudit',
      predicates: 'isAudit',
      'predicates.isAudit.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
      'predicates.isAudit.pattern': '.*-audit',
    };
    const keepFile = tmp.file('keep.txt');
    const auditFile = tmp.file('audit.txt');
    fs.writeFileSync(keepFile, 'k1\nk2\nk3\n');
    fs.writeFileSync(auditFile, 'a1\na2\n');
    const keepConn = writeProperties(tmp.file('keep-source.properties'), { name: 'keep-source', 'connector.class': 'FileStreamSource', file: keepFile, topic: keep, ...chain });
    const auditConn = writeProperties(tmp.file('audit-source.properties'), { name: 'audit-source', 'connector.class': 'FileStreamSource', file: auditFile, topic: audit, ...chain });
    const offsets = tmp.file('filter.offsets');
    const w = startWorker([workerFile('filter'), keepConn, auditConn]);
    try {
      const kept = await readTopic(broker.bootstrapServers, keep, { count: 3 });
      expect(kept.map((m) => m.value?.toString('utf8'))).toEqual(['"k1"', '"k2"', '"k3"'].map((v) => `{"schema":{"type":"string","optional":false},"payload":${v}}`));
      // The dropped records were read and their offsets committed, so a restart does not read them again.
      await eventually(() => storedPositions(offsets)['audit-source'] === fs.statSync(auditFile).size, 30000, () => `stored offsets: ${JSON.stringify(storedPositions(offsets))}`);
      expect(await highWatermark(broker.bootstrapServers, audit, 0)).toBe(0);
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('TimestampRouter names the topic from the record timestamp in UTC with a Java date pattern', async () => {
    const topic = `events-${run}`;
    const source = tmp.file('ts.txt');
    fs.writeFileSync(source, 'e1\ne2\n');
    const conn = writeProperties(tmp.file('ts-source.properties'), {
      name: 'ts-source',
      'connector.class': 'FileStreamSource',
      file: source,
      topic,
      transforms: 'byDay',
      'transforms.byDay.type': 'TimestampRouter',
      'transforms.byDay.topic.format': '${topic}_${timestamp}',
      'transforms.byDay.timestamp.format': "yyyy.MM.dd'd'",
    });
    const utcDay = (ms: number): string => {
      const d = new Date(ms);
      return `${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(d.getUTCDate()).padStart(2, '0')}d`;
    };
    const before = Date.now();
    const w = startWorker([workerFile('ts'), conn]);
    try {
      // The file is read now; a run across midnight UTC may land on the next day's topic.
      const candidates = [...new Set([utcDay(before), utcDay(before + 120_000)])].map((day) => `${topic}_${day}`);
      let messages: Awaited<ReturnType<typeof readTopic>> = [];
      for (const candidate of candidates) {
        messages = await readTopic(broker.bootstrapServers, candidate, { count: 2, timeoutMs: 30000 }).catch(() => []);
        if (messages.length === 2) break;
      }
      expect(messages).toHaveLength(2);
      for (const m of messages) expect(m.topic).toBe(`${topic}_${utcDay(m.timestamp)}`);
      // The routed topic is auto-created with several partitions: records without a key spread over them, so compare as a set.
      expect(messages.map((m) => m.value?.toString('utf8')).sort()).toEqual(['"e1"', '"e2"'].map((v) => `{"schema":{"type":"string","optional":false},"payload":${v}}`));
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('a misspelt transforms.x.type fails at start-up with exit 1, naming the key and listing the known transforms', async () => {
    const conn = writeProperties(tmp.file('typo-source.properties'), {
      name: 'typo-source',
      'connector.class': 'FileStreamSource',
      file: tmp.file('typo.txt'),
      topic: 'typo',
      transforms: 'x',
      'transforms.x.type': 'org.apache.kafka.connect.transforms.InsertFeild$Value',
    });
    const r = await runCli([workerFile('typo'), conn]);
    expect(r.code).toBe(1);
    const line = errorLine(r.stderr);
    expect(line).toContain(
      `connect-standalone: Invalid connector config ${conn}: Invalid value org.apache.kafka.connect.transforms.InsertFeild$Value for configuration transforms.x.type: ` +
        'Class org.apache.kafka.connect.transforms.InsertFeild$Value could not be found, available transformations are: ',
    );
    expect(line).toContain('org.apache.kafka.connect.transforms.InsertField$Value (InsertField$Value)');
    expect(line).toContain('org.apache.kafka.connect.transforms.HoistField$Value (HoistField$Value)');
    expect(fs.existsSync(tmp.file('typo.offsets'))).toBe(false);
  });

  it('a misspelt key under transforms.<alias>. is warned about by name', async () => {
    const source = tmp.file('warn.txt');
    fs.writeFileSync(source, 'w\n');
    const topic = `warn-${run}`;
    const conn = writeProperties(tmp.file('warn-source.properties'), {
      name: 'warn-source',
      'connector.class': 'FileStreamSource',
      file: source,
      topic,
      transforms: 'hoist',
      'transforms.hoist.type': 'HoistField$Value',
      'transforms.hoist.field': 'line',
      'transforms.hoist.feild': 'typo',
    });
    const w = startWorker([workerFile('warn'), conn]);
    try {
      await w.waitForLog(/The configuration 'transforms\.hoist\.feild' was supplied but isn't a known config\./, 20000);
      await readTopic(broker.bootstrapServers, topic, { count: 1 });
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  it('a sink chain: records are transformed after conversion and before put(); a predicate limits a Filter to one topic', async () => {
    const a = `sink-a-${run}`;
    const b = `sink-b-${run}`;
    await broker.createTopic(a, 1);
    await broker.createTopic(b, 1);
    await produce(broker.bootstrapServers, a, [{ value: 'one' }, { value: 'two' }]);
    await produce(broker.bootstrapServers, b, [{ value: 'dropped' }]);
    const sink = tmp.file('chain-sink.txt');
    const conn = writeProperties(tmp.file('chain-sink.properties'), {
      name: 'chain-sink',
      'connector.class': 'FileStreamSink',
      topics: `${a},${b}`,
      file: sink,
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      transforms: 'dropB,hoist,tag',
      'transforms.dropB.type': 'Filter',
      'transforms.dropB.predicate': 'isB',
      'transforms.hoist.type': 'HoistField$Value',
      'transforms.hoist.field': 'line',
      'transforms.tag.type': 'InsertField$Value',
      'transforms.tag.static.field': 'origin',
      'transforms.tag.static.value': 'kafka',
      predicates: 'isB',
      'predicates.isB.type': 'TopicNameMatches',
      'predicates.isB.pattern': 'sink-b-.*',
    });
    const w = startWorker([workerFile('chain-sink'), conn]);
    try {
      // FileStreamSink writes the value as Kafka's Struct.toString().
      const expected = 'Struct{line=one,origin=kafka}\nStruct{line=two,origin=kafka}\n';
      await untilFileHolds(sink, expected, 60000, () => `stderr:\n${w.stderr().split('\n').filter((l) => !l.includes('values:')).join('\n').slice(-4000)}`);
    } finally {
      expect(await w.stop()).toBe(0);
    }
    expect(fs.readFileSync(sink, 'utf8')).toBe('Struct{line=one,origin=kafka}\nStruct{line=two,origin=kafka}\n');
  });

  it('errors.tolerance=all: a record a sink transform cannot handle lands in the dead letter queue with its original bytes; the others reach the sink', async () => {
    const topic = `extract-${run}`;
    const dlq = `extract-dlq-${run}`;
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, [
      { key: 'k0', value: '{"x":"one"}' },
      { key: 'k1', value: '"not a map"' },
      { key: 'k2', value: '{"x":"two"}' },
    ]);
    const sink = tmp.file('extract-sink.txt');
    const conn = writeProperties(tmp.file('extract-sink.properties'), {
      name: 'extract-sink',
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: sink,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      // Kafka applies a connector's converter settings only when the connector names its converter.
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      transforms: 'x',
      'transforms.x.type': 'ExtractField$Value',
      'transforms.x.field': 'x',
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': 1,
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    const w = startWorker([workerFile('extract'), conn]);
    try {
      await untilFileHolds(sink, 'one\ntwo\n', 60000, () => `stderr:\n${w.stderr().split('\n').filter((l) => !l.includes('values:')).join('\n').slice(-4000)}`);
      const [dead] = await consume(dlq, 1);
      expect(dead.key).toEqual(Buffer.from('k1'));
      expect(dead.value).toEqual(Buffer.from('"not a map"'));
      expect(header(dead, '__connect.errors.stage')).toBe('TRANSFORMATION');
      expect(header(dead, '__connect.errors.class.name')).toBe('org.apache.kafka.connect.transforms.ExtractField$Value');
      expect(header(dead, '__connect.errors.offset')).toBe('1');
      expect(header(dead, '__connect.errors.exception.message')).toBe('Only Map objects supported in absence of schema for [field extraction], found: java.lang.String');
    } finally {
      expect(await w.stop()).toBe(0);
    }
  });

  const kafka = (): Kafka => new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });

  async function consume(topic: string, count: number): Promise<KafkaMessage[]> {
    const consumer = kafka().consumer({ groupId: `transforms-dlq-reader-${run}`, sessionTimeout: 6000, heartbeatInterval: 2000 });
    const messages: KafkaMessage[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
      await eventually(() => messages.length >= count, 60000, () => `${messages.length} of ${count} messages read from ${topic}`);
    } finally {
      await consumer.disconnect();
    }
    return messages;
  }

  const header = (m: KafkaMessage, key: string): string | undefined => {
    const v = m.headers?.[key];
    return v === undefined ? undefined : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  };
});
