import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackedEvent } from '../lib/events.ts';
import { overflowTag } from '../lib/report-figures.ts';
import { type Database, sqliteDatabase } from './database.ts';
import { openDatabase } from './db.ts';
import { createEventWriter, recordEvent } from './event-store.ts';
import { openTestDatabase, testedDatabases } from './test-databases.ts';

const event: TrackedEvent = {
  type: 'pageview',
  path: '/reeks/deel/',
  author: 'a',
  series: 'reeks',
  part: 1,
  channel: null,
} as TrackedEvent;
const tagged = (source: string, campaign: string | null = null): TrackedEvent => ({
  ...event,
  source: { source, medium: null, campaign },
});
const count = async (db: Database) => (await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM events'))!.n;
const stored = (db: Database) =>
  db.all<{ source: string; campaign: string | null }>('SELECT source, campaign FROM events ORDER BY id');
const tags = async (db: Database) =>
  (await db.all<{ name: string }>("SELECT name FROM tags WHERE kind = 'source' ORDER BY name")).map(
    (row) => row.name,
  );

describe.each(testedDatabases())('the event store on %s', (kind) => {
  let db: Database;
  beforeEach(async () => {
    db = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await db.close();
  });

  describe('createEventWriter', () => {
    it('settles each write only after its row is committed', async () => {
      const write = createEventWriter(db);
      const pending = write(event, '2024-05-10');
      expect(await count(db)).toBe(0);
      await pending;
      expect(await count(db)).toBe(1);
    });

    it('writes concurrent events together, in fewer transactions than events', async () => {
      let transactions = 0;
      const counting: Database = {
        ...db,
        transaction: (work) => {
          transactions++;
          return db.transaction(work);
        },
      };
      const write = createEventWriter(counting);
      await Promise.all(Array.from({ length: 500 }, (_, i) => write(tagged(`bron-${i % 7}`), '2024-05-10')));
      expect(await count(db)).toBe(500);
      expect(transactions).toBeLessThan(10);
      // And the events that come while a batch is written go together in the next.
      const before = transactions;
      await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          await new Promise((resolve) => setTimeout(resolve, i % 20));
          await write(event, '2024-05-10');
        }),
      );
      expect(await count(db)).toBe(700);
      expect(transactions - before).toBeLessThan(100);
    });

    it('keeps the events of a batch in the order they came', async () => {
      const write = createEventWriter(db);
      await Promise.all(['a', 'b', 'c', 'd'].map((name) => write(tagged(name), '2024-05-10')));
      expect((await stored(db)).map((row) => row.source)).toEqual(['a', 'b', 'c', 'd']);
    });

    it('rejects every write of a batch that could not be committed, and stores none of them', async () => {
      const write = createEventWriter(db);
      const results = await Promise.allSettled([
        write(tagged('nieuw'), '2024-05-10'),
        write({ ...event, type: null } as unknown as TrackedEvent, '2024-05-10'),
      ]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
      expect(await count(db)).toBe(0);
      // Nor the tag that batch added: the next batch adds it again.
      expect(await tags(db)).toEqual([]);
      await write(tagged('nieuw'), '2024-05-11');
      expect(await count(db)).toBe(1);
      expect(await tags(db)).toEqual(['nieuw']);
    });

    it('caps the new sources of a day within a batch and across batches, in the order they came', async () => {
      const write = createEventWriter(db, { newSourcesPerDay: 2 });
      await Promise.all(
        ['a', 'b', 'c', 'a'].map((name) => write(tagged(name, `campagne-${name}`), '2024-05-10')),
      );
      await write(tagged('d'), '2024-05-10');
      await write(tagged('b'), '2024-05-10');
      await write(tagged('d'), '2024-05-11');
      expect(await stored(db)).toEqual([
        { source: 'a', campaign: 'campagne-a' },
        { source: 'b', campaign: 'campagne-b' },
        { source: overflowTag, campaign: overflowTag },
        { source: 'a', campaign: 'campagne-a' },
        { source: overflowTag, campaign: null },
        { source: 'b', campaign: null },
        { source: 'd', campaign: null },
      ]);
    });

    it('stores a flood of made-up sources as overflow past the cap, in a few batches', async () => {
      const write = createEventWriter(db, { newSourcesPerDay: 5 });
      await Promise.all(Array.from({ length: 2000 }, (_, i) => write(tagged(`nep-${i}`), '2024-05-10')));
      expect(await tags(db)).toEqual(['nep-0', 'nep-1', 'nep-2', 'nep-3', 'nep-4']);
      const sources = (await stored(db)).map((row) => row.source);
      expect(sources.filter((source) => source === overflowTag)).toHaveLength(1995);
      // The day is full: the next new one is overflow too, a known one is itself.
      await write(tagged('nog-een'), '2024-05-10');
      await write(tagged('nep-3'), '2024-05-10');
      expect((await stored(db)).slice(-2).map((row) => row.source)).toEqual([overflowTag, 'nep-3']);
    });

    it('knows the sources another process added, and never fails on one it adds at the same moment', async () => {
      // Two writers on one database: two processes, each with its own memory of the tags.
      const first = createEventWriter(db, { newSourcesPerDay: 5 });
      const second = createEventWriter(db, { newSourcesPerDay: 5 });
      await first(tagged('gedeeld'), '2024-05-10');
      const names = ['x', 'y', 'z', 'gedeeld'];
      const results = await Promise.allSettled(
        names.flatMap((name) => [first(tagged(name), '2024-05-10'), second(tagged(name), '2024-05-10')]),
      );
      expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
      expect(await tags(db)).toEqual(['gedeeld', 'x', 'y', 'z']);
      expect((await stored(db)).map((row) => row.source).sort()).toEqual(
        ['gedeeld', 'gedeeld', 'gedeeld', 'x', 'x', 'y', 'y', 'z', 'z'].sort(),
      );
    });
  });

  describe('recordEvent: the cap of new sources a day', () => {
    it('stores new sources and campaigns beyond the day’s cap as overflow, and known ones as they are', async () => {
      for (const name of ['a', 'b', 'c'])
        await recordEvent(db, tagged(name, `campagne-${name}`), '2024-05-10', 2);
      await recordEvent(db, tagged('a'), '2024-05-10', 2);
      // A new day brings new room.
      await recordEvent(db, tagged('c'), '2024-05-11', 2);
      expect(await stored(db)).toEqual([
        { source: 'a', campaign: 'campagne-a' },
        { source: 'b', campaign: 'campagne-b' },
        { source: overflowTag, campaign: overflowTag },
        { source: 'a', campaign: null },
        { source: 'c', campaign: null },
      ]);
    });

    it('is part of the caller’s transaction', async () => {
      await expect(
        db.transaction(async (tx) => {
          await recordEvent(tx, tagged('weg'), '2024-05-10');
          throw new Error('afgebroken');
        }),
      ).rejects.toThrow('afgebroken');
      expect(await count(db)).toBe(0);
      expect(await tags(db)).toEqual([]);
    });
  });
});

describe('recordEvent on SQLite: a database from before the cap', () => {
  it('knows the sources a database held before the cap, from the day they first came', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'reeks-store-')), 'site.db');
    const old = openDatabase(path);
    await recordEvent(sqliteDatabase(old), tagged('oud'), '2024-05-01', 1);
    // Back to the schema step before the list of sources.
    old.exec(`DROP TABLE tags; DROP TABLE followers; DROP TABLE follow_requests; DROP TABLE follow_days;
      DROP TABLE publications; DROP TABLE outbox; DROP TABLE login_failures; DROP TABLE login_turn; DROP TABLE publish_runs; DROP TABLE reading_depth; ALTER TABLE pages DROP COLUMN sections; PRAGMA user_version = 4;`);
    old.close();
    const db = sqliteDatabase(openDatabase(path));
    await recordEvent(db, tagged('nieuw'), '2024-05-10', 1);
    await recordEvent(db, tagged('oud'), '2024-05-10', 1);
    await recordEvent(db, tagged('nog-een'), '2024-05-10', 1);
    expect((await stored(db)).map((row) => row.source)).toEqual(['oud', 'nieuw', 'oud', overflowTag]);
    await db.close();
  });
});
