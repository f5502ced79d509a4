import { Writable } from 'stream';
import logUpdate from 'log-update';
import { SourceTaskProgress } from '../api';
import { ConnectorReport } from '../runtime/worker';

/**
 * The live lines on a terminal: one per connector (records, records/s, how far through the input),
 * redrawn in place by log-update. Log lines go through logDestination(), which takes the live lines
 * away before each log line and draws them again after it, so the two never garble each other.
 * Only for a TTY: the CLI does not create one for a pipe or a CI log.
 */
export class ProgressDisplay {
  private readonly update: ReturnType<typeof logUpdate.create>;
  private readonly rates = new Map<string, { at: number; count: number; rate: number }>();
  private source: (() => ConnectorReport[]) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private text = '';

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 500,
  ) {
    // The cursor stays visible: a process killed hard must not leave the terminal without one.
    this.update = logUpdate.create(stream, { showCursor: true });
  }

  /** A stream for the logger: each write clears the live lines, writes the log text, then redraws. */
  logDestination(): Writable {
    return new Writable({
      write: (chunk: Buffer | string, _encoding, callback) => {
        if (this.text) this.update.clear();
        this.stream.write(chunk);
        if (this.text) this.update(this.text);
        callback();
      },
    });
  }

  start(source: () => ConnectorReport[]): void {
    this.source = source;
    this.render();
    this.timer = setInterval(() => this.render(), this.intervalMs);
    this.timer.unref(); // the display never keeps the process alive
  }

  /** Removes the live lines (the summary, if any, is printed after). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.text) this.update.clear();
    this.text = '';
  }

  private render(): void {
    if (!this.source) return;
    const lines = this.source().map((r) => this.line(r));
    this.text = lines.join('\n');
    if (this.text) this.update(this.text);
  }

  private line(r: ConnectorReport): string {
    const count = r.counts.written;
    const at = this.now();
    const prev = this.rates.get(r.name);
    let rate = prev?.rate ?? 0;
    if (!prev) this.rates.set(r.name, { at, count, rate: 0 });
    else if (at - prev.at >= 1000) {
      rate = ((count - prev.count) * 1000) / (at - prev.at);
      this.rates.set(r.name, { at, count, rate });
    }
    const parts = [`${r.name}: ${formatCount(count)} records`, `${formatCount(Math.round(rate))}/s`];
    if (r.counts.skipped > 0) parts.push(`${formatCount(r.counts.skipped)} skipped`);
    const through = describeProgress(r.progress);
    if (through) parts.push(through);
    if (r.outcome !== 'running') parts.push(r.outcome);
    return parts.join('  ');
  }
}

/** "37% (1.2 MB of 3.3 MB)", "1,200 of 5,000 rows", "1,200 rows", or '' when unknown. */
export function describeProgress(p: SourceTaskProgress | null): string {
  if (!p) return '';
  const amount = (n: number) => (p.unit === 'bytes' ? formatBytes(n) : `${formatCount(n)}`);
  if (p.total === null) return `${amount(p.done)}${p.unit === 'bytes' ? '' : ` ${p.unit}`} read`;
  const pct = p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 100;
  return `${pct}% (${amount(p.done)} of ${amount(p.total)}${p.unit === 'bytes' ? '' : ` ${p.unit}`})`;
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}
