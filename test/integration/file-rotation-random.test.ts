import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import { startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';
import { readTopic } from '../harness/kcat';

/**
 * A long run of FileStreamSource through the CLI: a writer appends to a log that is rotated many
 * times (rename+create, delete+create, copytruncate) while the worker runs, and a few times while it
 * is stopped, on a random schedule from a printed seed (FILE_ROTATION_SEED=<seed> replays it). Every
 * line must be in Kafka exactly once.
 *
 * What the connector promises, and so what the schedule keeps to: a file is seen by the worker
 * before it is rotated away (the next rotation waits until a line of the current file arrived, or
 * all lines of the previous one if the current one is still empty, and after a restart until the
 * worker caught up); nothing is deleted while the worker is stopped (its lines would be gone); the
 * worker is stopped only after it read a line of the file at the path.
 */
const STEPS = Number(process.env.FILE_ROTATION_STEPS ?? 220);

/** mulberry32: small, seedable, good enough for a schedule. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reads the topic's values as they arrive, with kcat (independent of the code under test). */
class LiveTopic {
  readonly values: string[] = [];
  private readonly child: ChildProcess;
  private rest = '';
  private stderr = '';

  constructor(bootstrap: string, topic: string) {
    this.child = spawn('kcat', ['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-u', '-q', '-f', '%s\\n'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (d: string) => {
      const parts = (this.rest + d).split('\n');
      this.rest = parts.pop() ?? '';
      this.values.push(...parts);
    });
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
  }

  async waitFor(count: number, describe: () => string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.values.length < count) {
      if (Date.now() > deadline) throw new Error(`${this.values.length}/${count} lines arrived; ${describe()}; kcat: ${this.stderr.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

describe('FileStreamSource under a random rotation schedule', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  it('appends and rotations (rename, delete+create, copytruncate; running and stopped): every line exactly once', async () => {
    const seed = process.env.FILE_ROTATION_SEED ? Number(process.env.FILE_ROTATION_SEED) : Math.floor(Math.random() * 2 ** 31);
    // Printed first, so a failure can be replayed.
    console.log(`file-rotation-random: seed ${seed} (FILE_ROTATION_SEED=${seed} replays this schedule)`);
    const random = prng(seed);
    const pick = (n: number) => Math.floor(random() * n);

    const topic = 'rotation-random';
    await broker.createTopic(topic, 1);
    const source = tmp.file('app.log');
    const args = [
      writeProperties(tmp.file('worker.properties'), {
        ...testWorkerProps(broker.bootstrapServers, tmp.file('offsets.json')),
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      }),
      writeProperties(tmp.file('source.properties'), { name: 'random', 'connector.class': 'FileStreamSource', file: source, topic, 'batch.size': 50 }),
    ];

    const sent: string[] = [];
    /** Index in `sent` of the first line written to the file now at the path. */
    let currentStart = 0;
    let rotations = 0;
    const history: string[] = [];
    const live = new LiveTopic(broker.bootstrapServers, topic);
    let worker: WorkerProcess | null = null;
    const describe = () =>
      `seed ${seed}; last steps: ${history.slice(-20).join(', ')}; ` +
      `missing: ${sent.filter((l) => !live.values.includes(l)).map((l) => l.split(' ').slice(0, 2).join(' ')).slice(0, 5).join(', ')}; worker's file log: ` +
      (worker?.stderr() ?? '')
        .split('\n')
        .filter((l) => /app\.log/.test(l) && !/SourceConnectorConfig/.test(l))
        .slice(-12)
        .join('\n');

    const append = (n: number) => {
      const lines = Array.from({ length: n }, (_, i) => `line ${sent.length + i} ${'x'.repeat(pick(120))}`);
      fs.appendFileSync(source, lines.map((l) => `${l}\n`).join(''));
      sent.push(...lines);
    };
    /** The worker has a line of the file at the path (or everything before it, if it has none yet). */
    const seenCurrent = () => live.waitFor(sent.length > currentStart ? currentStart + 1 : currentStart, describe);
    const rotate = (kind: number) => {
      const to = `${source}.${++rotations}`;
      if (kind === 0) {
        fs.renameSync(source, to);
        fs.writeFileSync(source, '');
      } else if (kind === 1) {
        fs.unlinkSync(source);
        fs.writeFileSync(source, '');
      } else {
        fs.copyFileSync(source, to);
        fs.truncateSync(source, 0);
      }
      currentStart = sent.length;
      history.push(`${['rename', 'delete', 'copytruncate'][kind]}@${sent.length}`);
    };

    fs.writeFileSync(source, '');
    append(5);
    worker = startWorker(args);
    let restarts = 0;
    try {
      for (let step = 0; step < STEPS; step++) {
        const roll = random();
        if (roll < 0.6) {
          append(1 + pick(30));
          history.push(`append@${sent.length}`);
        } else if (roll < 0.96 || restarts >= 4) {
          await seenCurrent();
          rotate(pick(3));
        } else {
          // Stop, maybe append and rotate once (never delete: a deleted file cannot be read), restart.
          // The stored offset must name the file at the path: a worker that stopped while still on
          // an earlier file (the path's file empty) cannot tell which rotated file came after a
          // deleted one, so a line goes to the current file first.
          if (sent.length === currentStart) append(1);
          await seenCurrent();
          expect(await worker.stop('SIGTERM')).toBe(0);
          restarts++;
          append(pick(20));
          if (random() < 0.7) rotate(pick(2) === 0 ? 0 : 2);
          append(pick(20));
          history.push('restart');
          worker = startWorker(args);
          // A file removed before the worker opened it cannot be read: let it find its place first.
          await live.waitFor(sent.length, describe);
        }
        if (random() < 0.5) await new Promise((r) => setTimeout(r, pick(60)));
      }
      await live.waitFor(sent.length, describe, 60_000);
      // Anything beyond would be a repeat: give it time to show up.
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      live.stop();
      expect(await worker?.stop()).toBe(0);
    }
    console.log(`file-rotation-random: seed ${seed}: ${sent.length} lines, ${rotations} rotations, ${restarts} restarts`);
    const got = live.values;
    const extra = got.length - sent.length;
    const firstDiff = got.findIndex((v, i) => v !== sent[i]);
    expect({ seed, rotations, restarts, extra, firstDiff, at: firstDiff < 0 ? null : [got[firstDiff], sent[firstDiff]] }).toEqual({
      seed,
      rotations,
      restarts,
      extra: 0,
      firstDiff: -1,
      at: null,
    });
    // kcat read from the beginning: confirm with a fresh read of the whole partition.
    const all = await readTopic(broker.bootstrapServers, topic, { count: sent.length, partition: 0 });
    expect(all.map((m) => m.value?.toString('utf8'))).toEqual(sent);
  }, 120_000);
});
