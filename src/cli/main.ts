import yargs from 'yargs';
import { ExitCode, runStandalone, ShutdownRequest } from './connect-standalone';
import { createLogger, LOG_LEVELS, LogFormat, LogLevel } from './logging';
import { reportFatal } from './report-fatal';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../../package.json') as { version: string };

const USAGE = 'connect-standalone <worker.properties> [connector1.properties|.json connector2.properties|.json ...]';

interface Args {
  worker: string;
  connectors: string[];
  logLevel: LogLevel;
  logFormat?: LogFormat;
}

function parseArgs(argv: string[]): Promise<Args> {
  return new Promise((resolve, reject) => {
    yargs(argv)
      .scriptName('connect-standalone')
      .usage(`Usage: ${USAGE}\n\nRuns Kafka Connect connectors in one process, as Apache Kafka's bin/connect-standalone.sh.`)
      .command('$0 <worker> [connectors..]', false, (y) =>
        y
          .positional('worker', { type: 'string', describe: 'Worker config (.properties or .json)' })
          .positional('connectors', { type: 'string', array: true, describe: 'Connector configs (.properties or .json)' }),
      )
      .option('log-level', { choices: LOG_LEVELS, default: (process.env.CONNECT_LOG_LEVEL as LogLevel | undefined) ?? 'info', describe: 'Log level (env CONNECT_LOG_LEVEL)' })
      .option('log-format', { choices: ['json', 'pretty'] as const, describe: 'Log format on stderr (default: pretty on a terminal, else json)' })
      .version(version)
      .help()
      .strict()
      .exitProcess(false)
      .fail((msg, err) => reject(new UsageError(msg || err?.message || 'invalid arguments')))
      .parseAsync()
      .then((parsed) => {
        if (parsed.help || parsed.version) return resolve({ worker: '', connectors: [], logLevel: 'info' });
        resolve({
          worker: String(parsed.worker),
          connectors: ((parsed.connectors as string[] | undefined) ?? []).map(String),
          logLevel: parsed['log-level'] as LogLevel,
          logFormat: parsed['log-format'] as LogFormat | undefined,
        });
      }, reject);
  });
}

class UsageError extends Error {}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  // Before anything is written to stdout: a write to a closed pipe must never crash the process with
  // an unhandled 'error' event. What the closed stdout means is decided below, once the worker runs.
  let onStdoutError: (err: NodeJS.ErrnoException) => void = () => undefined;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => onStdoutError(err));
  let args: Args;
  try {
    args = await parseArgs(argv);
  } catch (err) {
    process.stderr.write(`connect-standalone: ${(err as Error).message}\nUsage: ${USAGE} (see --help)\n`);
    return ExitCode.USAGE;
  }
  if (!args.worker) return ExitCode.OK; // --help or --version was printed
  const format: LogFormat = args.logFormat ?? (process.stderr.isTTY ? 'pretty' : 'json');
  const { logger } = createLogger(args.logLevel, format);

  let signals = 0;
  const shutdownRequested = new Promise<ShutdownRequest>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals === 1) return resolve({ reason: `Received ${signal}` });
      logger.warn(`Received ${signal} again: exiting at once`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // The reader of our stdout went away (e.g. `| head`): stop as on SIGTERM, as a pipeline expects.
    onStdoutError = (err) => {
      if (err.code === 'EPIPE') resolve({ reason: 'Standard output was closed by its reader (EPIPE)', stdoutClosed: true });
    };
  });
  process.on('unhandledRejection', (reason) => {
    logger.error('Unhandled promise rejection (a bug: please report it)', { err: reason });
  });

  try {
    return await runStandalone({ workerFile: args.worker, connectorFiles: args.connectors, logger, shutdownRequested });
  } catch (err) {
    reportFatal(err, { logger, jsonLine: format === 'json' && process.stderr.isTTY !== true });
    return ExitCode.ERROR;
  }
}
