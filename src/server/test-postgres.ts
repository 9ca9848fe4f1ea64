// PostgreSQL for the tests: the server `.ci/postgres` starts (or any one whose role may create
// databases), named by REEKS_TEST_DATABASE_URL, with its CA in REEKS_TEST_PG_CA for TLS. Each test
// file takes databases of its own from freshDatabase, so files running in parallel workers never
// share one. Without the URL the PostgreSQL tests are skipped on a developer's machine, and fail
// under CI: there, a missing database must never look like a pass.
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { openPostgres } from './postgres.ts';

/** The test server's URL (password included, database `postgres`), or undefined. */
export const postgresUrl = (): string | undefined => process.env.REEKS_TEST_DATABASE_URL?.trim() || undefined;

/** The CA that signed the test server's certificate, or undefined (no TLS tests then). */
export const postgresCa = (): string | undefined => process.env.REEKS_TEST_PG_CA?.trim() || undefined;

const inCi = () => Boolean(process.env.CI);

function required(what: string): string {
  const value = what === 'REEKS_TEST_PG_CA' ? postgresCa() : postgresUrl();
  if (!value)
    throw new Error(`${what} is unset: start the tests with .ci/postgres (e.g. .ci/postgres npm test).`);
  return value;
}

/** The URL with another database (and optionally query parameters), keeping role and password. */
export function withDatabase(url: string, database: string, parameters: Record<string, string> = {}): string {
  const next = new URL(url);
  next.pathname = `/${encodeURIComponent(database)}`;
  for (const [key, value] of Object.entries(parameters)) next.searchParams.set(key, value);
  return next.toString();
}

export interface FreshDatabase {
  name: string;
  /** The test server's URL on this database. */
  url: string;
  /**
   * Drops the database, ending whatever connections this role still has open on it (end your pools
   * first, or their connections' end is logged by openPostgres's default handler).
   */
  drop: () => Promise<void>;
}

let created = 0;

/** A new, empty database on the test server, with a name no other test file uses. */
export async function freshDatabase(label = 'test'): Promise<FreshDatabase> {
  const server = required('REEKS_TEST_DATABASE_URL');
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 24);
  // pid and a counter: parallel workers and several databases per file; the random part: reruns
  // on a server kept between runs.
  const name = `reeks_${slug}_${process.pid}_${++created}_${randomBytes(3).toString('hex')}`;
  const admin = openPostgres({ url: server, poolSize: 1, statementTimeoutMs: 60_000 });
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(server, name),
    drop: () => dropDatabase(server, name),
  };
}

/**
 * Drops a database on the server at `serverUrl`: ends this role's sessions on it, then a plain DROP,
 * which also makes an autovacuum worker leave. Not `WITH (FORCE)`: that must be allowed to end every
 * session, autovacuum's too, which a role that may only create databases is not.
 */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const pool = openPostgres({ url: serverUrl, poolSize: 1, statementTimeoutMs: 60_000 });
  try {
    for (let attempt = 1; ; attempt++) {
      await pool.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()`,
        [name],
      );
      try {
        // Waits up to 5 s for the sessions just ended, and for autovacuum, to go.
        await pool.query(`DROP DATABASE IF EXISTS "${name}"`);
        return;
      } catch (error) {
        const beingAccessed = (error as { code?: string }).code === '55006';
        if (!beingAccessed || attempt === 3) throw error;
      }
    }
  } finally {
    await pool.end();
  }
}

/**
 * A describe block that needs the test server (and, with `tls`, its CA): it runs when
 * REEKS_TEST_DATABASE_URL is set; without it, it is skipped, or under CI fails with one test
 * that names the variable.
 */
export function describeOnPostgres(name: string, fn: () => void, { tls = false } = {}): void {
  const missing = !postgresUrl()
    ? 'REEKS_TEST_DATABASE_URL'
    : tls && !postgresCa()
      ? 'REEKS_TEST_PG_CA'
      : undefined;
  if (!missing) describe(name, fn);
  else if (!inCi()) describe.skip(name, fn);
  else
    describe(name, () => {
      it(`needs PostgreSQL: ${missing} is unset under CI`, () => {
        required(missing);
      });
    });
}
