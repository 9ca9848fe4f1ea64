import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrackedEvent } from '../lib/events.ts';
import { openDatabase } from './db.ts';
import { overflowTag } from '../lib/report-figures.ts';
import { createEventWriter, recordEvent } from './event-store.ts';

const event: TrackedEvent = {
  type: 'pageview',
  path: '/reeks/deel/',
  author: 'a',
  series: 'reeks',
  part: 1,
  channel: null,
} as TrackedEvent;
const database = () => openDatabase(join(mkdtempSync(join(tmpdir(), 'reeks-store-')), 'site.db'));
const count = (db: ReturnType<typeof database>) =>
  (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;

describe('createEventWriter', () => {
  it('settles each write only after its row is committed', async () => {
    const db = database();
    const write = createEventWriter(db);
    const pending = write(event, '2024-05-10');
    expect(count(db)).toBe(0);
    await pending;
    expect(count(db)).toBe(1);
  });

  it('writes concurrent events together, in fewer transactions than events', async () => {
    const db = database();
    const write = createEventWriter(db);
    let commits = 0;
    const exec = db.exec.bind(db);
    db.exec = (sql: string) => {
      if (sql === 'COMMIT') commits++;
      return exec(sql);
    };
    await Promise.all(Array.from({ length: 500 }, () => write(event, '2024-05-10')));
    expect(count(db)).toBe(500);
    expect(commits).toBeLessThan(10);
  });

  it('rejects every write of a batch that could not be committed, and stores none of them', async () => {
    const db = database();
    const write = createEventWriter(db);
    const results = await Promise.allSettled([
      write(event, '2024-05-10'),
      write({ ...event, type: null } as unknown as TrackedEvent, '2024-05-10'),
    ]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(count(db)).toBe(0);
    await write(event, '2024-05-11');
    expect(count(db)).toBe(1);
  });
});

describe('recordEvent: the cap of new sources a day', () => {
  const tagged = (source: string, campaign: string | null = null): TrackedEvent => ({
    ...event,
    source: { source, medium: null, campaign },
  });
  const stored = (db: ReturnType<typeof database>) =>
    db
      .prepare('SELECT source, campaign FROM events ORDER BY id')
      .all()
      .map((row) => ({ ...row }));

  it('stores new sources and campaigns beyond the day’s cap as overflow, and known ones as they are', () => {
    const db = database();
    for (const name of ['a', 'b', 'c']) recordEvent(db, tagged(name, `campagne-${name}`), '2024-05-10', 2);
    recordEvent(db, tagged('a'), '2024-05-10', 2);
    // A new day brings new room.
    recordEvent(db, tagged('c'), '2024-05-11', 2);
    expect(stored(db)).toEqual([
      { source: 'a', campaign: 'campagne-a' },
      { source: 'b', campaign: 'campagne-b' },
      { source: overflowTag, campaign: overflowTag },
      { source: 'a', campaign: null },
      { source: 'c', campaign: null },
    ]);
  });

  it('knows the sources a database held before the cap, from the day they first came', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'reeks-store-')), 'site.db');
    const old = openDatabase(path);
    recordEvent(old, tagged('oud'), '2024-05-01', 1);
    // Back to the schema step before the list of sources.
    old.exec(`DROP TABLE tags; DROP TABLE followers; DROP TABLE follow_requests; DROP TABLE follow_days;
      DROP TABLE publications; DROP TABLE outbox; DROP TABLE login_failures; DROP TABLE login_turn; PRAGMA user_version = 4;`);
    old.close();
    const db = openDatabase(path);
    recordEvent(db, tagged('nieuw'), '2024-05-10', 1);
    recordEvent(db, tagged('oud'), '2024-05-10', 1);
    recordEvent(db, tagged('nog-een'), '2024-05-10', 1);
    expect(stored(db).map((row) => row.source)).toEqual(['oud', 'nieuw', 'oud', overflowTag]);
  });
});
