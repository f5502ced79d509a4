import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseDuration } from '../../../src/cli/duration';
import { describeProgress } from '../../../src/cli/progress-display';
import { runSummary, summaryLines, writeSummaryJson } from '../../../src/cli/run-summary';
import { ConnectError } from '../../../src/api';
import { ConnectorReport } from '../../../src/runtime/worker';

function report(name: string, outcome: ConnectorReport['outcome'], extra: Partial<ConnectorReport> = {}): ConnectorReport {
  return { name, kind: 'source', counts: { read: 10, written: 9, skipped: 1, failed: 0 }, progress: null, tasks: [], outcome, startedAt: 1000, ...extra };
}

describe('--once-timeout durations', () => {
  it.each([
    ['5000', 5000],
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    [' 2s ', 2000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'soon', '0', '0s', '-5s', '5d', '5 minutes', '1e3'])('%j is refused', (text) => expect(parseDuration(text)).toBeNull());
});

describe('run summary', () => {
  it('one line per connector with records, skipped, failed and seconds', () => {
    const failing = report('b', 'failed', { kind: 'sink', startedAt: 1500, tasks: [{ connector: 'b', task: 0, state: 'FAILED', error: new ConnectError('boom'), finished: false }] });
    const summary = runSummary([report('a', 'finished'), failing], 3, 'complete', 500, 4000);
    expect(summaryLines(summary)).toEqual([
      'summary: a (source) finished: 10 records read, 9 written, 1 skipped, 0 failed in 3.0 s',
      'summary: b (sink) failed: 10 records read, 9 written, 1 skipped, 0 failed in 2.5 s',
    ]);
    expect(summary).toMatchObject({ exitCode: 3, ended: 'complete', seconds: 3.5 });
    expect(summary.connectors[1].errors).toEqual(['task 0: boom']);
  });

  it('the JSON file is replaced whole through a rename, leaving no temporary file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cs-summary-'));
    try {
      const file = path.join(dir, 'summary.json');
      fs.writeFileSync(file, 'old');
      writeSummaryJson(file, runSummary([report('a', 'finished')], 0, 'complete', 0, 1000));
      expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ exitCode: 0, connectors: [{ name: 'a', records: { read: 10, written: 9, skipped: 1, failed: 0 } }] });
      expect(fs.readdirSync(dir)).toEqual(['summary.json']);
      expect(() => writeSummaryJson(path.join(dir, 'missing', 'x.json'), runSummary([], 0, 'complete', 0, 0))).toThrow(/ENOENT/);
      expect(fs.readdirSync(dir)).toEqual(['summary.json']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('progress text', () => {
  it('bytes of a known total, rows without a total, nothing when unknown', () => {
    expect(describeProgress({ done: 1536, total: 3 * 1024 * 1024, unit: 'bytes' })).toBe('0% (1.5 KB of 3.0 MB)');
    expect(describeProgress({ done: 1200, total: 5000, unit: 'rows' })).toBe('24% (1,200 of 5,000 rows)');
    expect(describeProgress({ done: 1200, total: null, unit: 'rows' })).toBe('1,200 rows read');
    expect(describeProgress({ done: 10, total: 0, unit: 'bytes' })).toBe('100% (10 B of 0 B)');
    expect(describeProgress(null)).toBe('');
  });
});
