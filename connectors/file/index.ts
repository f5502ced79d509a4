import { ConnectorPlugin } from '../../src/api';
import type * as SinkConnectorModule from './file-stream-sink-connector';
import type * as SourceConnectorModule from './file-stream-source-connector';

/*
 * The FileStream connectors, registered under Apache Kafka's class names and aliases. Each connector's
 * code is required on its first create(): a worker loads only the connectors its configs name.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const fileConnectorPlugins: ConnectorPlugin[] = [
  {
    className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    aliases: ['FileStreamSource', 'FileStreamSourceConnector'],
    kind: 'source',
    create: () => new (require('./file-stream-source-connector') as typeof SourceConnectorModule).FileStreamSourceConnector(),
  },
  {
    className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    aliases: ['FileStreamSink', 'FileStreamSinkConnector'],
    kind: 'sink',
    create: () => new (require('./file-stream-sink-connector') as typeof SinkConnectorModule).FileStreamSinkConnector(),
  },
];
