/**
 * JDBC sink throughput: BENCH_SINK_ROWS records (a struct of int64 id, string, float64, Timestamp,
 * int32 version, JsonConverter with schemas) in a topic written into a SQLite table by
 * connect-standalone (JdbcSinkConnector), next to a baseline in the same run that does the same job
 * with the raw libraries: a kafkajs consumer (group, eachBatch) reading the topic, JSON.parse of
 * each value, and better-sqlite3 writing each batch of at most max.poll.records (500, what the CLI
 * hands to one put()) in one transaction with multi-row statements of batch.size rows (500), with
 * the same SQL the sink writes. So the ratio is the cost of the runtime, the converter, the schema
 * handling and the sink's binding over the bare minimum of the same work.
 *
 * Two modes: insert (into an empty table, pk.mode=none) and upsert (pk.mode=record_value, id; into a
 * table that already holds every id, so each record updates its row). Both runs of a mode write
 * into identical tables created beforehand (same DDL), in the same SQLite file in WAL mode.
 * Timed from the first row written to the last (so neither side's consumer group join counts);
 * the CLI also from process start, for reference. Best of two alternating runs per mode.
 *
 * The topic has 16 partitions because the mock broker keeps at most about 5 MB per partition, and a
 * consumer reading from the start must find every record.
 *
 * Figures are printed, never asserted. Env: BENCH_SINK_ROWS (default 100000); BENCH_CPU_PROF=<dir> writes a
 * .cpuprofile of each connect-standalone run there.
 */
import { startCli } from './cli-process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { Kafka, logLevel } from 'kafkajs';
import { startBroker } from '../test/harness/broker';

const ROWS = Number(process.env.BENCH_SINK_ROWS ?? 100000);
const PARTITIONS = 16;
const PUT_SIZE = 500; // the consumer's max.poll.records default: records per put()
const BATCH_SIZE = 500; // batch.size: rows per statement
const ROUNDS = 2;
const PRODUCE_BATCH = 2000;
const STALL_MS = 60_000;

type Mode = 'insert' | 'upsert';

function findRoot(dir: string): string {
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const ROOT = findRoot(__dirname);

const SCHEMA = {
  type: 'struct',
  name: 'customer',
  optional: false,
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'name', type: 'string', optional: false },
    { field: 'balance', type: 'double', optional: false },
    { field: 'created_at', type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 },
    { field: 'version', type: 'int32', optional: false },
  ],
};

/** Column types as the SQLite sink's auto.create writes them for SCHEMA. */
function createTable(db: Database.Database, table: string, mode: Mode): void {
  const pk = mode === 'upsert' ? ',\nPRIMARY KEY(`id`)' : '';
  db.exec(`CREATE TABLE \`${table}\` (\n\`id\` INTEGER NOT NULL,\n\`name\` TEXT NOT NULL,\n\`balance\` REAL NOT NULL,\n\`created_at\` NUMERIC NOT NULL,\n\`version\` INTEGER NOT NULL${pk})`);
  if (mode === 'upsert') {
    // Every id is there already (version 1): each record of the topic (version 2) updates its row.
    db.exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - 1})
      INSERT INTO \`${table}\` SELECT i, 'old', 0, 0, 1 FROM n`);
  }
}

async function produceTopic(kafka: Kafka, topic: string): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let start = 0; start < ROWS; start += PRODUCE_BATCH) {
      const messages = [];
      for (let id = start; id < Math.min(ROWS, start + PRODUCE_BATCH); id++) {
        const payload = { id, name: `customer-${id} of the benchmark`, balance: (id % 100000) / 100, created_at: 1700000000000 + id, version: 2 };
        messages.push({ partition: id % PARTITIONS, value: JSON.stringify({ schema: SCHEMA, payload }) });
      }
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Polls the table until every record is in it; returns [first row seen, last row written] in hrtime. */
async function waitForRows(file: string, table: string, mode: Mode, check: () => void): Promise<[bigint, bigint]> {
  const db = new Database(file, { readonly: true });
  try {
    const done = db.prepare(mode === 'insert' ? `SELECT count(*) AS n FROM \`${table}\`` : `SELECT count(*) AS n FROM \`${table}\` WHERE version = 2`);
    let first = 0n;
    let seen = -1;
    let progressAt = Date.now();
    for (;;) {
      const n = (done.get() as { n: number }).n;
      if (n > 0 && first === 0n) first = process.hrtime.bigint();
      if (n !== seen) [seen, progressAt] = [n, Date.now()];
      else if (Date.now() - progressAt > STALL_MS) throw new Error(`${table}: stuck at ${n} of ${ROWS} rows for ${STALL_MS / 1000} s (see the worker's log above)`);
      if (n >= ROWS) {
        if (n > ROWS) throw new Error(`${n} rows in ${table}, expected ${ROWS}`);
        return [first, process.hrtime.bigint()];
      }
      check();
      await new Promise((r) => setTimeout(r, first === 0n ? 5 : 100));
    }
  } finally {
    db.close();
  }
}

interface Parsed {
  id: number;
  name: string;
  balance: number;
  created_at: number;
  version: number;
}

/** The baseline: kafkajs consumer + JSON.parse + better-sqlite3, one transaction per PUT_SIZE records. */
async function rawBaseline(kafka: Kafka, file: string, topic: string, table: string, mode: Mode): Promise<number> {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const columns = '`id`,`name`,`balance`,`created_at`,`version`';
  const statements = new Map<number, Database.Statement>();
  const statement = (rows: number): Database.Statement => {
    let s = statements.get(rows);
    if (s === undefined) {
      const values = new Array(rows).fill('(?,?,?,?,?)').join(',');
      const upsert = mode === 'upsert' ? ' ON CONFLICT(`id`) DO UPDATE SET `name`=excluded.`name`,`balance`=excluded.`balance`,`created_at`=excluded.`created_at`,`version`=excluded.`version`' : '';
      s = db.prepare(`INSERT INTO \`${table}\`(${columns}) VALUES${values}${upsert}`);
      statements.set(rows, s);
    }
    return s;
  };
  const write = db.transaction((rows: Parsed[]) => {
    for (let i = 0; i < rows.length; i += BATCH_SIZE) {
      const chunk = rows.slice(i, i + BATCH_SIZE);
      const params: unknown[] = [];
      for (const r of chunk) params.push(r.id, r.name, r.balance, r.created_at, r.version);
      statement(chunk.length).run(params);
    }
  });
  const consumer = kafka.consumer({ groupId: `${topic}-${table}`, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    // Timed by the baseline itself (it knows when it wrote the last row), so no polling competes with it.
    let written = 0;
    let first = 0n;
    let last = 0n;
    let done: (err?: unknown) => void = () => undefined;
    const finished = new Promise<void>((resolve, reject) => {
      done = (err) => (err === undefined ? resolve() : reject(err));
    });
    await consumer.run({
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        try {
          for (let i = 0; i < batch.messages.length; i += PUT_SIZE) {
            const messages = batch.messages.slice(i, i + PUT_SIZE);
            write(messages.map((m) => (JSON.parse(m.value!.toString('utf8')) as { payload: Parsed }).payload));
            if (first === 0n) first = process.hrtime.bigint();
            written += messages.length;
            resolveOffset(messages[messages.length - 1].offset);
            if (written >= ROWS) {
              last = process.hrtime.bigint();
              done();
            }
            await heartbeat();
          }
        } catch (err) {
          done(err);
          throw err;
        }
      },
    });
    let stall: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      let seen = -1;
      stall = setInterval(() => {
        if (written === seen) reject(new Error(`baseline: stuck at ${written} of ${ROWS} records for ${STALL_MS / 1000} s`));
        seen = written;
      }, STALL_MS);
    });
    try {
      await Promise.race([finished, stalled]);
    } finally {
      clearInterval(stall);
    }
    const rows = (db.prepare(mode === 'insert' ? `SELECT count(*) AS n FROM \`${table}\`` : `SELECT count(*) AS n FROM \`${table}\` WHERE version = 2`).get() as { n: number }).n;
    if (rows !== ROWS) throw new Error(`baseline: ${rows} rows in ${table}, expected ${ROWS}`);
    return ROWS / (Number(last - first) / 1e9);
  } finally {
    await consumer.disconnect();
    db.close();
  }
}

interface CliResult {
  rowsPerSecond: number;
  steadyRowsPerSecond: number;
  peakRssMb: number;
}

/** connect-standalone with the JDBC sink writing the topic into the table. */
async function cliRun(bootstrap: string, file: string, dir: string, topic: string, table: string, mode: Mode): Promise<CliResult> {
  const worker = path.join(dir, `${table}-worker.properties`);
  const conn = path.join(dir, `${table}-sink.properties`);
  fs.writeFileSync(
    worker,
    [
      `bootstrap.servers=${bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable=true',
      `offset.storage.file.filename=${path.join(dir, `${table}.offsets`)}`,
      'offset.flush.interval.ms=10000',
    ].join('\n'),
  );
  fs.writeFileSync(
    conn,
    [
      `name=${table}-jdbc-sink`,
      'connector.class=io.confluent.connect.jdbc.JdbcSinkConnector',
      `connection.url=jdbc:sqlite:${file}?journal_mode=WAL`,
      `topics=${topic}`,
      `table.name.format=${table}`,
      `insert.mode=${mode}`,
      ...(mode === 'upsert' ? ['pk.mode=record_value', 'pk.fields=id'] : ['pk.mode=none']),
      `batch.size=${BATCH_SIZE}`,
    ].join('\n'),
  );
  const started = process.hrtime.bigint();
  const cli = startCli(ROOT, [worker, conn]);
  const proc = cli.proc;
  try {
    const [first, last] = await waitForRows(file, table, mode, () => {
      if (proc.exitCode !== null) throw new Error(`connect-standalone exited early with ${proc.exitCode}`);
    });
    return {
      rowsPerSecond: ROWS / (Number(last - started) / 1e9),
      steadyRowsPerSecond: ROWS / (Number(last - first) / 1e9),
      peakRssMb: cli.peakRssMb(),
    };
  } finally {
    await cli.stop();
  }
}

export async function jdbcSink(): Promise<void> {
  const broker = await startBroker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-bench-jdbc-sink-'));
  try {
    const file = path.join(dir, 'bench.db');
    const kafka = new Kafka({ brokers: broker.bootstrapServers.split(','), logLevel: logLevel.NOTHING });
    const run = Date.now();
    const topic = `bench-jdbc-sink-${run}`;
    await broker.createTopic(topic, PARTITIONS);
    await produceTopic(kafka, topic);
    const setup = new Database(file);
    setup.pragma('journal_mode = WAL');
    setup.close();
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    const lines: string[] = [];
    for (const mode of ['insert', 'upsert'] as const) {
      // Alternate the two, best of ROUNDS each, so that a noisy neighbour does not favour one of them.
      const raws: number[] = [];
      const clis: CliResult[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const rawTable = `raw_${mode}_${round}`;
        const cliTable = `cli_${mode}_${round}`;
        const db = new Database(file);
        createTable(db, rawTable, mode);
        createTable(db, cliTable, mode);
        db.close();
        raws.push(await rawBaseline(kafka, file, topic, rawTable, mode));
        clis.push(await cliRun(broker.bootstrapServers, file, dir, topic, cliTable, mode));
      }
      const raw = Math.max(...raws);
      const cli = clis.reduce((a, b) => (b.steadyRowsPerSecond > a.steadyRowsPerSecond ? b : a));
      lines.push(`| raw kafkajs consumer + better-sqlite3 (baseline) | ${mode} | ${fmt(raw)} | 1.00 | - | - |`);
      lines.push(
        `| connect-standalone, JdbcSink | ${mode} | ${fmt(cli.steadyRowsPerSecond)} | ${(cli.steadyRowsPerSecond / raw).toFixed(2)} | ` +
          `${fmt(cli.rowsPerSecond)} | ${Math.max(...clis.map((c) => c.peakRssMb)).toFixed(0)} MB |`,
      );
    }
    console.log(
      `\nJDBC sink: Kafka -> SQLite table, ${fmt(ROWS)} records (int64, string, float64, Timestamp, int32) in ${PARTITIONS} partitions, JsonConverter with schemas, ` +
        `mock broker, ${PUT_SIZE} records per transaction, batch.size ${BATCH_SIZE}, WAL, best of ${ROUNDS} alternating runs\n`,
    );
    console.log('| run | insert.mode | rows/s (first row to last) | vs raw | CLI rows/s incl. start-up | peak RSS |');
    console.log('|---|---|---|---|---|---|');
    for (const line of lines) console.log(line);
    console.log(
      '\nThe baseline is a raw kafkajs consumer, JSON.parse and better-sqlite3 multi-row INSERTs (upsert: ON CONFLICT(id) DO UPDATE) in one transaction per ' +
        `${PUT_SIZE} records; the CLI adds the runtime, JsonConverter (schema parsing, Struct), the sink's row mapping and binding, and offset commits. Target: >= 0.8 of the baseline.`,
    );
  } finally {
    await broker.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
