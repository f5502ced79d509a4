import type { Readable } from 'stream';
import { ConnectError } from '../../src/api';
import { LineInput } from './line-input';
import { LineSplitter } from './line-splitter';

/**
 * Reads a stream such as stdin in paused mode: fill() pulls what is buffered with read(), so a slow
 * consumer leaves data in the pipe instead of in memory. The stream is not ours: close() detaches
 * from it but never destroys it.
 */
export class StreamLineInput implements LineInput {
  private endedFlag = false;
  private failure: Error | null = null;
  private attached = false;
  private readonly onEnd = (): void => {
    this.endedFlag = true;
    this.onActivity();
  };
  private readonly onError = (err: Error): void => {
    this.failure = err;
    this.onActivity();
  };

  constructor(
    private readonly stream: Readable,
    private readonly splitter: LineSplitter,
    /** Called when data or end of input may be available. */
    private readonly onActivity: () => void,
    /** Names the input in errors, e.g. `stdin`. */
    private readonly name: string,
  ) {}

  get ended(): boolean {
    return this.endedFlag;
  }

  /** A stream is caught up only at its end: until then more may come at any moment. */
  get drained(): boolean {
    return this.endedFlag;
  }

  async fill(): Promise<boolean> {
    if (!this.attached) this.attach();
    if (this.failure !== null) {
      throw new ConnectError(`Could not read ${this.name} for FileStreamSourceTask: ${this.failure.message}`, { cause: this.failure });
    }
    if (this.endedFlag) return false;
    const chunk: unknown = this.stream.read();
    if (chunk === null) return false;
    this.splitter.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer));
    return true;
  }

  async close(): Promise<void> {
    if (!this.attached) return;
    this.attached = false;
    this.stream.off('readable', this.onActivity);
    this.stream.off('end', this.onEnd);
    this.stream.off('error', this.onError);
    // Without a 'readable' listener the stream stays paused; pausing explicitly also lets a real
    // stdin stop holding the event loop open.
    this.stream.pause();
  }

  private attach(): void {
    this.attached = true;
    if (this.stream.readableEnded) this.endedFlag = true;
    this.stream.on('readable', this.onActivity);
    this.stream.on('end', this.onEnd);
    this.stream.on('error', this.onError);
  }
}
