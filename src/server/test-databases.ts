// For the store tests: one suite, run on every database the site supports. SQLite always (a new
// database in memory per call); PostgreSQL when REEKS_TEST_DATABASE_URL names a server (`.ci/run`
// starts a throwaway one): a new, empty database on it per call, dropped when closed.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, postgresDatabase, sqliteDatabase } from './database.ts';
import { openDatabase } from './db.ts';
import { migratePostgres } from './postgres-schema.ts';

export type DatabaseKind = 'sqlite' | 'postgres';

export const postgresTestUrl = () => process.env.REEKS_TEST_DATABASE_URL || undefined;

/** The kinds the suite runs on here: PostgreSQL only when a server is named. */
export const testedDatabases = (): DatabaseKind[] =>
  postgresTestUrl() ? ['sqlite', 'postgres'] : ['sqlite'];

const numbers = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    // COUNT and SUM (int8, numeric) as numbers, as SQLite gives them.
    oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format as 'text'),
};

/** A new, empty PostgreSQL database on the test server, with its URL and a drop. */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = postgresTestUrl();
  if (!serverUrl) throw new Error('REEKS_TEST_DATABASE_URL is unset: no PostgreSQL server to test on.');
  const name = `reeks_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A fresh database of this kind with the whole schema; closing it also drops a PostgreSQL one. */
export async function openTestDatabase(kind: DatabaseKind): Promise<Database> {
  if (kind === 'sqlite') return sqliteDatabase(openDatabase(':memory:'));
  const { url, drop } = await createPostgresDatabase();
  const pool = new pg.Pool({ connectionString: url, max: 4, types: numbers });
  const client = await pool.connect();
  try {
    await migratePostgres(client);
  } finally {
    client.release();
  }
  const database = postgresDatabase(pool);
  return {
    ...database,
    close: async () => {
      await database.close();
      await drop();
    },
  };
}
