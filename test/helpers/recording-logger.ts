import { RuntimeLogger } from '../../src/runtime/runtime-logger';

export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

/** A logger that keeps what it was told, by level; its children write to the same list. */
export class RecordingLogger implements RuntimeLogger {
  readonly lines: Array<{ level: LogLevelName; msg: string }> = [];
  debug(msg: string): void {
    this.lines.push({ level: 'debug', msg });
  }
  info(msg: string): void {
    this.lines.push({ level: 'info', msg });
  }
  warn(msg: string): void {
    this.lines.push({ level: 'warn', msg });
  }
  error(msg: string): void {
    this.lines.push({ level: 'error', msg });
  }
  isLevelEnabled(): boolean {
    return true;
  }
  child(): RuntimeLogger {
    return this;
  }
  messages(level: LogLevelName): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.msg);
  }
}
