import { criteriaStatement, querySelect, sameTimestampStatement } from '../../../../../connectors/jdbc/source/timestamp-incrementing-criteria';
import { FakeDb } from './fake-db';

const dialect = new FakeDb().dialect;
const pgLike = { ...dialect, placeholder: (i: number) => `$${i}` };
const begin = new Date(1000);
const end = new Date(2000);

describe('criteriaStatement', () => {
  const options = { dialect, quote: true, base: 'SELECT * FROM "t"', incrementingColumn: null, timestampColumns: [] as string[], limit: 100, suffix: '' };

  it('timestamp+incrementing: ts < end AND ((ts = last AND inc > lastInc) OR ts > last), ordered by ts then inc', () => {
    const s = criteriaStatement({ ...options, incrementingColumn: 'id', timestampColumns: ['ts'] });
    expect(s.sql).toBe('SELECT * FROM "t" WHERE "ts" < ? AND (("ts" = ? AND "id" > ?) OR "ts" > ?) ORDER BY "ts","id" ASC LIMIT 100');
    expect(s.params({ begin, end, lastIncrementing: 7 })).toEqual([end, begin, 7, begin]);
  });

  it('incrementing: inc > last ordered by inc', () => {
    const s = criteriaStatement({ ...options, incrementingColumn: 'id' });
    expect(s.sql).toBe('SELECT * FROM "t" WHERE "id" > ? ORDER BY "id" ASC LIMIT 100');
    expect(s.params({ begin, end, lastIncrementing: -1 })).toEqual([-1]);
  });

  it('timestamp: ts > last AND ts < end, with COALESCE of several columns', () => {
    const s = criteriaStatement({ ...options, timestampColumns: ['updated', 'created'] });
    expect(s.sql).toBe('SELECT * FROM "t" WHERE COALESCE("updated","created") > ? AND COALESCE("updated","created") < ? ORDER BY COALESCE("updated","created") ASC LIMIT 100');
    expect(s.params({ begin, end, lastIncrementing: -1 })).toEqual([begin, end]);
  });

  it("numbers placeholders with the dialect's placeholder() and leaves names unquoted with quote.sql.identifiers=never", () => {
    const s = criteriaStatement({ ...options, dialect: pgLike, quote: false, base: 'SELECT * FROM t', incrementingColumn: 'id', timestampColumns: ['ts'] });
    expect(s.sql).toBe('SELECT * FROM t WHERE ts < $1 AND ((ts = $2 AND id > $3) OR ts > $4) ORDER BY ts,id ASC LIMIT 100');
  });

  it('appends query.suffix after the LIMIT', () => {
    const s = criteriaStatement({ ...options, incrementingColumn: 'id', suffix: 'FOR UPDATE' });
    expect(s.sql).toBe('SELECT * FROM "t" WHERE "id" > ? ORDER BY "id" ASC LIMIT 100 FOR UPDATE');
  });

  it("wraps a query so its own WHERE still works, dropping a trailing semicolon", () => {
    const base = querySelect(' SELECT a.id, a.ts FROM a WHERE a.kind = 1; ');
    expect(base).toBe('SELECT * FROM (SELECT a.id, a.ts FROM a WHERE a.kind = 1) connect_query');
    const s = criteriaStatement({ ...options, base, incrementingColumn: 'id' });
    expect(s.sql).toBe('SELECT * FROM (SELECT a.id, a.ts FROM a WHERE a.kind = 1) connect_query WHERE "id" > ? ORDER BY "id" ASC LIMIT 100');
  });

  it('reads every row of one timestamp for a page cut in the middle of them', () => {
    const s = sameTimestampStatement({ ...options, timestampColumns: ['ts'] });
    expect(s.sql).toBe('SELECT * FROM "t" WHERE "ts" = ? ORDER BY "ts" ASC');
    expect(s.params(begin)).toEqual([begin]);
  });
});
