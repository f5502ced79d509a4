import { Logger } from '../api';

/** The logger the runtime is given: the API's Logger plus child loggers carrying extra fields. */
export interface RuntimeLogger extends Logger {
  child(bindings: Record<string, unknown>): RuntimeLogger;
}

/** A logger that drops everything (for unit tests and library use without logging). */
export const silentLogger: RuntimeLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  isLevelEnabled: () => false,
  child: () => silentLogger,
};
