import { AbstractConfig, ConfigDef, ConfigType, Importance, Validators, Width } from '../../api';

/** Kafka's ConnectorConfig group of the errors.* keys. */
export const ERROR_GROUP = 'Error Handling';

/** errors.tolerance: fail the task on the first error, or skip the records that cause errors. */
export type ToleranceType = 'none' | 'all';

/** A connector's error handling settings, parsed once when its tasks are created. */
export interface ErrorHandlingConfig {
  readonly tolerance: ToleranceType;
  /** How long a retriable failure is retried, in ms: 0 never retries, -1 retries until the task stops. */
  readonly retryTimeoutMs: number;
  /** The longest wait between two attempts, in ms. */
  readonly retryDelayMaxMs: number;
  readonly logEnable: boolean;
  readonly logIncludeMessages: boolean;
}

export const ERRORS_TOLERANCE = 'errors.tolerance';
export const ERRORS_RETRY_TIMEOUT = 'errors.retry.timeout';
export const ERRORS_RETRY_DELAY_MAX_MS = 'errors.retry.delay.max.ms';
export const ERRORS_LOG_ENABLE = 'errors.log.enable';
export const ERRORS_LOG_INCLUDE_MESSAGES = 'errors.log.include.messages';

/** The defaults: fail on the first error, no retries, nothing extra logged. */
export const DEFAULT_ERROR_HANDLING: ErrorHandlingConfig = Object.freeze({
  tolerance: 'none',
  retryTimeoutMs: 0,
  retryDelayMaxMs: 60000,
  logEnable: false,
  logIncludeMessages: false,
});

/** The error handling keys every connector has (Kafka's ConnectorConfig error group). */
export const errorHandlingConfigDef = new ConfigDef()
  .define({
    name: ERRORS_RETRY_TIMEOUT,
    type: ConfigType.LONG,
    defaultValue: DEFAULT_ERROR_HANDLING.retryTimeoutMs,
    validator: Validators.atLeast(-1),
    importance: Importance.MEDIUM,
    doc:
      'How long, in milliseconds, an operation that failed with a retriable error (for example a converter that cannot reach its schema registry) keeps being tried again. ' +
      '0, the default, means it is not retried; -1 means it is retried until the task is stopped.',
    group: ERROR_GROUP,
    orderInGroup: 1,
    width: Width.MEDIUM,
    displayName: 'Retry Timeout for Errors',
  })
  .define({
    name: ERRORS_RETRY_DELAY_MAX_MS,
    type: ConfigType.LONG,
    defaultValue: DEFAULT_ERROR_HANDLING.retryDelayMaxMs,
    validator: Validators.atLeast(0),
    importance: Importance.MEDIUM,
    doc:
      'The longest wait, in milliseconds, between two attempts of a retried operation. Waits start at 300 ms and double; ' +
      'once they would pass this limit, a random wait below it is used so that many tasks do not retry in step.',
    group: ERROR_GROUP,
    orderInGroup: 2,
    width: Width.MEDIUM,
    displayName: 'Maximum Delay Between Retries for Errors',
  })
  .define({
    name: ERRORS_TOLERANCE,
    type: ConfigType.STRING,
    defaultValue: DEFAULT_ERROR_HANDLING.tolerance,
    validator: Validators.in('none', 'all'),
    importance: Importance.MEDIUM,
    doc:
      "What a task does when a record cannot be processed. 'none', the default, fails the task on the first such error; " +
      "'all' skips the record (reporting it to the configured error reporters) and carries on.",
    group: ERROR_GROUP,
    orderInGroup: 3,
    width: Width.SHORT,
    displayName: 'Error Tolerance',
  })
  .define({
    name: ERRORS_LOG_ENABLE,
    type: ConfigType.BOOLEAN,
    defaultValue: DEFAULT_ERROR_HANDLING.logEnable,
    importance: Importance.MEDIUM,
    doc:
      'Whether to write every error, with the stage and class that failed and its stack trace, to the log at ERROR. ' +
      'Off by default, so that only errors that fail a task are logged.',
    group: ERROR_GROUP,
    orderInGroup: 4,
    width: Width.SHORT,
    displayName: 'Log Errors',
  })
  .define({
    name: ERRORS_LOG_INCLUDE_MESSAGES,
    type: ConfigType.BOOLEAN,
    defaultValue: DEFAULT_ERROR_HANDLING.logIncludeMessages,
    importance: Importance.MEDIUM,
    doc:
      'Whether the error log (errors.log.enable) also describes the record that failed: for sink connectors its topic, partition, offset and timestamp; ' +
      'for source connectors the whole record, key, value and headers included. Off by default, so record contents never reach the log.',
    group: ERROR_GROUP,
    orderInGroup: 5,
    width: Width.SHORT,
    displayName: 'Log Error Details',
  });

/** Reads the error handling keys from a parsed connector config. */
export function errorHandlingConfig(config: AbstractConfig): ErrorHandlingConfig {
  return {
    tolerance: config.getString(ERRORS_TOLERANCE) === 'all' ? 'all' : 'none',
    retryTimeoutMs: config.getLong(ERRORS_RETRY_TIMEOUT),
    retryDelayMaxMs: config.getLong(ERRORS_RETRY_DELAY_MAX_MS),
    logEnable: config.getBoolean(ERRORS_LOG_ENABLE),
    logIncludeMessages: config.getBoolean(ERRORS_LOG_INCLUDE_MESSAGES),
  };
}
