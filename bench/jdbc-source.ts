/**
 * JDBC source throughput: a SQLite table of BENCH_ROWS rows (int id, text, numeric, timestamp) read
 * into the broker by connect-standalone (JdbcSourceConnector, incrementing mode, JsonConverter with
 * schemas off), next to a baseline in the same run: better-sqlite3 reading the same rows and a raw
 * kafkajs producer sending JSON.stringify of each (the same JSON the converter writes), with the
 * settings the CLI's producer uses (acks=all, one request in flight, one send per batch of
 * batch.max.rows). Both are timed until the last record is in Kafka; the CLI from its first record
 * (and from process start, for reference). Once per batch size: 2000 and Confluent's default 100,
 * best of two alternating runs each.
 *
 * Figures are printed, never asserted. Env: BENCH_ROWS (default 200000).
 */
import { startCli } from './cli-process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../test/harness/broker';

const ROWS = Number(process.env.BENCH_ROWS ?? 200000);
const BATCH_SIZES = [2000, 100];
const ROUNDS = 2;
const TABLE = 'customers';

function findRoot(dir: string): string {
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const ROOT = findRoot(__dirname);

/** The table, built in one statement: ~90 B of JSON per row. */
function createTable(file: string): void {
  const db = new Database(file);
  try {
    db.exec(`CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, balance NUMERIC(12,2) NOT NULL, created_at TIMESTAMP NOT NULL);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
      INSERT INTO ${TABLE} SELECT i, 'customer-' || i || ' of the benchmark', (i % 100000) / 100.0,
        strftime('%Y-%m-%d %H:%M:%f', 1700000000 + i / 1000.0, 'unixepoch') FROM n;`);
  } finally {
    db.close();
  }
}

async function topicTotal(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    // High watermarks, not high - low: the mock broker trims old records (about 5 MB per partition).
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high), 0);
  } catch {
    return 0;
  } finally {
    await admin.disconnect();
  }
}

interface Row {
  id: number;
  name: string;
  balance: number;
  created_at: string;
}

/** better-sqlite3 reads the rows, kafkajs sends them: rows/s until the last batch is acknowledged. */
async function rawBaseline(kafka: Kafka, file: string, topic: string, batch: number): Promise<number> {
  const producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();
  const db = new Database(file, { readonly: true });
  try {
    const started = process.hrtime.bigint();
    const stmt = db.prepare(`SELECT id, name, balance, created_at FROM ${TABLE} ORDER BY id`);
    let messages: { value: string }[] = [];
    for (const row of stmt.iterate() as IterableIterator<Row>) {
      // What JsonConverter (schemas off) writes for the connector's record: Timestamp as epoch ms.
      const value = JSON.stringify({ id: row.id, name: row.name, balance: row.balance, created_at: Date.parse(`${row.created_at.replace(' ', 'T')}Z`) });
      messages.push({ value });
      if (messages.length === batch) {
        await producer.send({ topic, acks: -1, messages });
        messages = [];
      }
    }
    if (messages.length > 0) await producer.send({ topic, acks: -1, messages });
    return ROWS / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    db.close();
    await producer.disconnect();
  }
}

interface CliResult {
  rowsPerSecond: number;
  steadyRowsPerSecond: number;
  firstRecordMs: number;
  peakRssMb: number;
}

/** connect-standalone reading the table in incrementing mode; timed by the topic's high watermarks. */
async function cliRun(kafka: Kafka, bootstrap: string, file: string, dir: string, prefix: string, batch: number): Promise<CliResult> {
  const topic = `${prefix}${TABLE}`;
  const worker = path.join(dir, `${prefix}worker.properties`);
  const conn = path.join(dir, `${prefix}source.properties`);
  fs.writeFileSync(
    worker,
    [
      `bootstrap.servers=${bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable=false',
      `offset.storage.file.filename=${path.join(dir, `${prefix}.offsets`)}`,
      'offset.flush.interval.ms=10000',
    ].join('\n'),
  );
  fs.writeFileSync(
    conn,
    [
      `name=${prefix}jdbc`,
      'connector.class=io.confluent.connect.jdbc.JdbcSourceConnector',
      `connection.url=jdbc:sqlite:${file}`,
      'mode=incrementing',
      'incrementing.column.name=id',
      `table.whitelist=${TABLE}`,
      `topic.prefix=${prefix}`,
      'numeric.mapping=best_fit',
      `batch.max.rows=${batch}`,
    ].join('\n'),
  );
  const started = process.hrtime.bigint();
  const cli = startCli(ROOT, [worker, conn]);
  const proc = cli.proc;
  try {
    let firstAt = 0n;
    let count = 0;
    while (count < ROWS) {
      count = await topicTotal(kafka, topic);
      if (count > 0 && firstAt === 0n) firstAt = process.hrtime.bigint();
      if (proc.exitCode !== null) throw new Error(`connect-standalone exited early with ${proc.exitCode}`);
      await new Promise((r) => setTimeout(r, firstAt === 0n ? 2 : 20));
    }
    const done = process.hrtime.bigint();
    if (count > ROWS) throw new Error(`${count} records in ${topic}, expected ${ROWS}: rows were sent twice`);
    return {
      rowsPerSecond: ROWS / (Number(done - started) / 1e9),
      steadyRowsPerSecond: ROWS / (Number(done - firstAt) / 1e9),
      firstRecordMs: Number(firstAt - started) / 1e6,
      peakRssMb: cli.peakRssMb(),
    };
  } finally {
    await cli.stop();
  }
}

export async function jdbcSource(): Promise<void> {
  const broker = await startBroker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-jdbc-'));
  try {
    const file = path.join(dir, 'bench.db');
    createTable(file);
    const kafka = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
    const run = Date.now();
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const lines: string[] = [];
    for (const batch of BATCH_SIZES) {
      // Alternate the two, best of ROUNDS each, so that a noisy neighbour does not favour one of them.
      const raws: number[] = [];
      const clis: CliResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        raws.push(await rawBaseline(kafka, file, `bench-jdbc-raw-${batch}-${run}-${round}`, batch));
        clis.push(await cliRun(kafka, broker.bootstrapServers, file, dir, `bench-jdbc-${batch}-${run}-${round}-`, batch));
      }
      const raw = Math.max(...raws);
      const cli = clis.reduce((a, b) => (b.steadyRowsPerSecond > a.steadyRowsPerSecond ? b : a));
      lines.push(`| raw better-sqlite3 + kafkajs (baseline) | ${batch} | ${fmt(raw)} | 1.00 | - | - | - |`);
      lines.push(
        `| connect-standalone, JdbcSource incrementing | ${batch} | ${fmt(cli.steadyRowsPerSecond)} | ${(cli.steadyRowsPerSecond / raw).toFixed(2)} | ` +
          `${fmt(cli.rowsPerSecond)} | ${cli.firstRecordMs.toFixed(0)} ms | ${Math.max(...clis.map((c) => c.peakRssMb)).toFixed(0)} MB |`,
      );
    }
    console.log(`\nJDBC source: SQLite table -> Kafka, ${fmt(ROWS)} rows (int, text, numeric, timestamp), JsonConverter (schemas off), mock broker, acks=all, best of ${ROUNDS} alternating runs\n`);
    console.log('| run | batch (batch.max.rows) | rows/s (CLI: from first record) | vs raw | rows/s incl. start-up | first record after process start | peak RSS |');
    console.log('|---|---|---|---|---|---|---|');
    for (const line of lines) console.log(line);
    console.log('\nThe baseline times one query and its sends (connected producer); the connector pages with LIMIT batch.max.rows and maps every row to a Struct. Target: >= 0.8 of the baseline.');
  } finally {
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
