import { parseDuration } from './duration';
import { LOG_LEVELS, LogFormat, LogLevel } from './logging';

export const USAGE = 'connect-standalone <worker.properties> [connector1.properties|.json connector2.properties|.json ...]';

/** The parsed command line (see yargs-command-line.ts for its definition, help and errors). */
export interface Args {
  worker: string;
  connectors: string[];
  logLevel: LogLevel;
  logFormat?: LogFormat;
  once: boolean;
  onceTimeoutMs: number | null;
  progress: boolean;
  summaryJson: string | null;
  /** false with --no-rest: no REST server, whatever the worker file's listeners say. */
  rest: boolean;
}

const BOOLEAN_FLAGS = new Set(['once', 'progress', 'no-rest']);
const VALUE_OPTIONS = new Set(['log-level', 'log-format', 'once-timeout', 'summary-json']);
const LOG_FORMATS: readonly string[] = ['json', 'pretty'];

/**
 * The command lines people type every day (config files, `--once`, `--progress`, `--no-rest`, `--log-level X`,
 * `--log-format X`, `--once-timeout X`, `--summary-json X`, also as `--key=value`), parsed without
 * loading yargs, which costs a tenth of the time to the first record. Returns null for anything
 * else (help, version, errors, unusual forms): the caller then asks yargs, whose result, help text and
 * messages stay the reference. For every command line it accepts, it returns what yargs returns.
 */
export function parseCommonCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Args | null {
  const envLevel = env.CONNECT_LOG_LEVEL;
  if (envLevel !== undefined && !isLogLevel(envLevel)) return null; // yargs reports it
  const seen = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (!token.startsWith('-')) {
      if (!plainPositional(token)) return null;
      positionals.push(token);
      continue;
    }
    if (!token.startsWith('--')) return null;
    const eq = token.indexOf('=');
    const name = token.slice(2, eq < 0 ? undefined : eq);
    if (seen.has(name)) return null; // repeated options become arrays in yargs
    if (BOOLEAN_FLAGS.has(name)) {
      // `--once true` and `--once=false` take a value in yargs: leave them to it.
      if (eq >= 0 || argv[i + 1] === 'true' || argv[i + 1] === 'false') return null;
      seen.set(name, true);
    } else if (VALUE_OPTIONS.has(name)) {
      const value = eq >= 0 ? token.slice(eq + 1) : argv[++i];
      if (value === undefined || value.startsWith('-') || !plainValue(value)) return null;
      seen.set(name, value);
    } else {
      return null;
    }
  }
  if (positionals.length === 0) return null;
  const logLevel = seen.get('log-level') ?? envLevel ?? 'info';
  const logFormat = seen.get('log-format');
  if (!isLogLevel(logLevel) || (logFormat !== undefined && !LOG_FORMATS.includes(logFormat as string))) return null;
  const timeout = seen.get('once-timeout');
  const onceTimeoutMs = timeout === undefined ? null : parseDuration(timeout as string);
  if (timeout !== undefined && (onceTimeoutMs === null || !seen.has('once'))) return null;
  const summaryJson = seen.get('summary-json');
  if (summaryJson !== undefined && (summaryJson as string).trim() === '') return null;
  return {
    worker: positionals[0],
    connectors: positionals.slice(1),
    logLevel,
    logFormat: logFormat as LogFormat | undefined,
    once: seen.has('once'),
    onceTimeoutMs,
    progress: seen.has('progress'),
    summaryJson: summaryJson === undefined ? null : (summaryJson as string),
    rest: !seen.has('no-rest'),
  };
}

function isLogLevel(value: unknown): value is LogLevel {
  return (LOG_LEVELS as readonly unknown[]).includes(value);
}

/** Text yargs-parser keeps as it is: no number it might coerce, no empty string. */
function plainPositional(token: string): boolean {
  return token !== '' && !/^[-+]?(\d|\.\d)|^0x/i.test(token);
}

function plainValue(value: string): boolean {
  return plainPositional(value) || /^\d+(ms|s|m|h)?$/.test(value);
}
