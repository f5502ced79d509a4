/**
 * kafkajs reports retriable conditions in several ways: a `retriable` flag, or a non-retriable wrapper
 * (retries exhausted) around a retriable cause such as a refused connection. The runtime keeps
 * retrying the latter too: a broker outage must not fail a task while delivery.timeout.ms lasts.
 */
const RETRIABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSLockTimeout',
  'KafkaJSConnectionClosedError',
]);

export function isRetriableKafkaError(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 5) return false;
  const e = err as Error & { retriable?: boolean; originalError?: unknown; cause?: unknown };
  if (e.retriable === true || RETRIABLE_NAMES.has(e.name)) return true;
  return isRetriableKafkaError(e.originalError, depth + 1) || isRetriableKafkaError(e.cause, depth + 1);
}

/** The innermost message, so logs say "Connection refused" rather than "Number of retries exceeded". */
export function describeKafkaError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let i = 0; i < 5 && current instanceof Error; i++) {
    const e = current as Error & { originalError?: unknown; cause?: unknown };
    if (!parts.includes(e.message)) parts.push(e.message);
    current = e.originalError ?? e.cause;
  }
  return parts.length ? parts.join(': ') : String(err);
}
