import { DatabaseError, SqlValue } from '../dialect';
import { zoneOffsetMs } from '../zoned-time';

/** Small pieces the PostgreSQL and MySQL driver modules share. */

/**
 * A Date parameter as wall-clock text in `zone` (`YYYY-MM-DD HH:MM:SS.mmm`, no offset), the way
 * JDBC's setTimestamp(index, ts, calendar) binds it: the session runs in the same zone, so the text
 * means the same instant for zoned columns and the expected wall time for zone-less ones.
 */
export function wallClockText(date: Date, zone: string): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new DatabaseError('Cannot bind an invalid Date as a SQL parameter');
  const wall = new Date(ms + zoneOffsetMs(zone, ms));
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  const year = wall.getUTCFullYear();
  const y = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  return (
    `${y}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ` +
    `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}.${pad(wall.getUTCMilliseconds(), 3)}`
  );
}

/** Parameters as the drivers take them: Dates as wall-clock text, bigints as decimal text. */
export function bindParams(params: readonly SqlValue[] | undefined, zone: string): unknown[] {
  if (!params) return [];
  return params.map((p) => (p instanceof Date ? wallClockText(p, zone) : typeof p === 'bigint' ? p.toString() : p));
}

/** Node's socket error codes that mean the server could not be reached or the link broke. */
export const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);

/** The first line of a driver error's message, for embedding in ours. */
export function causeText(err: unknown): string {
  if (err instanceof Error) {
    const agg = err as Error & { errors?: unknown[]; code?: string };
    // Node reports a failed multi-address connect (127.0.0.1 and ::1) as an AggregateError with no message.
    if (!err.message && Array.isArray(agg.errors) && agg.errors.length > 0) return causeText(agg.errors[0]);
    return (err.message || agg.code || err.name).split('\n')[0];
  }
  return String(err);
}

/** The Node error code of a network failure, looking inside an AggregateError. */
export function networkCode(err: unknown): string | null {
  const e = err as { code?: unknown; errors?: unknown[] } | null;
  if (e && typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) return e.code;
  if (e && Array.isArray(e.errors)) {
    for (const inner of e.errors) {
      const code = networkCode(inner);
      if (code) return code;
    }
  }
  return null;
}

/** Turns a JDBC LIKE pattern (`%`, `_`, `\` escape) into a RegExp, for filtering names in code. */
export function likePattern(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += escapeRegExp(pattern[++i]);
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`, 's');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Runs `work` in one transaction on a server connection: `begin`, then COMMIT when it resolves or
 * ROLLBACK (its own failure ignored, the first error kept) when it throws. `state.open` marks the
 * transaction, so a nested call joins the open one.
 */
export async function serverTransaction<T>(state: { open: boolean }, run: (sql: string) => Promise<unknown>, begin: string, work: () => Promise<T>): Promise<T> {
  if (state.open) return work();
  await run(begin);
  state.open = true;
  try {
    const result = await work();
    await run('COMMIT');
    return result;
  } catch (err) {
    await run('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    state.open = false;
  }
}

/** True when `probe` succeeds within timeoutMs (a connection's isValid). */
export async function answersWithin(probe: () => Promise<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([probe().then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
