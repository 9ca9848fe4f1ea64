import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrackedEvent } from '../lib/events.ts';
import { openDatabase } from './db.ts';
import { createEventWriter } from './event-store.ts';

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
