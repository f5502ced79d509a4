import { ConfigDef, ConnectError, ConnectorContext, OffsetMap, SourceConnector, SourceTask } from '../../src/api';
import { FileStreamSourceConfig } from './file-stream-source-config';
import { FILENAME_FIELD, FileStreamSourceTask, POSITION_FIELD } from './file-stream-source-task';
import { locateCharPosition } from './kafka-char-position';
import { FILE_CONNECTOR_VERSION } from './version';

/**
 * Reads one file (or stdin) line by line into one topic (Kafka's FileStreamSourceConnector). It has no
 * background work: everything happens in its single task.
 */
export class FileStreamSourceConnector implements SourceConnector {
  readonly kind = 'source' as const;
  private context: ConnectorContext | null = null;
  private settings: FileStreamSourceConfig | null = null;

  version(): string {
    return FILE_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return FileStreamSourceConfig.CONFIG_DEF;
  }

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  start(props: Record<string, string>): void {
    this.settings = FileStreamSourceConfig.parse(props);
    this.context?.logger.info(`Starting file source connector reading from ${this.settings.file ?? 'standard input'}`);
  }

  /** Always exactly one config, whatever maxTasks: a file (or stdin) can only be read by one task. */
  taskConfigs(_maxTasks: number): Record<string, string>[] {
    if (this.settings === null) throw new ConnectError('FileStreamSourceConnector.taskConfigs() called before start()');
    return [this.settings.toTaskConfig()];
  }

  createTask(): SourceTask {
    return new FileStreamSourceTask();
  }

  /**
   * Kafka's FileStreamSourceTask stores how many characters (Java chars: UTF-16 code units, line
   * terminators included) it has read; this task resumes at a byte position. The file is read to
   * find the byte position of that character position. Offsets without a file name (stdin) or a
   * numeric position are kept as they are.
   *
   * Kafka resumes by skipping that many bytes, so after a restart in Kafka its stored count of a
   * multibyte file already mixes bytes and characters; it is read as characters from the start of
   * the file, which is what Kafka stores until its first restart.
   */
  async convertKafkaOffset(partition: OffsetMap, offset: OffsetMap): Promise<OffsetMap | null> {
    const file = partition[FILENAME_FIELD];
    const position = offset[POSITION_FIELD];
    if (typeof file !== 'string' || typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) return offset;
    const logger = this.context?.logger;
    const where = await locateCharPosition(file, position).catch((err: unknown) => {
      throw new ConnectError(`Could not read file ${file} to convert its offset imported from Apache Kafka's offsets file: ${(err as Error).message}`, { cause: err });
    });
    switch (where.kind) {
      case 'found':
        logger?.info(`Imported offset for ${file} from Apache Kafka's offsets file: character position ${position} is byte position ${where.bytePosition}`);
        return { ...offset, [POSITION_FIELD]: where.bytePosition };
      case 'short':
        // Kafka read more than the file now holds, so it was truncated or replaced since: everything
        // in it is new, and reading from the start loses nothing (the task does the same whenever a
        // stored position lies past the end of its file).
        logger?.warn(
          `File ${file} holds ${where.chars} characters, fewer than the character position ${position} imported from Apache Kafka's offsets file: ` +
            'it was truncated or replaced since, so it will be read from the start',
        );
        return { ...offset, [POSITION_FIELD]: 0 };
      case 'missing':
        // Nothing to measure. Keeping Kafka's count as a byte position could skip unread data of a
        // file created later, so the offset is dropped: such a file is read from the start.
        logger?.warn(`File ${file} named by an offset imported from Apache Kafka's offsets file does not exist: the offset is dropped, so the file will be read from the start when it appears`);
        return null;
    }
  }

  /**
   * KIP-875, as Kafka's FileStreamSourceConnector: with a file configured, every offset is null or a
   * non-negative `position` (here a byte position) of a partition naming a `filename`. Whether the
   * position fits the file is left to the task, which reads a file from the start when its stored
   * position lies past the end.
   */
  alterOffsets(connectorConfig: Record<string, string>, offsets: ReadonlyArray<{ partition: OffsetMap; offset: OffsetMap | null }>): boolean {
    const file = connectorConfig[FileStreamSourceConfig.FILE_CONFIG];
    if (file === undefined || file === '') {
      throw new ConnectError(
        `Offsets cannot be modified if the '${FileStreamSourceConfig.FILE_CONFIG}' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.`,
      );
    }
    for (const { partition, offset } of offsets) {
      if (offset === null) continue; // tombstones clean up anything, as in Kafka
      if (!(POSITION_FIELD in offset)) throw new ConnectError(`Offset objects should either be null or contain the key '${POSITION_FIELD}'`);
      const position = offset[POSITION_FIELD];
      if (typeof position !== 'number' || !Number.isSafeInteger(position)) {
        throw new ConnectError(`The value for the '${POSITION_FIELD}' key in the offset is expected to be a Long value`);
      }
      if (position < 0) throw new ConnectError(`The value for the '${POSITION_FIELD}' key in the offset should be a non-negative value`);
      if (!(FILENAME_FIELD in partition)) throw new ConnectError(`Partition objects should contain the key '${FILENAME_FIELD}'`);
    }
    return true;
  }

  stop(): void {
    // Nothing to release: the connector has no background monitoring.
  }
}
