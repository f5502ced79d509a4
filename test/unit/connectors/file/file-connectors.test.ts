import { ConfigError, ConnectorContext, SinkConnector, SourceConnector } from '../../../../src/api';
import { fileConnectorPlugins } from '../../../../connectors/file';
import { FileStreamSinkConnector } from '../../../../connectors/file/file-stream-sink-connector';
import { FileStreamSinkTask } from '../../../../connectors/file/file-stream-sink-task';
import { FileStreamSourceConnector } from '../../../../connectors/file/file-stream-source-connector';
import { FileStreamSourceTask } from '../../../../connectors/file/file-stream-source-task';
import { RecordingLogger } from './fixtures';

function context(): ConnectorContext {
  return { connectorName: 'c', logger: new RecordingLogger(), requestTaskReconfiguration: () => {}, raiseError: () => {} };
}

/** What the runtime passes to start(): every key of the connector file. */
const runtimeKeys = { name: 'c', 'connector.class': 'FileStreamSource', 'tasks.max': '3' };

describe('fileConnectorPlugins', () => {
  it('registers both connectors under Kafka class names and aliases', () => {
    expect(fileConnectorPlugins.map((p) => [p.className, p.aliases, p.kind])).toEqual([
      ['org.apache.kafka.connect.file.FileStreamSourceConnector', ['FileStreamSource', 'FileStreamSourceConnector'], 'source'],
      ['org.apache.kafka.connect.file.FileStreamSinkConnector', ['FileStreamSink', 'FileStreamSinkConnector'], 'sink'],
    ]);
    expect(fileConnectorPlugins[0].create()).toBeInstanceOf(FileStreamSourceConnector);
    expect(fileConnectorPlugins[1].create()).toBeInstanceOf(FileStreamSinkConnector);
  });
});

describe('FileStreamSourceConnector', () => {
  function started(props: Record<string, string>): SourceConnector {
    const connector = new FileStreamSourceConnector();
    connector.initialize(context());
    connector.start({ ...runtimeKeys, ...props });
    return connector;
  }

  it('declares file, topic and batch.size as Kafka does', () => {
    const keys = new FileStreamSourceConnector().config().configKeys();
    expect(keys.map((k) => [k.name, k.type, k.defaultValue])).toEqual([
      ['file', 'STRING', null],
      ['topic', 'STRING', expect.any(Symbol)],
      ['batch.size', 'INT', 2000],
    ]);
    expect(keys[0].doc).toBe('Source filename. If not specified, the standard input will be used');
  });

  it('returns exactly one task config whatever maxTasks is', () => {
    const connector = started({ file: '/tmp/in.txt', topic: 't', 'batch.size': '10' });
    expect(connector.taskConfigs(3)).toEqual([{ file: '/tmp/in.txt', topic: 't', 'batch.size': '10' }]);
    expect(connector.taskConfigs(1)).toHaveLength(1);
  });

  it('leaves file out of the task config for stdin and fills the batch.size default', () => {
    expect(started({ topic: 't' }).taskConfigs(1)).toEqual([{ topic: 't', 'batch.size': '2000' }]);
  });

  it('fails to start without topic', () => {
    const connector = new FileStreamSourceConnector();
    connector.initialize(context());
    expect(() => connector.start({ file: 'x' })).toThrow(ConfigError);
  });

  it('creates source tasks', () => {
    expect(new FileStreamSourceConnector().createTask()).toBeInstanceOf(FileStreamSourceTask);
    expect(new FileStreamSourceConnector().version()).toBe('0.1.0');
  });
});

describe('FileStreamSinkConnector', () => {
  function started(props: Record<string, string>): SinkConnector {
    const connector = new FileStreamSinkConnector();
    connector.initialize(context());
    connector.start({ ...runtimeKeys, topics: 'a,b', ...props });
    return connector;
  }

  it('declares file as Kafka does', () => {
    expect(new FileStreamSinkConnector().config().names()).toEqual(['file']);
  });

  it('returns maxTasks copies of the file setting', () => {
    expect(started({ file: '/tmp/out.txt' }).taskConfigs(3)).toEqual([
      { file: '/tmp/out.txt' },
      { file: '/tmp/out.txt' },
      { file: '/tmp/out.txt' },
    ]);
    expect(started({}).taskConfigs(2)).toEqual([{}, {}]);
  });

  it('creates sink tasks', () => {
    expect(new FileStreamSinkConnector().createTask()).toBeInstanceOf(FileStreamSinkTask);
  });
});
