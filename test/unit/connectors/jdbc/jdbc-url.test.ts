import { ConfigError } from '../../../../src/api';
import { maskJdbcUrl, parseJdbcUrl } from '../../../../connectors/jdbc/jdbc-url';

describe('parseJdbcUrl: PostgreSQL (as pgjdbc reads it)', () => {
  it('host, port, database and properties', () => {
    const u = parseJdbcUrl('jdbc:postgresql://db.example:5433/shop?user=fred&password=s%26cret&ssl=true');
    expect(u).toEqual({
      protocol: 'postgresql',
      hosts: [{ host: 'db.example', port: 5433 }],
      database: 'shop',
      file: null,
      params: { user: 'fred', password: 's&cret', ssl: 'true' },
      display: 'jdbc:postgresql://db.example:5433/shop?user=fred&password=****&ssl=true',
    });
  });

  it('several hosts, default ports, IPv6', () => {
    const u = parseJdbcUrl('jdbc:postgresql://h1:5432,h2,[::1]:6000/db');
    expect(u.hosts).toEqual([
      { host: 'h1', port: 5432 },
      { host: 'h2', port: null },
      { host: '::1', port: 6000 },
    ]);
  });

  it('jdbc:postgresql:db, jdbc:postgresql:/ and //host/ forms', () => {
    expect(parseJdbcUrl('jdbc:postgresql:shop?user=x')).toMatchObject({ hosts: [{ host: 'localhost', port: null }], database: 'shop', params: { user: 'x' } });
    expect(parseJdbcUrl('jdbc:postgresql:/')).toMatchObject({ database: null });
    expect(parseJdbcUrl('jdbc:postgresql://host/')).toMatchObject({ hosts: [{ host: 'host', port: null }], database: null });
    expect(parseJdbcUrl('jdbc:postgresql:///db')).toMatchObject({ hosts: [{ host: 'localhost', port: null }], database: 'db' });
  });

  it('rejects //host without the slash, as pgjdbc does', () => {
    expect(() => parseJdbcUrl('jdbc:postgresql://host:5432')).toThrow(/a \/ must follow the host or port/);
  });
});

describe('parseJdbcUrl: MySQL and MariaDB', () => {
  it('user:password@host goes into the user/password properties, masked in display', () => {
    const u = parseJdbcUrl('jdbc:mysql://app:p%40ss@db:3306/shop?useSSL=false');
    expect(u).toMatchObject({
      protocol: 'mysql',
      hosts: [{ host: 'db', port: 3306 }],
      database: 'shop',
      params: { useSSL: 'false', user: 'app', password: 'p@ss' },
    });
    expect(u.display).toBe('jdbc:mysql://app:****@db:3306/shop?useSSL=false');
  });

  it('query-string user/password win over user info', () => {
    expect(parseJdbcUrl('jdbc:mysql://a:b@db/x?user=c&password=d').params).toEqual({ user: 'c', password: 'd' });
  });

  it('mariadb, no database, several hosts', () => {
    expect(parseJdbcUrl('jdbc:mariadb://h1:3307,h2')).toMatchObject({
      protocol: 'mariadb',
      hosts: [
        { host: 'h1', port: 3307 },
        { host: 'h2', port: null },
      ],
      database: null,
    });
    expect(parseJdbcUrl('jdbc:MySQL://localhost/db').protocol).toBe('mysql');
    // Connector/J defaults an empty host to localhost.
    expect(parseJdbcUrl('jdbc:mysql://')).toMatchObject({ hosts: [{ host: 'localhost', port: null }], database: null });
  });

  it('rejects sub-protocols and key-value host forms', () => {
    expect(() => parseJdbcUrl('jdbc:mysql:replication://h1,h2/db')).toThrow(/single-server form/);
    expect(() => parseJdbcUrl('jdbc:mysql://address=(host=h)(port=1)/db')).toThrow(/key-value host forms/);
  });
});

describe('parseJdbcUrl: SQLite (as sqlite-jdbc)', () => {
  it.each([
    ['jdbc:sqlite:data/test.db', 'data/test.db'],
    ['jdbc:sqlite:/abs/test.db', '/abs/test.db'],
    ['jdbc:sqlite::memory:', ':memory:'],
    ['jdbc:sqlite:', ':memory:'],
    ['jdbc:sqlite:file:rel.db', 'rel.db'],
    ['jdbc:sqlite:file:/abs/x.db', '/abs/x.db'],
    ['jdbc:sqlite:file:///abs/x%20y.db', '/abs/x y.db'],
    ['jdbc:sqlite:file::memory:?cache=shared', ':memory:'],
    ['jdbc:sqlite:file:m?mode=memory', ':memory:'],
  ])('%s -> %s', (url, file) => {
    const u = parseJdbcUrl(url);
    expect(u).toMatchObject({ protocol: 'sqlite', hosts: [], database: null, file });
  });

  it('properties after ? are kept, the path is not', () => {
    expect(parseJdbcUrl('jdbc:sqlite:test.db?journal_mode=WAL')).toMatchObject({ file: 'test.db', params: { journal_mode: 'WAL' } });
  });

  it('rejects :resource: and remote file URIs', () => {
    expect(() => parseJdbcUrl('jdbc:sqlite::resource:x.db')).toThrow(/resources/);
    expect(() => parseJdbcUrl('jdbc:sqlite:file://server/x.db')).toThrow(/only local files/);
  });
});

describe('parseJdbcUrl: errors', () => {
  function error(url: string): ConfigError {
    try {
      parseJdbcUrl(url);
    } catch (err) {
      return err as ConfigError;
    }
    throw new Error('expected a failure');
  }

  it('an unsupported database names the key, the URL without password and the supported forms', () => {
    const err = error('jdbc:oracle:thin:scott/tiger@//h:1521/x?password=tiger');
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toMatch(/^Invalid value jdbc:oracle:thin:scott\/tiger@\/\/h:1521\/x\?password=\*\*\*\* for configuration connection.url: the database "oracle" is not supported/);
    expect(err.message).toContain('Supported forms: jdbc:postgresql://host[:port]');
    expect(err.message).toContain('jdbc:sqlite::memory:');
  });

  it('a password never appears in the message', () => {
    for (const url of ['jdbc:mysql://u:topsecret@h:99999/db', 'jdbc:postgresql://h:0/db?password=topsecret', 'nonsense?password=topsecret']) {
      const err = error(url);
      expect(err.message).toContain('connection.url');
      expect(err.message).not.toContain('topsecret');
    }
  });

  it.each([
    ['postgres://h/db', /not a JDBC URL/],
    ['jdbc:postgresql://h:70000/db', /port 70000 is not between 1 and 65535/],
    ['jdbc:postgresql://h:x/db', /"h:x" is not a host\[:port\]/],
    ['jdbc:postgresql://h/db?x=%zz', /not valid URL encoding/],
  ])('%s', (url, message) => {
    expect(() => parseJdbcUrl(url)).toThrow(message);
  });
});

describe('maskJdbcUrl', () => {
  it.each([
    ['jdbc:mysql://u:p@h/db', 'jdbc:mysql://u:****@h/db'],
    ['jdbc:mysql://u:p@x@h/db', 'jdbc:mysql://u:****@h/db'],
    ['jdbc:postgresql://h/db?user=u&password=p&sslpassword=q', 'jdbc:postgresql://h/db?user=u&password=****&sslpassword=****'],
    ['jdbc:postgresql://[::1]:5432/db', 'jdbc:postgresql://[::1]:5432/db'],
    ['jdbc:sqlite:test.db', 'jdbc:sqlite:test.db'],
  ])('%s -> %s', (url, masked) => {
    expect(maskJdbcUrl(url)).toBe(masked);
  });
});
