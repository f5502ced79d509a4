import * as fs from 'fs';
import * as path from 'path';
import Database from 'better-sqlite3';
import { highWatermark, produce, readTopic } from '../harness/kcat';
import { committedOffset, envelope, jdbcSinkProps, structSchema } from './helpers/jdbc-sink';
import { ROOT, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * `--once` through the real CLI with the broker harness: the run ends by itself once every source
 * caught up and every sink consumed what its topics held at start, with the documented exit codes,
 * summary lines and --summary-json; repeated runs continue from the stored offsets.
 */
const PLUGIN_DIR = path.join(ROOT, 'test', 'fixtures', 'plugins', 'once-source');
const RUN_TIMEOUT_MS = 60_000;

describe('--once', () => {
  const broker = useBroker();
  const tmp = useTempDir('cs-once-');

  function worker(name: string, extra: Record<string, string | number> = {}): string {
    return writeProperties(tmp.file(`${name}-worker.properties`), testWorkerProps(broker.bootstrapServers, tmp.file(`${name}.offsets`), { 'plugin.path': PLUGIN_DIR, ...extra }));
  }

  function connector(file: string, props: Record<string, string | number>): string {
    return writeProperties(tmp.file(file), props);
  }

  /** Runs the CLI to its exit (killing it after RUN_TIMEOUT_MS) and returns the code and stderr. */
  async function run(args: string[], during?: (w: WorkerProcess) => Promise<void>): Promise<{ code: number | null; stderr: string }> {
    const w = startWorker(args);
    const timer = setTimeout(() => w.proc.kill('SIGKILL'), RUN_TIMEOUT_MS);
    try {
      if (during) await during(w);
      const { code } = await w.exited;
      return { code, stderr: w.stderr() };
    } finally {
      clearTimeout(timer);
    }
  }

  const summaryLines = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('summary: '));
  const payloads = (messages: { value: Buffer | null }[]) => messages.map((m) => JSON.parse(m.value!.toString('utf8')).payload);

  it('a source that catches up: exits 0 with every record in Kafka, one summary line, the JSON summary; a second run adds only the new records', async () => {
    const topic = 'once-fixture';
    await broker.createTopic(topic, 1);
    const w = worker('fixture');
    const summary = tmp.file('fixture-summary.json');
    const first = await run(['--once', '--summary-json', summary, w, connector('fixture-1.properties', { name: 'fixture', 'connector.class': 'OnceSource', topic, count: 1200 })]);
    expect(first.code).toBe(0);
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(1200);
    expect(summaryLines(first.stderr)).toEqual([expect.stringMatching(/^summary: fixture \(source\) finished: 1200 records read, 1200 written, 0 skipped, 0 failed in \d+\.\d s$/)]);
    const json = JSON.parse(fs.readFileSync(summary, 'utf8'));
    expect(json).toMatchObject({ exitCode: 0, ended: 'complete', connectors: [{ name: 'fixture', type: 'source', outcome: 'finished', records: { read: 1200, written: 1200, skipped: 0, failed: 0 } }] });
    expect(fs.readdirSync(tmp.dir).filter((f) => f.includes('summary.json') && f.endsWith('.tmp'))).toEqual([]);

    const second = await run(['--once', w, connector('fixture-2.properties', { name: 'fixture', 'connector.class': 'OnceSource', topic, count: 1210 })]);
    expect(second.code).toBe(0);
    expect(summaryLines(second.stderr)).toEqual([expect.stringContaining('fixture (source) finished: 10 records read, 10 written')]);
    const all = await readTopic(broker.bootstrapServers, topic, { count: 1210 });
    expect(payloads(all).slice(1195)).toEqual(Array.from({ length: 15 }, (_, i) => `v${1195 + i}`));
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(1210);
  });

  it('a JDBC source (SQLite): exports the table and exits 0; rows inserted later are exported by the next run, and only they', async () => {
    const topic = 'once-jdbc-orders';
    await broker.createTopic(topic, 1);
    const file = tmp.file('orders.db');
    const db = new Database(file);
    db.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY NOT NULL, item TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO orders (id, item) VALUES (?, ?)');
    for (let i = 1; i <= 250; i++) insert.run(i, `item${i}`);
    const w = worker('jdbc-src');
    const src = connector('jdbc-src.properties', {
      name: 'jdbc-src',
      'connector.class': 'io.confluent.connect.jdbc.JdbcSourceConnector',
      'connection.url': `jdbc:sqlite:${file}`,
      mode: 'incrementing',
      'incrementing.column.name': 'id',
      'table.whitelist': 'orders',
      'topic.prefix': 'once-jdbc-',
      'batch.max.rows': 100,
      'poll.interval.ms': 200,
    });
    const first = await run(['--once', w, src]);
    expect(first.code).toBe(0);
    expect(await highWatermark(broker.bootstrapServers, topic, 0)).toBe(250);
    for (let i = 251; i <= 257; i++) insert.run(i, `item${i}`);
    db.close();
    const second = await run(['--once', w, src]);
    expect(second.code).toBe(0);
    expect(summaryLines(second.stderr)).toEqual([expect.stringContaining('jdbc-src (source) finished: 7 records read, 7 written')]);
    const all = await readTopic(broker.bootstrapServers, topic, { count: 257 });
    expect(payloads(all).map((p) => p.id)).toEqual(Array.from({ length: 257 }, (_, i) => i + 1));
  });

  it('a JDBC sink (SQLite): writes every record the topic had at start, commits, exits 0; the next run writes only what came since', async () => {
    const topic = 'once-jdbc-sink';
    await broker.createTopic(topic, 2);
    const schema = structSchema('person', [
      { field: 'id', type: 'int32' },
      { field: 'name', type: 'string' },
    ]);
    const people = (from: number, to: number, partition: number) =>
      Array.from({ length: to - from }, (_, i) => ({ key: null, value: envelope(schema, { id: from + i, name: `p${from + i}` }), partition }));
    await produce(broker.bootstrapServers, topic, [...people(0, 300, 0), ...people(300, 500, 1)]);
    const file = tmp.file('sink.db');
    const w = worker('jdbc-sink');
    const snk = connector('jdbc-sink.properties', jdbcSinkProps('jdbc-sink', `jdbc:sqlite:${file}`, topic, { 'insert.mode': 'insert', 'auto.create': 'true', 'table.name.format': 'people' }));
    const first = await run(['--once', w, snk]);
    expect(first.code).toBe(0);
    const count = () => {
      const db = new Database(file, { readonly: true });
      try {
        return (db.prepare('SELECT COUNT(*) AS n FROM people').get() as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(count()).toBe(500);
    expect(await committedOffset(broker.bootstrapServers, 'jdbc-sink', topic, 0)).toBe(300);
    expect(await committedOffset(broker.bootstrapServers, 'jdbc-sink', topic, 1)).toBe(200);
    expect(summaryLines(first.stderr)).toEqual([expect.stringContaining('jdbc-sink (sink) finished: 500 records read, 500 written, 0 skipped, 0 failed')]);

    await produce(broker.bootstrapServers, topic, people(500, 520, 1));
    const second = await run(['--once', w, snk]);
    expect(second.code).toBe(0);
    expect(count()).toBe(520);
    expect(await committedOffset(broker.bootstrapServers, 'jdbc-sink', topic, 1)).toBe(220);

    // Nothing new: done at once, without waiting for a group join.
    const third = await run(['--once', w, snk]);
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/Nothing to consume/);
    expect(count()).toBe(520);
  });

  it('a file sink: writes every record the topic had at start and exits 0; an empty topic is done at once', async () => {
    const topic = 'once-file-sink';
    await broker.createTopic(topic, 1);
    const empty = 'once-file-sink-empty';
    await broker.createTopic(empty, 1);
    await produce(broker.bootstrapServers, topic, Array.from({ length: 3000 }, (_, i) => ({ key: null, value: JSON.stringify(`line${i}`) })));
    const out = tmp.file('file-sink.txt');
    const outEmpty = tmp.file('file-sink-empty.txt');
    const w = worker('file-sink', { 'value.converter.schemas.enable': 'false' });
    const result = await run([
      '--once',
      w,
      connector('file-sink.properties', { name: 'file-sink', 'connector.class': 'FileStreamSink', file: out, topics: topic }),
      connector('file-sink-empty.properties', { name: 'file-sink-empty', 'connector.class': 'FileStreamSink', file: outEmpty, topics: empty }),
    ]);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(Array.from({ length: 3000 }, (_, i) => `line${i}\n`).join(''));
    expect(summaryLines(result.stderr)).toEqual([
      expect.stringContaining('file-sink (sink) finished: 3000 records read, 3000 written'),
      expect.stringContaining('file-sink-empty (sink) finished: 0 records read, 0 written'),
    ]);
  });

  it('a mix in one process: a file source, a JDBC source, a fixture source, a file sink and a JDBC sink all finish, exit 0', async () => {
    const srcTopic = 'once-mix-fixture';
    const sinkTopic = 'once-mix-in';
    await broker.createTopic(srcTopic, 1);
    await broker.createTopic(sinkTopic, 1);
    await broker.createTopic('once-mix-items', 1);
    await produce(broker.bootstrapServers, sinkTopic, Array.from({ length: 40 }, (_, i) => ({ key: null, value: JSON.stringify(`m${i}`) })));
    const file = tmp.file('mix.db');
    const db = new Database(file);
    db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY NOT NULL)');
    for (let i = 1; i <= 30; i++) db.prepare('INSERT INTO items (id) VALUES (?)').run(i);
    db.close();
    const out = tmp.file('mix-sink.txt');
    const lines = tmp.file('mix-lines.txt');
    fs.writeFileSync(lines, Array.from({ length: 60 }, (_, i) => `l${i}\n`).join(''));
    await broker.createTopic('once-mix-lines', 1);
    await broker.createTopic('once-mix-rows', 1);
    const rowSchema = structSchema('row', [{ field: 'id', type: 'int32' }]);
    await produce(broker.bootstrapServers, 'once-mix-rows', Array.from({ length: 35 }, (_, i) => ({ key: null, value: envelope(rowSchema, { id: i }) })));
    const sinkDb = tmp.file('mix-sink.db');
    const w = worker('mix', { 'value.converter.schemas.enable': 'false' });
    const result = await run([
      '--once',
      w,
      connector('mix-jdbc.properties', {
        name: 'mix-jdbc',
        'connector.class': 'JdbcSourceConnector',
        'connection.url': `jdbc:sqlite:${file}`,
        mode: 'incrementing',
        'incrementing.column.name': 'id',
        'table.whitelist': 'items',
        'topic.prefix': 'once-mix-',
        'poll.interval.ms': 200,
      }),
      connector('mix-fixture.properties', { name: 'mix-fixture', 'connector.class': 'OnceSource', topic: srcTopic, count: 25 }),
      connector('mix-sink.properties', { name: 'mix-sink', 'connector.class': 'FileStreamSink', file: out, topics: sinkTopic }),
      connector('mix-file.properties', { name: 'mix-file', 'connector.class': 'FileStreamSource', file: lines, topic: 'once-mix-lines' }),
      connector(
        'mix-jdbc-sink.properties',
        jdbcSinkProps('mix-jdbc-sink', `jdbc:sqlite:${sinkDb}`, 'once-mix-rows', { 'auto.create': 'true', 'table.name.format': 'rows', 'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'true' }),
      ),
    ]);
    expect(result.code).toBe(0);
    expect(await highWatermark(broker.bootstrapServers, 'once-mix-items', 0)).toBe(30);
    expect(await highWatermark(broker.bootstrapServers, srcTopic, 0)).toBe(25);
    expect(fs.readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(40);
    expect(summaryLines(result.stderr).map((l) => l.replace(/ in .*$/, ''))).toEqual([
      'summary: mix-jdbc (source) finished: 30 records read, 30 written, 0 skipped, 0 failed',
      'summary: mix-fixture (source) finished: 25 records read, 25 written, 0 skipped, 0 failed',
      'summary: mix-sink (sink) finished: 40 records read, 40 written, 0 skipped, 0 failed',
      'summary: mix-file (source) finished: 60 records read, 60 written, 0 skipped, 0 failed',
      'summary: mix-jdbc-sink (sink) finished: 35 records read, 35 written, 0 skipped, 0 failed',
    ]);
    expect(await highWatermark(broker.bootstrapServers, 'once-mix-lines', 0)).toBe(60);
    const rows = new Database(sinkDb, { readonly: true });
    try {
      expect((rows.prepare('SELECT COUNT(*) AS n FROM rows').get() as { n: number }).n).toBe(35);
    } finally {
      rows.close();
    }
  });

  it('records skipped by errors.tolerance=all are counted in the summary, and the run still exits 0', async () => {
    const topic = 'once-skips';
    await broker.createTopic(topic, 1);
    await produce(broker.bootstrapServers, topic, [
      ...Array.from({ length: 5 }, (_, i) => ({ key: null, value: JSON.stringify(`ok${i}`) })),
      { key: null, value: '{not json' },
      { key: null, value: JSON.stringify('last') },
    ]);
    const out = tmp.file('skips.txt');
    const summary = tmp.file('skips-summary.json');
    const result = await run([
      '--once',
      '--summary-json',
      summary,
      worker('skips', { 'value.converter.schemas.enable': 'false' }),
      connector('skips.properties', { name: 'skips', 'connector.class': 'FileStreamSink', file: out, topics: topic, 'errors.tolerance': 'all' }),
    ]);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe('ok0\nok1\nok2\nok3\nok4\nlast\n');
    expect(summaryLines(result.stderr)).toEqual([expect.stringContaining('skips (sink) finished: 7 records read, 6 written, 1 skipped, 0 failed')]);
    expect(JSON.parse(fs.readFileSync(summary, 'utf8')).connectors[0].records).toEqual({ read: 7, written: 6, skipped: 1, failed: 0 });
  });

  it('a connector that cannot start: exit 1, its error on stderr, the summary JSON says so', async () => {
    const summary = tmp.file('nostart-summary.json');
    const result = await run(['--once', '--summary-json', summary, worker('nostart'), connector('nostart.properties', { name: 'nostart', 'connector.class': 'OnceSource', topic: 'once-nostart', 'fail.start': 'true' })]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Failed to start connector nostart .*fail\.start=true/);
    expect(JSON.parse(fs.readFileSync(summary, 'utf8'))).toMatchObject({ exitCode: 1, ended: 'start-up failed' });
  });

  it('a task that fails: the others finish, exit 3, the summary says failed', async () => {
    await broker.createTopic('once-fails', 1);
    await broker.createTopic('once-fine', 1);
    const result = await run([
      '--once',
      worker('fails'),
      connector('fails.properties', { name: 'fails', 'connector.class': 'OnceSource', topic: 'once-fails', count: 5, after: 'fail' }),
      connector('fine.properties', { name: 'fine', 'connector.class': 'OnceSource', topic: 'once-fine', count: 5 }),
    ]);
    expect(result.code).toBe(3);
    expect(summaryLines(result.stderr).map((l) => l.replace(/:.*$/, ''))).toEqual(['summary', 'summary']);
    expect(summaryLines(result.stderr)).toEqual([expect.stringContaining('fails (source) failed: 5 records read, 5 written'), expect.stringContaining('fine (source) finished: 5 records read')]);
    expect(await highWatermark(broker.bootstrapServers, 'once-fine', 0)).toBe(5);
  });

  it('--once-timeout: a source that never says it caught up ends the run with exit 4, its acknowledged records committed', async () => {
    await broker.createTopic('once-never', 1);
    const w = worker('never');
    const src = connector('never.properties', { name: 'never', 'connector.class': 'OnceSource', topic: 'once-never', count: 50, after: 'never' });
    const summary = tmp.file('never-summary.json');
    const result = await run(['--once', '--once-timeout', '3s', '--summary-json', summary, w, src]);
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/--once-timeout of 3000 ms passed/);
    expect(JSON.parse(fs.readFileSync(summary, 'utf8'))).toMatchObject({ exitCode: 4, ended: 'once-timeout', connectors: [{ name: 'never', outcome: 'stopped', records: { written: 50 } }] });
    // Its offsets were flushed at the stop: a second run sends nothing again.
    const again = await run(['--once', '--once-timeout', '2s', w, src]);
    expect(again.code).toBe(4);
    expect(await highWatermark(broker.bootstrapServers, 'once-never', 0)).toBe(50);
  });

  it('SIGTERM during --once: stops cleanly and exits 143; SIGINT exits 130', async () => {
    await broker.createTopic('once-signal', 1);
    const w = worker('signal');
    const src = connector('signal.properties', { name: 'signal', 'connector.class': 'OnceSource', topic: 'once-signal', count: 20, after: 'never' });
    for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      const result = await run(['--once', w, src], async (p) => {
        await p.waitForLog(/Source task finished initialization and start/);
        p.proc.kill(signal);
      });
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(new RegExp(`Received ${signal}: stopping the worker`));
      expect(summaryLines(result.stderr)).toEqual([expect.stringContaining('signal (source) stopped')]);
    }
  });

  it('usage errors: --once-timeout without --once or with a bad duration exit 2 naming the value', async () => {
    const w = worker('usage');
    const noOnce = await run(['--once-timeout', '5s', w]);
    expect(noOnce.code).toBe(2);
    expect(noOnce.stderr).toMatch(/--once-timeout needs --once/);
    const bad = await run(['--once', '--once-timeout', 'soon', w]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid duration 'soon'/);
  });
});
