import yargs from 'yargs';
import { Args, USAGE } from './command-line';
import { parseDuration } from './duration';
import { LOG_LEVELS, LogFormat, LogLevel } from './logging';
import { packageVersion, versionText } from './version-text';

/**
 * The command line's definition: parsing, --help, --version and every usage error. Rejects with a
 * UsageError (its message is the one to print); resolves an Args with an empty worker after printing
 * --help or --version. Loaded only for command lines parseCommonCommandLine leaves to it.
 */
export function parseArgs(argv: string[]): Promise<Args> {
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
      .option('rest', {
        type: 'boolean',
        default: true,
        describe: 'Serve the REST API on the worker\'s listeners (default http://127.0.0.1:8083); --no-rest: no REST server. A --once run serves it only when listeners is set',
      })
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
      .version(argv.includes('--version') ? versionText() : packageVersion())
      .epilog('Offsets: connect-standalone offsets export|import worker.properties [connector] (see connect-standalone offsets --help)')
      .help()
      .strict()
      .exitProcess(false)
      .fail((msg, err) => reject(new UsageError(msg || err?.message || 'invalid arguments')))
      .parseAsync()
      .then((parsed) => {
        if (parsed.help || parsed.version) return resolve({ worker: '', connectors: [], logLevel: 'info', once: false, onceTimeoutMs: null, progress: false, summaryJson: null, rest: true });
        resolve({
          worker: String(parsed.worker),
          connectors: ((parsed.connectors as string[] | undefined) ?? []).map(String),
          logLevel: parsed['log-level'] as LogLevel,
          logFormat: parsed['log-format'] as LogFormat | undefined,
          once: parsed.once === true,
          onceTimeoutMs: parsed['once-timeout'] === undefined ? null : parseDuration(String(parsed['once-timeout'])),
          progress: parsed.progress === true,
          summaryJson: parsed['summary-json'] === undefined ? null : String(parsed['summary-json']),
          rest: parsed.rest !== false,
        });
      }, reject);
  });
}

export class UsageError extends Error {}
