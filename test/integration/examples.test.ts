import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Database from 'better-sqlite3';
import { readTopic } from '../harness/kcat';
import { loadConfigFile } from '../../src/cli/config-files';
import { eventually, ROOT, startWorker, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * House rule: every plugin's example config is parsed, started and stopped. The connector files in
 * examples/ are used unchanged (their relative file names resolve in the worker's working
 * directory); only the worker file's broker address and offsets path are pointed at the test's.
 */
describe('examples/', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('worker.properties, file-source.properties and file-sink.properties run as shipped', async () => {
    const examples = path.join(ROOT, 'examples');
    const workerProps = loadConfigFile(path.join(examples, 'worker.properties'));
    expect(workerProps['bootstrap.servers']).toBe('localhost:9092');
    // Short enough that a sink restarted at once resumes within seconds on a broker that ignores
    // LeaveGroup (the test broker), as the restart below checks.
    expect(workerProps['consumer.session.timeout.ms']).toBe('6000');
    expect(workerProps['consumer.heartbeat.interval.ms']).toBe('2000');
    const worker = writeProperties(tmp.file('worker.properties'), {
      ...workerProps,
      'bootstrap.servers': broker.bootstrapServers,
      'offset.storage.file.filename': tmp.file('connect.offsets'),
    });
    const source = loadConfigFile(path.join(examples, 'file-source.properties'));
    await broker.createTopic(source.topic, 1);
    fs.writeFileSync(tmp.file(source.file), 'from the example\n');
    const args = [worker, path.join(examples, 'file-source.properties'), path.join(examples, 'file-sink.properties')];
    const sinkFile = tmp.file(loadConfigFile(path.join(examples, 'file-sink.properties')).file);
    const w = startWorker(args, { cwd: tmp.dir });
    try {
      const [m] = await readTopic(broker.bootstrapServers, source.topic, { count: 1 });
      expect(m.value?.toString()).toBe('{"schema":{"type":"string","optional":false},"payload":"from the example"}');
      await eventually(() => fs.existsSync(sinkFile) && fs.readFileSync(sinkFile, 'utf8') === 'from the example\n', 30000, () => 'sink file not written');
    } finally {
      expect(await w.stop()).toBe(0);
    }

    // Restarted at once, the sink gets its partition back after the old member's session (6 s)
    // rather than the 45 s default, on a broker that ignores LeaveGroup.
    const again = startWorker(args, { cwd: tmp.dir });
    try {
      fs.appendFileSync(tmp.file(source.file), 'after the restart\n');
      await eventually(
        () => fs.readFileSync(sinkFile, 'utf8') === 'from the example\nafter the restart\n',
        20000,
        () => `sink file after restart: ${JSON.stringify(fs.readFileSync(sinkFile, 'utf8'))}`,
      );
    } finally {
      expect(await again.stop()).toBe(0);
    }
  }, 90_000);

  it('file-source-transforms.properties runs as shipped: structured, keyed and rerouted records', async () => {
    const examples = path.join(ROOT, 'examples');
    const workerProps = loadConfigFile(path.join(examples, 'worker.properties'));
    const worker = writeProperties(tmp.file('transforms-worker.properties'), {
      ...workerProps,
      'bootstrap.servers': broker.bootstrapServers,
      'offset.storage.file.filename': tmp.file('transforms.offsets'),
    });
    const connectorFile = path.join(examples, 'file-source-transforms.properties');
    const source = loadConfigFile(connectorFile);
    expect(source.topic).toBe('connect-test-raw');
    await broker.createTopic('connect-test-structured', 1);
    const dir = fs.mkdtempSync(path.join(tmp.dir, 'transforms-'));
    fs.writeFileSync(path.join(dir, source.file), 'first line\n');
    const w = startWorker([worker, connectorFile], { cwd: dir });
    try {
      const [m] = await readTopic(broker.bootstrapServers, 'connect-test-structured', { count: 1 });
      const key = JSON.parse(m.key!.toString()) as { payload: unknown };
      const value = JSON.parse(m.value!.toString()) as { schema: { fields: Array<{ field: string }> }; payload: unknown };
      expect(key.payload).toEqual({ line: 'first line' });
      expect(value.schema.fields.map((f) => f.field)).toEqual(['line', 'origin']);
      expect(value.payload).toEqual({ line: 'first line', origin: 'example' });
    } finally {
      expect(await w.stop()).toBe(0);
    }
  }, 60_000);

  it('jdbc-source-sqlite.properties runs as shipped on the database jdbc-demo-db.js creates: rows and a row inserted while running', async () => {
    const examples = path.join(ROOT, 'examples');
    const connectorFile = path.join(examples, 'jdbc-source-sqlite.properties');
    const source = loadConfigFile(connectorFile);
    expect(source).toMatchObject({
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': 'jdbc:sqlite:demo.db',
      mode: 'timestamp+incrementing',
      'table.whitelist': 'orders',
      'topic.prefix': 'demo-',
    });
    const topic = `${source['topic.prefix']}orders`;
    await broker.createTopic(topic, 1);
    const workerProps = loadConfigFile(path.join(examples, 'worker.properties'));
    const offsets = tmp.file('jdbc.offsets');
    const worker = writeProperties(tmp.file('jdbc-worker.properties'), {
      ...workerProps,
      'bootstrap.servers': broker.bootstrapServers,
      'offset.storage.file.filename': offsets,
    });
    // The database in the worker's working directory, where the example's relative URL points.
    const dir = fs.mkdtempSync(path.join(tmp.dir, 'jdbc-'));
    const demoDb = (...args: string[]): string =>
      execFileSync(process.execPath, [path.join(examples, 'jdbc-demo-db.js'), 'demo.db', ...args], { cwd: dir, encoding: 'utf8' });
    expect(demoDb().trim().split('\n')).toHaveLength(3);

    const payloads = (messages: { value: Buffer | null }[]) => messages.map((m) => JSON.parse(m.value!.toString('utf8')).payload as Record<string, unknown>);
    const w = startWorker([worker, connectorFile], { cwd: dir });
    let last: Record<string, unknown> = {};
    try {
      const first = await readTopic(broker.bootstrapServers, topic, { count: 3 });
      const doc = JSON.parse(first[0].value!.toString('utf8'));
      expect(doc.schema).toMatchObject({ type: 'struct', name: 'orders', optional: false });
      expect(doc.schema.fields.map((f: { field: string; type: string; name?: string }) => [f.field, f.type, f.name])).toEqual([
        ['id', 'int32', undefined],
        ['item', 'string', undefined],
        ['quantity', 'int32', undefined],
        ['updated_at', 'int64', 'org.apache.kafka.connect.data.Timestamp'],
      ]);
      expect(payloads(first).map((p) => [p.id, p.item, p.quantity])).toEqual([
        [1, 'apples', 3],
        [2, 'bread', 1],
        [3, 'coffee', 2],
      ]);
      demoDb('insert', 'pears', '4');
      const all = await readTopic(broker.bootstrapServers, topic, { count: 4 });
      last = payloads(all)[3];
      expect([last.id, last.item, last.quantity]).toEqual([4, 'pears', 4]);
      expect(typeof last.updated_at).toBe('number');
    } finally {
      expect(await w.stop()).toBe(0);
    }
    // Stored at shutdown in Confluent's shapes: the next start resumes after row 4.
    expect(JSON.parse(fs.readFileSync(offsets, 'utf8')).offsets).toEqual([
      { key: [source.name, { protocol: '1', table: 'orders' }], value: { incrementing: 4, timestamp: last.updated_at, timestamp_nanos: 0 } },
    ]);
  }, 60_000);

  it('jdbc-sink-sqlite.properties runs with file-source.properties (only the topic renamed): file -> topic -> table, one row per line, none twice after a restart', async () => {
    const examples = path.join(ROOT, 'examples');
    const connectorFile = path.join(examples, 'jdbc-sink-sqlite.properties');
    const sink = loadConfigFile(connectorFile);
    expect(sink).toMatchObject({
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': 'jdbc:sqlite:sink.db',
      topics: 'connect-test',
      'table.name.format': 'lines',
      'insert.mode': 'upsert',
      'pk.mode': 'kafka',
      'auto.create': 'true',
      'auto.evolve': 'true',
    });
    const sourceFile = path.join(examples, 'file-source.properties');
    const source = loadConfigFile(sourceFile);
    expect(source.topic).toBe(sink.topics);
    const workerProps = loadConfigFile(path.join(examples, 'worker.properties'));
    const worker = writeProperties(tmp.file('jdbc-sink-worker.properties'), {
      ...workerProps,
      'bootstrap.servers': broker.bootstrapServers,
      'offset.storage.file.filename': tmp.file('jdbc-sink.offsets'),
    });
    // A topic of its own on the shared broker: the first test also writes connect-test.
    const topic = `connect-test-jdbc-sink-${Date.now()}`;
    await broker.createTopic(topic, 1);
    const dir = fs.mkdtempSync(path.join(tmp.dir, 'jdbc-sink-'));
    const args = [
      worker,
      writeProperties(path.join(dir, 'file-source.properties'), { ...source, topic }),
      writeProperties(path.join(dir, 'jdbc-sink-sqlite.properties'), { ...sink, topics: topic }),
    ];
    fs.writeFileSync(path.join(dir, source.file), 'hello\nkafka connect\n');
    // What the demo prints: jdbc-demo-db.js show, from the worker's working directory (sink.db is created there).
    const rows = (): Array<Record<string, unknown>> => {
      if (!fs.existsSync(path.join(dir, 'sink.db'))) return [];
      try {
        const out = execFileSync(process.execPath, [path.join(examples, 'jdbc-demo-db.js'), 'sink.db', 'show', 'lines'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        return out.trim() === '' ? [] : out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      } catch {
        return []; // the table is not created yet
      }
    };
    const w = startWorker(args, { cwd: dir });
    try {
      await eventually(() => rows().length >= 2, 30000, () => `rows in table lines: ${JSON.stringify(rows())}`);
    } finally {
      expect(await w.stop()).toBe(0);
    }
    expect(rows()).toEqual([
      { __connect_topic: topic, __connect_partition: 0, __connect_offset: 0, line: 'hello' },
      { __connect_topic: topic, __connect_partition: 0, __connect_offset: 1, line: 'kafka connect' },
    ]);
    const db = new Database(path.join(dir, 'sink.db'), { readonly: true });
    try {
      // auto.create made the kafka coordinates the primary key.
      const pk = db.prepare("SELECT name FROM pragma_table_info('lines') WHERE pk > 0 ORDER BY pk").all() as Array<{ name: string }>;
      expect(pk.map((c) => c.name)).toEqual(['__connect_topic', '__connect_partition', '__connect_offset']);
    } finally {
      db.close();
    }

    // Restarted: the next line lands once, and nothing before it is written again.
    const again = startWorker(args, { cwd: dir });
    try {
      fs.appendFileSync(path.join(dir, source.file), 'after the restart\n');
      await eventually(() => rows().length >= 3, 30000, () => `rows in table lines after the restart: ${JSON.stringify(rows())}`);
    } finally {
      expect(await again.stop()).toBe(0);
    }
    expect(rows().map((r) => [r.__connect_offset, r.line])).toEqual([
      [0, 'hello'],
      [1, 'kafka connect'],
      [2, 'after the restart'],
    ]);
  }, 90_000);
});
