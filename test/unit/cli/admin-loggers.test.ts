import { Writable } from 'stream';
import { createLogger } from '../../../src/cli/logging';

function capture() {
  const lines: Array<{ msg: string; connector?: string; level: number }> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { stream, lines };
}

describe('PinoAdminLoggers (GET/PUT /admin/loggers over pino)', () => {
  it('root and one logger per connector; setting a connector changes its lines only, root changes all', () => {
    const { stream, lines } = capture();
    const { logger, adminLoggers } = createLogger('info', 'json', stream);
    const a = logger.child({ connector: 'a' });
    const aTask = a.child({ task: 0 });
    const b = logger.child({ connector: 'b' });
    expect(adminLoggers.levels()).toEqual({ root: { level: 'INFO', last_modified: null } });
    expect(adminLoggers.level('a')).toEqual({ level: 'INFO', last_modified: null });
    expect(() => adminLoggers.level('nope')).toThrow('Logger nope not found.');

    expect(adminLoggers.setLevel('a', 'debug')).toEqual(['a']);
    a.debug('a-debug');
    aTask.debug('a-task-debug');
    b.debug('b-debug');
    logger.debug('root-debug');
    expect(lines.map((l) => l.msg)).toEqual(['a-debug', 'a-task-debug']);
    // A task logger created after the change (a restart) gets the connector's level.
    a.child({ task: 1 }).debug('a-task1-debug');
    expect(lines.at(-1)?.msg).toBe('a-task1-debug');
    expect(adminLoggers.level('a')).toEqual({ level: 'DEBUG', last_modified: expect.any(Number) });
    expect(Object.keys(adminLoggers.levels()).sort()).toEqual(['a', 'root']);

    lines.length = 0;
    expect(adminLoggers.setLevel('root', 'WARN')).toEqual(['a', 'b', 'root']);
    a.info('a-info');
    aTask.info('a-task-info');
    b.info('b-info');
    logger.info('root-info');
    b.warn('b-warn');
    expect(lines.map((l) => l.msg)).toEqual(['b-warn']);
    expect(adminLoggers.level('root').level).toBe('WARN');
    adminLoggers.setLevel('root', 'OFF');
    logger.error('silent');
    expect(lines.map((l) => l.msg)).toEqual(['b-warn']);
    expect(adminLoggers.level('b').level).toBe('OFF');
  });

  it('a level set for a connector not started yet applies when it starts; an unknown level is refused', () => {
    const { stream, lines } = capture();
    const { logger, adminLoggers } = createLogger('info', 'json', stream);
    adminLoggers.setLevel('later', 'DEBUG');
    logger.child({ connector: 'later' }).debug('later-debug');
    expect(lines.map((l) => l.msg)).toEqual(['later-debug']);
    expect(() => adminLoggers.setLevel('root', 'LOUD')).toThrow("invalid log level 'LOUD'.");
  });
});
