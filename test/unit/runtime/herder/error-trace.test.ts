import { ConnectError } from '../../../../src/api';
import { errorTrace } from '../../../../src/runtime/herder/error-trace';

describe('errorTrace', () => {
  it('prints the error, its frames as Java does (\\tat) and each cause after "Caused by:"', () => {
    const root = new Error('ENOENT: no such file');
    const err = new ConnectError('Failed to read a.txt', { cause: root });
    const lines = errorTrace(err).split('\n');
    expect(lines[0]).toBe('ConnectError: Failed to read a.txt');
    expect(lines[1]).toMatch(/^\tat .*error-trace\.test\.ts/);
    const caused = lines.indexOf('Caused by: Error: ENOENT: no such file');
    expect(caused).toBeGreaterThan(1);
    expect(lines[caused + 1]).toMatch(/^\tat /);
    expect(lines.filter((l) => l.startsWith('Caused by:'))).toHaveLength(1);
  });

  it('keeps a multi-line message whole and survives non-errors and cycles', () => {
    const err = new Error('two\nlines');
    expect(errorTrace(err).startsWith('Error: two\nlines\n\tat ')).toBe(true);
    expect(errorTrace('plain text')).toBe('plain text');
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(errorTrace(a).match(/Error: a/g)).toHaveLength(1);
  });
});
