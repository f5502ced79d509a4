import { ConnectError, DataError, RetriableError } from '../api';

/**
 * Wraps a converter's failure with where it happened. Bad data becomes a DataError; a retriable
 * failure (e.g. a schema registry that is briefly unreachable) stays retriable.
 */
export function conversionError(message: string, err: unknown): ConnectError {
  const full = `${message}: ${(err as Error)?.message ?? String(err)}`;
  return err instanceof ConnectError && err.retriable ? new RetriableError(full, { cause: err }) : new DataError(full, { cause: err });
}
