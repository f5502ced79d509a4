/**
 * The logger the runtime hands to connectors and tasks through their context. Lines it writes carry
 * the connector name and task id. Guard debug work on hot paths with isLevelEnabled('debug').
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  isLevelEnabled(level: 'debug' | 'info' | 'warn' | 'error'): boolean;
}
