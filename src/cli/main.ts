import yargs from 'yargs';
import type * as ConnectStandaloneModule from './connect-standalone';
import type { ShutdownRequest } from './connect-standalone';
import { parseDuration } from './duration';
import { ExitCode } from './exit-code';
import { createLogger, LOG_LEVELS, LogFormat, LogLevel } from './logging';
import { kafkajsProducerPatchStatus } from '../runtime/kafka/kafkajs-patch-status';
import type * as ProgressDisplayModule from './progress-display';
import type * as ReportFatalModule from './report-fatal';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../../../package.json') as { version: string };

const USAGE = 'connect-standalone <worker.properties> [connector1.properties|.json connector2.properties|.json ...]';

interface Args {
  worker: string;
  connectors: string[];
  logLevel: LogLevel;
  logFormat?: LogFormat;
  once: boolean;
  onceTimeoutMs: number | null;
  progress: boolean;
  summaryJson: string | null;
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
      .option('once', {
        type: 'boolean',
        default: false,
        describe:
          'Run until every source task has caught up with its input and every sink has consumed what its topics held at start, then commit, stop and exit (0 when all went well)',
      })
      .option('once-timeout', { type: 'string', describe: 'With --once: give up after this long (e.g. 90s, 5m, or milliseconds) and exit with code 4' })
      .option('progress', { type: 'boolean', default: false, describe: 'Show a live progress line per connector on stderr when it is a terminal (always on for --once)' })
      .option('summary-json', { type: 'string', describe: 'At exit, write the per-connector summary (records, skipped, failed, seconds, outcome) as JSON to this file' })
      .check((argv) => {
        const timeout = argv['once-timeout'];
        if (timeout !== undefined) {
          if (!argv.once) throw new Error('--once-timeout needs --once');
          if (parseDuration(String(timeout)) === null) throw new Error(`--once-timeout: invalid duration '${String(timeout)}': expected milliseconds or a number with ms, s, m or h (e.g. 30s, 5m)`);
        }
        if (argv['summary-json'] !== undefined && String(argv['summary-json']).trim() === '') throw new Error('--summary-json: expected a file name');
        return true;
      })
      // --version also says whether the kafkajs in use has the producer patches (read only then).
      .version(argv.includes('--version') ? `${version}\n${kafkajsProducerPatchStatus().detail}` : version)
      .help()
      .strict()
      .exitProcess(false)
      .fail((msg, err) => reject(new UsageError(msg || err?.message || 'invalid arguments')))
      .parseAsync()
      .then((parsed) => {
        if (parsed.help || parsed.version) return resolve({ worker: '', connectors: [], logLevel: 'info', once: false, onceTimeoutMs: null, progress: false, summaryJson: null });
        resolve({
          worker: String(parsed.worker),
          connectors: ((parsed.connectors as string[] | undefined) ?? []).map(String),
          logLevel: parsed['log-level'] as LogLevel,
          logFormat: parsed['log-format'] as LogFormat | undefined,
          once: parsed.once === true,
          onceTimeoutMs: parsed['once-timeout'] === undefined ? null : parseDuration(String(parsed['once-timeout'])),
          progress: parsed.progress === true,
          summaryJson: parsed['summary-json'] === undefined ? null : String(parsed['summary-json']),
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
  // Live lines only on a terminal: a pipe or a CI log gets no redraws, only the summary at the end.
  // The runtime, the display and what they import are loaded only now: --help and --version stay fast.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { runStandalone } = require('./connect-standalone') as typeof ConnectStandaloneModule;
  const { reportFatal } = require('./report-fatal') as typeof ReportFatalModule;
  const display =
    (args.once || args.progress) && process.stderr.isTTY === true ? new (require('./progress-display') as typeof ProgressDisplayModule).ProgressDisplay(process.stderr) : null;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { logger } = createLogger(args.logLevel, format, display?.logDestination());

  let signals = 0;
  const shutdownRequested = new Promise<ShutdownRequest>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals === 1) return resolve({ reason: `Received ${signal}`, signal });
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
    return await runStandalone({
      workerFile: args.worker,
      connectorFiles: args.connectors,
      logger,
      shutdownRequested,
      once: args.once ? { timeoutMs: args.onceTimeoutMs } : null,
      display,
      summaryJson: args.summaryJson,
      writeSummaryLine: (line) => process.stderr.write(line + '\n'),
    });
  } catch (err) {
    reportFatal(err, { logger, jsonLine: format === 'json' && process.stderr.isTTY !== true });
    return ExitCode.ERROR;
  }
}
