import type { TlsOptions } from 'tls';
import { WorkerConfig } from '../runtime/worker-config';
import type * as BasicAuthModule from './basic-auth';
import type * as ListenerTlsModule from './listener-tls';
import { chooseRestListeners, RestListenersChoice, restWorkerId } from './rest-config';
import type * as RestServerModule from './rest-server';
import type { RestAppOptions } from './rest-app';
import type { RestServer } from './rest-server';

/** The REST server's settings, read and checked before anything starts (bad input changes nothing). */
export interface PreparedRest {
  choice: RestListenersChoice;
  /** The advertised host:port (the herder's worker_id); a listener on port 0 is known once bound. */
  workerId: string;
  basicAuthUsers: Map<string, string> | null;
  https: TlsOptions | null;
  cors: { allowOrigin: string; allowMethods: string };
}

export interface PrepareRestOptions {
  /** --no-rest */
  noRest?: boolean;
  /** A --once run: no server unless listeners is set. */
  once?: boolean;
  /** For KAFKA_OPTS=-Djava.security.auth.login.config=... */
  env?: NodeJS.ProcessEnv;
  /** Reads the basic auth users file as Java properties. */
  parseProperties: (text: string, where: string) => Record<string, string>;
}

/** Chooses the listeners and loads the users file and TLS stores they need; throws ConfigError. */
export function prepareRestServer(config: WorkerConfig, options: PrepareRestOptions): PreparedRest {
  const choice = chooseRestListeners(config, { noRest: options.noRest, once: options.once });
  const open = choice.listeners.length > 0;
  const extensions = config.getList('rest.extension.classes');
  const basicAuth = extensions.length > 0; // the validator admits only BasicAuthSecurityRestExtension
  // The users file and the TLS stores are read by modules loaded only when configured (issue 12, start-up).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const users = (): Map<string, string> => {
    const { jaasConfigFile, loadBasicAuthUsers } = require('./basic-auth') as typeof BasicAuthModule;
    return loadBasicAuthUsers(jaasConfigFile(config, options.env ?? process.env), options.parseProperties);
  };
  const https = (): TlsOptions => (require('./listener-tls') as typeof ListenerTlsModule).httpsServerOptions(config);
  /* eslint-enable @typescript-eslint/no-require-imports */
  return {
    choice,
    workerId: restWorkerId(config, choice),
    basicAuthUsers: open && basicAuth ? users() : null,
    https: open && choice.listeners.some((l) => l.protocol === 'https') ? https() : null,
    cors: { allowOrigin: config.getString('access.control.allow.origin') ?? '', allowMethods: config.getString('access.control.allow.methods') ?? '' },
  };
}

export type StartRestOptions = Pick<RestAppOptions, 'herder' | 'loggers' | 'metrics' | 'logger' | 'serverInfo' | 'ready'>;

/** Opens the listeners (none: resolves null). Rejects with a ConfigError naming `listeners` when one cannot be opened. */
export async function startRestServer(prepared: PreparedRest, options: StartRestOptions): Promise<RestServer | null> {
  if (prepared.choice.listeners.length === 0) {
    if (prepared.choice.source === 'off') options.logger.debug('No REST server (listeners is empty, --no-rest, or a --once run without listeners)');
    return null;
  }
  const https = prepared.https;
  // fastify is loaded only when a listener opens: --once runs and --no-rest load none of it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RestServer } = require('./rest-server') as typeof RestServerModule;
  try {
    return await RestServer.start(prepared.choice, { ...options, basicAuthUsers: prepared.basicAuthUsers, cors: prepared.cors }, https ? () => https : undefined);
  } catch (err) {
    // Only a listener the worker file asked for is worth stopping for: the default one is a convenience.
    if (prepared.choice.source === 'default' && ((err as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') {
      options.logger.warn(`${(err as Error).message}: running without the REST API`);
      return null;
    }
    throw err;
  }
}
