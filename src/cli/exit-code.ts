/** Process exit codes, documented in the README. */
export const ExitCode = {
  OK: 0,
  /** Bad configuration, unreadable files, Kafka unreachable at start-up, or a connector failed to start. */
  ERROR: 1,
  /** Bad command-line usage. */
  USAGE: 2,
  /** One or more tasks failed (or did not stop in time); in a normal run, seen when it was shut down. */
  TASKS_FAILED: 3,
  /** --once: the --once-timeout passed before every task was done. */
  ONCE_TIMEOUT: 4,
  /** --once: interrupted by SIGINT before every task was done (128 + 2, as shells report it). */
  INTERRUPTED_SIGINT: 130,
  /** --once: interrupted by SIGTERM before every task was done (128 + 15). */
  INTERRUPTED_SIGTERM: 143,
} as const;
