import { Writable } from 'stream';
import type pino from 'pino';
import type PinoPretty from 'pino-pretty';
import { RuntimeLogger } from '../runtime/runtime-logger';

export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Logs go to stderr, so stdout stays free for data (FileStreamSink with no file writes records to
 * stdout). JSON lines by default; `pretty` is human-readable and the default when stderr is a terminal.
 * Writes are synchronous so the last lines before an exit are never lost. `destination` replaces
 * stderr (the live progress display passes one that keeps its lines below the log lines).
 *
 * JSON lines carry errors whole (causes and stacks). The pretty format is read by a person: an error is
 * one line (its message and causes), and stack traces appear only at level debug or trace.
 */
export function createLogger(level: LogLevel, format: LogFormat, destination?: Writable): { logger: RuntimeLogger; pino: pino.Logger } {
  // Required here, not at the top: `--help` and `--version` never log.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pino = require('pino') as typeof import('pino');
  const options: pino.LoggerOptions = { level, base: undefined, serializers: { err: pino.stdSerializers.errWithCause } };
  const stacks = level === 'debug' || level === 'trace';
  const stream =
    format === 'pretty'
      ? // pino-pretty is loaded only when asked for: JSON logging is the default for services.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('pino-pretty') as typeof PinoPretty)({
          destination: destination ?? 2,
          sync: true,
          colorize: process.stderr.isTTY === true,
          ignore: stacks ? 'pid,hostname' : 'pid,hostname,stack',
          translateTime: 'SYS:standard',
          ...(stacks ? {} : { customPrettifiers: { err: (value: unknown) => oneLineError(value) } }),
        })
      : (destination ?? pino.destination({ dest: 2, sync: true }));
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

/** "Type: message (code); caused by Type: message" from a serialized error, skipping repeated text. */
export function oneLineError(value: unknown): string {
  const parts: string[] = [];
  for (let e = value, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { type, message, code } = e as { type?: unknown; message?: unknown; code?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (depth > 0 && parts.some((p) => text !== '' && p.includes(text))) continue;
    parts.push(`${typeof type === 'string' ? `${type}: ` : ''}${text}${typeof code === 'string' && !text.includes(code) ? ` (${code})` : ''}`);
  }
  return parts.length > 0 ? parts.join('; caused by ') : String(value);
}
