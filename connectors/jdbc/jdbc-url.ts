import { ConfigError } from '../../src/api';
import { JdbcUrl } from './dialect';

/** The key whose value jdbc-url.ts parses, named in its errors. */
export const CONNECTION_URL_CONFIG = 'connection.url';

/** The forms parseJdbcUrl() accepts, listed in its errors. */
export const SUPPORTED_URL_FORMS = [
  'jdbc:postgresql://host[:port][,host[:port]...]/[database][?key=value&...]',
  'jdbc:postgresql:database[?key=value&...]',
  'jdbc:mysql://[user[:password]@]host[:port][,host[:port]...][/database][?key=value&...]',
  'jdbc:mariadb://[user[:password]@]host[:port][,host[:port]...][/database][?key=value&...]',
  'jdbc:sqlite:path/to/file.db',
  'jdbc:sqlite:file:path/to/file.db[?key=value&...]',
  'jdbc:sqlite::memory:',
];

type HostPort = { host: string; port: number | null };

/**
 * Parses `connection.url` as the Java drivers would read it: PostgreSQL (pgjdbc), MySQL (Connector/J)
 * and MariaDB server URLs with one or more hosts, and sqlite-jdbc file and memory URLs. Query-string
 * properties are decoded into `params`; a MySQL/MariaDB `user:password@` goes into the `user` and
 * `password` params unless the query string sets them. Throws ConfigError naming connection.url, the
 * URL with its password masked and the supported forms.
 */
export function parseJdbcUrl(url: string): JdbcUrl {
  const text = url.trim();
  const display = maskJdbcUrl(text);
  const fail = (reason: string): never => {
    throw ConfigError.invalidValue(CONNECTION_URL_CONFIG, display, `${reason}. Supported forms: ${SUPPORTED_URL_FORMS.join(' | ')}`);
  };
  const m = /^jdbc:([a-zA-Z0-9]+):(.*)$/s.exec(text);
  if (!m) return fail('not a JDBC URL (it must start with jdbc:<database>:)');
  const sub = m[1].toLowerCase();
  const rest = m[2];
  switch (sub) {
    case 'postgresql':
      return parsePostgres(rest, display, fail);
    case 'mysql':
    case 'mariadb':
      return parseMysql(sub, rest, display, fail);
    case 'sqlite':
      return parseSqlite(rest, display, fail);
    default:
      return fail(`the database "${m[1]}" is not supported (PostgreSQL, MySQL, MariaDB and SQLite are)`);
  }
}

/** The URL with any password (user:password@, password=... properties) replaced by `****`. */
export function maskJdbcUrl(url: string): string {
  return url
    .replace(/(\/\/[^/?#:@]*:)[^/?#]*@/g, '$1****@')
    .replace(/([?&;]|^|\()([^=&;?]*password[^=&;?]*)=([^&;)]*)/gi, '$1$2=****');
}

function splitQuery(rest: string): [string, string | null] {
  const q = rest.indexOf('?');
  return q < 0 ? [rest, null] : [rest.slice(0, q), rest.slice(q + 1)];
}

function parseParams(query: string | null, separators: RegExp, fail: (reason: string) => never): Record<string, string> {
  const params: Record<string, string> = {};
  if (query === null || query === '') return params;
  for (const part of query.split(separators)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decode(eq < 0 ? part : part.slice(0, eq), fail);
    params[key] = eq < 0 ? '' : decode(part.slice(eq + 1), fail);
  }
  return params;
}

function decode(text: string, fail: (reason: string) => never): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return fail(`"${text}" is not valid URL encoding`);
  }
}

function parseHosts(list: string, fail: (reason: string) => never, required: boolean): HostPort[] {
  const hosts: HostPort[] = [];
  for (const entry of splitHosts(list)) {
    const hm = /^(\[[0-9a-fA-F:.%A-Za-z]+\]|[^:[\]]*)(?::(\d*))?$/.exec(entry.trim());
    if (!hm) return fail(`"${entry}" is not a host[:port]`);
    const host = hm[1].startsWith('[') ? hm[1].slice(1, -1) : hm[1];
    let port: number | null = null;
    if (hm[2] !== undefined && hm[2] !== '') {
      port = Number(hm[2]);
      if (!Number.isInteger(port) || port < 1 || port > 65535) return fail(`port ${hm[2]} is not between 1 and 65535`);
    }
    hosts.push({ host: host === '' ? 'localhost' : decode(host, fail), port });
  }
  if (hosts.length === 0 && required) return fail('no host given');
  return hosts;
}

function splitHosts(list: string): string[] {
  if (list === '') return [''];
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    if (list[i] === '[') depth++;
    else if (list[i] === ']') depth--;
    else if (list[i] === ',' && depth === 0) {
      out.push(list.slice(start, i));
      start = i + 1;
    }
  }
  out.push(list.slice(start));
  return out;
}

function parsePostgres(rest: string, display: string, fail: (reason: string) => never): JdbcUrl {
  const [body, query] = splitQuery(rest);
  const params = parseParams(query, /&/, fail);
  if (!body.startsWith('//')) {
    // jdbc:postgresql:database (and jdbc:postgresql:/ for the default database): localhost, default port.
    if (body.includes('/') && body !== '/') return fail('a URL without //host must name only the database');
    const database = body === '' || body === '/' ? null : decode(body, fail);
    return { protocol: 'postgresql', hosts: [{ host: 'localhost', port: null }], database, file: null, params, display };
  }
  const authority = body.slice(2);
  const slash = authority.indexOf('/');
  // pgjdbc rejects //host without the slash that starts the database part.
  if (slash < 0) return fail('a / must follow the host or port (jdbc:postgresql://host:port/database)');
  if (authority.slice(0, slash).includes('@')) return fail('PostgreSQL URLs take the user and password as connection.user/connection.password or ?user=&password=, not user@host');
  const hosts = parseHosts(authority.slice(0, slash), fail, true);
  const dbText = authority.slice(slash + 1);
  return { protocol: 'postgresql', hosts, database: dbText === '' ? null : decode(dbText, fail), file: null, params, display };
}

function parseMysql(protocol: 'mysql' | 'mariadb', rest: string, display: string, fail: (reason: string) => never): JdbcUrl {
  if (!rest.startsWith('//')) {
    return fail(`only the single-server form jdbc:${protocol}://host[:port]/database is supported (no load-balancing, replication or failover sub-protocols)`);
  }
  const [body, query] = splitQuery(rest.slice(2));
  const params = parseParams(query, /&/, fail);
  const slash = body.indexOf('/');
  let authority = slash < 0 ? body : body.slice(0, slash);
  const dbText = slash < 0 ? '' : body.slice(slash + 1);
  if (authority.includes('(')) return fail('the key-value host forms (address=(host=...)) are not supported; write host:port');
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userInfo = authority.slice(0, at);
    authority = authority.slice(at + 1);
    const colon = userInfo.indexOf(':');
    const user = decode(colon < 0 ? userInfo : userInfo.slice(0, colon), fail);
    if (params.user === undefined && user !== '') params.user = user;
    if (colon >= 0 && params.password === undefined) params.password = decode(userInfo.slice(colon + 1), fail);
  }
  const hosts = parseHosts(authority, fail, true);
  return { protocol, hosts, database: dbText === '' ? null : decode(dbText, fail), file: null, params, display };
}

function parseSqlite(rest: string, display: string, fail: (reason: string) => never): JdbcUrl {
  const [body, query] = splitQuery(rest);
  const params = parseParams(query, /&/, fail);
  const sqlite = (file: string): JdbcUrl => ({ protocol: 'sqlite', hosts: [], database: null, file, params, display });
  if (body === '' || body === ':memory:') return sqlite(':memory:');
  if (body.startsWith(':resource:')) return fail('class-path resources (:resource:) are not supported; give a file path');
  if (body.startsWith('file:')) {
    let path = body.slice('file:'.length);
    if (path.startsWith('//')) {
      // file://host/path: only the local host (empty or localhost) is meaningful.
      const slash = path.indexOf('/', 2);
      const host = slash < 0 ? path.slice(2) : path.slice(2, slash);
      if (host !== '' && host !== 'localhost') return fail(`the file URI names host "${host}"; only local files are supported`);
      path = slash < 0 ? '' : path.slice(slash);
    }
    path = decode(path, fail);
    if (path === '' || path === ':memory:' || params.mode === 'memory') return sqlite(':memory:');
    return sqlite(path);
  }
  return sqlite(body);
}
