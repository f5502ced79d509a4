/**
 * Where a FileStreamSourceTask gets its bytes from: a file being tailed or a stream such as stdin.
 * Implementations push what they read into the task's LineSplitter and call the task's activity
 * callback whenever new data may be available, so a waiting poll() can re-read at once.
 */
export interface LineInput {
  /**
   * Reads one chunk of what is available now into the splitter. Resolves false when nothing was
   * read (no data yet, file missing, or input ended). Never waits for data to arrive.
   */
  fill(): Promise<boolean>;
  /** True once the input can never deliver more bytes (stdin at EOF); a file never ends. */
  readonly ended: boolean;
  /**
   * True when the last fill() returned false because everything there is now was read (a file at
   * its end or still missing, stdin at EOF); false while more may be readable at once.
   */
  readonly drained: boolean;
  /**
   * True when the last fill() returned false because the splitter's unterminated rest ends a file
   * that will not grow again (rotated away, its writer moved on): the task takes it as a last line,
   * and the next fill() goes on with the next file. Optional: streams use `ended` instead.
   */
  readonly finalRest?: boolean;
  /**
   * Called on every wake-up of a poll, before reading: the source may have changed under the input
   * (a file truncated or rotated), so check before the next read. Optional: streams need nothing.
   */
  revalidate?(): void;
  /** Releases handles and watchers. Called once; a concurrent fill() may then fail or return false. */
  close(): Promise<void>;
}
