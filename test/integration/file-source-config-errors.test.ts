import * as fs from 'fs';
import { errorLine, runCli, tempDir, testWorkerProps, writeProperties } from './helpers/worker-process';

/**
 * A FileStreamSource `file` that can never be read is a configuration error at start-up: exit 1 and
 * one line naming the key and the path, before any connection to Kafka is tried (the worker points
 * at a port where nothing listens, so reaching Kafka would fail differently). Unreadable files
 * (EACCES) are covered by the unit tests with injected file-system calls: the tests may run as root.
 */
describe('FileStreamSource file check at start-up, through the CLI', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('a directory as `file` exits 1 with one line naming the key and the path', async () => {
    const dir = tmp.file('logs');
    fs.mkdirSync(dir);
    const worker = writeProperties(tmp.file('worker.properties'), testWorkerProps('127.0.0.1:1', tmp.file('connect.offsets'), { 'default.api.timeout.ms': 2000 }));
    const conn = writeProperties(tmp.file('source.properties'), { name: 'src', 'connector.class': 'FileStreamSource', topic: 't', file: dir });
    const r = await runCli([worker, conn]);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toBe(`connect-standalone: Invalid connector config ${conn}: Invalid value ${dir} for configuration file: it is a directory; expected a file to read lines from`);
    expect(fs.existsSync(tmp.file('connect.offsets'))).toBe(false);
  });
});
