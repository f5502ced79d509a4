import * as fs from 'fs';
import * as path from 'path';
import { ConnectorReport } from '../runtime/worker';

/** What `--summary-json` writes: the summary lines' facts, per connector. */
export interface RunSummary {
  exitCode: number;
  /** Why the run ended: complete, a signal ("SIGTERM"), the --once-timeout, or start-up failure. */
  ended: string;
  seconds: number;
  connectors: Array<{
    name: string;
    type: 'source' | 'sink';
    outcome: ConnectorReport['outcome'];
    records: { read: number; written: number; skipped: number; failed: number };
    seconds: number;
    errors: string[];
  }>;
}

export function runSummary(reports: readonly ConnectorReport[], exitCode: number, ended: string, startedAt: number, now: number): RunSummary {
  return {
    exitCode,
    ended,
    seconds: round((now - startedAt) / 1000),
    connectors: reports.map((r) => ({
      name: r.name,
      type: r.kind,
      outcome: r.outcome,
      records: { ...r.counts },
      seconds: round((now - r.startedAt) / 1000),
      errors: r.tasks.filter((t) => t.error).map((t) => `task ${t.task}: ${t.error!.message}`),
    })),
  };
}

/** One line per connector, e.g. `summary: file-source (source) finished: 50000 records read, 50000 written, 0 skipped, 0 failed in 3.2 s`. */
export function summaryLines(summary: RunSummary): string[] {
  return summary.connectors.map((c) => {
    const { read, written, skipped, failed } = c.records;
    return `summary: ${c.name} (${c.type}) ${c.outcome}: ${read} records read, ${written} written, ${skipped} skipped, ${failed} failed in ${c.seconds.toFixed(1)} s`;
  });
}

/** Writes the summary as JSON through a temporary file and a rename, so a reader never sees half of it. */
export function writeSummaryJson(file: string, summary: RunSummary): void {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, JSON.stringify(summary, null, 2) + '\n');
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
