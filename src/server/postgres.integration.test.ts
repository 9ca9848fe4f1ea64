// The pool against a real server: `.ci/postgres npx vitest run --project integration src/server/postgres.integration.test.ts`.
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { checkPostgres, describePostgres, openPostgres } from './postgres.ts';
import { describeOnPostgres, freshDatabase, postgresCa, postgresUrl, withDatabase } from './test-postgres.ts';

const pools: pg.Pool[] = [];
function open(url: string, options: Partial<Parameters<typeof openPostgres>[0]> = {}) {
  const pool = openPostgres({
    url,
    poolSize: 2,
    statementTimeoutMs: 5000,
    connectTimeoutMs: 3000,
    // Dropping a database ends its connections, and so does closing the relay: no log line here.
    onConnectionError: () => undefined,
    ...options,
  });
  pools.push(pool);
  return pool;
}
afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
});

/** The one line checkPostgres stops with. */
async function startLine(pool: pg.Pool): Promise<string> {
  const error = await checkPostgres(pool).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const { message } = error as ConfigError;
  expect(message).not.toContain('\n');
  return message;
}

const url = () => postgresUrl()!;
const parts = () => new URL(url());

describeOnPostgres('the pool', () => {
  it('connects, and says which server it reached', async () => {
    const { serverVersion } = await checkPostgres(open(url()));
    expect(serverVersion).toMatch(/^\d+/);
  });

  it('has the statement timeout on every connection: a long statement is cancelled', async () => {
    const pool = open(url(), { statementTimeoutMs: 300, poolSize: 3 });
    const started = Date.now();
    const results = await Promise.allSettled([1, 2, 3].map(() => pool.query('SELECT pg_sleep(10)')));
    expect(Date.now() - started).toBeLessThan(3000);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as { code: string; message: string };
      expect(error.code).toBe('57014');
      expect(error.message).toBe('canceling statement due to statement timeout');
    }
    // The connections stay usable.
    expect((await pool.query('SHOW statement_timeout')).rows[0].statement_timeout).toBe('300ms');
  });

  it('gives COUNT, SUM and AVG as numbers, without changing pg for anyone else', async () => {
    const { rows } = await open(url()).query(
      'SELECT count(*) AS n, sum(x) AS total, avg(x) AS mean, sum(x::numeric / 4) AS quarters FROM generate_series(1, 10) AS x',
    );
    expect(rows[0]).toEqual({ n: 10, total: 55, mean: 5.5, quarters: 13.75 });
    const plain = new pg.Client({ connectionString: url() });
    await plain.connect();
    try {
      expect((await plain.query('SELECT count(*) AS n FROM generate_series(1, 3)')).rows[0].n).toBe('3');
    } finally {
      await plain.end();
    }
  });

  it('survives a connection that fails while idle in the pool, and opens another', async () => {
    const failures: Error[] = [];
    const pool = open(url(), { poolSize: 1, onConnectionError: (error) => failures.push(error) });
    const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await open(url()).query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await expect.poll(() => failures.length).toBe(1);
    expect(failures[0].message).toMatch(/terminat/);
    const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(again.rows[0].pid).not.toBe(rows[0].pid);
  });

  it('stops on a wrong password with one line', async () => {
    const wrong = parts();
    wrong.password = 'niet-het-wachtwoord';
    expect(await startLine(open(wrong.toString()))).toBe(
      `PostgreSQL at 127.0.0.1:${wrong.port} refused the password of role "${wrong.username}": correct the password in REEKS_DATABASE_URL.`,
    );
  });

  it('stops on a database that is not there with one line', async () => {
    expect(await startLine(open(withDatabase(url(), 'bestaat_niet')))).toBe(
      `PostgreSQL at 127.0.0.1:${parts().port} has no database "bestaat_niet": create it (createdb -O ${parts().username} bestaat_niet) or correct REEKS_DATABASE_URL.`,
    );
  });

  it('stops with one line when nothing listens on the port', async () => {
    const port = await closedPort();
    const refused = parts();
    refused.port = String(port);
    expect(await startLine(open(refused.toString()))).toBe(
      `Cannot reach PostgreSQL at 127.0.0.1:${port}: connection refused. Is the server running there? Check the host and port in REEKS_DATABASE_URL.`,
    );
  });

  it('stops with one line when the host is not found', async () => {
    const unknown = parts();
    unknown.hostname = 'geen-server.invalid';
    expect(await startLine(open(unknown.toString()))).toMatch(
      /^Cannot reach PostgreSQL at geen-server\.invalid:\d+: the host "geen-server\.invalid" is not found\. Check the host in REEKS_DATABASE_URL\.$/,
    );
  });

  it('stops with one line when the server never answers', async () => {
    const silent = await silentServer();
    try {
      const target = parts();
      target.port = String(silent.port);
      const started = Date.now();
      expect(await startLine(open(target.toString(), { connectTimeoutMs: 500 }))).toMatch(
        /^Cannot reach PostgreSQL at 127\.0\.0\.1:\d+: no answer \(.*\)\. Check the host and port in REEKS_DATABASE_URL, and that a firewall/,
      );
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await silent.close();
    }
  });
});

/** Whether this connection is encrypted, as the server sees it. */
async function usesTls(pool: pg.Pool): Promise<boolean> {
  const { rows } = await pool.query<{ ssl: boolean }>(
    'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
  );
  return rows[0].ssl;
}

describeOnPostgres(
  'TLS, as each sslmode means it (docs/operating.md#postgresql)',
  () => {
    const tls = (sslmode: string, host = '127.0.0.1', ca: string | undefined = postgresCa()) => {
      const target = new URL(url());
      target.hostname = host;
      target.searchParams.set('sslmode', sslmode);
      if (ca) target.searchParams.set('sslrootcert', ca);
      return target.toString();
    };

    it('verify-full with the CA: encrypted, to 127.0.0.1 and to localhost', async () => {
      expect(await usesTls(open(tls('verify-full')))).toBe(true);
      expect(await usesTls(open(tls('verify-full', 'localhost')))).toBe(true);
    });

    it('verify-full without the CA stops with one line that says to give it', async () => {
      // The code names what is missing: the server sends its own certificate, or its chain.
      expect(await startLine(open(tls('verify-full', '127.0.0.1', '')))).toBe(
        `PostgreSQL at 127.0.0.1:${parts().port} presented a certificate this machine does not trust (UNABLE_TO_VERIFY_LEAF_SIGNATURE): give its CA with sslrootcert=/path/to/ca.pem in REEKS_DATABASE_URL (docs/operating.md#postgresql).`,
      );
    });

    it('require checks the certificate as verify-full does (as pg 8 reads it)', async () => {
      expect(await usesTls(open(tls('require')))).toBe(true);
      expect(await startLine(open(tls('require', '127.0.0.1', '')))).toMatch(/does not trust/);
    });

    it('verify-ca with the CA: encrypted; no-verify: encrypted without a CA', async () => {
      expect(await usesTls(open(tls('verify-ca')))).toBe(true);
      expect(await usesTls(open(tls('no-verify', '127.0.0.1', '')))).toBe(true);
    });

    it('verify-full refuses a certificate for another name, and verify-ca takes it', async () => {
      // The certificate is for 127.0.0.1 and localhost; 127.0.0.2 is this machine too (Linux).
      const relay = await relayServer('127.0.0.2', Number(parts().port));
      try {
        const target = new URL(tls('verify-full'));
        target.hostname = '127.0.0.2';
        target.port = String(relay.port);
        expect(await startLine(open(target.toString()))).toMatch(
          new RegExp(
            `^PostgreSQL at 127\\.0\\.0\\.2:${relay.port} presented a certificate for another name \\(.*127\\.0\\.0\\.2.*\\): connect by a name the certificate holds, or use sslmode=verify-ca with sslrootcert in REEKS_DATABASE_URL\\.$`,
          ),
        );
        target.searchParams.set('sslmode', 'verify-ca');
        expect(await usesTls(open(target.toString()))).toBe(true);
      } finally {
        await relay.close();
      }
    });

    it('disable, or no sslmode: not encrypted', async () => {
      expect(await usesTls(open(tls('disable', '127.0.0.1', '')))).toBe(false);
      expect(await usesTls(open(url()))).toBe(false);
    });

    it('a CA file that is not there stops with one line', () => {
      expect(() => open(tls('verify-full', '127.0.0.1', '/geen/ca.pem'))).toThrow(
        /^The sslrootcert file of the PostgreSQL URL, \/geen\/ca\.pem, cannot be read \(ENOENT\): give a readable file\.$/,
      );
    });

    it('the start line names the sslmode, never the password', () => {
      const line = describePostgres(tls('verify-full'));
      expect(line).toBe(
        `postgres://${parts().username}@127.0.0.1:${parts().port}/postgres?sslmode=verify-full&sslrootcert=${postgresCa()}`,
      );
      expect(line).not.toContain(parts().password);
    });
  },
  { tls: true },
);

describeOnPostgres('freshDatabase', () => {
  let first: Awaited<ReturnType<typeof freshDatabase>>;
  let second: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    [first, second] = await Promise.all([freshDatabase('eerste'), freshDatabase('tweede')]);
  });

  it('gives each caller an empty database of its own', async () => {
    expect(first.name).not.toBe(second.name);
    await open(first.url).query('CREATE TABLE events (id int)');
    const tables = (db: string) =>
      open(db).query("SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'");
    expect((await tables(first.url)).rows[0].n).toBe(1);
    expect((await tables(second.url)).rows[0].n).toBe(0);
  });

  it('drops it, even with connections still open on it', async () => {
    await open(first.url).query('SELECT 1');
    await Promise.all([first.drop(), second.drop()]);
    const { rows } = await open(url()).query(
      'SELECT count(*) AS n FROM pg_database WHERE datname = ANY($1)',
      [[first.name, second.name]],
    );
    expect(rows[0].n).toBe(0);
  });
});

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Passes connections on `host` through to the test server, as a second address of it. */
async function relayServer(
  host: string,
  port: number,
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((incoming) => {
    const outgoing = connect(port, '127.0.0.1');
    for (const socket of [incoming, outgoing]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  await new Promise<void>((done) => server.listen(0, host, done));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

/** A server that takes connections and never says a word, as behind a firewall that drops packets. */
async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}
