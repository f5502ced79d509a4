// eslint-disable-next-line @typescript-eslint/no-require-imports
const parsePrometheusTextFormat = require('parse-prometheus-text-format') as (text: string) => Array<{ name: string; type: string; help: string; metrics: Array<{ value: string; labels?: Record<string, string> }> }>;

export interface ParsedMetric {
  type: string;
  help: string;
  samples: Array<{ labels: Record<string, string>; value: number }>;
}

/** Parses Prometheus text with a real parser (parse-prometheus-text-format), by metric name. */
export function parseExposition(text: string): Map<string, ParsedMetric> {
  const out = new Map<string, ParsedMetric>();
  for (const family of parsePrometheusTextFormat(text)) {
    out.set(family.name, { type: family.type.toLowerCase(), help: family.help, samples: family.metrics.map((m) => ({ labels: m.labels ?? {}, value: Number(m.value) })) });
  }
  return out;
}

/** The value of one series: the metric's sample whose labels include `labels`; undefined if none. */
export function valueOf(metrics: Map<string, ParsedMetric>, name: string, labels: Record<string, string> = {}): number | undefined {
  const sample = metrics.get(name)?.samples.find((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return sample?.value;
}
