import type * as ConnectStandaloneModule from './connect-standalone';
import type { ShutdownRequest } from './connect-standalone';
import { Args, parseCommonCommandLine, USAGE } from './command-line';
import { ExitCode } from './exit-code';
import { createLogger, LogFormat } from './logging';
import type * as OffsetsCommandModule from './offsets-command';
import type * as ProgressDisplayModule from './progress-display';
import type * as ReportFatalModule from './report-fatal';
import { versionText } from './version-text';
import type * as YargsCommandLineModule from './yargs-command-line';

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  // Before anything is written to stdout: a write to a closed pipe must never crash the process with
  // an unhandled 'error' event. What the closed stdout means is decided below, once the worker runs.
  let onStdoutError: (err: NodeJS.ErrnoException) => void = () => undefined;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => onStdoutError(err));
  if (argv.length === 1 && argv[0] === '--version') {
    // As yargs prints it, without loading yargs.
    process.stdout.write(`${versionText()}\n`);
    return ExitCode.OK;
  }
  // `connect-standalone offsets export|import ...`: its own small command (offsets-command.ts).
  if (argv[0] === 'offsets') return runOffsets(argv.slice(1));
  let args: Args;
  try {
    // yargs (and its help and messages) only when the command line is not one of the common forms.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    args = parseCommonCommandLine(argv) ?? (await (require('./yargs-command-line') as typeof YargsCommandLineModule).parseArgs(argv));
  } catch (err) {
    process.stderr.write(`connect-standalone: ${(err as Error).message}\nUsage: ${USAGE} (see --help)\n`);
    return ExitCode.USAGE;
  }
  if (!args.worker) return ExitCode.OK; // --help or --version was printed
  const format: LogFormat = args.logFormat ?? (process.stderr.isTTY ? 'pretty' : 'json');
  // The runtime, the display and what they import are loaded only now: --help and --version stay fast.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { runStandalone } = require('./connect-standalone') as typeof ConnectStandaloneModule;
  const { reportFatal } = require('./report-fatal') as typeof ReportFatalModule;
  // Live lines only on a terminal: a pipe or a CI log gets no redraws, only the summary at the end.
  const display =
    (args.once || args.progress) && process.stderr.isTTY === true ? new (require('./progress-display') as typeof ProgressDisplayModule).ProgressDisplay(process.stderr) : null;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const { logger, adminLoggers } = createLogger(args.logLevel, format, display?.logDestination());

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
      noRest: !args.rest,
      adminLoggers,
    });
  } catch (err) {
    reportFatal(err, { logger, jsonLine: format === 'json' && process.stderr.isTTY !== true });
    return ExitCode.ERROR;
  }
}

async function runOffsets(argv: string[]): Promise<number> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const offsets = require('./offsets-command') as typeof OffsetsCommandModule;
  const { reportFatal } = require('./report-fatal') as typeof ReportFatalModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  let args: OffsetsCommandModule.OffsetsArgs | null;
  try {
    args = offsets.parseOffsetsArgs(argv);
  } catch (err) {
    process.stderr.write(`connect-standalone: ${(err as Error).message}\nUsage: ${offsets.OFFSETS_USAGE}\n`);
    return ExitCode.USAGE;
  }
  if (args === null) {
    process.stdout.write(`Usage: ${offsets.OFFSETS_USAGE}\n`);
    return ExitCode.OK;
  }
  // Logs (warnings) on stderr: stdout carries only the exported JSON or the result message.
  const { logger } = createLogger(process.env.CONNECT_LOG_LEVEL === 'debug' ? 'debug' : 'warn', process.stderr.isTTY ? 'pretty' : 'json');
  try {
    return await offsets.runOffsetsCommand(args, { logger, stdout: process.stdout, readStdin: offsets.readAllStdin });
  } catch (err) {
    reportFatal(err, { logger, jsonLine: false });
    return ExitCode.ERROR;
  }
}
