/** Kafka's defaults: metrics.sample.window.ms=30000, metrics.num.samples=2. */
export const SAMPLE_WINDOW_MS = 30_000;
export const NUM_SAMPLES = 2;

/**
 * An average and a maximum over the last samples, as Kafka's Avg and Max stats report them: values
 * fall into fixed windows of SAMPLE_WINDOW_MS, and only the newest NUM_SAMPLES windows count. Recording
 * allocates nothing; it is meant for once-per-batch values (batch sizes, batch and commit times).
 * With no value in the live windows both read NaN, as Kafka's do.
 */
export class WindowedStat {
  private readonly starts = new Float64Array(NUM_SAMPLES);
  private readonly sums = new Float64Array(NUM_SAMPLES);
  private readonly counts = new Float64Array(NUM_SAMPLES);
  private readonly maxes = new Float64Array(NUM_SAMPLES).fill(Number.NEGATIVE_INFINITY);
  private current = 0;

  constructor(private readonly windowMs = SAMPLE_WINDOW_MS) {
    this.starts.fill(Number.NEGATIVE_INFINITY);
  }

  record(value: number, nowMs: number): void {
    let i = this.current;
    if (nowMs - this.starts[i] >= this.windowMs) {
      i = this.current = (i + 1) % NUM_SAMPLES;
      this.starts[i] = nowMs;
      this.sums[i] = 0;
      this.counts[i] = 0;
      this.maxes[i] = Number.NEGATIVE_INFINITY;
    }
    this.sums[i] += value;
    this.counts[i]++;
    if (value > this.maxes[i]) this.maxes[i] = value;
  }

  avg(nowMs: number): number {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < NUM_SAMPLES; i++) {
      if (!this.live(i, nowMs)) continue;
      sum += this.sums[i];
      count += this.counts[i];
    }
    return count === 0 ? Number.NaN : sum / count;
  }

  max(nowMs: number): number {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < NUM_SAMPLES; i++) if (this.live(i, nowMs) && this.counts[i] > 0 && this.maxes[i] > max) max = this.maxes[i];
    return max === Number.NEGATIVE_INFINITY ? Number.NaN : max;
  }

  /** A window counts until NUM_SAMPLES windows have passed since it began (Kafka purges older ones). */
  private live(i: number, nowMs: number): boolean {
    return nowMs - this.starts[i] < this.windowMs * NUM_SAMPLES;
  }
}
