import type { FastifyInstance } from 'fastify';
import { BadRequestError, NotFoundError } from '../runtime/herder/herder-errors';
import type { AdminLoggers } from '../runtime/herder/herder';
import { RuntimeLogger } from '../runtime/runtime-logger';

/** log4j's levels, the ones Kafka accepts in PUT /admin/loggers/{logger}. */
const LEVELS = new Set(['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL']);

/**
 * /admin/loggers: Kafka's LoggingResource. `scope` is accepted: worker (the default) answers with the
 * loggers changed; cluster (one worker here) does the same and answers 204, as Kafka; another value
 * is treated as worker with a warning, as Kafka does.
 */
export function registerLoggingResource(app: FastifyInstance, loggers: AdminLoggers, logger: RuntimeLogger): void {
  app.get('/admin/loggers', async () => loggers.levels());

  app.get<{ Params: { logger: string } }>('/admin/loggers/:logger', async (request) => loggers.level(request.params.logger));

  app.put<{ Params: { logger: string }; Body: { level?: string }; Querystring: { scope?: string } }>(
    '/admin/loggers/:logger',
    { schema: { body: { type: 'object', properties: { level: { type: 'string' } } }, querystring: { type: 'object', properties: { scope: { type: 'string' } } } } },
    async (request, reply) => {
      const level = request.body?.level;
      if (level === undefined) throw new BadRequestError("Desired 'level' parameter was not specified in request.");
      if (!LEVELS.has(level.toUpperCase())) throw new NotFoundError(`invalid log level '${level}'.`);
      const scope = (request.query.scope ?? 'worker').toLowerCase();
      if (scope !== 'worker' && scope !== 'cluster') logger.warn(`Received invalid scope '${request.query.scope}' in request to adjust logging level; will default to worker`);
      const changed = loggers.setLevel(request.params.logger, level.toUpperCase());
      return scope === 'cluster' ? reply.code(204).send() : reply.send(changed);
    },
  );
}
