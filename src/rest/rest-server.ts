import * as http from 'http';
import type * as https from 'https';
import type { TlsOptions } from 'tls';
import { ConfigError } from '../api';
import type * as RestAppModule from './rest-app';
import type { RestAppOptions } from './rest-app';
import { listenerUrl, RestListener, RestListenersChoice } from './rest-config';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

type NodeServer = http.Server | https.Server;

/**
 * The REST API on its listeners (Kafka's RestServer). start() binds every listener with Node's own
 * http/https servers before any connector starts, so a port in use stops start-up with nothing
 * written; the fastify apps that answer are built later (attach()), because loading fastify and
 * compiling the routes takes a few hundred milliseconds that would otherwise delay the first
 * record. A request that arrives before then triggers attach() and is answered once it is done.
 */
export class RestServer {
  private attaching: Promise<void> | null = null;
  /** Requests that arrived before attach() finished, with the index of their server. */
  private readonly held: Array<[number, http.IncomingMessage, http.ServerResponse]> = [];
  private readonly holders: http.RequestListener[];
  private apps: Array<{ close(): Promise<void> }> = [];
  private laterTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly servers: NodeServer[],
    /** The listeners with the ports actually bound (a listener on port 0 gets one from the system). */
    readonly listeners: RestListener[],
    private readonly options: RestAppOptions,
  ) {
    this.holders = servers.map((server, i) => {
      const hold: http.RequestListener = (req, res) => {
        this.held.push([i, req, res]);
        void this.attach();
      };
      server.on('request', hold);
      return hold;
    });
  }

  /**
   * Binds every listener. A listener that cannot be opened (port in use, no such address) is a
   * ConfigError naming `listeners` (or the key it came from), after closing those already open.
   */
  static async start(choice: RestListenersChoice, options: RestAppOptions, tlsOptions?: () => TlsOptions): Promise<RestServer> {
    const servers: NodeServer[] = [];
    const bound: RestListener[] = [];
    const key = choice.source === 'rest.host.name/rest.port' ? 'rest.host.name/rest.port' : 'listeners';
    try {
      for (const listener of choice.listeners) {
        // https (and with it tls) is loaded only for an https listener.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const server = listener.protocol === 'https' ? (require('https') as typeof https).createServer((tlsOptions ?? noHttps)()) : http.createServer();
        servers.push(server);
        try {
          await listen(server, listener.host === '' ? '0.0.0.0' : listener.host, listener.port);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          const why = code === 'EADDRINUSE' ? 'the address is already in use' : code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : (err as Error).message;
          const hint = choice.source === 'default' ? ` (the default listener; set ${key} to another address, or listeners= (empty) or --no-rest to run without the REST API)` : '';
          throw new ConfigError(`Cannot open the REST API listener ${listenerUrl(listener)} (${key}): ${why}${hint}`, { cause: err });
        }
        const address = server.address();
        bound.push({ ...listener, port: typeof address === 'object' && address !== null ? address.port : listener.port });
      }
    } catch (err) {
      await Promise.allSettled(servers.map((s) => closeServer(s)));
      throw err;
    }
    const server = new RestServer(servers, bound, options);
    server.logStarted(choice);
    return server;
  }

  urls(): string[] {
    return this.listeners.map(listenerUrl);
  }

  /** Builds the fastify apps and hands them the requests held meanwhile; idempotent. */
  attach(): Promise<void> {
    clearTimeout(this.laterTimer);
    this.attaching ??= this.build().catch((err: unknown) => {
      this.options.logger.error(`The REST API could not be started: ${(err as Error).message}`, { err });
      for (const [, , res] of this.held.splice(0)) answer503(res);
    });
    return this.attaching;
  }

  /** attach() after delayMs unless a request comes first (the worker's first records go out meanwhile). */
  attachLater(delayMs: number): void {
    if (this.attaching) return;
    this.laterTimer = setTimeout(() => void this.attach(), delayMs);
  }

  private async build(): Promise<void> {
    // fastify is loaded only now: --once runs, --no-rest and the first records never wait for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { buildRestApp } = require('./rest-app') as typeof RestAppModule;
    const built = await Promise.all(this.servers.map((server) => buildRestApp(this.options, server)));
    this.apps = built.map((b) => b.app);
    this.servers.forEach((server, i) => {
      server.off('request', this.holders[i]);
      server.on('request', built[i].handler);
    });
    for (const [i, req, res] of this.held.splice(0)) built[i].handler(req, res);
  }

  private logStarted(choice: RestListenersChoice): void {
    const { logger, basicAuthUsers } = this.options;
    for (const url of this.urls()) logger.info(`REST API listening on ${url}${basicAuthUsers ? ' (basic authentication)' : ''}`);
    if (choice.source === 'default') {
      logger.info('The REST API listens on the loopback interface only (Kafka listens on every interface): set listeners=http://0.0.0.0:8083 to reach it from other hosts, or listeners= (empty) or --no-rest to run without it');
    }
    const exposed = this.listeners.filter((l) => !LOOPBACK.has(l.host));
    if (exposed.length > 0 && !basicAuthUsers) {
      logger.warn(
        `The REST API on ${exposed.map(listenerUrl).join(', ')} accepts requests from other hosts without authentication: anyone who reaches it can create connectors (a FileStreamSink writes any file this process can). Set rest.extension.classes=org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension`,
      );
    }
  }

  /** Closes every listener; open requests are cut. */
  async stop(): Promise<void> {
    clearTimeout(this.laterTimer);
    await this.attaching;
    await Promise.allSettled(this.apps.map((a) => a.close()));
    for (const [, , res] of this.held.splice(0)) answer503(res);
    await Promise.allSettled(this.servers.map((s) => closeServer(s)));
  }
}

function listen(server: NodeServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: NodeServer): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function answer503(res: http.ServerResponse): void {
  if (res.headersSent) return;
  res.writeHead(503, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error_code: 503, message: 'The REST API is not available' }));
}

function noHttps(): never {
  throw new ConfigError('An https:// listener needs its TLS settings (listeners.https.ssl.*)');
}
