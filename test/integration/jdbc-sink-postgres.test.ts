import { usePostgres } from './helpers/databases';
import {
  awaitCommitted,
  committedOffset,
  consumeAll,
  decimalBase64,
  envelope,
  epochDays,
  header,
  msOfDay,
  produceValues,
  sinkRun,
  stopWorker,
  struct,
  TASK_FAILED,
  WireField,
} from './helpers/jdbc-sink-e2e';
import { useBroker, useTempDir } from './helpers/suite';
import { errorLine, eventually, runCli } from './helpers/worker-process';

/**
 * The JDBC sink through the real CLI and broker into a real PostgreSQL server: issue 10's acceptance
 * (upsert keyed on a value field into an auto-created table with Confluent's column types, evolved
 * for a new optional field; tombstones deleting by the record key), every insert.mode x pk.mode
 * combination Confluent allows and a start-up error for those it refuses, a constraint violation
 * to the dead letter queue or failing the task, the database stopped and restarted mid-stream, and
 * a worker killed with SIGKILL mid-stream.
 */
describe('JdbcSinkConnector on PostgreSQL', () => {
  const broker = useBroker();
  const pg = usePostgres();
  const tmp = useTempDir('cs-jdbc-sink-pg-');

  const connector = (name: string, topic: string, extra: Record<string, string | number>): Record<string, string | number> =>
    ({
      name,
      'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector',
      'connection.url': pg.url,
      'connection.user': pg.user,
      'connection.password': pg.password,
      topics: topic,
      ...extra,
    });
  const asUser = (sql: string) => pg.adminQuery(`SET ROLE ${pg.user}; ${sql}; RESET ROLE;`);
  /** The table's rows as JSON objects (bigint and numeric as JSON numbers), sorted by `order`. */
  const rows = async (table: string, order: string): Promise<Record<string, unknown>[]> =>
    (await pg.adminQuery(`SELECT row_to_json(t)::text AS j FROM "${table}" t ORDER BY ${order}`)).map((r) => JSON.parse(r.j as string));
  const columns = async (table: string): Promise<string[]> =>
    (await pg.adminQuery(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    )).map((c) => `${c.column_name} ${c.data_type}${c.is_nullable === 'NO' ? ' NOT NULL' : ''}`);
  const primaryKey = async (table: string): Promise<string[]> =>
    (await pg.adminQuery(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
       WHERE i.indrelid = to_regclass('public."${table}"') AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    )).map((r) => r.attname as string);

  describe("issue 10's acceptance", () => {
    const V1: WireField[] = [
      { field: 'id', type: 'int64' },
      { field: 'name', type: 'string' },
      { field: 'i8', type: 'int8' },
      { field: 'i16', type: 'int16' },
      { field: 'i32', type: 'int32' },
      { field: 'f32', type: 'float' },
      { field: 'f64', type: 'double', optional: true },
      { field: 'flag', type: 'boolean' },
      { field: 'data', type: 'bytes' },
      { field: 'amount', type: 'bytes', name: 'org.apache.kafka.connect.data.Decimal', parameters: { scale: '2' } },
      { field: 'day', type: 'int32', name: 'org.apache.kafka.connect.data.Date' },
      { field: 'clock', type: 'int32', name: 'org.apache.kafka.connect.data.Time' },
      { field: 'at', type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' },
    ];
    const PERSON_V1 = struct('person', V1);
    const PERSON_V2 = struct('person', [...V1, { field: 'email', type: 'string', optional: true }]);
    const payload = (id: number, name: string) => ({
      id,
      name,
      i8: -id,
      i16: 300 + id,
      i32: 70000 + id,
      f32: 0.5,
      f64: id === 4 ? null : id / 4,
      flag: id % 2 === 0,
      data: Buffer.from([id, 0, 255]).toString('base64'),
      amount: decimalBase64(BigInt(-1234 * id)),
      day: epochDays('2024-05-01') + id,
      clock: msOfDay('10:20:30.500'),
      at: Date.parse('2024-05-01T10:00:00.250Z') + id * 1000,
    });

    it('upsert with pk.mode=record_value, pk.fields=id, auto.create: one row per key with the latest values, Confluent\'s column types; a new optional field is added by auto.evolve', async () => {
      const topic = 'pg_people';
      const name = 'pg-acceptance';
      await broker.createTopic(topic, 1);
      const values = [
        ...[1, 2, 3, 4, 5].map((id) => envelope(PERSON_V1, payload(id, `v1-${id}`))),
        ...[1, 2, 3].map((id) => envelope(PERSON_V1, payload(id, `v2-${id}`))),
      ];
      await produceValues(broker.bootstrapServers, topic, values);
      const run = sinkRun(tmp.file, broker.bootstrapServers, name, [
        connector(name, topic, { 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id', 'auto.create': 'true', 'auto.evolve': 'true' }),
      ]);
      const w = run.start();
      try {
        await awaitCommitted(w, broker.bootstrapServers, name, topic, 8);
        expect(await columns(topic)).toEqual([
          'id bigint NOT NULL',
          'name text NOT NULL',
          'i8 smallint NOT NULL',
          'i16 smallint NOT NULL',
          'i32 integer NOT NULL',
          'f32 real NOT NULL',
          'f64 double precision',
          'flag boolean NOT NULL',
          'data bytea NOT NULL',
          'amount numeric NOT NULL',
          'day date NOT NULL',
          'clock time without time zone NOT NULL',
          'at timestamp without time zone NOT NULL',
        ]);
        expect(await primaryKey(topic)).toEqual(['id']);
        expect(
          await pg.adminQuery(
            `SELECT id::text, name, i8, i16, i32, f32, f64, flag, encode(data, 'hex') AS data, amount::text, day::text, clock::text, at::text FROM pg_people WHERE id IN (1, 4) ORDER BY id`,
          ),
        ).toEqual([
          { id: '1', name: 'v2-1', i8: -1, i16: 301, i32: 70001, f32: 0.5, f64: 0.25, flag: false, data: '0100ff', amount: '-12.34', day: '2024-05-02', clock: '10:20:30.5', at: '2024-05-01 10:00:01.25' },
          { id: '4', name: 'v1-4', i8: -4, i16: 304, i32: 70004, f32: 0.5, f64: null, flag: true, data: '0400ff', amount: '-49.36', day: '2024-05-05', clock: '10:20:30.5', at: '2024-05-01 10:00:04.25' },
        ]);

        // A record with a new optional field: auto.evolve adds a nullable column; older rows hold NULL there.
        await produceValues(broker.bootstrapServers, topic, [
          envelope(PERSON_V2, { ...payload(2, 'v3-2'), email: 'two@example.com' }),
          envelope(PERSON_V2, { ...payload(6, 'v1-6'), email: null }),
          envelope(PERSON_V2, { ...payload(7, 'v1-7'), email: 'seven@example.com' }),
        ]);
        await awaitCommitted(w, broker.bootstrapServers, name, topic, 11);
        expect((await columns(topic)).slice(-1)).toEqual(['email text']);
        expect(await pg.adminQuery('SELECT id::int AS id, name, email FROM pg_people ORDER BY id')).toEqual([
          { id: 1, name: 'v2-1', email: null },
          { id: 2, name: 'v3-2', email: 'two@example.com' },
          { id: 3, name: 'v2-3', email: null },
          { id: 4, name: 'v1-4', email: null },
          { id: 5, name: 'v1-5', email: null },
          { id: 6, name: 'v1-6', email: null },
          { id: 7, name: 'v1-7', email: 'seven@example.com' },
        ]);
        expect(w.stderr()).toMatch(/Amending table .*pg_people.* to add missing fields email/);
      } finally {
        expect(await stopWorker(w)).toBe(0);
      }
    });

    it('tombstones delete rows with delete.enabled=true and pk.mode=record_key, in order with the upserts', async () => {
      const topic = 'pg_tombstones';
      const name = 'pg-tombstones';
      await broker.createTopic(topic, 1);
      const KEY = struct('key', [{ field: 'id', type: 'int32' }]);
      const VALUE = struct('value', [{ field: 'name', type: 'string' }]);
      const rec = (id: number, value: string | null) => ({ key: envelope(KEY, { id }), value: value === null ? null : envelope(VALUE, { name: value }) });
      await produceValues(broker.bootstrapServers, topic, [
        rec(1, 'a'), rec(2, 'b'), rec(3, 'c'), rec(4, 'd'),
        rec(1, null), rec(2, null), rec(3, 'c2'), rec(1, 'a-again'), rec(9, null), rec(4, 'd2'), rec(4, null),
      ]);
      const run = sinkRun(tmp.file, broker.bootstrapServers, name, [
        connector(name, topic, { 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'delete.enabled': 'true', 'auto.create': 'true' }),
      ]);
      const w = run.start();
      try {
        await awaitCommitted(w, broker.bootstrapServers, name, topic, 11);
        expect(await primaryKey(topic)).toEqual(['id']);
        expect(await rows(topic, 'id')).toEqual([{ id: 1, name: 'a-again' }, { id: 3, name: 'c2' }]);
      } finally {
        expect(await stopWorker(w)).toBe(0);
      }
    });
  });

  describe('insert.mode x pk.mode', () => {
    const KEY = struct('key', [{ field: 'id', type: 'int32' }]);
    const VALUE = struct('item', [{ field: 'id', type: 'int32' }, { field: 'name', type: 'string' }]);
    const rec = ([id, name]: [number, string]) => ({ key: envelope(KEY, { id }), value: envelope(VALUE, { id, name }) });
    // Inserts get distinct keys; upserts and updates see key 1 twice and key 3 only once.
    const INSERTS: [number, string][] = [[1, 'a'], [2, 'b'], [3, 'c']];
    const CHANGES: [number, string][] = [[1, 'a'], [2, 'b'], [1, 'a2'], [3, 'c']];
    const kafkaRow = (topic: string, offset: number, [id, name]: [number, string]) => ({
      __connect_topic: topic,
      __connect_partition: 0,
      __connect_offset: offset,
      id,
      name,
    });
    const KAFKA_PK = ['__connect_topic', '__connect_partition', '__connect_offset'];

    interface Combo {
      insertMode: string;
      pkMode: string;
      records: [number, string][];
      /** DDL and rows for a table that must exist first (update never inserts); else auto.create. */
      setup?: (table: string) => string;
      expected: (topic: string) => Record<string, unknown>[];
      order: string;
      pk: string[];
    }
    const COMBOS: Combo[] = [
      { insertMode: 'insert', pkMode: 'none', records: INSERTS, order: 'id', pk: [], expected: () => INSERTS.map(([id, name]) => ({ id, name })) },
      { insertMode: 'insert', pkMode: 'kafka', records: INSERTS, order: '__connect_offset', pk: KAFKA_PK, expected: (t) => INSERTS.map((r, i) => kafkaRow(t, i, r)) },
      { insertMode: 'insert', pkMode: 'record_key', records: INSERTS, order: 'id', pk: ['id'], expected: () => INSERTS.map(([id, name]) => ({ id, name })) },
      { insertMode: 'insert', pkMode: 'record_value', records: INSERTS, order: 'id', pk: ['id'], expected: () => INSERTS.map(([id, name]) => ({ id, name })) },
      { insertMode: 'upsert', pkMode: 'kafka', records: CHANGES, order: '__connect_offset', pk: KAFKA_PK, expected: (t) => CHANGES.map((r, i) => kafkaRow(t, i, r)) },
      { insertMode: 'upsert', pkMode: 'record_key', records: CHANGES, order: 'id', pk: ['id'], expected: () => [{ id: 1, name: 'a2' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }] },
      { insertMode: 'upsert', pkMode: 'record_value', records: CHANGES, order: 'id', pk: ['id'], expected: () => [{ id: 1, name: 'a2' }, { id: 2, name: 'b' }, { id: 3, name: 'c' }] },
      {
        insertMode: 'update',
        pkMode: 'kafka',
        records: CHANGES,
        order: '__connect_offset',
        pk: KAFKA_PK,
        setup: (t) =>
          `CREATE TABLE "${t}" (__connect_topic TEXT, __connect_partition INT, __connect_offset BIGINT, id INT, name TEXT, PRIMARY KEY (__connect_topic, __connect_partition, __connect_offset));
           INSERT INTO "${t}" VALUES ('${t}', 0, 2, 0, 'old'), ('${t}', 0, 9, 9, 'old9')`,
        expected: (t) => [kafkaRow(t, 2, [1, 'a2']), kafkaRow(t, 9, [9, 'old9'])],
      },
      ...(['record_key', 'record_value'] as const).map((pkMode): Combo => ({
        insertMode: 'update',
        pkMode,
        records: CHANGES,
        order: 'id',
        pk: ['id'],
        setup: (t) => `CREATE TABLE "${t}" (id INT PRIMARY KEY, name TEXT NOT NULL); INSERT INTO "${t}" VALUES (1, 'old1'), (2, 'old2'), (9, 'old9')`,
        // Key 3 has no row: an update changes nothing.
        expected: () => [{ id: 1, name: 'a2' }, { id: 2, name: 'b' }, { id: 9, name: 'old9' }],
      })),
    ];

    it('every combination Confluent allows writes the rows it should (one worker, one connector per combination)', async () => {
      const topicOf = (c: Combo) => `combo_${c.insertMode}_${c.pkMode}`;
      for (const c of COMBOS) {
        const topic = topicOf(c);
        await broker.createTopic(topic, 1);
        if (c.setup) await asUser(c.setup(topic));
        await produceValues(broker.bootstrapServers, topic, c.records.map(rec));
      }
      const run = sinkRun(
        tmp.file,
        broker.bootstrapServers,
        'pg-combos',
        COMBOS.map((c) =>
          connector(`pg-${topicOf(c)}`, topicOf(c), {
            'insert.mode': c.insertMode,
            'pk.mode': c.pkMode,
            ...(c.pkMode === 'record_value' ? { 'pk.fields': 'id' } : {}),
            'auto.create': c.setup ? 'false' : 'true',
          }),
        ),
      );
      const w = run.start();
      try {
        for (const c of COMBOS) await awaitCommitted(w, broker.bootstrapServers, `pg-${topicOf(c)}`, topicOf(c), c.records.length);
        for (const c of COMBOS) {
          const topic = topicOf(c);
          expect({ combo: topic, pk: await primaryKey(topic), rows: await rows(topic, c.order) }).toEqual({ combo: topic, pk: c.pk, rows: c.expected(topic) });
        }
      } finally {
        expect(await stopWorker(w)).toBe(0);
      }
    });

    it.each([
      ['upsert', 'none', {}, /insert\.mode=upsert finds rows by their primary key, so it needs pk\.mode set to kafka, record_key or record_value, but pk\.mode is none/],
      ['update', 'none', {}, /insert\.mode=update finds rows by their primary key, so it needs pk\.mode set to kafka, record_key or record_value, but pk\.mode is none/],
      ['upsert', 'record_value', { 'delete.enabled': 'true' }, /delete\.enabled=true needs pk\.mode=record_key, but pk\.mode is record_value/],
      ['insert', 'kafka', { 'delete.enabled': 'true' }, /delete\.enabled=true needs pk\.mode=record_key, but pk\.mode is kafka/],
      ['insert', 'none', { 'delete.enabled': 'true' }, /delete\.enabled=true needs pk\.mode=record_key, but pk\.mode is none/],
    ])('insert.mode=%s with pk.mode=%s %j is refused at start-up with one line naming the keys', async (insertMode, pkMode, extra, message) => {
      const name = `pg-refused-${insertMode}-${pkMode}-${Object.keys(extra).length}`;
      const run = sinkRun(tmp.file, broker.bootstrapServers, name, [
        connector(name, 'combo_refused', { 'insert.mode': insertMode, 'pk.mode': pkMode, 'auto.create': 'true', ...extra }),
      ]);
      const r = await runCli([run.workerFile, ...run.connectorFiles], 30_000);
      expect(r.code).toBe(1);
      const line = errorLine(r.stderr);
      expect(line.split('\n')).toHaveLength(1);
      expect(line).toContain(`connect-standalone: Failed to start connector ${name}`);
      expect(line).toMatch(message);
    });
  });

  describe('a constraint violation in the middle of a stream', () => {
    const PERSON = struct('person', [
      { field: 'id', type: 'int32' },
      { field: 'name', type: 'string', optional: true },
    ]);
    const person = (id: number, name: string | null) => envelope(PERSON, { id, name });
    // Offset 1 breaks a CHECK constraint, offset 3 a NOT NULL column.
    const STREAM = [person(1, 'good'), person(2, 'bad'), person(3, 'good too'), person(4, null), person(5, 'last')];
    const table = (t: string) => `CREATE TABLE "${t}" (id INT PRIMARY KEY, name TEXT NOT NULL CHECK (name <> 'bad'))`;

    it('errors.tolerance=all: the bad records in the DLQ with the error headers, the good rows written', async () => {
      const topic = 'pg_checked';
      const dlq = 'pg_checked_dlq';
      const name = 'pg-dlq';
      await broker.createTopic(topic, 1);
      await broker.createTopic(dlq, 1);
      await asUser(table(topic));
      await produceValues(broker.bootstrapServers, topic, STREAM);
      const run = sinkRun(tmp.file, broker.bootstrapServers, name, [
        connector(name, topic, {
          'errors.tolerance': 'all',
          'errors.deadletterqueue.topic.name': dlq,
          'errors.deadletterqueue.topic.replication.factor': 1,
          'errors.deadletterqueue.context.headers.enable': 'true',
        }),
      ]);
      const w = run.start();
      try {
        await awaitCommitted(w, broker.bootstrapServers, name, topic, STREAM.length);
        expect(await rows(topic, 'id')).toEqual([{ id: 1, name: 'good' }, { id: 3, name: 'good too' }, { id: 5, name: 'last' }]);
        const dead = await consumeAll(broker.bootstrapServers, dlq, 2);
        expect(dead.map((m) => m.value!.toString('utf8'))).toEqual([STREAM[1], STREAM[3]]);
        expect(dead.map((m) => [header(m, '__connect.errors.topic'), header(m, '__connect.errors.partition'), header(m, '__connect.errors.offset')])).toEqual([
          [topic, '0', '1'],
          [topic, '0', '3'],
        ]);
        expect(dead.map((m) => header(m, '__connect.errors.connector.name'))).toEqual([name, name]);
        const messages = dead.map((m) => header(m, '__connect.errors.exception.message') ?? '');
        expect(messages[0]).toMatch(/pg_checked.*violates check constraint/);
        expect(messages[1]).toMatch(/null value in column "name"/);
        expect(messages[0]).toContain(`${topic}-0 offset 1`);
        expect(header(dead[0], '__connect.errors.exception.stacktrace')).toBeTruthy();
        expect(w.stderr()).not.toMatch(TASK_FAILED);
      } finally {
        expect(await stopWorker(w)).toBe(0);
      }
    });

    it('errors.tolerance=none: the task fails naming the record, table and database message; nothing past it is written or committed', async () => {
      const topic = 'pg_checked_strict';
      const name = 'pg-strict';
      await broker.createTopic(topic, 1);
      await asUser(table(topic));
      await produceValues(broker.bootstrapServers, topic, STREAM);
      const run = sinkRun(tmp.file, broker.bootstrapServers, name, [connector(name, topic, {})]);
      const w = run.start();
      let code: number | null = null;
      try {
        const failure = await w.waitForLog(TASK_FAILED, 60_000);
        expect(failure).toContain(`${topic}-0 offset 1`);
        expect(failure).toContain('pg_checked_strict');
        expect(failure).toMatch(/violates check constraint/);
      } finally {
        code = await w.stop();
      }
      // A failed task makes the worker's exit non-zero (3: stopped by a signal with a task failed).
      expect(code).toBe(3);
      expect((await rows(topic, 'id')).map((r) => r.id)).not.toContain(3);
      expect(await committedOffset(broker.bootstrapServers, name, topic)).toBeLessThanOrEqual(1);
    });
  });

  describe('failures mid-stream (upsert keyed on the value id)', () => {
    const ITEM = struct('item', [{ field: 'id', type: 'int32' }, { field: 'version', type: 'int32' }, { field: 'note', type: 'string' }]);
    /** Produces `count` records over `keys` keys at version `version`, returning them as [id, version, note]. */
    async function wave(topic: string, keys: number, count: number, version: number): Promise<Array<[number, number, string]>> {
      const produced = Array.from({ length: count }, (_, i): [number, number, string] => [i % keys, version, `w${version}-${i}`]);
      await produceValues(broker.bootstrapServers, topic, produced.map(([id, v, note]) => envelope(ITEM, { id, version: v, note })));
      return produced;
    }
    /** The row set upsert must leave: each key's last record. */
    const latest = (produced: Array<[number, number, string]>) => {
      const byKey = new Map<number, { id: number; version: number; note: string }>();
      for (const [id, version, note] of produced) byKey.set(id, { id, version, note });
      return [...byKey.values()].sort((a, b) => a.id - b.id);
    };

    it('the database stopped and restarted: records produced while it is down are written after, one row per key, nothing lost, offsets at the end', async () => {
      const topic = 'pg_outage';
      const name = 'pg-outage';
      await broker.createTopic(topic, 1);
      const run = sinkRun(tmp.file, broker.bootstrapServers, name, [
        connector(name, topic, {
          'insert.mode': 'upsert',
          'pk.mode': 'record_value',
          'pk.fields': 'id',
          'auto.create': 'true',
          'max.retries': 1000,
          'retry.backoff.ms': 300,
          'connection.attempts': 1,
          'connection.backoff.ms': 100,
        }),
      ]);
      const produced = await wave(topic, 100, 200, 1);
      const w = run.start();
      try {
        await awaitCommitted(w, broker.bootstrapServers, name, topic, 200);
        await pg.stopServer();
        produced.push(...(await wave(topic, 150, 300, 2)));
        // The sink notices: its writes fail as transient and are retried.
        await w.waitForLog(/transient database error/, 60_000);
        expect(await committedOffset(broker.bootstrapServers, name, topic)).toBe(200);
        await pg.startServer();
        produced.push(...(await wave(topic, 120, 150, 3)));
        await awaitCommitted(w, broker.bootstrapServers, name, topic, 650);
        expect(await rows(topic, 'id')).toEqual(latest(produced));
      } finally {
        await pg.startServer();
        expect(await stopWorker(w)).toBe(0);
      }
    });

    it('the database stopped while the sink is writing (transactions cut off) and restarted: every record written once per key, offsets at the end', async () => {
      const topic = 'pg_outage_busy';
      const name = 'pg-outage-busy';
      await broker.createTopic(topic, 1);
      const run = sinkRun(
        tmp.file,
        broker.bootstrapServers,
        name,
        [
          connector(name, topic, {
            'insert.mode': 'upsert',
            'pk.mode': 'record_value',
            'pk.fields': 'id',
            'auto.create': 'true',
            'batch.size': 25,
            'max.retries': 1000,
            'retry.backoff.ms': 300,
            'connection.attempts': 1,
          }),
        ],
        { 'consumer.max.poll.records': 25 },
      );
      const produced = [...(await wave(topic, 500, 2000, 1)), ...(await wave(topic, 700, 2000, 2))];
      const w = run.start();
      try {
        await eventually(async () => {
          const [{ n }] = await pg.adminQuery(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = '${topic}'`);
          return n === 1 && Number((await pg.adminQuery(`SELECT count(*)::int AS n FROM "${topic}"`))[0].n) > 0;
        }, 60_000, () => `no rows yet; stderr:\n${w.stderr().slice(-2000)}`);
        await pg.stopServer();
        await w.waitForLog(/transient database error/, 60_000);
        expect(await committedOffset(broker.bootstrapServers, name, topic)).toBeLessThan(produced.length);
        await pg.startServer();
        await awaitCommitted(w, broker.bootstrapServers, name, topic, produced.length);
        expect(await rows(topic, 'id')).toEqual(latest(produced));
      } finally {
        await pg.startServer();
        expect(await stopWorker(w)).toBe(0);
      }
    });

    it('a worker killed with SIGKILL mid-stream and restarted: exactly one row per key with the latest values', async () => {
      const topic = 'pg_killed';
      const name = 'pg-killed';
      await broker.createTopic(topic, 1);
      const run = sinkRun(
        tmp.file,
        broker.bootstrapServers,
        name,
        [connector(name, topic, { 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id', 'auto.create': 'true', 'batch.size': 20 })],
        { 'consumer.max.poll.records': 20, 'offset.flush.interval.ms': 2000 },
      );
      const keys = 400;
      const produced = [...(await wave(topic, keys, keys, 1)), ...(await wave(topic, keys, keys, 2)), ...(await wave(topic, keys, keys, 3))];
      let w = run.start();
      await eventually(async () => {
        const [{ n }] = await pg.adminQuery(`SELECT count(*)::int AS n FROM pg_tables WHERE tablename = '${topic}'`);
        return n === 1 && Number((await pg.adminQuery(`SELECT count(*)::int AS n FROM "${topic}"`))[0].n) > 0;
      }, 60_000, () => `no rows yet; stderr:\n${w.stderr().slice(-2000)}`);
      const committedAtKill = await committedOffset(broker.bootstrapServers, name, topic);
      await w.stop('SIGKILL');
      expect(committedAtKill).toBeLessThan(produced.length);
      w = run.start();
      try {
        await awaitCommitted(w, broker.bootstrapServers, name, topic, produced.length);
        expect(await rows(topic, 'id')).toEqual(latest(produced));
      } finally {
        expect(await stopWorker(w)).toBe(0);
      }
    });
  });
});
