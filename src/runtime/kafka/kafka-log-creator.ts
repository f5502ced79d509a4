import { logLevel, logCreator } from 'kafkajs';
import { RuntimeLogger } from '../runtime-logger';

/**
 * Routes kafkajs's own log lines into the worker's logger. kafkajs logs every failed connection
 * attempt at ERROR while it is still retrying; the runtime reports outcomes itself, so these go out
 * at WARN with kafkajs's namespace attached.
 */
export function kafkaLogCreator(logger: RuntimeLogger): logCreator {
  return () => ({ namespace, level, log }) => {
    // kafkajs attaches a stack to every connection error; the message says enough at WARN.
    const { message, timestamp: _ts, stack: _stack, ...fields } = log;
    const line = namespace ? `[kafkajs ${namespace}] ${message}` : `[kafkajs] ${message}`;
    switch (level) {
      case logLevel.ERROR:
      case logLevel.WARN:
        logger.warn(line, fields);
        break;
      case logLevel.INFO:
        logger.debug(line, fields);
        break;
      default:
        if (logger.isLevelEnabled('debug')) logger.debug(line, fields);
    }
  };
}

export function kafkaLogLevel(logger: RuntimeLogger): logLevel {
  if (logger.isLevelEnabled('debug')) return logLevel.INFO;
  if (logger.isLevelEnabled('warn')) return logLevel.WARN;
  return logLevel.NOTHING;
}
