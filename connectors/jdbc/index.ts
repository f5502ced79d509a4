import { ConnectorPlugin } from '../../src/api';
import type * as ConnectionFactoryModule from './connection-factory';
import type * as SinkConnectorModule from './sink/jdbc-sink-connector';
import type * as SourceConnectorModule from './source/jdbc-source-connector';

/*
 * The JDBC connectors, registered under Confluent's class names and aliases. Their code (and, through
 * the connection factory, a database driver) is required on the first create(): a worker that runs no
 * JDBC connector loads none of it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const connections = () => require('./connection-factory') as typeof ConnectionFactoryModule;

export const jdbcConnectorPlugins: ConnectorPlugin[] = [
  {
    className: 'io.confluent.connect.jdbc.JdbcSourceConnector',
    aliases: ['JdbcSource', 'JdbcSourceConnector'],
    kind: 'source',
    create: () =>
      new (require('./source/jdbc-source-connector') as typeof SourceConnectorModule).JdbcSourceConnector({
        connectionFactory: (config) => connections().createConnectionFactory(config),
      }),
  },
  {
    className: 'io.confluent.connect.jdbc.JdbcSinkConnector',
    aliases: ['JdbcSink', 'JdbcSinkConnector'],
    kind: 'sink',
    // A sink may create its SQLite file, as sqlite-jdbc does; a source must not.
    create: () =>
      new (require('./sink/jdbc-sink-connector') as typeof SinkConnectorModule).JdbcSinkConnector({
        connectionFactory: (config) => connections().createConnectionFactory(config, { createDatabase: true }),
      }),
  },
];
