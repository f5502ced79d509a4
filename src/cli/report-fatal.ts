import { ConnectError } from '../api';
import { RuntimeLogger } from '../runtime/runtime-logger';

/**
 * Prints the error that stops the process once: always one line a person reads
 * (`connect-standalone: <message>`); before it, the JSON log line with the error and its causes only
 * when logs are JSON and stderr is not a terminal (a log collector reads it). A bug (an error that is
 * not a ConnectError) says so and carries its stack in the JSON line, or at debug level otherwise.
 */
export function reportFatal(err: unknown, options: { logger: RuntimeLogger; jsonLine: boolean; stderr?: { write(text: string): unknown } }): void {
  const bug = !(err instanceof ConnectError);
  const message = err instanceof Error ? err.message : String(err);
  const text = bug ? `unexpected error (a bug: please report it): ${message}` : message;
  if (options.jsonLine) options.logger.error(`Stopping due to error: ${text}`, { err });
  else if (bug) options.logger.debug('Stack of the unexpected error', { err });
  (options.stderr ?? process.stderr).write(`connect-standalone: ${text}\n`);
}
