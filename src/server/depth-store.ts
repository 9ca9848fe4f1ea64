// Writes the reading depth of page views (src/lib/reading-depth.ts): one row per view, by the
// random id the page made for it; a later record of the same view replaces the earlier one. Like
// the events (event-store.ts), records that arrive while a write is on its way are written
// together, in one transaction, and each caller hears only once its row is committed.
import type { DepthRecord } from '../lib/reading-depth.ts';
import type { Day } from '../lib/period.ts';
import type { Database, Sql } from './database.ts';

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

/** Group commit of depth records, as createEventWriter does for events. */
export function createDepthWriter(database: Database) {
  let waiting: { record: DepthRecord; day: Day; done: (error?: unknown) => void }[] = [];
  let writing = false;

  async function flush() {
    writing = true;
    const batch = waiting;
    waiting = [];
    try {
      // In the order they came: of two records of one view in a batch, the later one stands.
      await database.transaction(async (tx) => {
        for (const { record, day } of batch) await recordDepth(tx, record, day);
      });
      for (const item of batch) item.done();
    } catch (error) {
      for (const item of batch) item.done(error);
    } finally {
      writing = false;
      if (waiting.length > 0) setImmediate(flush);
    }
  }

  return (record: DepthRecord, day: Day) =>
    new Promise<void>((resolve, reject) => {
      if (waiting.length === 0 && !writing) setImmediate(flush);
      waiting.push({ record, day, done: (error) => (error ? reject(error) : resolve()) });
    });
}
