import { ConnectError } from '../../../src/api';
import { oneLineError } from '../../../src/cli/logging';
import { reportFatal } from '../../../src/cli/report-fatal';
import { RecordingLogger } from '../../helpers/recording-logger';

describe('reportFatal', () => {
  const capture = () => {
    let text = '';
    return { stderr: { write: (t: string) => (text += t) }, text: () => text };
  };

  it('prints one human line, and logs the JSON line only when asked', () => {
    for (const jsonLine of [false, true]) {
      const logger = new RecordingLogger();
      const out = capture();
      reportFatal(new ConnectError('Offsets file /x is in use by another worker (pid 7)'), { logger, jsonLine, stderr: out.stderr });
      expect(out.text()).toBe('connect-standalone: Offsets file /x is in use by another worker (pid 7)\n');
      expect(logger.messages('error')).toEqual(jsonLine ? ['Stopping due to error: Offsets file /x is in use by another worker (pid 7)'] : []);
    }
  });

  it('calls an error that is not a ConnectError a bug', () => {
    const logger = new RecordingLogger();
    const out = capture();
    reportFatal(new TypeError('x is undefined'), { logger, jsonLine: false, stderr: out.stderr });
    expect(out.text()).toBe('connect-standalone: unexpected error (a bug: please report it): x is undefined\n');
  });
});

describe('oneLineError', () => {
  it('joins a serialized error and its causes on one line, without repeating text or stacks', () => {
    const serialized = {
      type: 'ConnectError',
      message: 'Could not write to stdout for FileStreamSinkTask: write EPIPE',
      stack: 'ConnectError: ...\n    at x (y.js:1:1)',
      cause: { type: 'Error', message: 'write EPIPE', code: 'EPIPE', stack: 'Error: write EPIPE\n    at z' },
    };
    expect(oneLineError(serialized)).toBe('ConnectError: Could not write to stdout for FileStreamSinkTask: write EPIPE');
    expect(oneLineError({ type: 'ConnectError', message: 'Failed to send', cause: { type: 'KafkaJSError', message: 'timeout', code: 'ETIMEDOUT' } })).toBe(
      'ConnectError: Failed to send; caused by KafkaJSError: timeout (ETIMEDOUT)',
    );
  });
});
