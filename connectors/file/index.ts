import { ConnectorPlugin } from '../../src/api';
import { FileStreamSinkConnector } from './file-stream-sink-connector';
import { FileStreamSourceConnector } from './file-stream-source-connector';

/** The FileStream connectors, registered under Apache Kafka's class names and aliases. */
export const fileConnectorPlugins: ConnectorPlugin[] = [
  {
    className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    aliases: ['FileStreamSource', 'FileStreamSourceConnector'],
    kind: 'source',
    create: () => new FileStreamSourceConnector(),
  },
  {
    className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    aliases: ['FileStreamSink', 'FileStreamSinkConnector'],
    kind: 'sink',
    create: () => new FileStreamSinkConnector(),
  },
];
