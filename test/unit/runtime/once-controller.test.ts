import { isRunComplete, OnceController } from '../../../src/runtime/once-controller';
import { ConnectorReport, TaskStatus } from '../../../src/runtime/worker';

const task = (finished: boolean, state: TaskStatus['state'] = finished ? 'STOPPED' : 'RUNNING'): TaskStatus => ({ connector: 'c', task: 0, state, error: null, finished });
function report(outcome: ConnectorReport['outcome'], tasks: TaskStatus[]): ConnectorReport {
  return { name: 'c', kind: 'source', counts: { read: 0, written: 0, skipped: 0, failed: 0 }, progress: null, tasks, outcome, startedAt: 0 };
}

describe('when a run is complete', () => {
  it('--once: every connector finished or failed', () => {
    expect(isRunComplete([report('finished', [task(true)]), report('failed', [task(false, 'FAILED')])], true)).toBe(true);
    expect(isRunComplete([report('finished', [task(true)]), report('running', [task(false)])], true)).toBe(false);
    expect(isRunComplete([], true)).toBe(true);
  });

  it('--once: a connector stopped through the herder (KIP-875) is done; one that is stopped in a normal run keeps it going', () => {
    expect(isRunComplete([report('finished', [task(true)]), report('stopped', [])], true)).toBe(true);
    expect(isRunComplete([report('finished', [task(true)]), report('stopped', [])], false)).toBe(false);
  });

  it('a normal run: only when every task ended by itself; a failed task keeps it running, and no tasks never completes', () => {
    expect(isRunComplete([report('finished', [task(true)])], false)).toBe(true);
    expect(isRunComplete([report('finished', [task(true)]), report('failed', [task(false, 'FAILED')])], false)).toBe(false);
    expect(isRunComplete([], false)).toBe(false);
  });

  it('never completes before every connector started', async () => {
    let reports = [report('finished', [task(true)])];
    const c = new OnceController(true, () => reports);
    let done = false;
    void c.done.then(() => (done = true));
    c.check();
    await Promise.resolve();
    expect(done).toBe(false);
    reports = [report('running', [task(false)])];
    c.connectorsStarted();
    await Promise.resolve();
    expect(done).toBe(false);
    reports = [report('finished', [task(true)])];
    c.check();
    await c.done;
  });
});
