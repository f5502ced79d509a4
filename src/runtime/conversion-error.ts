import { ConnectError, DataError, RetriableError } from '../api';
import { Stage } from './errors/error-context';

/**
 * Wraps a converter's failure with where it happened. Bad data becomes a DataError; a retriable
 * failure (e.g. a schema registry that is briefly unreachable) stays retriable.
 */
export function conversionError(message: string, err: unknown): ConnectError {
  const full = `${message}: ${(err as Error)?.message ?? String(err)}`;
  return err instanceof ConnectError && err.retriable ? new RetriableError(full, { cause: err }) : new DataError(full, { cause: err });
}

/**
 * A record's conversion failed on the fast path (tried without the error handler, which is only
 * brought in on failure): the stage, the converter's own error and, for a header, which one.
 * Internal to the task loops, which catch it at once.
 */
export class ConversionFailure extends Error {
  constructor(
    readonly stage: Stage,
    readonly error: unknown,
    readonly headerIndex = -1,
  ) {
    super(`${stage} failed`);
  }
}
