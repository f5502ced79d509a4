import * as fs from 'fs';
import { errorLine, runCli, startWorker, testWorkerProps, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * Two workers must not share one offsets file: the second fails at once naming the file and the
 * first's pid; after the first is killed with kill -9, a new worker takes over its stale lock.
 */
describe('offsets file lock', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('a second worker on the same offsets file exits 1; a stale lock is taken over', async () => {
    const offsets = tmp.file('shared.offsets');
    const lockFile = `${offsets}.lock`;
    const input = tmp.file('in.txt');
    fs.writeFileSync(input, 'a\n');
    const worker = writeProperties(tmp.file('worker.properties'), testWorkerProps(broker.bootstrapServers, offsets));
    const source = writeProperties(tmp.file('source.properties'), { name: 'locked-source', 'connector.class': 'FileStreamSource', topic: 'locked', file: input });

    const first = startWorker([worker, source]);
    try {
      await first.waitForLog(/Worker started/);
      expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(first.proc.pid));

      const second = await runCli([worker, source]);
      expect(second.code).toBe(1);
      expect(errorLine(second.stderr)).toBe(
        `connect-standalone: Offsets file ${offsets} is in use by another worker (pid ${first.proc.pid}, lock file ${lockFile}). ` +
          'Two workers must not share offset.storage.file.filename: stop that worker or give this one its own file.',
      );
      expect(second.stderr).not.toContain('Worker started');
    } finally {
      first.proc.kill('SIGKILL');
      await first.exited;
    }
    expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(first.proc.pid)); // left behind by kill -9

    const third = startWorker([worker, source]);
    try {
      const takeOver = await third.waitForLog(/Taking over stale lock file/);
      expect(takeOver).toContain(`Taking over stale lock file ${lockFile} of pid ${first.proc.pid}, which is no longer running`);
      await third.waitForLog(/Worker started/);
      expect(fs.readFileSync(lockFile, 'utf8').trim()).toBe(String(third.proc.pid));
    } finally {
      expect(await third.stop()).toBe(0);
    }
    expect(fs.existsSync(lockFile)).toBe(false); // released at shutdown
  }, 90_000);

  it('workers with different offsets files run side by side', async () => {
    const input = tmp.file('side.txt');
    fs.writeFileSync(input, 'x\n');
    const source = writeProperties(tmp.file('side-source.properties'), { name: 'side-source', 'connector.class': 'FileStreamSource', topic: 'side', file: input });
    const a = startWorker([writeProperties(tmp.file('a.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('a.offsets'))), source]);
    const b = startWorker([writeProperties(tmp.file('b.properties'), testWorkerProps(broker.bootstrapServers, tmp.file('b.offsets'))), source]);
    try {
      await a.waitForLog(/Worker started/);
      await b.waitForLog(/Worker started/);
    } finally {
      expect(await a.stop()).toBe(0);
      expect(await b.stop()).toBe(0);
    }
  }, 60_000);
});
