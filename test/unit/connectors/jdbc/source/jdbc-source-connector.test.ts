import { ConnectorContext } from '../../../../../src/api';
import { JdbcSourceConnector } from '../../../../../connectors/jdbc/source/jdbc-source-connector';
import { jdbcConnectorPlugins } from '../../../../../connectors/jdbc';
import { FakeDb, silentLogger } from './fake-db';

function connectorFor(db: FakeDb): { connector: JdbcSourceConnector; reconfigurations: () => number; errors: Error[] } {
  let reconfigurations = 0;
  const errors: Error[] = [];
  const context: ConnectorContext = {
    connectorName: 'jdbc',
    logger: silentLogger,
    requestTaskReconfiguration: () => reconfigurations++,
    raiseError: (err) => errors.push(err),
  };
  const connector = new JdbcSourceConnector({ connectionFactory: () => db.factory() });
  connector.initialize(context);
  return { connector, reconfigurations: () => reconfigurations, errors };
}

const base = { 'connection.url': 'jdbc:sqlite::memory:', mode: 'bulk' };
const tablesOf = (configs: Record<string, string>[]) => configs.map((c) => JSON.parse(c.tables).map((t: string[]) => t[2]));

describe('JdbcSourceConnector', () => {
  let db: FakeDb;
  beforeEach(() => {
    db = new FakeDb();
    for (const t of ['a', 'b', 'c', 'd', 'e']) db.exec(`CREATE TABLE ${t} (id INTEGER)`);
  });

  it('is registered under Confluent\'s class name and aliases', () => {
    expect(jdbcConnectorPlugins.map((p) => [p.className, p.aliases, p.kind])).toContainEqual(['io.confluent.connect.jdbc.JdbcSourceConnector', ['JdbcSource', 'JdbcSourceConnector'], 'source']);
  });

  it('splits the tables into contiguous groups across at most tasks.max tasks, every task keeping the connector keys', async () => {
    const { connector } = connectorFor(db);
    await connector.start(base);
    expect(tablesOf(connector.taskConfigs(2))).toEqual([['a', 'b', 'c'], ['d', 'e']]);
    expect(tablesOf(connector.taskConfigs(3))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(tablesOf(connector.taskConfigs(10))).toHaveLength(5);
    expect(connector.taskConfigs(1)[0]).toMatchObject(base);
    await connector.stop();
  });

  it('filters with the whitelist, and gives a query exactly one task', async () => {
    const white = connectorFor(db).connector;
    await white.start({ ...base, 'table.whitelist': 'b, d' });
    expect(tablesOf(white.taskConfigs(4))).toEqual([['b'], ['d']]);
    await white.stop();
    const query = connectorFor(db).connector;
    await query.start({ ...base, query: 'SELECT * FROM a', 'topic.prefix': 'q' });
    const configs = query.taskConfigs(4);
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({ query: 'SELECT * FROM a', tables: '[]' });
    await query.stop();
  });

  it('asks for a task reconfiguration when a table appears or goes, and taskConfigs() follows', async () => {
    const { connector, reconfigurations } = connectorFor(db);
    await connector.start({ ...base, 'table.poll.interval.ms': '20' });
    await new Promise((r) => setTimeout(r, 100));
    expect(reconfigurations()).toBe(0);
    db.exec('CREATE TABLE f (id INTEGER)');
    await waitFor(() => reconfigurations() === 1);
    expect(tablesOf(connector.taskConfigs(1))).toEqual([['a', 'b', 'c', 'd', 'e', 'f']]);
    db.exec('DROP TABLE a');
    await waitFor(() => reconfigurations() === 2);
    expect(tablesOf(connector.taskConfigs(1))).toEqual([['b', 'c', 'd', 'e', 'f']]);
    await connector.stop();
    // stop() cleared the monitor's timer: nothing more is listed.
    const listed = db.statements.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(db.statements.length).toBe(listed);
  });

  it('fails to start on tables with the same bare name in two schemas', async () => {
    const dup = new FakeDb();
    const { connector } = connectorFor(dup);
    (dup.dialect as { listTables: unknown }).listTables = async () => {
      const { TableId } = await import('../../../../../connectors/jdbc/dialect');
      return [new TableId(null, 's1', 'orders'), new TableId(null, 's2', 'orders')];
    };
    await expect(connector.start(base)).rejects.toThrow(/s1\.orders, s2\.orders/);
    await connector.stop();
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}
