import pino from 'pino';
import type PinoPretty from 'pino-pretty';
import { RuntimeLogger } from '../runtime/runtime-logger';

export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Logs go to stderr, so stdout stays free for data (FileStreamSink with no file writes records to
 * stdout). JSON lines by default; `pretty` is human-readable and the default when stderr is a terminal.
 * Writes are synchronous so the last lines before an exit are never lost.
 */
export function createLogger(level: LogLevel, format: LogFormat): { logger: RuntimeLogger; pino: pino.Logger } {
  const options: pino.LoggerOptions = { level, base: undefined, serializers: { err: pino.stdSerializers.errWithCause } };
  const stream =
    format === 'pretty'
      ? // pino-pretty is loaded only when asked for: JSON logging is the default for services.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('pino-pretty') as typeof PinoPretty)({ destination: 2, sync: true, colorize: process.stderr.isTTY === true, ignore: 'pid,hostname', translateTime: 'SYS:standard' })
      : pino.destination({ dest: 2, sync: true });
  const root = pino(options, stream);
  return { logger: adapt(root), pino: root };
}

/** Our logger API is (message, fields); pino's is (fields, message). */
export function adapt(p: pino.Logger): RuntimeLogger {
  const call = (fn: pino.LogFn) => (msg: string, fields?: Record<string, unknown>) => (fields ? fn.call(p, fields, msg) : fn.call(p, msg));
  return {
    debug: call(p.debug),
    info: call(p.info),
    warn: call(p.warn),
    error: call(p.error),
    isLevelEnabled: (l) => p.isLevelEnabled(l),
    child: (bindings) => adapt(p.child(bindings)),
  };
}
