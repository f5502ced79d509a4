import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Database from 'better-sqlite3';
import { OffsetMap, SourceRecord, Struct } from '../../../../../src/api';
import { createConnectionFactory } from '../../../../../connectors/jdbc/connection-factory';
import { JdbcSourceTask } from '../../../../../connectors/jdbc/source/jdbc-source-task';
import { taskContext } from './fake-db';

/**
 * The timestamp modes on real SQLite files through the real JdbcSourceTask (connection factory,
 * driver, dialect): SQLite has no timestamp type, so a TIMESTAMP column holds whatever was written
 * (CURRENT_TIMESTAMP's text, text with `.000`, ISO text with `T` and `Z` or an offset, INTEGER
 * epoch milliseconds, REAL Julian days, several of them in one table). Whatever the form, every
 * insert and update is delivered exactly once, idle polls read nothing again, and a restart from the
 * stored offset resumes exactly after the last record.
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

async function startTask(table: Table, mode: Mode, extra: Record<string, string> = {}, offsets: { partition: OffsetMap; offset: OffsetMap }[] = []): Promise<JdbcSourceTask> {
  const task = new JdbcSourceTask({ connectionFactory: (config) => createConnectionFactory(config), maxPollWaitMs: 30 });
  task.initialize(taskContext(offsets));
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
  it.each([...Object.keys(FORMS), 'mixed'])('%s: every insert and update once, idle polls read nothing, a restart resumes after the last record', async (formName) => {
    const form = formName === 'mixed' ? mixedForms() : FORMS[formName];
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
  it('timestamp+incrementing: a row written later with the last timestamp seen and a higher id is read once, in any form', async () => {
    const table = createTable('same-ts-later');
    table.insert(1, FORMS.withMillis(at(1)));
    const task = await startTask(table, 'timestamp+incrementing');
    expect(ids(await drain(task))).toEqual([1]);
    // The same instant written differently.
    table.insert(2, FORMS.epochMillis(at(1)));
    table.insert(3, FORMS.isoZ(at(1)));
    table.insert(4, FORMS.currentTimestamp(at(1)));
    expect(ids(await drain(task))).toEqual([2, 3, 4]);
    expect(await idlePolls(task)).toEqual([]);
    await task.stop();
    table.db.close();
  });

  it('zone-less text is read in db.timezone and compares with epoch numbers and zoned text by instant', async () => {
    const table = createTable('zoned');
    const paris = (ms: number): string => {
      // January: Paris is UTC+01:00.
      const w = wall(ms, 60);
      return `${w.date} ${w.time}.${w.millis}`;
    };
    table.insert(1, paris(at(1)));
    table.insert(2, FORMS.epochMillis(at(2)));
    table.insert(3, paris(at(3)));
    table.insert(4, FORMS.isoZ(at(4)));
    const task = await startTask(table, 'timestamp', { 'db.timezone': 'Europe/Paris' });
    expect(rows(await drain(task)).map((r) => [r.id, r.ts])).toEqual([
      [1, at(1)],
      [2, at(2)],
      [3, at(3)],
      [4, at(4)],
    ]);
    expect(await idlePolls(task)).toEqual([]);
    table.insert(5, FORMS.epochMillis(at(5)));
    table.insert(6, paris(at(6)));
    expect(ids(await drain(task))).toEqual([5, 6]);
    expect(await idlePolls(task)).toEqual([]);
    await task.stop();
    table.db.close();
  });

  it('a REAL Julian day (as sqlite-jdbc reads it) after a text row compares by instant', async () => {
    const table = createTable('julian');
    const julian = (ms: number): number => ms / 86_400_000 + 2440587.5;
    table.insert(1, FORMS.currentTimestamp(at(1)));
    table.insert(2, julian(at(2)));
    table.insert(3, FORMS.epochMillis(at(3)));
    const task = await startTask(table, 'timestamp+incrementing', { 'batch.max.rows': '100' });
    expect(rows(await drain(task)).map((r) => [r.id, r.ts])).toEqual([
      [1, at(1)],
      [2, at(2)],
      [3, at(3)],
    ]);
    expect(await idlePolls(task)).toEqual([]);
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
