// For the store tests: one suite, run on every database the site supports. SQLite always (a new
// database in memory per call); PostgreSQL on the server REEKS_TEST_DATABASE_URL names (`.ci/postgres`
// starts a throwaway one): a new, empty database on it per call, dropped when closed. Without the
// URL the PostgreSQL half is left out on a developer's machine, and fails under CI.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, postgresDatabase, sqliteDatabase } from './database.ts';
import { databaseOf, openDatabase } from './db.ts';
import { openPostgres } from './postgres.ts';
import { migratePostgres } from './postgres-schema.ts';
import { freshDatabase, postgresUrl } from './test-postgres.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

/** The kinds the suite runs on here: PostgreSQL when a server is named, and always under CI. */
export const testedDatabases = (): DatabaseKind[] =>
  postgresUrl() || process.env.CI ? ['sqlite', 'postgres'] : ['sqlite'];

/** A Database on the PostgreSQL database at `url`, its schema brought up to date. */
export async function openPostgresDatabase(url: string, poolSize = 4): Promise<Database> {
  const pool = openPostgres({ url, poolSize, statementTimeoutMs: 30_000 });
  const client = await pool.connect();
  try {
    await migratePostgres(client);
  } finally {
    client.release();
  }
  return postgresDatabase(pool);
}

/** A fresh database of this kind with the whole schema; closing it also drops a PostgreSQL one. */
export async function openTestDatabase(kind: DatabaseKind): Promise<Database> {
  if (kind === 'sqlite') return sqliteDatabase(openDatabase(':memory:'));
  const fresh = await freshDatabase('store');
  const database = await openPostgresDatabase(fresh.url);
  return {
    ...database,
    close: async () => {
      await database.close();
      await fresh.drop();
    },
  };
}

/**
 * Two Databases on one database, as two processes have them: on SQLite two connections to one
 * file; on PostgreSQL two pools, so each statement of one may run beside the other's. The third
 * item closes both and removes the database.
 */
export async function openTwoDatabases(
  kind: DatabaseKind,
): Promise<[Database, Database, () => Promise<void>]> {
  let open: () => Promise<Database>;
  let remove: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'reeks-two-'));
    // As the server opens it: a write waits for the other connection's lock asynchronously.
    open = async () => databaseOf(openDatabase(join(dir, 'site.db'), { blockOnLock: false }));
    remove = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const fresh = await freshDatabase('two');
    open = () => openPostgresDatabase(fresh.url);
    remove = fresh.drop;
  }
  const first = await open();
  const second = await open();
  return [
    first,
    second,
    async () => {
      await first.close();
      await second.close();
      await remove();
    },
  ];
}
