import type { FastifyInstance } from 'fastify';
import type { MetricsEndpoint } from '../runtime/herder/herder';

/** GET /: Kafka's ServerInfo. */
export interface ServerInfo {
  version: string;
  commit: string;
  kafka_cluster_id: string | null;
}

export const HEALTHY = { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' } as const;
export const STARTING = { status: 'starting', message: 'Worker is still starting up.' } as const;

/** GET / (server info), GET /health (Kafka's WorkerStatus: 200 healthy, 503 while starting) and GET /metrics. */
export function registerRootResource(app: FastifyInstance, options: { serverInfo: () => ServerInfo; ready: () => boolean; metrics?: MetricsEndpoint | null }): void {
  app.get('/', async () => options.serverInfo());

  app.get('/health', async (_request, reply) => (options.ready() ? reply.code(200).send(HEALTHY) : reply.code(503).send(STARTING)));

  const metrics = options.metrics;
  if (metrics) {
    app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()));
  }
}
