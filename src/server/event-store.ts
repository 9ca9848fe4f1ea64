// Writes to the events database: one row per accepted event, and the list of pages the report
// names them by.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { TrackedEvent } from '../lib/events.ts';
import type { Day } from '../lib/period.ts';
import { overflowTag } from '../lib/report-figures.ts';
import type { NamedPage, SitePage } from '../lib/site-page.ts';
import { directSource } from '../lib/traffic-source.ts';
import { tracking } from '../site.config.ts';
import { transaction, writeTransaction } from './db.ts';

/** A page as the pages table records it, also after it has left the site. */
export type PageRecord = Pick<
  SitePage,
  'path' | 'kind' | 'title' | 'author' | 'series' | 'seriesTitle' | 'part'
>;

export type { NamedPage };

/** The columns of the pages table a query joins in to name a page. */
export interface PageColumns {
  path: string;
  kind: string | null;
  title: string | null;
  series_title: string | null;
  part: number | null;
}

export const namedPage = (row: PageColumns): NamedPage => ({
  path: row.path,
  kind: (row.kind ?? 'unknown') as NamedPage['kind'],
  title: row.title ?? row.path,
  seriesTitle: row.series_title ?? undefined,
  part: row.part ?? undefined,
});

interface Statements {
  insert: StatementSync;
  knownTag: StatementSync;
  newTagsOn: StatementSync;
  addTag: StatementSync;
}

const statements = new WeakMap<DatabaseSync, Statements>();

function statementsOf(db: DatabaseSync): Statements {
  let prepared = statements.get(db);
  if (!prepared) {
    prepared = {
      insert: db.prepare(
        `INSERT INTO events (day, type, path, author, series, part, channel, source, medium, campaign, read_on)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      knownTag: db.prepare('SELECT 1 FROM tags WHERE kind = ? AND name = ?'),
      newTagsOn: db.prepare('SELECT COUNT(*) AS count FROM tags WHERE kind = ? AND first_day = ?'),
      addTag: db.prepare('INSERT INTO tags (kind, name, first_day) VALUES (?, ?, ?)'),
    };
    statements.set(db, prepared);
  }
  return prepared;
}

/**
 * The source or campaign as stored: itself when known, or new and within the day's cap of new
 * ones (then it is recorded as known); else the overflow tag the report sums as "overige".
 */
function cappedTag(
  { knownTag, newTagsOn, addTag }: Statements,
  kind: 'source' | 'campaign',
  name: string,
  day: Day,
  perDay: number,
): string {
  if (knownTag.get(kind, name)) return name;
  if ((newTagsOn.get(kind, day) as { count: number }).count >= perDay) return overflowTag;
  addTag.run(kind, name, day);
  return name;
}

/**
 * Stores one event: committed when this returns, or part of the caller's transaction when there
 * is one (a message and the click it counts are stored together). A day brings at most
 * `newSourcesPerDay` new sources, and as many new campaigns; the rest is stored as overflow.
 */
export function recordEvent(
  db: DatabaseSync,
  event: TrackedEvent,
  day: Day,
  newSourcesPerDay: number = tracking.newSourcesPerDay,
): void {
  const prepared = statementsOf(db);
  const { source: named = directSource, medium = null, campaign: tagged = null } = event.source ?? {};
  const source = cappedTag(prepared, 'source', named, day, newSourcesPerDay);
  const campaign = tagged === null ? null : cappedTag(prepared, 'campaign', tagged, day, newSourcesPerDay);
  prepared.insert.run(
    day,
    event.type,
    event.path,
    event.author,
    event.series,
    event.part,
    event.channel,
    source,
    medium,
    campaign,
    event.readOn ? 1 : 0,
  );
}

/**
 * Group commit: the events that arrive while a write is on its way to disk are written together,
 * in one transaction and one sync, right after. Each caller's promise settles only once its row
 * is committed, so an acknowledged event is never lost; throughput grows with concurrency
 * instead of being capped at one disk sync per event.
 */
export function createEventWriter(db: DatabaseSync) {
  let waiting: { event: TrackedEvent; day: Day; done: (error?: unknown) => void }[] = [];

  async function flush() {
    const batch = waiting;
    waiting = [];
    try {
      await writeTransaction(db, () => {
        for (const { event, day } of batch) recordEvent(db, event, day);
      });
    } catch (error) {
      for (const item of batch) item.done(error);
      return;
    }
    for (const item of batch) item.done();
  }

  return (event: TrackedEvent, day: Day) =>
    new Promise<void>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(flush);
      waiting.push({ event, day, done: (error) => (error ? reject(error) : resolve()) });
    });
}

/** Records the pages of this build; pages no longer on the site keep their names for old events. */
export function syncPages(db: DatabaseSync, pages: readonly PageRecord[]): void {
  transaction(db, () => replacePages(db, pages));
}

/** syncPages inside a transaction the caller holds (the server's writeTransaction). */
export function replacePages(db: DatabaseSync, pages: readonly PageRecord[]): void {
  const upsert = db.prepare(
    `INSERT INTO pages (path, kind, title, author, series, series_title, part, on_site)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1)
     ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, title = excluded.title,
       author = excluded.author, series = excluded.series, series_title = excluded.series_title,
       part = excluded.part, on_site = 1`,
  );
  db.exec('UPDATE pages SET on_site = 0');
  for (const page of pages) {
    upsert.run(
      page.path,
      page.kind,
      page.title,
      page.author,
      page.series ?? null,
      page.seriesTitle ?? null,
      page.part ?? null,
    );
  }
}
