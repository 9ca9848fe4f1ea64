import { expect, it } from 'vitest';
import { openPostgres } from './postgres.ts';
import { migratePostgres, postgresSchemaVersion } from './postgres-schema.ts';
import { describeOnPostgres, freshDatabase } from './test-postgres.ts';

describeOnPostgres('the schema steps on PostgreSQL', () => {
  it('are applied once when four processes start on an empty database at the same moment', async () => {
    const fresh = await freshDatabase('schema');
    // Four pools, as four processes would have: each migrates on a connection of its own.
    const pools = Array.from({ length: 4 }, () =>
      openPostgres({ url: fresh.url, poolSize: 1, statementTimeoutMs: 30_000 }),
    );
    try {
      await Promise.all(
        pools.map(async (pool) => {
          const client = await pool.connect();
          try {
            await migratePostgres(client);
          } finally {
            client.release();
          }
        }),
      );
      const { rows } = await pools[0]!.query<{ version: number }>(
        'SELECT version FROM schema_steps ORDER BY version',
      );
      expect(rows.map((row) => row.version)).toEqual(
        Array.from({ length: postgresSchemaVersion }, (_, step) => step + 1),
      );
      const { rows: turn } = await pools[0]!.query('SELECT id, next_turn FROM login_turn');
      expect(turn).toEqual([{ id: 1, next_turn: 0 }]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
      await fresh.drop();
    }
  });

  it('refuses a database whose schema is newer than this code knows, in one sentence', async () => {
    const fresh = await freshDatabase('schema');
    const pool = openPostgres({ url: fresh.url, poolSize: 1, statementTimeoutMs: 30_000 });
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client);
        await client.query('INSERT INTO schema_steps (version, applied_at) VALUES ($1, $2)', [
          postgresSchemaVersion + 1,
          new Date().toISOString(),
        ]);
        await expect(migratePostgres(client)).rejects.toThrow(
          `the database has schema version ${postgresSchemaVersion + 1}, newer than this code knows (${postgresSchemaVersion})`,
        );
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
      await fresh.drop();
    }
  });
});
