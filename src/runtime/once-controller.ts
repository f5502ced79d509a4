import { ConnectorReport } from './worker';

/**
 * Decides when a run is complete and resolves `done` then. A --once run is complete when every
 * connector has finished or failed (a source task caught up with everything acknowledged and
 * flushed, a sink connector's backlog at start committed). A normal run is complete only when every
 * task of every connector finished by itself because its input ended (stdin at EOF); a failed task
 * keeps a normal run going, as in Kafka. Checked whenever a task settles, and once every connector
 * has started (before that, a run is never complete).
 */
export class OnceController {
  private resolveDone!: () => void;
  private started = false;
  private complete = false;
  readonly done: Promise<void> = new Promise((resolve) => (this.resolveDone = resolve));

  constructor(
    private readonly once: boolean,
    private readonly reports: () => ConnectorReport[],
  ) {}

  /** Every connector was started: from now on, a complete run resolves done. */
  connectorsStarted(): void {
    this.started = true;
    this.check();
  }

  /** A task failed or finished by itself, a connector raised an error, or one was stopped or deleted. */
  check(): void {
    if (!this.started || this.complete) return;
    if (isRunComplete(this.reports(), this.once)) {
      this.complete = true;
      this.resolveDone();
    }
  }
}

export function isRunComplete(reports: readonly ConnectorReport[], once: boolean): boolean {
  // A connector stopped through the herder (KIP-875) will not run again by itself: it is done too.
  if (once) return reports.every((r) => r.outcome === 'finished' || r.outcome === 'failed' || r.outcome === 'stopped');
  const tasks = reports.flatMap((r) => r.tasks);
  return tasks.length > 0 && reports.every((r) => r.outcome === 'finished');
}
