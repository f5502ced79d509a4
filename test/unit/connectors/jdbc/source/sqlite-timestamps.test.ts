import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { Logger, OffsetMap, SourceRecord, Struct } from '../../../../../src/api';
import { createConnectionFactory } from '../../../../../connectors/jdbc/connection-factory';
import { JdbcSourceTask } from '../../../../../connectors/jdbc/source/jdbc-source-task';
import { taskContext } from './fake-db';

/**
 * The timestamp modes on real SQLite files through the real JdbcSourceTask (connection factory,
 * driver, dialect): SQLite has no timestamp type, so a TIMESTAMP column holds whatever was written
 * (CURRENT_TIMESTAMP's text, text with `.000`, ISO text with `T` and `Z` or an offset, INTEGER
 * epoch milliseconds, REAL Julian days). The column is compared as stored, with parameters in the
 * form its values take: whatever that form, when one writer fills the column every insert and
 * update is delivered exactly once, idle polls read nothing again, and a restart from the stored
 * offset resumes exactly after the last record. Forms mixed in one column are reported with a
 * warning, and rows of a form other than the one compared with are read again or missed.
 */

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jdbc-sqlite-ts-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** 2024-01-01 00:00:00 UTC plus `s` seconds (fractions allowed). */
const at = (s: number): number => Date.UTC(2024, 0, 1) + Math.round(s * 1000);

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
/** `YYYY-MM-DD HH:MM:SS` of `ms` shifted by `offsetMin` minutes (the wall clock there). */
function wall(ms: number, offsetMin = 0): { date: string; time: string; millis: string } {
  const d = new Date(ms + offsetMin * 60_000);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    millis: pad(d.getUTCMilliseconds(), 3),
  };
}

type Stored = string | bigint | number;
/** One way of storing an instant in a SQLite TIMESTAMP column. */
type Form = (ms: number) => Stored;

const FORMS: Record<string, Form> = {
  // What CURRENT_TIMESTAMP and datetime() write (whole seconds, UTC).
  currentTimestamp: (ms) => {
    const w = wall(ms);
    return `${w.date} ${w.time}${w.millis === '000' ? '' : `.${w.millis}`}`;
  },
  // strftime('%Y-%m-%d %H:%M:%f') and most drivers: always three digits, `.000` included.
  withMillis: (ms) => {
    const w = wall(ms);
    return `${w.date} ${w.time}.${w.millis}`;
  },
  // JavaScript's toISOString() and other ISO writers: `T` and `Z`.
  isoZ: (ms) => new Date(ms).toISOString().replace('.000Z', 'Z'),
  // An explicit offset: the same instant as wall-clock time at +02:00.
  isoOffset: (ms) => {
    const w = wall(ms, 120);
    return `${w.date}T${w.time}.${w.millis}+02:00`;
  },
  // INTEGER epoch milliseconds (sqlite-jdbc's default for a java.sql.Timestamp parameter).
  epochMillis: (ms) => BigInt(ms),
  // Python's sqlite3 adapter: microseconds (here .xxx500, a sub-millisecond part).
  micros: (ms) => {
    const w = wall(ms);
    return `${w.date} ${w.time}.${w.millis}500`;
  },
};

/** Every form in turn, one value after the other (rows sharing an instant get different forms). */
function mixedForms(): Form {
  const forms = Object.values(FORMS);
  let next = 0;
  return (ms) => forms[next++ % forms.length](ms);
}

/** A logger keeping its warnings. */
function warningLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug: () => undefined, info: () => undefined, error: () => undefined, isLevelEnabled: () => false, warn: (m: string) => warnings.push(m) };
}

interface Table {
  readonly url: string;
  readonly db: Database.Database;
  insert(id: number, value: Stored): void;
  update(id: number, value: Stored, name: string): void;
}

function createTable(name: string): Table {
  const file = path.join(dir, `${name}.db`);
  const db = new Database(file);
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY NOT NULL, ts TIMESTAMP NOT NULL, name TEXT)');
  const insert = db.prepare('INSERT INTO t (id, ts, name) VALUES (?, ?, ?)');
  const update = db.prepare('UPDATE t SET ts = ?, name = ? WHERE id = ?');
  return {
    url: `jdbc:sqlite:${file}`,
    db,
    insert: (id, value) => insert.run(id, value, `row${id}`),
    update: (id, value, n) => update.run(value, n, id),
  };
}

type Mode = 'timestamp' | 'timestamp+incrementing';

async function startTask(
  table: Table,
  mode: Mode,
  extra: Record<string, string> = {},
  offsets: { partition: OffsetMap; offset: OffsetMap }[] = [],
  logger: Logger = warningLogger(),
): Promise<JdbcSourceTask> {
  const task = new JdbcSourceTask({ connectionFactory: (config) => createConnectionFactory(config), maxPollWaitMs: 30 });
  task.initialize(taskContext(offsets, logger));
  await task.start({
    'connection.url': table.url,
    'topic.prefix': 'db-',
    'poll.interval.ms': '0',
    tables: '[[null,null,"t"]]',
    mode,
    'timestamp.column.name': 'ts',
    ...(mode === 'timestamp+incrementing' ? { 'incrementing.column.name': 'id' } : {}),
    // Small pages: page ends fall inside rows sharing a timestamp.
    'batch.max.rows': '2',
    ...extra,
  });
  return task;
}

/** Polls until a poll returns nothing, collecting every record. */
async function drain(task: JdbcSourceTask): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (let i = 0; i < 100; i++) {
    const records = await task.poll();
    if (records === null) return out;
    out.push(...records);
  }
  throw new Error('the task never stopped returning records: rows are read again at every poll');
}

/** Three more polls after a drain: none may return a record. */
async function idlePolls(task: JdbcSourceTask): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (let i = 0; i < 3; i++) out.push(...((await task.poll()) ?? []));
  return out;
}

const rows = (records: SourceRecord[]) =>
  records.map((r) => {
    const s = r.value as Struct;
    return { id: Number(s.get('id')), ts: (s.get('ts') as Date).getTime(), name: s.get('name') };
  });
const ids = (records: SourceRecord[]) => rows(records).map((r) => r.id);

const PARTITION = { protocol: '1', table: 't' };

describe.each(['timestamp', 'timestamp+incrementing'] as const)('SQLite %s mode', (mode) => {
  it.each(Object.keys(FORMS))('%s: every insert and update once, idle polls read nothing, a restart resumes after the last record', async (formName) => {
    const form = FORMS[formName];
    const table = createTable(`${mode}-${formName}`);
    // Rows 2 and 3 share a timestamp; with pages of 2 rows the first page ends between them.
    table.insert(1, form(at(1)));
    table.insert(2, form(at(2.25)));
    table.insert(3, form(at(2.25)));
    table.insert(4, form(at(3)));

    const task = await startTask(table, mode);
    const first = await drain(task);
    expect(rows(first)).toEqual([1, 2, 3, 4].map((id) => ({ id, ts: at([0, 1, 2.25, 2.25, 3][id]), name: `row${id}` })));
    expect(await idlePolls(task)).toEqual([]);

    // An insert, and an update moving row 1 after every other row.
    table.insert(5, form(at(4)));
    table.update(1, form(at(5)), 'row1-updated');
    const second = await drain(task);
    expect(rows(second)).toEqual([
      { id: 5, ts: at(4), name: 'row5' },
      { id: 1, ts: at(5), name: 'row1-updated' },
    ]);
    expect(await idlePolls(task)).toEqual([]);
    const stored = second[second.length - 1].sourceOffset!;
    expect(stored).toMatchObject({ timestamp: at(5) });
    await task.stop();

    // Stopped; changes meanwhile; started again from the stored offset.
    table.insert(6, form(at(6)));
    table.update(2, form(at(7)), 'row2-updated');
    const again = await startTask(table, mode, {}, [{ partition: PARTITION, offset: stored }]);
    expect(rows(await drain(again))).toEqual([
      { id: 6, ts: at(6), name: 'row6' },
      { id: 2, ts: at(7), name: 'row2-updated' },
    ]);
    expect(await idlePolls(again)).toEqual([]);
    await again.stop();
    table.db.close();
  });
});

describe('SQLite timestamps', () => {
  it.each(Object.keys(FORMS))('timestamp+incrementing, %s: rows written later with the last timestamp seen and higher ids are read once, also after a restart', async (formName) => {
    const form = FORMS[formName];
    const table = createTable(`same-ts-later-${formName}`);
    table.insert(1, form(at(1.5)));
    const task = await startTask(table, 'timestamp+incrementing');
    expect(ids(await drain(task))).toEqual([1]);
    table.insert(2, form(at(1.5)));
    table.insert(3, form(at(1.5)));
    const second = await drain(task);
    expect(ids(second)).toEqual([2, 3]);
    expect(await idlePolls(task)).toEqual([]);
    await task.stop();
    // Restarted from the stored offset: the parameters come from the column's newest value.
    table.insert(4, form(at(1.5)));
    const again = await startTask(table, 'timestamp+incrementing', {}, [{ partition: PARTITION, offset: second[1].sourceOffset! }]);
    expect(ids(await drain(again))).toEqual([4]);
    expect(await idlePolls(again)).toEqual([]);
    await again.stop();
    table.db.close();
  });

  it('zone-less text is read and compared in db.timezone', async () => {
    const table = createTable('zoned');
    const paris = (ms: number): string => {
      // March 31st: Paris moves from UTC+01:00 to UTC+02:00 at 01:00 UTC.
      const offset = ms < Date.UTC(2024, 2, 31, 1) ? 60 : 120;
      const w = wall(ms, offset);
      return `${w.date} ${w.time}.${w.millis}`;
    };
    const t = (h: number): number => Date.UTC(2024, 2, 30, 23) + h * 3_600_000;
    for (let id = 1; id <= 4; id++) table.insert(id, paris(t(id)));
    const logger = warningLogger();
    const task = await startTask(table, 'timestamp', { 'db.timezone': 'Europe/Paris' }, [], logger);
    expect(rows(await drain(task)).map((r) => [r.id, r.ts])).toEqual([1, 2, 3, 4].map((id) => [id, t(id)]));
    expect(await idlePolls(task)).toEqual([]);
    table.insert(5, paris(t(5)));
    table.insert(6, paris(t(6)));
    expect(ids(await drain(task))).toEqual([5, 6]);
    expect(await idlePolls(task)).toEqual([]);
    await task.stop();
    // Restarted: the offset is written as Paris wall-clock text.
    table.insert(7, paris(t(7)));
    const again = await startTask(table, 'timestamp', { 'db.timezone': 'Europe/Paris' }, [{ partition: PARTITION, offset: { timestamp: t(6), timestamp_nanos: 0 } }], logger);
    expect(ids(await drain(again))).toEqual([7]);
    await again.stop();
    expect(logger.warnings.filter((w) => /forms/.test(w))).toEqual([]);
    table.db.close();
  });

});

describe('SQLite timestamps, forms mixed in one column', () => {
  it('text with INTEGER epoch milliseconds: a warning at start names the table, the column and both forms; the integers, below any text, are not read', async () => {
    const table = createTable('mixed-integers');
    table.insert(1, FORMS.withMillis(at(1)));
    table.insert(2, FORMS.epochMillis(at(2)));
    table.insert(3, FORMS.withMillis(at(3)));
    const logger = warningLogger();
    const task = await startTask(table, 'timestamp+incrementing', {}, [], logger);
    expect(ids(await drain(task))).toEqual([1, 3]);
    expect(await idlePolls(task)).toEqual([]);
    const warnings = logger.warnings.filter((w) => /forms/.test(w));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Timestamp column `ts` of `?t`? holds values in different forms: INTEGER epoch milliseconds and text 'YYYY-MM-DD HH:MM:SS.fff'/);
    expect(warnings[0]).toMatch(/rows may be read again or missed; store the column in one form/);
    await task.stop();
    table.db.close();
  });

  it.each(['timestamp', 'timestamp+incrementing'] as const)('%s: every form in turn: one warning while reading; rows are read in stored order, integers missed, each at most once', async (mode) => {
    const form = mixedForms();
    const table = createTable(`mixed-${mode}`);
    // Text first: the newest and oldest values at start have one form.
    table.insert(1, FORMS.withMillis(at(1)));
    table.insert(2, FORMS.withMillis(at(2)));
    const logger = warningLogger();
    const task = await startTask(table, mode, {}, [], logger);
    expect(ids(await drain(task))).toEqual([1, 2]);
    expect(logger.warnings.filter((w) => /forms/.test(w))).toEqual([]);
    for (let id = 3; id <= 14; id++) table.insert(id, form(at(id)));
    const read = ids(await drain(task));
    expect(await idlePolls(task)).toEqual([]);
    const warnings = logger.warnings.filter((w) => /forms/.test(w));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Timestamp column `ts` of `?t`? holds values in different forms: text 'YYYY-MM-DD HH:MM:SS(\.f+)?' \(in db.timezone UTC\) and /);
    // Compared and ordered as stored, not as instants: the ` ` text rows first, then the ISO `T` text
    // ones (above every ` ` text: read out of time order, and a ` ` row written after them would be
    // missed); the INTEGER rows 7 and 13 sort below every text and are never read. No row is read twice.
    expect(read).toEqual([3, 4, 8, 9, 10, 14, 5, 11, 6, 12]);
    await task.stop();
    table.db.close();
  });
});

describe('SQLite timestamps, bad values', () => {
  it('a value that is no timestamp fails the poll with a message naming it and the column', async () => {
    const table = createTable('bad-value');
    table.insert(1, FORMS.withMillis(at(1)));
    table.insert(2, 'yesterday');
    const task = await startTask(table, 'timestamp');
    await expect(task.poll()).rejects.toThrow(/"yesterday" as a timestamp for timestamp column `ts`/);
    await task.stop();
    table.db.close();
  });
});
