/**
 * Assertions through kcat, a client independent of the code under test (librdkafka, not kafkajs).
 *
 * Keys and values are byte-exact: null and empty are told apart and any byte may occur. Headers are
 * read from kcat's `%h` output ("n=v" pairs joined by commas, written with printf "%s"), so they are
 * only reliable for text without ',', '=' in names, or NUL bytes, and a value of "NULL" reads as null.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, Buffer | null]>;
  /** Milliseconds since the epoch, as kcat's %T. */
  timestamp: number;
}

export interface ProduceMessage {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  partition?: number;
}

const KCAT = process.env.KCAT_BIN ?? 'kcat';
const DEFAULT_TIMEOUT_MS = 30_000;

// Per record: a text line "partition offset timestamp keyLen valueLen topic", then exactly keyLen +
// valueLen raw bytes (a length of -1 means null, and nothing is written), then the headers, then
// END. Topic names cannot contain '\n' and the lengths make key and value binary safe; only the
// headers need the END sentinel. (No NUL in the format: kcat stores it as a C string.)
const FORMAT = '%p %o %T %K %S %t\\n%k%s%h\\x1e\\x1d\\x1c\\n';
const END = Buffer.from('\x1e\x1d\x1c\n', 'latin1');

/**
 * Reads a topic from the beginning (all partitions, or just `partition`) until `count` messages
 * have arrived, in arrival order (ordered within a partition). Rejects after `timeoutMs` (default
 * 30 s) with what was read so far, or when kcat fails.
 */
export function readTopic(
  bootstrap: string,
  topic: string,
  opts: { count: number; timeoutMs?: number; partition?: number },
): Promise<KcatMessage[]> {
  const { count, timeoutMs = DEFAULT_TIMEOUT_MS, partition } = opts;
  if (!Number.isInteger(count) || count < 0) throw new Error(`readTopic: count must be an integer >= 0, got ${count}`);
  if (count === 0) return Promise.resolve([]);
  const args = ['-C', '-b', bootstrap, '-t', topic, '-o', 'beginning', '-c', String(count), '-q', '-u', '-f', FORMAT];
  if (partition !== undefined) args.push('-p', String(partition));

  return new Promise((resolve, reject) => {
    const child = spawn(KCAT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const parser = new RecordParser();
    const messages: KcatMessage[] = [];
    let stderr = '';
    let settled = false;
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (err) reject(err);
      else resolve(messages.slice(0, count));
    };
    const soFar = (): string =>
      `read ${messages.length}/${count}: ${JSON.stringify(messages.map(describe))}` +
      (stderr.trim() ? `; kcat stderr: ${stderr.trim()}` : '');
    const timer = setTimeout(
      () => finish(new Error(`readTopic ${topic}: timed out after ${timeoutMs} ms, ${soFar()}`)),
      timeoutMs,
    );

    child.stdout.on('data', (chunk: Buffer) => {
      try {
        messages.push(...parser.push(chunk));
      } catch (err) {
        finish(err as Error);
        return;
      }
      if (messages.length >= count) finish(null);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.once('error', (err) => finish(kcatMissing(err)));
    child.once('close', (code, signal) => {
      if (parser.pending() > 0) {
        finish(new Error(`readTopic ${topic}: kcat output ended inside a record, ${soFar()}`));
      } else {
        finish(new Error(`readTopic ${topic}: kcat exited (${signal ?? `code ${code}`}) early, ${soFar()}`));
      }
    });
  });
}

/** Incremental parser of the FORMAT stream; chunks may split records anywhere. */
class RecordParser {
  private buf = Buffer.alloc(0);

  push(chunk: Buffer): KcatMessage[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: KcatMessage[] = [];
    for (;;) {
      const msg = this.next();
      if (!msg) return out;
      out.push(msg);
    }
  }

  pending(): number {
    return this.buf.length;
  }

  private next(): KcatMessage | null {
    const nl = this.buf.indexOf(0x0a);
    if (nl < 0) return null;
    const line = this.buf.toString('latin1', 0, nl);
    const m = /^(\d+) (\d+) (-?\d+) (-?\d+) (-?\d+) (\S+)$/.exec(line);
    if (!m) throw new Error(`kcat output not understood: ${JSON.stringify(line.slice(0, 200))}`);
    const keyLen = Number(m[4]);
    const valueLen = Number(m[5]);
    const keyStart = nl + 1;
    const valueStart = keyStart + Math.max(keyLen, 0);
    const headersStart = valueStart + Math.max(valueLen, 0);
    const end = this.buf.indexOf(END, headersStart);
    if (end < 0) return null;
    // Copies, so returned messages do not pin the whole stream buffer.
    const msg: KcatMessage = {
      topic: m[6],
      partition: Number(m[1]),
      offset: Number(m[2]),
      timestamp: Number(m[3]),
      key: keyLen < 0 ? null : Buffer.from(this.buf.subarray(keyStart, valueStart)),
      value: valueLen < 0 ? null : Buffer.from(this.buf.subarray(valueStart, headersStart)),
      headers: parseHeaders(this.buf.subarray(headersStart, end)),
    };
    this.buf = this.buf.subarray(end + END.length);
    return msg;
  }
}

function parseHeaders(raw: Buffer): Array<[string, Buffer | null]> {
  if (raw.length === 0) return [];
  return raw
    .toString('latin1')
    .split(',')
    .map((pair): [string, Buffer | null] => {
      const eq = pair.indexOf('=');
      const name = Buffer.from(eq < 0 ? pair : pair.slice(0, eq), 'latin1').toString('utf8');
      const value = eq < 0 ? '' : pair.slice(eq + 1);
      return [name, value === 'NULL' ? null : Buffer.from(value, 'latin1')];
    });
}

function describe(m: KcatMessage): string {
  const show = (b: Buffer | null): string => (b === null ? 'null' : JSON.stringify(b.toString('utf8')));
  return `${m.partition}@${m.offset} ${show(m.key)}=${show(m.value)}`;
}

/**
 * Produces messages with `kcat -P`, in order, and resolves once all are acknowledged.
 *
 * Messages go through stdin split by random multi-byte delimiters chosen so they occur nowhere in
 * the data, so any bytes are safe. kcat decides null versus empty per run (-Z turns empty into
 * null), so consecutive messages are batched by partition and by that mode, one kcat run per batch.
 * Not expressible through kcat, and rejected: a null key with an empty value (kcat skips empty
 * input), and an empty key with a null value.
 */
export async function produce(
  bootstrap: string,
  topic: string,
  messages: ProduceMessage[],
  opts: { timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  for (const batch of batches(messages.map(normalise))) {
    await runProducer(bootstrap, topic, batch, timeoutMs);
  }
}

interface RawMessage {
  key: Buffer | null;
  value: Buffer | null;
  partition: number | undefined;
  /** 'null' needs -Z (empty means null), 'empty' needs its absence, 'any' works either way. */
  mode: 'null' | 'empty' | 'any';
}

function toBuffer(v: string | Buffer | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

function normalise(m: ProduceMessage, i: number): RawMessage {
  const key = toBuffer(m.key);
  const value = toBuffer(m.value);
  const needsNull = (key !== null && value === null) || (key === null && value === null);
  const needsEmpty = (key !== null && key.length === 0) || (value !== null && value.length === 0);
  if (key === null && value !== null && value.length === 0) {
    throw new Error(`produce: message ${i}: kcat cannot send a null key with an empty value`);
  }
  if (needsNull && needsEmpty) {
    throw new Error(`produce: message ${i}: kcat cannot send an empty key with a null value`);
  }
  return { key, value, partition: m.partition, mode: needsNull ? 'null' : needsEmpty ? 'empty' : 'any' };
}

/** Splits into runs of equal partition and compatible mode, keeping the order. */
function batches(messages: RawMessage[]): RawMessage[][] {
  const out: RawMessage[][] = [];
  let current: RawMessage[] = [];
  let mode: RawMessage['mode'] = 'any';
  for (const m of messages) {
    const samePartition = current.length === 0 || current[0].partition === m.partition;
    const compatible = m.mode === 'any' || mode === 'any' || m.mode === mode;
    if (!samePartition || !compatible) {
      out.push(current);
      current = [];
      mode = 'any';
    }
    current.push(m);
    if (m.mode !== 'any') mode = m.mode;
  }
  if (current.length) out.push(current);
  return out;
}

function runProducer(bootstrap: string, topic: string, batch: RawMessage[], timeoutMs: number): Promise<void> {
  const { input, delim, keyDelim } = encode(batch);
  const args = ['-P', '-b', bootstrap, '-t', topic, '-q', '-D', escape(delim), '-K', escape(keyDelim)];
  // Fail rather than retry for kcat's default 5 minutes when the broker is unreachable.
  args.push('-X', `message.timeout.ms=${timeoutMs}`);
  if (batch.some((m) => m.mode === 'null')) args.push('-Z');
  if (batch[0].partition !== undefined) args.push('-p', String(batch[0].partition));

  return new Promise((resolve, reject) => {
    const child = spawn(KCAT, args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5_000);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => undefined); // kcat died early: reported by 'close'
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(kcatMissing(err));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`produce ${topic}: kcat exited (${signal ?? `code ${code}`}): ${stderr.trim()}`));
    });
    child.stdin.end(input);
  });
}

/**
 * Builds kcat's stdin: per message `[key keyDelim] value delim`. A null key is sent by leaving out
 * keyDelim; with -Z an empty side becomes null. Retries random delimiters until splitting the
 * input the way kcat does (first occurrence, left to right) gives back exactly our messages.
 */
function encode(batch: RawMessage[]): { input: Buffer; delim: Buffer; keyDelim: Buffer } {
  for (let attempt = 0; attempt < 100; attempt++) {
    const delim = randomDelimiter();
    const keyDelim = randomDelimiter();
    const parts: Buffer[] = [];
    for (const m of batch) {
      if (m.key !== null) parts.push(m.key, keyDelim);
      else if (m.value === null) parts.push(keyDelim); // -Z: empty key and value both become null
      if (m.value !== null) parts.push(m.value);
      parts.push(delim);
    }
    const input = Buffer.concat(parts);
    if (splitsBack(input, batch, delim, keyDelim)) return { input, delim, keyDelim };
  }
  throw new Error('produce: could not find delimiters that do not occur in the data');
}

function splitsBack(input: Buffer, batch: RawMessage[], delim: Buffer, keyDelim: Buffer): boolean {
  let pos = 0;
  for (const m of batch) {
    const end = input.indexOf(delim, pos);
    if (end < 0) return false;
    const record = input.subarray(pos, end);
    const k = record.indexOf(keyDelim);
    const keyPart = k < 0 ? null : record.subarray(0, k);
    const valuePart = k < 0 ? record : record.subarray(k + keyDelim.length);
    const expectKey = m.key ?? (m.value === null ? Buffer.alloc(0) : null);
    if ((keyPart === null) !== (expectKey === null)) return false;
    if (keyPart && expectKey && !keyPart.equals(expectKey)) return false;
    if (!valuePart.equals(m.value ?? Buffer.alloc(0))) return false;
    pos = end + delim.length;
  }
  return pos === input.length;
}

/**
 * 6 bytes from 0x80-0xff: never NUL (kcat keeps delimiters as C strings) nor '\\' (kcat re-scans
 * its unescaped delimiter for escapes), and unlikely in UTF-8 text.
 */
function randomDelimiter(): Buffer {
  return Buffer.from(randomBytes(6).map((b) => b | 0x80));
}

/** kcat's -D/-K syntax; every byte as \xNN so no hex digit can run into the next escape. */
function escape(delim: Buffer): string {
  return Array.from(delim, (b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
}

/** The offset of the first message still in the partition (moves up as retention deletes). */
export function lowWatermark(bootstrap: string, topic: string, partition: number): Promise<number> {
  return queryOffset(bootstrap, topic, partition, -2);
}

/** The offset the next message written to the partition will get. */
export function highWatermark(bootstrap: string, topic: string, partition: number): Promise<number> {
  return queryOffset(bootstrap, topic, partition, -1);
}

function queryOffset(bootstrap: string, topic: string, partition: number, which: -1 | -2): Promise<number> {
  // One -t per call: kcat -Q collapses two queries of the same partition into one answer.
  const args = ['-Q', '-b', bootstrap, '-t', `${topic}:${partition}:${which}`];
  return new Promise((resolve, reject) => {
    const child = spawn(KCAT, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', (err) => reject(kcatMissing(err)));
    child.once('close', (code) => {
      // "<topic> [<partition>] offset <n>"
      const m = / \[(\d+)\] offset (-?\d+)/.exec(stdout);
      if (code === 0 && m) resolve(Number(m[2]));
      else reject(new Error(`kcat -Q ${topic}:${partition} failed (code ${code}): ${(stderr || stdout).trim()}`));
    });
  });
}

function kcatMissing(err: NodeJS.ErrnoException): Error {
  if (err.code !== 'ENOENT') return err;
  return new Error(
    `${KCAT} not found: integration tests assert through kcat. Install the Debian package kcat ` +
      '(bash scripts/ensure-test-deps.sh does it as root).',
    { cause: err },
  );
}
