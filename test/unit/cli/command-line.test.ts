import { Args, parseCommonCommandLine } from '../../../src/cli/command-line';
import { parseArgs } from '../../../src/cli/yargs-command-line';

/** yargs's answer: the Args, or the usage error's message. It reads CONNECT_LOG_LEVEL from process.env. */
async function viaYargs(argv: string[], envLevel: string | undefined): Promise<Args | { error: string }> {
  const saved = process.env.CONNECT_LOG_LEVEL;
  if (envLevel === undefined) delete process.env.CONNECT_LOG_LEVEL;
  else process.env.CONNECT_LOG_LEVEL = envLevel;
  try {
    return await parseArgs(argv);
  } catch (err) {
    return { error: (err as Error).message };
  } finally {
    if (saved === undefined) delete process.env.CONNECT_LOG_LEVEL;
    else process.env.CONNECT_LOG_LEVEL = saved;
  }
}

const env = (level?: string): NodeJS.ProcessEnv => (level === undefined ? {} : { CONNECT_LOG_LEVEL: level });

/** Every option in each spelling the fast path may see, valid values and invalid ones. */
const OPTION_FORMS: string[][] = [
  [],
  ['--once'],
  ['--progress'],
  ['--once', '--progress'],
  ['--log-level', 'debug'],
  ['--log-level=warn'],
  ['--log-level', 'loud'],
  ['--log-format', 'json'],
  ['--log-format=pretty'],
  ['--log-format', 'xml'],
  ['--once', '--once-timeout', '30s'],
  ['--once', '--once-timeout=5000'],
  ['--once-timeout', '30s'],
  ['--once', '--once-timeout', 'soon'],
  ['--once', '--once-timeout', '1.5h'],
  ['--summary-json', 'summary.json'],
  ['--summary-json=out/s.json'],
  ['--summary-json', ' '],
  ['--summary-json='],
  ['--once', 'true'],
  ['--progress', 'false'],
  ['--once=true'],
  ['--once', '--once'],
  ['--logLevel', 'debug'],
  ['--no-progress'],
  ['--no-rest'],
  ['--once', '--no-rest'],
  ['--no-rest', '--no-rest'],
  ['--no-rest=true'],
  ['--rest'],
  ['--rest', 'false'],
  ['--unknown'],
  ['-x'],
  ['--'],
  ['--log-level'],
];
const POSITIONALS: string[][] = [[], ['worker.properties'], ['worker.properties', 'a.properties', 'b.json'], ['1.properties'], ['conf/w.properties', '2024.json']];

describe('parseCommonCommandLine', () => {
  it('returns exactly what yargs returns for every command line it accepts', async () => {
    let accepted = 0;
    for (const level of [undefined, 'warn', 'noisy']) {
      for (const options of OPTION_FORMS) {
        for (const positionals of POSITIONALS) {
          for (const argv of [[...options, ...positionals], [...positionals, ...options]]) {
            const fast = parseCommonCommandLine(argv, env(level));
            if (fast === null) continue;
            accepted++;
            expect({ argv, level, result: await viaYargs(argv, level) }).toEqual({ argv, level, result: fast });
          }
        }
      }
    }
    expect(accepted).toBeGreaterThan(60); // the comparison covered real cases
  });

  it('parses the everyday command lines itself', () => {
    const cases: Array<[string[], Partial<Args>]> = [
      [['w.properties', 'c.properties'], { worker: 'w.properties', connectors: ['c.properties'], logLevel: 'info', once: false }],
      [['--once', 'w.properties', 'c.properties'], { once: true, onceTimeoutMs: null }],
      [['w.properties', 'c.properties', '--once', '--once-timeout', '5m', '--summary-json', 's.json'], { once: true, onceTimeoutMs: 300_000, summaryJson: 's.json' }],
      [['--log-format', 'json', '--log-level', 'warn', 'w.properties'], { logFormat: 'json', logLevel: 'warn', connectors: [] }],
      [['--progress', 'w.properties'], { progress: true, rest: true }],
      [['--no-rest', 'w.properties'], { rest: false }],
    ];
    for (const [argv, expected] of cases) expect(parseCommonCommandLine(argv, {})).toMatchObject(expected);
    expect(parseCommonCommandLine(['w.properties'], { CONNECT_LOG_LEVEL: 'debug' })?.logLevel).toBe('debug');
  });

  it('leaves help, version, usage errors and unusual forms to yargs', () => {
    for (const argv of [['--help'], ['--version'], ['-h'], [], ['--once'], ['--once-timeout', '5s', 'w.properties'], ['w.properties', '--log-level', 'loud'], ['w.properties', '--', 'c.properties']]) {
      expect(parseCommonCommandLine(argv, {})).toBeNull();
    }
    expect(parseCommonCommandLine(['w.properties'], { CONNECT_LOG_LEVEL: 'noisy' })).toBeNull();
  });

  it('leaves to yargs every command line of the corpus that yargs rejects', async () => {
    const rejected = [
      ['--once-timeout', '30s', 'w.properties'],
      ['w.properties', '--once', '--once-timeout', 'soon'],
      ['w.properties', '--log-level', 'loud'],
      ['w.properties', '--log-format', 'xml'],
      ['w.properties', '--summary-json', ' '],
      ['w.properties', '--unknown'],
      ['--once'],
    ];
    for (const argv of rejected) {
      expect({ argv, yargs: await viaYargs(argv, undefined) }).toMatchObject({ argv, yargs: { error: expect.any(String) } });
      expect({ argv, fast: parseCommonCommandLine(argv, {}) }).toEqual({ argv, fast: null });
    }
  });
});
