import fastifyCors from '@fastify/cors';
import Fastify, { FastifyInstance } from 'fastify';
import type { TlsOptions } from 'tls';
import { ConfigError } from '../api';
import type { AdminLoggers, Herder, MetricsEndpoint } from '../runtime/herder/herder';
import { RuntimeLogger } from '../runtime/runtime-logger';
import { installBasicAuth } from './basic-auth-hook';
import { registerConnectorPluginsResource } from './connector-plugins-resource';
import { registerConnectorsResource } from './connectors-resource';
import { registerLoggingResource } from './logging-resource';
import { listenerUrl, RestListener, RestListenersChoice } from './rest-config';
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

/** The fastify app of one listener, with every resource registered; `https` for an https listener. */
export async function buildRestApp(options: RestAppOptions, https?: TlsOptions): Promise<FastifyInstance> {
  const app = (https ? Fastify({ https, forceCloseConnections: true }) : Fastify({ forceCloseConnections: true })) as unknown as FastifyInstance;
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
  return app;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** The REST API on its listeners (Kafka's RestServer): start opens every listener or none. */
export class RestServer {
  private constructor(
    private readonly apps: FastifyInstance[],
    /** The listeners with the ports actually bound (a listener on port 0 gets one from the system). */
    readonly listeners: RestListener[],
  ) {}

  /**
   * Opens every listener. A listener that cannot be opened (port in use, no such address) is a
   * ConfigError naming `listeners` (or the key it came from), after closing those already open.
   */
  static async start(choice: RestListenersChoice, options: RestAppOptions, https?: () => TlsOptions): Promise<RestServer> {
    const apps: FastifyInstance[] = [];
    const bound: RestListener[] = [];
    const key = choice.source === 'rest.host.name/rest.port' ? 'rest.host.name/rest.port' : 'listeners';
    try {
      for (const listener of choice.listeners) {
        const app = await buildRestApp(options, listener.protocol === 'https' ? (https ?? noHttps)() : undefined);
        apps.push(app);
        try {
          await app.listen({ host: listener.host === '' ? '0.0.0.0' : listener.host, port: listener.port });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const why = code === 'EADDRINUSE' ? 'the address is already in use' : code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : (err as Error).message;
          const hint = choice.source === 'default' ? ` (the default listener; set ${key} to another address, or listeners= (empty) or --no-rest to run without the REST API)` : '';
          throw new ConfigError(`Cannot open the REST API listener ${listenerUrl(listener)} (${key}): ${why}${hint}`, { cause: err });
        }
        const address = app.server.address();
        bound.push({ ...listener, port: typeof address === 'object' && address !== null ? address.port : listener.port });
      }
    } catch (err) {
      await Promise.allSettled(apps.map((a) => a.close()));
      throw err;
    }
    const server = new RestServer(apps, bound);
    server.logStarted(choice, options);
    return server;
  }

  urls(): string[] {
    return this.listeners.map(listenerUrl);
  }

  private logStarted(choice: RestListenersChoice, options: RestAppOptions): void {
    const { logger } = options;
    for (const url of this.urls()) logger.info(`REST API listening on ${url}${options.basicAuthUsers ? ' (basic authentication)' : ''}`);
    if (choice.source === 'default') {
      logger.info('The REST API listens on the loopback interface only (Kafka listens on every interface): set listeners=http://0.0.0.0:8083 to reach it from other hosts, or listeners= (empty) or --no-rest to run without it');
    }
    const exposed = this.listeners.filter((l) => !LOOPBACK.has(l.host));
    if (exposed.length > 0 && !options.basicAuthUsers) {
      logger.warn(
        `The REST API on ${exposed.map(listenerUrl).join(', ')} accepts requests from other hosts without authentication: anyone who reaches it can create connectors (a FileStreamSink writes any file this process can). Set rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension`,
      );
    }
  }

  /** Closes every listener; open requests are cut. */
  async stop(): Promise<void> {
    await Promise.allSettled(this.apps.map((a) => a.close()));
  }
}

function noHttps(): never {
  throw new ConfigError('An https:// listener needs its TLS settings (listeners.https.ssl.*)');
}
