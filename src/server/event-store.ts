// Writes to the events database: one row per accepted event, and the list of pages the report
// names them by.
import type { TrackedEvent } from '../lib/events.ts';
import type { DepthRecord } from '../lib/reading-depth.ts';
import type { Day } from '../lib/period.ts';
import { overflowTag } from '../lib/report-figures.ts';
import type { NamedPage, SitePage } from '../lib/site-page.ts';
import { directSource } from '../lib/traffic-source.ts';
import { tracking } from '../site.config.ts';
import type { Database, Sql, SqlValue } from './database.ts';
import { recordDepth } from './depth-store.ts';

/** A page as the pages table records it, also after it has left the site. */
export type PageRecord = Pick<
  SitePage,
  'path' | 'kind' | 'title' | 'author' | 'series' | 'seriesTitle' | 'part' | 'sections'
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

/** An event as the writer is given it, with the day it counts for. */
export interface DatedEvent {
  event: TrackedEvent;
  day: Day;
}

type TagKind = 'source' | 'campaign';

/**
 * What a process knows of the tags table without asking: the names it holds, and the days that
 * have had their cap of new names (tags are only ever added, so both stay true). Filled only
 * from committed transactions.
 */
export interface TagMemory {
  known: Set<string>;
  fullDays: Set<string>;
}

const newTagMemory = (): TagMemory => ({ known: new Set(), fullDays: new Set() });
const tagKey = (kind: TagKind, name: string) => `${kind}\u0000${name}`;

/** The columns an event is stored in, in the order of the values storeEvents makes for each. */
const eventColumns = [
  'day',
  'type',
  'path',
  'author',
  'series',
  'part',
  'channel',
  'source',
  'medium',
  'campaign',
  'read_on',
] as const;

const insertEvent = `INSERT INTO events (${eventColumns.join(', ')})
  VALUES (${eventColumns.map(() => '?').join(', ')})`;

/**
 * PostgreSQL takes a batch in one statement, its rows as one JSON parameter, so that a batch
 * costs one round trip whatever its size. SQLite runs in
 * the process: a prepared statement per row is as fast, without parsing JSON.
 */
const insertEventRows = `INSERT INTO events (${eventColumns.join(', ')})
  SELECT ${eventColumns.join(', ')}
  FROM json_to_recordset($rows::json) AS row(day TEXT, type TEXT, path TEXT, author TEXT, series TEXT,
    part INTEGER, channel TEXT, source TEXT, medium TEXT, campaign TEXT, read_on INTEGER, at INTEGER)
  ORDER BY at`;
const knownTagsIn = `SELECT name FROM tags WHERE kind = $kind AND name IN (SELECT json_array_elements_text($names::json))`;
// Another process may add the same name meanwhile: its row stands, and this one is not needed.
const addTags = `INSERT INTO tags (kind, name, first_day)
  SELECT $kind, name, $day FROM json_array_elements_text($names::json) WITH ORDINALITY AS t(name, at)
  ORDER BY at ON CONFLICT DO NOTHING`;

interface Tagged {
  kind: TagKind;
  name: string;
  day: Day;
}

/**
 * The source or campaign each event is stored with: itself when known, or new and within its
 * day's cap of new ones (then it is added to the tags); else the overflow tag the report sums as
 * "overige". New names are taken in the order their events came, until the day is full. Two
 * processes adding at once may each take the last places of a day: the cap is then exceeded by
 * a few, never by an error. Returns the names to remember once the transaction has committed.
 */
async function capTags(
  sql: Sql,
  tags: readonly Tagged[],
  perDay: number,
  memory: TagMemory,
): Promise<{ stored: Map<string, string>; learned: TagMemory }> {
  const stored = new Map<string, string>();
  const learned = newTagMemory();
  // The new names to look at, once each, on the day their first event came.
  const unknown = new Map<string, Tagged>();
  for (const tag of tags) {
    const key = tagKey(tag.kind, tag.name);
    if (memory.known.has(key)) stored.set(key, tag.name);
    else if (!unknown.has(key)) unknown.set(key, tag);
  }
  if (unknown.size === 0) return { stored, learned };

  for (const kind of ['source', 'campaign'] as const) {
    const names = [...unknown.values()].filter((tag) => tag.kind === kind).map((tag) => tag.name);
    if (names.length === 0) continue;
    const found =
      sql.dialect === 'postgres'
        ? await sql.all<{ name: string }>(knownTagsIn, { kind, names: JSON.stringify(names) })
        : (
            await Promise.all(
              names.map((name) =>
                sql.get<{ name: string }>('SELECT name FROM tags WHERE kind = ? AND name = ?', [kind, name]),
              ),
            )
          ).filter((row) => row !== undefined);
    for (const { name } of found) {
      const key = tagKey(kind, name);
      stored.set(key, name);
      learned.known.add(key);
      unknown.delete(key);
    }
  }

  // What is left is new: per kind and day, as many as the day has room for.
  const byDay = new Map<string, Tagged[]>();
  for (const tag of unknown.values()) {
    const day = `${tag.kind}\u0000${tag.day}`;
    const list = byDay.get(day);
    if (list) list.push(tag);
    else byDay.set(day, [tag]);
  }
  for (const [dayKey, fresh] of byDay) {
    const { kind, day } = fresh[0]!;
    const full = memory.fullDays.has(dayKey);
    const count = full
      ? perDay
      : (await sql.get<{ count: number }>(
          'SELECT COUNT(*) AS count FROM tags WHERE kind = ? AND first_day = ?',
          [kind, day],
        ))!.count;
    const room = Math.max(0, perDay - count);
    const added = fresh.slice(0, room);
    fresh.forEach((tag, at) => stored.set(tagKey(kind, tag.name), at < room ? tag.name : overflowTag));
    if (count + added.length >= perDay) learned.fullDays.add(dayKey);
    if (added.length === 0) continue;
    // In one order in every process, so that two adding the same names never wait on each other in turn.
    const names = added.map((tag) => tag.name).sort();
    if (sql.dialect === 'postgres') await sql.run(addTags, { kind, day, names: JSON.stringify(names) });
    else
      for (const name of names)
        await sql.run('INSERT INTO tags (kind, name, first_day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING', [
          kind,
          name,
          day,
        ]);
    for (const name of names) learned.known.add(tagKey(kind, name));
  }
  return { stored, learned };
}

/**
 * Stores `events` inside the caller's transaction, in their order; what it learned about the
 * tags is for `memory` once the transaction has committed.
 */
async function storeEvents(
  sql: Sql,
  events: readonly DatedEvent[],
  perDay: number,
  memory: TagMemory,
): Promise<TagMemory> {
  const rows = events.map(({ event, day }) => {
    const { source = directSource, medium = null, campaign = null } = event.source ?? {};
    return { event, day, source, medium, campaign };
  });
  const tags: Tagged[] = rows.flatMap(({ day, source, campaign }) => [
    { kind: 'source' as const, name: source, day },
    ...(campaign === null ? [] : [{ kind: 'campaign' as const, name: campaign, day }]),
  ]);
  const { stored, learned } = await capTags(sql, tags, perDay, memory);
  const values = rows.map(({ event, day, source, medium, campaign }) => [
    day,
    event.type,
    event.path,
    event.author,
    event.series,
    event.part,
    event.channel,
    stored.get(tagKey('source', source))!,
    medium,
    campaign === null ? null : stored.get(tagKey('campaign', campaign))!,
    event.readOn ? 1 : 0,
  ]);
  if (sql.dialect === 'postgres') {
    const records = values.map((row, at) => ({
      ...Object.fromEntries(eventColumns.map((column, i) => [column, row[i]])),
      at,
    }));
    await sql.run(insertEventRows, { rows: JSON.stringify(records) });
  } else {
    for (const row of values) await sql.run(insertEvent, row as SqlValue[]);
  }
  return learned;
}

/** Whether every source and campaign of these events is one this process saw stored. */
function allTagsKnown(events: readonly DatedEvent[], memory: TagMemory): boolean {
  return events.every(({ event }) => {
    const { source = directSource, campaign = null } = event.source ?? {};
    return (
      memory.known.has(tagKey('source', source)) &&
      (campaign === null || memory.known.has(tagKey('campaign', campaign)))
    );
  });
}

function remember(memory: TagMemory, learned: TagMemory) {
  for (const key of learned.known) memory.known.add(key);
  // A day or two of full days is all that is ever asked about.
  if (memory.fullDays.size > 100) memory.fullDays.clear();
  for (const key of learned.fullDays) memory.fullDays.add(key);
}

/**
 * Stores one event inside the caller's transaction (a message and the click it counts are stored
 * together), or in one of its own when `sql` is the Database. A day brings at most
 * `newSourcesPerDay` new sources, and as many new campaigns; the rest is stored as overflow.
 */
export async function recordEvent(
  sql: Sql,
  event: TrackedEvent,
  day: Day,
  newSourcesPerDay: number = tracking.newSourcesPerDay,
): Promise<void> {
  await storeEvents(sql, [{ event, day }], newSourcesPerDay, newTagMemory());
}

export interface EventWriterOptions {
  newSourcesPerDay?: number;
}

/**
 * Group commit: the events that arrive while a write is on its way to disk are written together,
 * in one transaction and one sync, right after. Each caller's promise settles only once its row
 * is committed, so an acknowledged event is never lost; throughput grows with concurrency
 * instead of being capped at one disk sync (or, on PostgreSQL, a few round trips) per event.
 * One batch is on its way at a time; the names of the tags are remembered between batches.
 * `write.depth` puts a page view's reading depth (depth-store.ts) in the same batches: one sync
 * for both, rather than two writers taking turns at the disk.
 */
export function createEventWriter(
  database: Database,
  { newSourcesPerDay = tracking.newSourcesPerDay }: EventWriterOptions = {},
) {
  const memory = newTagMemory();
  type Waiting = ({ event: TrackedEvent } | { depth: DepthRecord }) & {
    day: Day;
    done: (error?: unknown) => void;
  };
  let waiting: Waiting[] = [];
  let writing = false;

  async function flush() {
    writing = true;
    const batch = waiting;
    waiting = [];
    const events = batch.flatMap((item) => ('event' in item ? [item] : []));
    const depths = batch.flatMap((item) => ('depth' in item ? [item] : []));
    const store = async (sql: Sql) => {
      const learned =
        events.length > 0 ? await storeEvents(sql, events, newSourcesPerDay, memory) : newTagMemory();
      // In the order they came: of two records of one view in a batch, the later one stands.
      for (const { depth, day } of depths) await recordDepth(sql, depth, day);
      return learned;
    };
    try {
      // When every tag is known, a batch of events alone is one INSERT: atomic on its own, so on
      // PostgreSQL it goes without BEGIN and COMMIT, two round trips fewer per batch.
      const oneStatement =
        database.dialect === 'postgres' && depths.length === 0 && allTagsKnown(events, memory);
      const learned = oneStatement ? await store(database) : await database.transaction(store);
      remember(memory, learned);
      for (const item of batch) item.done();
    } catch (error) {
      for (const item of batch) item.done(error);
    } finally {
      writing = false;
      // What arrived while this batch was written goes next, together.
      if (waiting.length > 0) setImmediate(flush);
    }
  }

  const queue = (item: { event: TrackedEvent } | { depth: DepthRecord }, day: Day) =>
    new Promise<void>((resolve, reject) => {
      if (waiting.length === 0 && !writing) setImmediate(flush);
      waiting.push({ ...item, day, done: (error) => (error ? reject(error) : resolve()) });
    });

  return Object.assign((event: TrackedEvent, day: Day) => queue({ event }, day), {
    depth: (record: DepthRecord, day: Day) => queue({ depth: record }, day),
  });
}

/** Records the pages of this build; pages no longer on the site keep their names for old events. */
export async function syncPages(database: Database, pages: readonly PageRecord[]): Promise<void> {
  await database.transaction(async (tx) => {
    await tx.run('UPDATE pages SET on_site = 0');
    for (const page of pages) {
      await tx.run(
        `INSERT INTO pages (path, kind, title, author, series, series_title, part, sections, on_site)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
         ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, title = excluded.title,
           author = excluded.author, series = excluded.series, series_title = excluded.series_title,
           part = excluded.part, sections = excluded.sections, on_site = 1`,
        [
          page.path,
          page.kind,
          page.title,
          page.author,
          page.series ?? null,
          page.seriesTitle ?? null,
          page.part ?? null,
          page.sections ? JSON.stringify(page.sections) : null,
        ],
      );
    }
  });
}
