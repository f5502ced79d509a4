const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds from a duration as typed on a command line: `5000` (milliseconds), `500ms`, `30s`,
 * `5m`, `1.5h`. Null when the text is none of these or not above zero.
 */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) return null;
  const ms = Math.round(Number(m[1]) * UNITS[m[2] ?? 'ms']);
  return Number.isFinite(ms) && ms > 0 ? ms : null;
}
