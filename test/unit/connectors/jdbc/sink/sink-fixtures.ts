import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { ErrantRecordReporter, Logger, Schema, SinkRecord, SinkTaskContext, Struct } from '../../../../../src/api';
import { DbConnection, DbConnectionFactory } from '../../../../../connectors/jdbc/dialect';
import { createConnectionFactory } from '../../../../../connectors/jdbc/connection-factory';
import { JdbcCommonConfig } from '../../../../../connectors/jdbc/jdbc-common-config';
import { JdbcSinkTask } from '../../../../../connectors/jdbc/sink/jdbc-sink-task';

/** A SQLite file in a temp dir, a second handle on it for assertions, and cleanup. */
export interface SqliteFile {
  readonly file: string;
  readonly url: string;
  readonly db: Database.Database;
  cleanup(): void;
}

export function sqliteFile(prefix = 'jdbc-sink-'): SqliteFile {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(dir, 'sink.db');
  const db = new Database(file);
  db.defaultSafeIntegers(true);
  return {
    file,
    url: `jdbc:sqlite:${file}`,
    db,
    cleanup: () => {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let nextOffset = 0n;

/** A SinkRecord as the runtime hands it over; offsets count up across a test file unless given. */
export function sinkRecord(fields: Partial<SinkRecord> & Pick<SinkRecord, 'topic'>): SinkRecord {
  return {
    kafkaPartition: 0,
    kafkaOffset: nextOffset++,
    keySchema: null,
    key: null,
    valueSchema: null,
    value: null,
    timestamp: 0,
    timestampType: 'CreateTime',
    headers: [],
    ...fields,
  };
}

/** A Struct of `schema` with the given values. */
export function struct(schema: Schema, values: Record<string, unknown>): Struct {
  const s = new Struct(schema);
  for (const [k, v] of Object.entries(values)) s.put(k, v);
  return s;
}

export interface LogLine {
  readonly level: string;
  readonly msg: string;
}

/** A logger that keeps its lines. */
export function memoryLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (msg: string) => void lines.push({ level, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), isLevelEnabled: () => true };
}

/** A reporter that keeps what it was given. */
export function memoryReporter(): ErrantRecordReporter & { reported: { record: SinkRecord; error: Error }[] } {
  const reported: { record: SinkRecord; error: Error }[] = [];
  return { reported, report: async (record, error) => void reported.push({ record, error }) };
}

/** Wraps every connection the factory opens, e.g. to record SQL or fail a statement. */
export type ConnectionWrapper = (conn: DbConnection) => DbConnection;

export function wrappingFactory(config: JdbcCommonConfig, wrap: ConnectionWrapper): DbConnectionFactory {
  const real = createConnectionFactory(config, { createDatabase: true });
  return { dialect: real.dialect, connect: async () => wrap(await real.connect()) };
}

/** A connection that passes through, calling `before(sql)` first (it may throw). */
export function interceptingConnection(conn: DbConnection, before: (sql: string, params: readonly unknown[] | undefined) => void): DbConnection {
  const wrapped: DbConnection = {
    query: async (sql, params) => {
      before(sql, params);
      return conn.query(sql, params);
    },
    queryPages: (sql, params, size) => conn.queryPages(sql, params, size),
    transaction: (work) => conn.transaction(() => work(wrapped)),
    isValid: (ms) => conn.isValid(ms),
    close: () => conn.close(),
  };
  return wrapped;
}

export interface StartedTask {
  readonly task: JdbcSinkTask;
  readonly logger: ReturnType<typeof memoryLogger>;
  readonly sleeps: number[];
}

/** A started JdbcSinkTask with a memory logger, an optional reporter and connection wrapper, and no real waits. */
export function startTask(props: Record<string, string>, options: { reporter?: ErrantRecordReporter | null; wrap?: ConnectionWrapper } = {}): StartedTask {
  const logger = memoryLogger();
  const sleeps: number[] = [];
  const task = new JdbcSinkTask({
    connectionFactory: (config) => (options.wrap ? wrappingFactory(config, options.wrap) : createConnectionFactory(config, { createDatabase: true })),
    sleep: async (ms) => void sleeps.push(ms),
  });
  const context: SinkTaskContext = {
    connectorName: 'jdbc-sink-test',
    taskId: 0,
    logger,
    assignment: () => [],
    requestCommit: () => undefined,
    errantRecordReporter: () => options.reporter ?? null,
  };
  task.initialize(context);
  task.start(props);
  return { task, logger, sleeps };
}
