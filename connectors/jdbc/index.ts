import { ConnectorPlugin } from '../../src/api';
import { createConnectionFactory } from './connection-factory';
import { JdbcSourceConnector } from './source/jdbc-source-connector';

/** The JDBC connectors, registered under Confluent's class names and aliases. */
export const jdbcConnectorPlugins: ConnectorPlugin[] = [
  {
    className: 'io.confluent.connect.jdbc.JdbcSourceConnector',
    aliases: ['JdbcSource', 'JdbcSourceConnector'],
    kind: 'source',
    create: () => new JdbcSourceConnector({ connectionFactory: (config) => createConnectionFactory(config) }),
  },
];
