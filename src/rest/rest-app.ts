import fastifyCors from '@fastify/cors';
import Fastify, { FastifyInstance } from 'fastify';
import type * as http from 'http';
import type * as https from 'https';
import type { AdminLoggers, Herder, MetricsEndpoint } from '../runtime/herder/herder';
import { RuntimeLogger } from '../runtime/runtime-logger';
import { installBasicAuth } from './basic-auth-hook';
import { registerConnectorPluginsResource } from './connector-plugins-resource';
import { registerConnectorsResource } from './connectors-resource';
import { registerLoggingResource } from './logging-resource';
import { installErrorHandling } from './rest-errors';
import { registerRootResource, ServerInfo } from './root-resource';

/** What the REST API serves and how: everything is injected by the CLI, the composition root. */
export interface RestAppOptions {
  herder: Herder;
  loggers: AdminLoggers;
  metrics?: MetricsEndpoint | null;
  logger: RuntimeLogger;
  serverInfo: () => ServerInfo;
  /** GET /health: false while the worker starts (503). Default: ready. */
  ready?: () => boolean;
  /** Users and passwords for basic authentication (BasicAuthSecurityRestExtension); null: none. */
  basicAuthUsers?: Map<string, string> | null;
  /** access.control.allow.origin / access.control.allow.methods. */
  cors?: { allowOrigin: string; allowMethods: string };
}

/**
 * The fastify app of one listener, with every resource registered, serving the requests of `server`
 * (already listening: RestServer binds the listeners before anything starts and builds the apps later).
 */
export async function buildRestApp(options: RestAppOptions, server: http.Server | https.Server): Promise<{ app: FastifyInstance; handler: http.RequestListener }> {
  let handler: http.RequestListener | null = null;
  const app = Fastify({
    serverFactory: (h) => {
      handler = h as http.RequestListener;
      return server as http.Server;
    },
  }) as unknown as FastifyInstance;
  installErrorHandling(app, options.logger);
  // Kafka accepts an empty body with Content-Type: application/json (curl -X PUT -H ... .../pause).
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') done(null, undefined);
    else json(request, body as string, done);
  });
  if (options.cors && options.cors.allowOrigin.trim() !== '') {
    const origins = options.cors.allowOrigin.split(',').map((o) => o.trim());
    await app.register(fastifyCors, {
      origin: origins.includes('*') ? '*' : origins,
      methods: options.cors.allowMethods.trim() === '' ? ['GET', 'POST', 'HEAD'] : options.cors.allowMethods.split(',').map((m) => m.trim()),
    });
  }
  if (options.basicAuthUsers) await installBasicAuth(app, options.basicAuthUsers);
  registerRootResource(app, { serverInfo: options.serverInfo, ready: options.ready ?? (() => true), metrics: options.metrics });
  registerConnectorsResource(app, options.herder, options.logger);
  registerConnectorPluginsResource(app, options.herder);
  registerLoggingResource(app, options.loggers, options.logger);
  await app.ready();
  return { app, handler: handler as unknown as http.RequestListener };
}
