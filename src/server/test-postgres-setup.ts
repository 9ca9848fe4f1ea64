// Vitest's globalSetup (vitest.config.ts), once per run in the main process: says in one line when
// the PostgreSQL tests are skipped and how to run them, fails the run under CI without a server, and
// otherwise checks that the server answers, so that a wrong URL is one clear failure, not one per test.
import { checkPostgres, openPostgres } from './postgres.ts';

export const skipLine =
  'PostgreSQL tests skipped: REEKS_TEST_DATABASE_URL is unset. Run them with: .ci/postgres npm test';

export default async function setup(): Promise<void> {
  const url = process.env.REEKS_TEST_DATABASE_URL?.trim();
  if (!url) {
    if (process.env.CI)
      throw new Error(
        'REEKS_TEST_DATABASE_URL is unset, and under CI the PostgreSQL tests must run: start them with .ci/postgres npm test.',
      );
    console.log(skipLine);
    return;
  }
  const pool = openPostgres({ url, poolSize: 1, statementTimeoutMs: 10_000, connectTimeoutMs: 5000 });
  try {
    await checkPostgres(pool, { variable: 'REEKS_TEST_DATABASE_URL' });
    const { rows } = await pool.query<{ may: boolean }>(
      'SELECT rolcreatedb OR rolsuper AS may FROM pg_roles WHERE rolname = current_user',
    );
    if (!rows[0]?.may)
      throw new Error(
        "REEKS_TEST_DATABASE_URL's role may not create databases, and every test file takes its own: ALTER ROLE … CREATEDB, or use .ci/postgres.",
      );
  } finally {
    await pool.end();
  }
}
