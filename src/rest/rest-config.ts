import * as os from 'os';
import { WorkerConfig } from '../runtime/worker-config';

/** One address the REST API listens on. An empty host binds every interface, as in Kafka. */
export interface RestListener {
  protocol: 'http' | 'https';
  host: string;
  port: number;
}

/** The default listener: Kafka's port, but loopback only (Kafka binds every interface). */
export const DEFAULT_LISTENER: RestListener = { protocol: 'http', host: '127.0.0.1', port: 8083 };

export interface RestListenersChoice {
  listeners: RestListener[];
  /** Why: `listeners` set, the old rest.host.name/rest.port, the loopback default, or switched off. */
  source: 'listeners' | 'rest.host.name/rest.port' | 'default' | 'off';
}

/**
 * Which listeners to open: `listeners` when set (empty: none); else the older rest.host.name and
 * rest.port; else http://127.0.0.1:8083. `--no-rest` opens none, and a --once run opens none unless
 * `listeners` is set in the worker file.
 */
export function chooseRestListeners(config: WorkerConfig, options: { noRest?: boolean; once?: boolean } = {}): RestListenersChoice {
  const explicit = config.originals()['listeners'] !== undefined;
  if (options.noRest || (options.once && !explicit)) return { listeners: [], source: 'off' };
  if (explicit) {
    const listeners = config.getList('listeners').map(parseListener);
    return { listeners, source: listeners.length ? 'listeners' : 'off' };
  }
  const host = config.getString('rest.host.name');
  const port = config.originals()['rest.port'] !== undefined ? config.getInt('rest.port') : null;
  if (host !== null || port !== null) {
    return { listeners: [{ protocol: 'http', host: host ?? DEFAULT_LISTENER.host, port: port ?? DEFAULT_LISTENER.port }], source: 'rest.host.name/rest.port' };
  }
  return { listeners: [DEFAULT_LISTENER], source: 'default' };
}

/** `http://host:port` (validated by the worker ConfigDef), IPv6 hosts in brackets. */
export function parseListener(text: string): RestListener {
  const m = /^(https?):\/\/(\[[^\]]*\]|[^:/]*):(\d+)\/?$/i.exec(text.trim());
  if (!m) throw new Error(`Unparsable listener ${text}`);
  return { protocol: m[1].toLowerCase() as 'http' | 'https', host: m[2].replace(/^\[|\]$/g, ''), port: Number(m[3]) };
}

export function listenerUrl(l: RestListener): string {
  const host = l.host === '' ? '0.0.0.0' : l.host.includes(':') ? `[${l.host}]` : l.host;
  return `${l.protocol}://${host}:${l.port}`;
}

/**
 * This worker's id in statuses (Kafka's worker_id): the advertised `host:port`. The advertised
 * listener is the first of rest.advertised.listener's protocol, else the first listener (the default
 * listener when none is open); rest.advertised.host.name and rest.advertised.port override its parts,
 * and a listener on every interface is advertised under the machine's host name, as Kafka does.
 * `boundPort` is the port actually bound, for a listener on port 0.
 */
export function restWorkerId(config: WorkerConfig, choice: RestListenersChoice = chooseRestListeners(config), boundPort?: number): string {
  const wanted = config.getString('rest.advertised.listener')?.toLowerCase();
  const all = choice.listeners.length ? choice.listeners : [chooseRestListeners(config).listeners[0] ?? DEFAULT_LISTENER];
  const listener = all.find((l) => l.protocol === wanted) ?? all[0];
  const anyInterface = listener.host === '' || listener.host === '0.0.0.0' || listener.host === '::';
  const host = config.getString('rest.advertised.host.name') ?? (anyInterface ? os.hostname() : listener.host);
  const advertisedPort = config.originals()['rest.advertised.port'] !== undefined ? config.getInt('rest.advertised.port') : null;
  const port = advertisedPort ?? (listener.port === 0 && boundPort !== undefined ? boundPort : listener.port);
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}
