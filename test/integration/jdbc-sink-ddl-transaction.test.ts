import { Schema, SchemaBuilder } from '../../src/api';
import { useMariadb } from './helpers/databases';
import { sinkRecord, startTask, struct } from '../unit/connectors/jdbc/sink/sink-fixtures';

/**
 * MySQL and MariaDB commit an open transaction at any DDL statement. The sink's auto.create and
 * auto.evolve DDL must therefore never run inside the transaction of a put(): a put that wrote rows
 * into one table, then created another and then failed would otherwise leave the first rows
 * committed, and the redelivered records would be written twice (insert mode).
 */
const db = useMariadb();

const schema: Schema = SchemaBuilder.struct().name('row').field('id', Schema.INT32_SCHEMA).field('name', Schema.STRING_SCHEMA).build();
const evolved: Schema = SchemaBuilder.struct()
  .name('row')
  .field('id', Schema.INT32_SCHEMA)
  .field('name', Schema.STRING_SCHEMA)
  .field('note', Schema.OPTIONAL_STRING_SCHEMA)
  .build();

function props(): Record<string, string> {
  return {
    'connection.url': db.url,
    'connection.user': db.user,
    'connection.password': db.password,
    'insert.mode': 'insert',
    'pk.mode': 'none',
    'auto.create': 'true',
    'auto.evolve': 'true',
    'max.retries': '0',
  };
}

async function count(table: string): Promise<number> {
  const rows = await db.adminQuery(`SELECT COUNT(*) AS n FROM \`${db.database}\`.\`${table}\``);
  return Number(rows[0].n);
}

describe('JDBC sink: DDL never commits part of a failed put (MariaDB)', () => {
  it('rows written before an auto.create in the same put are rolled back when the put fails', async () => {
    await db.adminQuery(`CREATE TABLE \`${db.database}\`.\`ddl_a\` (id INT NOT NULL, name VARCHAR(20) NOT NULL CHECK (name <> 'bad'))`);
    const { task } = startTask(props());
    const records = [
      sinkRecord({ topic: 'ddl_a', valueSchema: schema, value: struct(schema, { id: 1, name: 'one' }) }),
      sinkRecord({ topic: 'ddl_b', valueSchema: schema, value: struct(schema, { id: 2, name: 'two' }) }),
      sinkRecord({ topic: 'ddl_a', valueSchema: schema, value: struct(schema, { id: 3, name: 'bad' }) }),
    ];
    await expect(task.put(records)).rejects.toThrow(/ddl_a/);
    await task.stop();
    // The put failed as a whole: nothing of it stays, so its redelivery writes each row once.
    expect(await count('ddl_a')).toBe(0);
    expect(await count('ddl_b')).toBe(0);
  });

  it('rows written before an auto.evolve in the same put are rolled back when the put fails', async () => {
    await db.adminQuery(`CREATE TABLE \`${db.database}\`.\`ddl_c\` (id INT NOT NULL, name VARCHAR(20) NOT NULL CHECK (name <> 'bad'))`);
    const { task } = startTask(props());
    const records = [
      sinkRecord({ topic: 'ddl_c', valueSchema: schema, value: struct(schema, { id: 1, name: 'one' }) }),
      sinkRecord({ topic: 'ddl_c', valueSchema: evolved, value: struct(evolved, { id: 2, name: 'two', note: 'n' }) }),
      sinkRecord({ topic: 'ddl_c', valueSchema: evolved, value: struct(evolved, { id: 3, name: 'bad', note: 'n' }) }),
    ];
    await expect(task.put(records)).rejects.toThrow(/ddl_c/);
    await task.stop();
    expect(await count('ddl_c')).toBe(0);
  });
});
