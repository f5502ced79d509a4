import type { MetricsEndpoint } from '../herder/herder';
import type * as WorkerMetricsModule from './worker-metrics';
import type { MetricsWorker } from './worker-metrics';

/** prom-client's Registry.PROMETHEUS_CONTENT_TYPE, without loading prom-client to know it. */
export const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * createWorkerMetrics(worker), built on the first scrape: a worker nobody scrapes never loads
 * prom-client (start-up loads only what is used). The counters themselves live on the worker and
 * its tasks from the start, so the first scrape sees everything since then.
 */
export function lazyWorkerMetrics(worker: MetricsWorker): MetricsEndpoint {
  let endpoint: MetricsEndpoint | null = null;
  return {
    contentType: PROMETHEUS_TEXT_CONTENT_TYPE,
    text() {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      endpoint ??= (require('./worker-metrics') as typeof WorkerMetricsModule).createWorkerMetrics(worker);
      return endpoint.text();
    },
  };
}
