import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError } from '../api';
import { HerderRequestError } from '../runtime/herder/herder-errors';
import { RuntimeLogger } from '../runtime/runtime-logger';

/** Kafka's ErrorMessage: the body of every error response. */
export interface ErrorBody {
  error_code: number;
  message: string;
}

/** Kafka's body for a request that fails authentication (JaasBasicAuthFilter). */
export const UNAUTHORIZED_MESSAGE = 'User cannot access the resource.';

/** Jersey's texts for errors raised by routing itself, which Kafka passes on as messages. */
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
};

export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  const body: ErrorBody = { error_code: status, message };
  return reply.code(status).type('application/json').send(body);
}

/** The status and message of an error thrown by a route, a schema check or the body parser. */
export function errorResponse(err: unknown): ErrorBody & { unexpected: boolean } {
  if (err instanceof HerderRequestError) return { error_code: err.status, message: err.message, unexpected: false };
  if (err instanceof ConfigError) return { error_code: 400, message: err.message, unexpected: false };
  const fe = err as Partial<FastifyError> & { message?: string };
  if (fe.validation) return { error_code: 400, message: `Invalid request body: ${fe.message ?? ''}`.trim(), unexpected: false };
  if (fe.statusCode === 401) return { error_code: 401, message: UNAUTHORIZED_MESSAGE, unexpected: false };
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // e.g. malformed JSON (400), a wrong content type (415), a body too large (413).
    return { error_code: fe.statusCode, message: fe.message || `HTTP ${fe.statusCode} ${STATUS_TEXT[fe.statusCode] ?? ''}`.trim(), unexpected: false };
  }
  return { error_code: 500, message: (err as Error)?.message ?? String(err), unexpected: true };
}

/**
 * Every error as `{"error_code":...,"message":...}`: herder errors by their status, ConfigError 400,
 * request errors (schema, JSON) 400, unknown paths 404 and known paths with another method 405, as
 * Jersey answers them in Kafka; anything else 500, logged with its stack.
 */
export function installErrorHandling(app: FastifyInstance, logger: RuntimeLogger): void {
  const patterns: Array<{ re: RegExp; methods: Set<string> }> = [];
  app.addHook('onRoute', (route) => {
    const re = new RegExp(`^${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}/?$`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    patterns.push({ re, methods: new Set(methods) });
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    const allowed = patterns.filter((p) => p.re.test(path)).flatMap((p) => [...p.methods]);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', [...new Set(allowed)].join(', '));
      return sendError(reply, 405, 'HTTP 405 Method Not Allowed');
    }
    return sendError(reply, 404, 'HTTP 404 Not Found');
  });
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { error_code, message, unexpected } = errorResponse(err);
    if (unexpected) logger.error(`Uncaught exception in REST call to ${request.method} ${request.url}`, { err });
    else logger.debug(`REST call ${request.method} ${request.url} failed: ${error_code} ${message}`);
    return sendError(reply, error_code, message);
  });
}
