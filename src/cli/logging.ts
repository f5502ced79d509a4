import { Writable } from 'stream';
import type pino from 'pino';
import type PinoPretty from 'pino-pretty';
import type { AdminLoggers } from '../runtime/herder/herder';
import { BadRequestError, NotFoundError } from '../runtime/herder/herder-errors';
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
export function createLogger(level: LogLevel, format: LogFormat, destination?: Writable): { logger: RuntimeLogger; pino: pino.Logger; adminLoggers: PinoAdminLoggers } {
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
  const adminLoggers = new PinoAdminLoggers(root);
  return { logger: adapt(root, adminLoggers), pino: root, adminLoggers };
}

/**
 * Our logger API is (message, fields); pino's is (fields, message). With `admin`, every child logger
 * is registered under its logger name (see PinoAdminLoggers) so its level can change at run time.
 */
export function adapt(p: pino.Logger, admin?: PinoAdminLoggers, name = ROOT_LOGGER): RuntimeLogger {
  // The method is looked up at each call: pino swaps a logger's level methods when its level changes.
  const call = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Record<string, unknown>) => (fields ? p[level](fields, msg) : p[level](msg));
  return {
    debug: call('debug'),
    info: call('info'),
    warn: call('warn'),
    error: call('error'),
    isLevelEnabled: (l) => p.isLevelEnabled(l),
    child: (bindings) => {
      const child = p.child(bindings);
      if (!admin) return adapt(child);
      const childName = typeof bindings.connector === 'string' && name === ROOT_LOGGER ? bindings.connector : name;
      admin.register(child, childName);
      return adapt(child, admin, childName);
    },
  };
}

export const ROOT_LOGGER = 'root';

/** Kafka's (log4j's) level names and pino's. */
const TO_PINO: Record<string, pino.LevelWithSilent> = { OFF: 'silent', FATAL: 'fatal', ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug', TRACE: 'trace', ALL: 'trace' };
const FROM_PINO: Record<string, string> = { silent: 'OFF', fatal: 'FATAL', error: 'ERROR', warn: 'WARN', info: 'INFO', debug: 'DEBUG', trace: 'TRACE' };

/**
 * Log levels at run time (GET/PUT /admin/loggers) over pino. The loggers are `root` (everything) and
 * one per connector, named as the connector: its connector, task, converter and transform lines.
 * As in Kafka, setting root sets every logger; setting a connector's sets its loggers only (also
 * those created later, e.g. by a restart); a name no connector has yet is kept for when one starts.
 */
export class PinoAdminLoggers implements AdminLoggers {
  private readonly loggers = new Map<string, Set<WeakRef<pino.Logger>>>();
  private readonly explicit = new Map<string, { level: string; last_modified: number | null }>();

  constructor(
    private readonly root: pino.Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called for every child logger: it takes the level set for its name. */
  register(logger: pino.Logger, name: string): void {
    if (name === ROOT_LOGGER) return this.track(logger, name);
    const set = this.explicit.get(name);
    if (set) logger.level = TO_PINO[set.level];
    this.track(logger, name);
  }

  private track(logger: pino.Logger, name: string): void {
    let refs = this.loggers.get(name);
    if (!refs) this.loggers.set(name, (refs = new Set()));
    if (refs.size > 64) for (const r of refs) if (r.deref() === undefined) refs.delete(r);
    refs.add(new WeakRef(logger));
  }

  levels(): Record<string, { level: string; last_modified: number | null }> {
    const out: Record<string, { level: string; last_modified: number | null }> = { [ROOT_LOGGER]: this.level(ROOT_LOGGER) };
    for (const [name, value] of this.explicit) if (name !== ROOT_LOGGER) out[name] = { ...value };
    return out;
  }

  level(name: string): { level: string; last_modified: number | null } {
    const set = this.explicit.get(name);
    if (set) return { ...set };
    if (name === ROOT_LOGGER || this.loggers.has(name)) return { level: FROM_PINO[this.root.level] ?? this.root.level.toUpperCase(), last_modified: null };
    throw new NotFoundError(`Logger ${name} not found.`);
  }

  setLevel(name: string, level: string): string[] {
    const upper = level.toUpperCase();
    const pinoLevel = TO_PINO[upper];
    if (!pinoLevel) throw new BadRequestError(`invalid log level '${level}'.`);
    const stamp = { level: upper === 'ALL' ? 'TRACE' : upper, last_modified: this.now() };
    const names = name === ROOT_LOGGER ? [ROOT_LOGGER, ...new Set([...this.loggers.keys(), ...this.explicit.keys()].filter((n) => n !== ROOT_LOGGER))] : [name];
    if (name === ROOT_LOGGER) this.root.level = pinoLevel;
    for (const n of names) {
      this.explicit.set(n, { ...stamp });
      for (const ref of this.loggers.get(n) ?? []) {
        const logger = ref.deref();
        if (logger) logger.level = pinoLevel;
      }
    }
    return names.sort();
  }
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
