import * as fs from 'fs';
import * as path from 'path';
import { highWatermark, lowWatermark, readTopic } from '../harness/kcat';
import { eventually, startWorker, testWorkerProps, WorkerProcess, writeProperties } from './helpers/worker-process';
import { useBroker, useTempDir } from './helpers/suite';

/**
 * Crash loop: a FileStreamSource worker is killed with SIGKILL at random moments while it reads a
 * large, growing file, and restarted each time. The offsets file must never be torn, each restart
 * must resume exactly at the stored position (so the duplicates are exactly the lines acknowledged
 * since the last offset flush), and in the end every line is in the topic.
 *
 * FAULTS_SEED=<n> replays a run's kill moments (the seed is printed).
 */
describe('crash loop (kill -9 while reading a large file)', () => {
  const broker = useBroker();
  const tmp = useTempDir();

  const LINES = 50_000;
  // Fixed width, so a byte position names a line. 50,000 x 40 B = 2 MB of file, ~2.5 MB in the topic:
  // with the duplicates it must still fit the mock broker's ~5 MB per-partition retention.
  const LINE_BYTES = 40;
  // Written before the first start. The worker reads ~50,000 lines/s, faster than one kill/restart
  // cycle, so the rest is appended while it runs, to keep every kill in the middle of the file.
  const UPFRONT = 10_000;
  const APPEND_CHUNK = 500;
  const APPEND_EVERY_MS = 100;
  const KILLS = 5;
  const FLUSH_INTERVAL_MS = 200;

  const line = (i: number) => `${String(i).padStart(6, '0')} `.padEnd(LINE_BYTES - 1, 'x');
  const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => `${line(from + k)}\n`).join('');
  const indexOf = (value: string) => Number(value.slice(0, 6));

  /** mulberry32: small seeded generator, so a failing sequence of kill moments can be replayed. */
  function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  interface Kill {
    afterMs: number;
    /** Lines stored in the offsets file after the kill (position / LINE_BYTES). */
    committed: number;
    /** Records in the topic after the kill. */
    highWatermark: number;
    fileSize: number;
  }

  /** Parses the offsets file as the worker would; null when no flush has happened yet. Throws if torn. */
  function readOffsets(file: string): number | null {
    if (!fs.existsSync(file)) return null;
    const text = fs.readFileSync(file, 'utf8');
    let doc: { version: number; offsets: Array<{ key: [string, { filename: string }]; value: { position: number } }> };
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new Error(`offsets file torn: ${(err as Error).message}; content: ${JSON.stringify(text.slice(0, 500))}`);
    }
    expect(doc.version).toBe(1);
    expect(doc.offsets).toHaveLength(1);
    expect(doc.offsets[0].key[0]).toBe('crash-loop');
    return doc.offsets[0].value.position;
  }

  /** The high watermark once it stops moving (a request received before the kill may still land). */
  async function settledHighWatermark(topic: string): Promise<number> {
    let last = await highWatermark(broker.bootstrapServers, topic, 0);
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      const now = await highWatermark(broker.bootstrapServers, topic, 0);
      if (now === last) return now;
      last = now;
    }
  }

  it('never tears the offsets file, resumes at the stored position after each kill, and loses no line', async () => {
    const seed = Number(process.env.FAULTS_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const rand = random(seed);
    process.stdout.write(`[crash-loop] seed ${seed}\n`);
    // Unique, so a rerun against a real cluster does not read an earlier run's records.
    const topic = `crash-loop-${seed}`;
    await broker.createTopic(topic, 1);
    const source = tmp.file('crash-loop.txt');
    const offsets = tmp.file('crash-loop.offsets');
    const worker = writeProperties(tmp.file('crash-loop-worker.properties'), {
      ...testWorkerProps(broker.bootstrapServers, offsets),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.flush.interval.ms': FLUSH_INTERVAL_MS,
    });
    const conn = writeProperties(tmp.file('crash-loop.properties'), { name: 'crash-loop', 'connector.class': 'FileStreamSource', file: source, topic });
    const args = [worker, conn];

    fs.writeFileSync(source, lines(0, UPFRONT));
    let written = UPFRONT;
    let writerError: unknown = null;
    const writer = (async () => {
      while (written < LINES) {
        await new Promise((r) => setTimeout(r, APPEND_EVERY_MS));
        const next = Math.min(written + APPEND_CHUNK, LINES);
        fs.appendFileSync(source, lines(written, next));
        written = next;
      }
    })().catch((err: unknown) => {
      writerError = err;
    });

    const kills: Kill[] = [];
    let w: WorkerProcess | null = null;
    try {
      for (let k = 0; k < KILLS; k++) {
        // From spawn, so some kills land during start-up (loading offsets, connecting) too.
        const afterMs = Math.round(150 + rand() * 1050);
        w = startWorker(args);
        await new Promise((r) => setTimeout(r, afterMs));
        expect(w.proc.exitCode).toBeNull(); // it must not have died on its own (e.g. on a torn offsets file)
        await w.stop('SIGKILL');
        const position = readOffsets(offsets);
        const fileSize = fs.statSync(source).size;
        if (position !== null) {
          expect(position % LINE_BYTES).toBe(0);
          expect(position).toBeLessThanOrEqual(fileSize);
        }
        const committed = (position ?? 0) / LINE_BYTES;
        if (kills.length) expect(committed).toBeGreaterThanOrEqual(kills[kills.length - 1].committed);
        kills.push({ afterMs, committed, highWatermark: await settledHighWatermark(topic), fileSize });
      }
      await writer;
      expect(writerError).toBeNull();

      w = startWorker(args);
      let values: string[] = [];
      await eventually(
        async () => {
          const count = await highWatermark(broker.bootstrapServers, topic, 0);
          values = (await readTopic(broker.bootstrapServers, topic, { count, partition: 0, timeoutMs: 60000 })).map((m) => m.value!.toString('utf8'));
          return new Set(values).size >= LINES;
        },
        120000,
        () => `${new Set(values).size}/${LINES} distinct lines in the topic`,
      );
      expect(await w.stop()).toBe(0);
      w = null;

      // Nothing was dropped by the mock broker's retention, so the topic is complete from offset 0.
      expect(await lowWatermark(broker.bootstrapServers, topic, 0)).toBe(0);
      const indexes = values.map(indexOf);
      const seen = new Set(indexes);
      const missing = Array.from({ length: LINES }, (_, i) => i).filter((i) => !seen.has(i));
      expect(missing).toEqual([]);
      expect(values.every((v, i) => v === line(indexes[i]))).toBe(true);

      // Run r wrote topic offsets [start_r, end_r): it must begin at the line the offsets file held
      // after the previous kill and go on without gap or repeat.
      const bounds = [0, ...kills.map((k) => k.highWatermark), values.length];
      const report: string[] = [];
      let replayedTotal = 0;
      let maxSoFar = -1;
      for (let r = 0; r < bounds.length - 1; r++) {
        const run = indexes.slice(bounds[r], bounds[r + 1]);
        const resumeAt = r === 0 ? 0 : kills[r - 1].committed;
        if (run.length) {
          expect({ run: r + 1, firstLine: run[0] }).toEqual({ run: r + 1, firstLine: resumeAt });
          expect(run.every((v, i) => v === run[0] + i)).toBe(true);
        }
        const replayed = run.length ? Math.max(0, Math.min(maxSoFar + 1, run[run.length - 1] + 1) - run[0]) : 0;
        replayedTotal += replayed;
        const unflushed = r === 0 ? 0 : Math.max(0, maxSoFar + 1 - resumeAt);
        report.push(
          `run ${r + 1}: ${r < kills.length ? `killed after ${kills[r].afterMs} ms, ` : 'final, '}` +
            `wrote ${run.length} records (lines ${run.length ? `${run[0]}..${run[run.length - 1]}` : '-'}), ` +
            `resumed at line ${resumeAt}, lines acknowledged but not flushed at the kill before: ${unflushed}, replayed: ${replayed}` +
            (r < kills.length ? `; offsets after its kill: line ${kills[r].committed}, file ${kills[r].fileSize / LINE_BYTES} lines` : ''),
        );
        if (run.length) maxSoFar = Math.max(maxSoFar, run[run.length - 1]);
      }
      const duplicates = values.length - LINES;
      expect(duplicates).toBe(replayedTotal);
      const leftovers = fs.readdirSync(path.dirname(offsets)).filter((f) => f.startsWith(`${path.basename(offsets)}.tmp-`));
      process.stdout.write(
        `[crash-loop] ${values.length} records for ${LINES} lines: ${duplicates} duplicate(s), all replays of lines acknowledged since the last offset flush; ` +
          `temp files left by kills: ${leftovers.length}\n${report.join('\n')}\n`,
      );
      expect(readOffsets(offsets)).toBe(fs.statSync(source).size);
    } finally {
      await w?.stop('SIGKILL');
      written = LINES; // ends the writer if an assertion failed early
      await writer;
    }
  });
});
