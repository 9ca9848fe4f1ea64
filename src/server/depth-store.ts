// Writes the reading depth of page views (src/lib/reading-depth.ts): one row per view, by the
// random id the page made for it; a later record of the same view replaces the earlier one. The
// collector writes them in the events' batches (createEventWriter's `depth`, event-store.ts).
import type { DepthRecord } from '../lib/reading-depth.ts';
import type { Day } from '../lib/period.ts';
import type { Sql } from './database.ts';

/**
 * The view's day and page stay those of its first record; a record of another page under the
 * same id changes nothing (the ids are random: only a forger would send one).
 */
const upsert = `INSERT INTO reading_depth (view, day, path, author, series, part, furthest, end_reached, engaged)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (view) DO UPDATE SET furthest = excluded.furthest, end_reached = excluded.end_reached,
    engaged = excluded.engaged
  WHERE reading_depth.path = excluded.path`;

/** Stores one record inside the caller's transaction, or in one of its own when `sql` is the Database. */
export async function recordDepth(sql: Sql, record: DepthRecord, day: Day): Promise<void> {
  await sql.run(upsert, [
    record.view,
    day,
    record.path,
    record.author,
    record.series,
    record.part,
    record.furthest,
    record.endReached ? 1 : 0,
    record.engaged,
  ]);
}
