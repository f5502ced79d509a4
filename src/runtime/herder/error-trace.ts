/**
 * The `trace` of a FAILED status, in the shape Kafka reports (Java's printStackTrace): the error's
 * class and message, its stack frames as `\tat ...` lines, then each cause as `Caused by: ...`.
 */
export function errorTrace(err: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 10 && !seen.has(current); depth++) {
    seen.add(current);
    const text = current instanceof Error ? stackOf(current) : String(current);
    parts.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? (current as { cause?: unknown }).cause : undefined;
  }
  return parts.join('\n');
}

function stackOf(err: Error): string {
  const head = err.message ? `${err.name}: ${err.message}` : err.name;
  const stack = typeof err.stack === 'string' ? err.stack : '';
  // V8's stack starts with the head (possibly spanning lines when the message does): keep only the frames.
  const frames = stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => `\tat ${line.trim().slice(3)}`);
  return frames.length > 0 ? `${head}\n${frames.join('\n')}` : head;
}
