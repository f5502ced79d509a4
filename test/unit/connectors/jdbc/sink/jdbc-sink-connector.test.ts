import { ConfigError } from '../../../../../src/api';
import { jdbcConnectorPlugins } from '../../../../../connectors/jdbc';
import { JdbcSinkConnector } from '../../../../../connectors/jdbc/sink/jdbc-sink-connector';
import { JdbcSinkTask } from '../../../../../connectors/jdbc/sink/jdbc-sink-task';
import { createConnectionFactory } from '../../../../../connectors/jdbc/connection-factory';

describe('JdbcSinkConnector', () => {
  it("is registered under Confluent's class name and aliases", () => {
    const plugin = jdbcConnectorPlugins.find((p) => p.className === 'io.confluent.connect.jdbc.JdbcSinkConnector');
    expect(plugin).toMatchObject({ aliases: ['JdbcSink', 'JdbcSinkConnector'], kind: 'sink' });
    expect(plugin!.create()).toBeInstanceOf(JdbcSinkConnector);
  });

  it('gives tasks.max copies of its config, and fails start() naming a bad key', () => {
    const connector = new JdbcSinkConnector({ connectionFactory: (c) => createConnectionFactory(c) });
    const props = { name: 'n', 'connection.url': 'jdbc:sqlite:/tmp/x.db', topics: 't', 'insert.mode': 'upsert', 'pk.mode': 'record_value' };
    expect(() => connector.taskConfigs(1)).toThrow(/before start/);
    connector.start(props);
    expect(connector.taskConfigs(3)).toEqual([props, props, props]);
    expect(connector.createTask()).toBeInstanceOf(JdbcSinkTask);
    expect(connector.config().names()).toEqual(expect.arrayContaining(['connection.url', 'insert.mode', 'pk.mode', 'schemaless.unknown.fields']));
    expect(() => connector.start({ ...props, 'pk.mode': 'bogus' })).toThrow(ConfigError);
  });
});
