import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** A connect-standalone process under measurement: its peak RSS sampled from /proc as it runs. */
export interface BenchCli {
  readonly proc: ChildProcess;
  /** The process's peak resident set (VmHWM) seen so far, in MB. */
  peakRssMb(): number;
  /** Stops sampling, and the process with SIGTERM if it still runs. */
  stop(): Promise<void>;
}

/**
 * Starts `bin/connect-standalone` at warn level with these config files. BENCH_CPU_PROF=<dir> makes
 * it write a V8 CPU profile there (read one with a profile viewer, e.g. Chrome DevTools).
 */
export function startCli(root: string, configFiles: readonly string[]): BenchCli {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const proc = spawn(process.execPath, [...profile, path.join(root, 'bin', 'connect-standalone'), '--log-level', 'warn', ...configFiles], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peakKb = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      /* process gone */
    }
  }, 50);
  return {
    proc,
    peakRssMb: () => peakKb / 1024,
    stop: async () => {
      clearInterval(timer);
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        await new Promise((r) => proc.on('exit', r));
      }
    },
  };
}
