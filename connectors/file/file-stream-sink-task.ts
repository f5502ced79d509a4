import { promises as fs } from 'fs';
import type { Writable } from 'stream';
import { ConnectError, PartitionOffsets, SinkRecord, SinkTask, SinkTaskContext } from '../../src/api';
import { FileStreamSinkConfig } from './file-stream-sink-config';
import { recordValueText } from './record-value-text';
import { FILE_CONNECTOR_VERSION } from './version';

/** The part of an open file FileStreamSinkTask uses (a subset of fs.promises.FileHandle). */
export interface SinkFileHandle {
  /** May write fewer bytes than asked; the task writes the rest. */
  write(buffer: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** How FileStreamSinkTask opens its file; injectable so tests can make a write or an fsync fail. */
export interface SinkFileOps {
  /** Opens `path` for appending (flags 'a'), creating it if missing. */
  open(path: string, flags: 'a'): Promise<SinkFileHandle>;
}

/** The real file system. */
export const nodeSinkFileOps: SinkFileOps = {
  open: (path, flags) => fs.open(path, flags),
};

export interface FileStreamSinkTaskOptions {
  /**
   * The stream written when `file` is not set; process.stdout when omitted (looked up only then). It is
   * never closed by this task.
   */
  stdout?: Writable;
  /** File operations used when `file` is set; the real file system when omitted. */
  fileOps?: SinkFileOps;
}

/**
 * Appends each record's value as one line to a file, or to stdout (Kafka's FileStreamSinkTask). The
 * file is opened in append mode and created if missing. put() hands each batch to the OS in one write,
 * so the lines show up at once as with Kafka; for a file that write runs while the runtime prepares
 * the next batch (put() waits only when more than a few MB are queued), and flush() waits for every
 * write, then fsyncs the file, so what the runtime commits to Kafka afterwards is durable on disk.
 *
 * A write error (EPIPE when stdout is a pipe whose reader has gone, ENOSPC, EIO) fails the call with a
 * ConnectError naming the file or stdout; for a file, the failed write may have begun in an earlier
 * put(), so the error fails the next put(), flush() or stop(), before anything after it is committed,
 * and its lines are written again (ahead of later ones) by the next write. While started, the task
 * listens for the stream's 'error' event, so a failed write on stdout never reaches the process as an
 * unhandled 'error'; once the stream has failed, every later write fails at once with that first cause.
 */
export class FileStreamSinkTask implements SinkTask {
  private file: string | null = null;
  private handle: SinkFileHandle | null = null;
  private out: Writable | null = null;
  /** The first error the stream reported; it is unusable afterwards. */
  private streamError: Error | null = null;
  private readonly onStreamError = (err: Error): void => {
    this.streamError ??= err;
  };
  /**
   * Lines put but not yet handed to a write, encoded one put() at a time; a failed write puts its
   * bytes back in front. Encoding each batch's text at once keeps the strings small: one string
   * growing over many puts while a write runs became a deep rope whose flattening cost more than
   * the rest of put().
   */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** The file write in progress (writing `pending` as it grows), if any. */
  private writing: Promise<void> | null = null;
  /** The error of a file write that ran after its put() returned; the next call fails with it. */
  private writeFailure: ConnectError | null = null;

  private readonly stdout: Writable | undefined;
  private readonly fileOps: SinkFileOps;

  /** @param options the options, or (as before) just the stream to write when `file` is not set. */
  constructor(options?: FileStreamSinkTaskOptions | Writable) {
    const opts: FileStreamSinkTaskOptions = options === undefined || isWritable(options) ? { stdout: options } : options;
    this.stdout = opts.stdout;
    this.fileOps = opts.fileOps ?? nodeSinkFileOps;
  }

  version(): string {
    return FILE_CONNECTOR_VERSION;
  }

  initialize(_context: SinkTaskContext): void {
    // Nothing needed from the context: the runtime handles assignment and commits.
  }

  async start(props: Record<string, string>): Promise<void> {
    this.file = FileStreamSinkConfig.parse(props).file;
    if (this.file === null) {
      this.out = this.stdout ?? process.stdout;
      this.out.on('error', this.onStreamError);
      return;
    }
    try {
      this.handle = await this.fileOps.open(this.file, 'a');
    } catch (err) {
      throw new ConnectError(`Couldn't find or create file '${this.file}' for FileStreamSinkTask: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    this.throwWriteFailure();
    let text = '';
    for (let i = 0; i < records.length; i++) {
      const { value, valueSchema } = records[i];
      text += typeof value === 'string' ? value : recordValueText(value, valueSchema);
      text += '\n';
    }
    if (text !== '') this.queue(Buffer.from(text, 'utf8'));
    if (this.handle === null) {
      await this.writePending();
      return;
    }
    // Files: the write runs while the runtime converts the next batch (flush() waits for it), unless
    // too much is waiting already.
    if (this.writing === null && this.pendingBytes > 0) this.writing = this.writeFileInBackground(this.handle).finally(() => (this.writing = null));
    if (this.writing !== null && this.pendingBytes > MAX_PENDING_BYTES) await this.writing;
  }

  async flush(_offsets?: PartitionOffsets): Promise<void> {
    while (this.writing !== null) await this.writing;
    this.throwWriteFailure();
    await this.writePending();
    if (this.handle !== null) {
      try {
        await this.handle.sync();
      } catch (err) {
        throw this.writeError(err);
      }
    }
  }

  async stop(): Promise<void> {
    const handle = this.handle;
    const out = this.out;
    try {
      // A broken stream already failed the task with its cause; there is nothing left to flush to.
      if (this.streamError === null) await this.flush();
    } finally {
      this.handle = null;
      this.out = null;
      // Removed only after the queued 'error' event of a failed write (emitted on the next tick) ran.
      if (out !== null) setImmediate(() => out.off('error', this.onStreamError));
      await handle?.close();
    }
  }

  /** Writes `pending` until it is empty or a write fails; the failure waits for the next call. */
  private async writeFileInBackground(handle: SinkFileHandle): Promise<void> {
    while (this.pendingBytes > 0 && this.writeFailure === null) {
      const data = this.takePending();
      try {
        await writeFully(handle, data);
      } catch (err) {
        this.pending.unshift(data);
        this.pendingBytes += data.length;
        this.writeFailure = this.writeError(err);
      }
    }
  }

  private queue(data: Buffer): void {
    this.pending.push(data);
    this.pendingBytes += data.length;
  }

  /** Everything pending, as one buffer, and nothing pending any more. */
  private takePending(): Buffer {
    const chunks = this.pending;
    const data = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return data;
  }

  private throwWriteFailure(): void {
    const failure = this.writeFailure;
    if (failure === null) return;
    this.writeFailure = null;
    throw failure;
  }

  private async writePending(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data = this.takePending();
    try {
      if (this.handle !== null) await writeFully(this.handle, data);
      else if (this.streamError !== null) throw this.streamError;
      else if (this.out !== null) await writeToStream(this.out, data);
      else throw new ConnectError('FileStreamSinkTask is not started');
    } catch (err) {
      // Kept for the next attempt, ahead of what is put later.
      this.pending.unshift(data);
      this.pendingBytes += data.length;
      throw err instanceof ConnectError ? err : this.writeError(err);
    }
  }

  private writeError(err: unknown): ConnectError {
    const target = this.file === null ? 'stdout' : `file '${this.file}'`;
    return new ConnectError(`Could not write to ${target} for FileStreamSinkTask: ${(err as Error).message}`, { cause: err });
  }
}

/** Bytes put while a file write is in progress beyond which put() waits for that write (backpressure). */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

/** FileHandle.write may write less than asked; loop until all of it is out. */
async function writeFully(handle: SinkFileHandle, data: Buffer): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Resolves once the stream has handed the text on, which also respects its backpressure. A stream
 * destroyed by an earlier error answers with ERR_STREAM_DESTROYED; the caller reports that first error.
 */
function writeToStream(out: Writable, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    out.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

function isWritable(value: FileStreamSinkTaskOptions | Writable): value is Writable {
  return typeof (value as Writable).write === 'function';
}
