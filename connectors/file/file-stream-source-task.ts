import type { Readable } from 'stream';
import {
  ConnectError,
  Header,
  OffsetMap,
  Schema,
  SourceRecord,
  SourceTask,
  SourceTaskContext,
  SourceTaskProgress,
} from '../../src/api';
import { FILENAME_FIELD, fileOffset, parseFileOffset, POSITION_FIELD, StoredFileOffset } from './file-fingerprint';
import { FileStreamSourceConfig } from './file-stream-source-config';
import { FileTailInput } from './file-tail-input';
import { LineInput } from './line-input';
import { LineSplitter } from './line-splitter';
import { StreamLineInput } from './stream-line-input';
import { FILE_CONNECTOR_VERSION } from './version';


// Read once: the api index exports through getters, which a per-record access would call each time.
const STRING_SCHEMA = Schema.STRING_SCHEMA;
/** Source partition key and offset key, as Apache Kafka's FileStreamSourceTask. */
export { FILENAME_FIELD, POSITION_FIELD };

const NO_HEADERS: readonly Header[] = Object.freeze([]);

export interface FileStreamSourceTaskOptions {
  /** Longest one poll() waits for new data before returning null; default 1000 ms. */
  readonly maxPollWaitMs?: number;
  /** Bytes per file read; default 64 KiB. */
  readonly chunkSize?: number;
  /** Milliseconds since the epoch, read once per line to stamp its record; default Date.now. */
  readonly clock?: () => number;
  /**
   * Longest a waiting poll() sleeps before it looks at the file again without any file event; default
   * 1000 ms. Events can be missing (network file systems, a watcher that failed, writes to a file
   * already rotated away), so this bounds how late a change is noticed.
   */
  readonly recheckIntervalMs?: number;
  /** Watch the file for events (default true). Off, only the periodic re-checks notice changes. */
  readonly watch?: boolean;
}

/**
 * Reads lines from a file (or stdin) into one topic (Kafka's FileStreamSourceTask).
 *
 * Each record's value is one line decoded as UTF-8 (STRING schema), its source partition
 * `{filename: <file as configured>}` and its offset `{position: <byte position just after the line's
 * terminator>, headLength, headHash}`. Positions count bytes, unlike Kafka's, which counts characters
 * and resumes at the wrong place in multibyte UTF-8 files. headLength and headHash fingerprint the
 * file's start, so a restart notices a file that was truncated and written again past the stored
 * position (Kafka reads only `position`). For stdin, partition and offset are null.
 *
 * Each record carries the time its line was read (Kafka: System.currentTimeMillis()), so the record's
 * Kafka timestamp and transforms such as TimestampRouter see when the line arrived.
 *
 * poll() returns up to batch.size records. With nothing to read it waits, woken by file-system
 * events, until data arrives, stop() is called, or maxPollWaitMs has passed (then it re-checks once
 * more and returns null): no busy polling, and the runtime loop stays responsive. While waiting it
 * also looks again every recheckIntervalMs, for changes no event reported.
 *
 * The offset also names the file its position is in (`dev`, `ino`), so rotation is followed while
 * running and across restarts (see FileTailInput and locateStoredFile).
 *
 * caughtUp(): the last poll() read the file to its end (or the file does not exist yet), or stdin
 * to its end. ended(): stdin at its end with its last line returned; a file never ends.
 * progress(): bytes up to the last line returned, of the current file's size (of nothing for stdin).
 */
export class FileStreamSourceTask implements SourceTask {
  private context: SourceTaskContext | null = null;
  private topic = '';
  private batchSize = FileStreamSourceConfig.DEFAULT_TASK_BATCH_SIZE;
  private partition: OffsetMap | null = null;
  private readonly splitter = new LineSplitter();
  private input: LineInput | null = null;
  /** The input when reading a file: it gives each offset its fingerprint. */
  private file: FileTailInput | null = null;
  private readonly maxPollWaitMs: number;
  private readonly chunkSize: number;
  private readonly clock: () => number;
  /** Set by the input when new data may be available; cleared before each read pass. */
  private activity = false;
  /** Resolves the pending wait of a poll(), if any. */
  private wake: (() => void) | null = null;
  private stopped = false;
  private readonly recheckIntervalMs: number;
  private readonly watch: boolean;
  /** The last poll() found no more complete lines: everything there was has been returned. */
  private caughtUpFlag = false;
  private endedFlag = false;
  private readonly signal = (): void => {
    this.activity = true;
    this.wake?.();
  };

  /**
   * @param stdin the stream read when `file` is not set; process.stdin when omitted (looked up only
   *   then, so file mode never touches it)
   */
  constructor(
    private readonly stdin?: Readable,
    options: FileStreamSourceTaskOptions = {},
  ) {
    this.maxPollWaitMs = options.maxPollWaitMs ?? 1000;
    this.chunkSize = options.chunkSize ?? 64 * 1024;
    this.clock = options.clock ?? Date.now;
    this.recheckIntervalMs = options.recheckIntervalMs ?? 1000;
    this.watch = options.watch ?? true;
  }

  version(): string {
    return FILE_CONNECTOR_VERSION;
  }

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  start(props: Record<string, string>): void {
    const context = this.context;
    if (context === null) throw new ConnectError('FileStreamSourceTask.start() called before initialize()');
    const settings = FileStreamSourceConfig.parse(props);
    this.topic = settings.topic;
    this.batchSize = settings.batchSize;
    if (settings.file === null) {
      this.input = new StreamLineInput(this.stdin ?? process.stdin, this.splitter, this.signal, 'stdin');
      return;
    }
    // One frozen partition object shared by every record of this task.
    const partition: OffsetMap = Object.freeze({ [FILENAME_FIELD]: settings.file });
    this.partition = partition;
    this.file = new FileTailInput({
      path: settings.file,
      stored: storedOffset(context, partition, settings.file),
      splitter: this.splitter,
      logger: context.logger,
      onActivity: this.signal,
      chunkSize: this.chunkSize,
      watch: this.watch,
    });
    this.input = this.file;
  }

  async poll(): Promise<SourceRecord[] | null> {
    const deadline = Date.now() + this.maxPollWaitMs;
    try {
      for (;;) {
        if (this.stopped) return null;
        this.activity = false;
        // Every wake-up may follow a truncation or a rotation: the input checks before reading on.
        this.input?.revalidate?.();
        const records = await this.readBatch();
        if (records !== null) return records;
        const remaining = deadline - Date.now();
        if (this.stopped || remaining <= 0) return null;
        await this.waitForActivity(Math.min(remaining, this.recheckIntervalMs));
      }
    } catch (err) {
      // Closing the file under a pending read is how stop() interrupts it; that is not a failure.
      if (this.stopped) return null;
      throw err;
    }
  }

  caughtUp(): boolean {
    return this.caughtUpFlag;
  }

  ended(): boolean {
    // Latched: the contract wants it to stay true, also after stop() dropped the input.
    const input = this.input;
    if (!this.endedFlag && input !== null && input.ended && this.splitter.pendingBytes === 0) this.endedFlag = true;
    return this.endedFlag;
  }

  progress(): SourceTaskProgress | null {
    if (this.input === null) return null;
    return { done: this.splitter.position, total: this.file === null ? null : this.file.size, unit: 'bytes' };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    const input = this.input;
    this.input = null;
    this.file = null;
    await input?.close();
  }

  /** Up to batch.size records from what is buffered and readable now, or null if there are none. */
  private async readBatch(): Promise<SourceRecord[] | null> {
    const input = this.input;
    if (input === null) return null;
    const records: SourceRecord[] = [];
    let exhausted = false;
    for (;;) {
      let line: string | null;
      while (records.length < this.batchSize && (line = this.splitter.next()) !== null) records.push(this.record(line));
      if (records.length >= this.batchSize || this.stopped) break;
      if (!(await input.fill())) {
        exhausted = !this.stopped;
        break;
      }
    }
    // An input that has ended for good (stdin at EOF), or a rotated file finished for good, will never
    // terminate its last line: emit it.
    if (records.length < this.batchSize && (input.ended || input.finalRest === true)) {
      const rest = this.splitter.takeRest();
      if (rest !== null) records.push(this.record(rest));
    }
    this.caughtUpFlag = exhausted && input.drained;
    return records.length > 0 ? records : null;
  }

  private record(line: string): SourceRecord {
    const partition = this.partition;
    const position = this.splitter.position;
    return {
      topic: this.topic,
      kafkaPartition: null,
      keySchema: null,
      key: null,
      valueSchema: STRING_SCHEMA,
      value: line,
      timestamp: this.clock(),
      headers: NO_HEADERS,
      sourcePartition: partition,
      sourceOffset: partition === null ? null : this.offset(position),
    };
  }

  private offset(position: number): OffsetMap | null {
    const file = this.file;
    const identity = file?.identity() ?? null;
    return file === null || identity === null ? null : fileOffset(position, file.fingerprint(position), identity);
  }

  /** Waits until the input signals activity, stop() is called, or `ms` pass. */
  private waitForActivity(ms: number): Promise<void> {
    if (this.activity || this.stopped) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

/** The committed offset for this file, or null; rejects positions this task could not have written. */
function storedOffset(context: SourceTaskContext, partition: OffsetMap, file: string): StoredFileOffset | null {
  const offset = context.offsetStorageReader.offset(partition);
  if (offset === null || (offset[POSITION_FIELD] ?? null) === null) return null;
  const stored = parseFileOffset(offset, file);
  context.logger.debug(`Found previous offset for ${file}, resuming at byte position ${stored.position}`);
  return stored;
}
