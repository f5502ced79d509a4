import type { TestDatabaseServer } from '../../harness/db-server-process';
import { startMariadb } from '../../harness/mariadb-server';
import { startPostgres } from '../../harness/postgres-server';

export type { TestDatabaseServer } from '../../harness/db-server-process';

/**
 * One throw-away server for the whole test file: started in beforeAll, stopped (and its temp dir
 * removed) in afterAll. The returned handle forwards to it, so tests write `pg.url` as usual.
 */
function useServer(start: () => Promise<TestDatabaseServer>, what: string): TestDatabaseServer {
  let started: TestDatabaseServer | undefined;
  beforeAll(async () => {
    started = await start();
  }, 90_000);
  afterAll(async () => {
    await started?.stop();
  });
  const get = (): TestDatabaseServer => {
    if (!started) throw new Error(`the ${what} server is used before beforeAll started it (or it failed to start)`);
    return started;
  };
  return {
    get url() {
      return get().url;
    },
    get host() {
      return get().host;
    },
    get port() {
      return get().port;
    },
    get user() {
      return get().user;
    },
    get password() {
      return get().password;
    },
    get database() {
      return get().database;
    },
    adminQuery: (sql, params) => get().adminQuery(sql, params),
    stop: () => get().stop(),
    stopServer: () => get().stopServer(),
    startServer: () => get().startServer(),
  };
}

/** A PostgreSQL server for this test file (test/harness/postgres-server.ts). */
export function usePostgres(): TestDatabaseServer {
  return useServer(startPostgres, 'PostgreSQL');
}

/** A MariaDB server for this test file (test/harness/mariadb-server.ts). */
export function useMariadb(): TestDatabaseServer {
  return useServer(startMariadb, 'MariaDB');
}
