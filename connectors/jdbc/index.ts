import { ConnectorPlugin } from '../../src/api';
import { createConnectionFactory } from './connection-factory';
import { JdbcSinkConnector } from './sink/jdbc-sink-connector';
import { JdbcSourceConnector } from './source/jdbc-source-connector';

/** The JDBC connectors, registered under Confluent's class names and aliases. */
export const jdbcConnectorPlugins: ConnectorPlugin[] = [
  {
    className: 'io.confluent.connect.jdbc.JdbcSourceConnector',
    aliases: ['JdbcSource', 'JdbcSourceConnector'],
    kind: 'source',
    create: () => new JdbcSourceConnector({ connectionFactory: (config) => createConnectionFactory(config) }),
  },
  {
    className: 'io.confluent.connect.jdbc.JdbcSinkConnector',
    aliases: ['JdbcSink', 'JdbcSinkConnector'],
    kind: 'sink',
    // A sink may create its SQLite file, as sqlite-jdbc does; a source must not.
    create: () => new JdbcSinkConnector({ connectionFactory: (config) => createConnectionFactory(config, { createDatabase: true }) }),
  },
];
