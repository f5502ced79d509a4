/**
 * The one error model of connect-standalone, shaped like Kafka Connect's ConnectException family and
 * kafkajs's error hierarchy: every error carries `retriable` and an optional `cause`. The runtime's
 * retry decisions look at `retriable` alone.
 */
export interface ConnectErrorOptions {
  cause?: unknown;
  retriable?: boolean;
}

/** Base of every error the runtime, connectors and converters raise. */
export class ConnectError extends Error {
  readonly retriable: boolean;
  override readonly cause?: unknown;

  constructor(message: string, options: ConnectErrorOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.retriable = options.retriable ?? false;
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

/** A failure that may succeed if the same operation is tried again later (Kafka's RetriableException). */
export class RetriableError extends ConnectError {
  constructor(message: string, options: Omit<ConnectErrorOptions, 'retriable'> = {}) {
    super(message, { ...options, retriable: true });
  }
}

/** Data that cannot be converted, validated or written as asked (Kafka's DataException). */
export class DataError extends ConnectError {}

/** Invalid or missing configuration (Kafka's ConfigException). The message names the key and value. */
export class ConfigError extends ConnectError {
  /** Kafka's wording: `Invalid value <value> for configuration <key>: <reason>`. */
  static invalidValue(key: string, value: unknown, reason: string): ConfigError {
    return new ConfigError(`Invalid value ${String(value)} for configuration ${key}: ${reason}`);
  }

  static missing(key: string): ConfigError {
    return new ConfigError(`Missing required configuration "${key}" which has no default value.`);
  }
}

/** Turns anything thrown into a ConnectError without re-wording it. */
export function asConnectError(err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof Error) {
    const wrapped = new ConnectError(err.message, {
      cause: err,
      retriable: (err as { retriable?: unknown }).retriable === true,
    });
    wrapped.stack = err.stack;
    return wrapped;
  }
  return new ConnectError(String(err));
}
