// Moving from SQLite to PostgreSQL (`npm run db:copy -- --to postgres://…`, docs/operating.md):
// every row of every table of the site's SQLite database into an empty PostgreSQL database with
// the same schema, in one transaction (all or nothing), then each table's count compared.
import type { DatabaseSync } from 'node:sqlite';
import type { Database, Sql, SqlValue } from './database.ts';

/** The tables in an order that copies a row after what it names; login_turn is a counter, not data. */
export const copiedTables = [
  'pages',
  'events',
  'tags',
  'messages',
  'used_form_tokens',
  'followers',
  'follow_requests',
  'follow_days',
  'publications',
  'outbox',
  'login_failures',
  'publish_runs',
  'reading_depth',
] as const;

/** The tables whose `id` PostgreSQL numbers itself: its counter goes on after the last id copied. */
const numbered = new Set(['events', 'messages', 'followers', 'outbox', 'publish_runs', 'reading_depth']);

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const rowsPerInsert = 500;

export interface CopiedTable {
  table: string;
  rows: number;
}

const countOf = async (sql: Sql, table: string) =>
  (await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))!.n;

/** The tables of `target` that hold rows already; copying goes only into an empty database. */
export async function tablesWithRows(target: Database): Promise<string[]> {
  const full: string[] = [];
  for (const table of copiedTables) if ((await countOf(target, table)) > 0) full.push(table);
  return full;
}

/**
 * Copies every table from the SQLite connection into `target` (PostgreSQL, migrated, empty), in
 * one transaction, and checks each table's count on both sides after the commit. Throws, having
 * copied nothing, when anything fails; throws after the commit when a count differs.
 */
export async function copyDatabase(source: DatabaseSync, target: Database): Promise<CopiedTable[]> {
  await target.transaction(async (tx) => {
    for (const table of copiedTables) {
      const columns = (source.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map(
        (column) => column.name,
      );
      const row = `(${columns.map(() => '?').join(', ')})`;
      const insert = async (rows: Record<string, SqlValue>[]) => {
        if (rows.length === 0) return;
        await tx.run(
          `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${rows.map(() => row).join(', ')}`,
          rows.flatMap((values) => columns.map((column) => values[column] ?? null)),
        );
      };
      let batch: Record<string, SqlValue>[] = [];
      // Iterated, not read whole: a large events table never sits in memory at once.
      for (const values of source.prepare(`SELECT * FROM ${table}`).iterate()) {
        batch.push(values as Record<string, SqlValue>);
        if (batch.length === rowsPerInsert) {
          await insert(batch);
          batch = [];
        }
      }
      await insert(batch);
      if (numbered.has(table))
        await tx.run(
          `SELECT setval(pg_get_serial_sequence('${table}', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM ${table}`,
        );
    }
  });
  const copied: CopiedTable[] = [];
  for (const table of copiedTables) {
    const rows = (source.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    const there = await countOf(target, table);
    if (there !== rows)
      throw new Error(`${table}: ${rows} row(s) in SQLite, but ${there} in PostgreSQL after the copy.`);
    copied.push({ table, rows });
  }
  return copied;
}
